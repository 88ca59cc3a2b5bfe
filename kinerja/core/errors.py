"""Errors that services raise; views and the API turn them into messages and 4xx answers."""

from __future__ import annotations


class ServiceError(Exception):
    """A refused operation with a message fit for the user (Indonesian)."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Refused(ServiceError):
    """The actor may not do this."""

    status = 403
    code = "forbidden"


class Conflict(ServiceError):
    status = 409
    code = "conflict"


class NotFound(ServiceError):
    status = 404
    code = "not_found"
