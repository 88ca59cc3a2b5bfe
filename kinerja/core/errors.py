"""Errors that services raise; views and the API turn them into messages and 4xx answers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


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


def clean_or_refuse(obj: Any, exclude: list[str] | None = None) -> None:
    """Run a model's full_clean and turn the first problem into a ServiceError."""
    try:
        obj.full_clean(exclude=exclude, validate_constraints=True)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ServiceError(messages[0], field=None if field == "__all__" else field) from exc
