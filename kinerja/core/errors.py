"""Errors that services raise; views and the API turn them into messages and 4xx answers.

Every API error body has the same shape: {"detail": str, "code": str, "errors": [...]}.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_noop

from .text import Text


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


def localize(message: object) -> str:
    """A rule's message (or the message of a rule's ValueError) in the active language:
    a Text is translated by its template and filled again (a Text parameter is localized too);
    anything else is looked up as is."""
    if isinstance(message, BaseException):
        message = message.args[0] if message.args else ""
    if isinstance(message, Text):
        if not message.template:
            return ""
        if not message.params:
            return gettext(message.template)
        params = {k: localize(v) if isinstance(v, Text) else v for k, v in message.params.items()}
        try:
            return gettext(message.template) % params
        except (KeyError, TypeError, ValueError):  # a translation that does not fit its template
            return str(message)
    return gettext(str(message)) if message else ""


def clean_or_refuse(obj: Any, exclude: list[str] | None = None) -> None:
    """Run a model's full_clean and turn the first problem into a ServiceError."""
    try:
        obj.full_clean(exclude=exclude, validate_constraints=True)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ServiceError(messages[0], field=None if field == "__all__" else field) from exc


def error_body(
    detail: str, code: str, errors: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {"detail": detail, "code": code, "errors": errors or []}


# The code and the message of a status when nothing more precise is known (ninja's and Django's
# own 4xx/5xx answers under /api/ become these: kinerja.core.middleware).
STATUS_ERRORS: dict[int, tuple[str, str]] = {
    400: ("invalid", gettext_noop("Permintaan tidak valid.")),
    401: ("unauthorized", gettext_noop("Perlu login atau token API yang sah.")),
    403: ("forbidden", gettext_noop("Anda tidak berwenang.")),
    404: ("not_found", gettext_noop("Alamat atau data tidak ditemukan.")),
    405: ("method_not_allowed", gettext_noop("Metode HTTP ini tidak didukung pada alamat ini.")),
    409: ("conflict", gettext_noop("Permintaan bertentangan dengan data yang ada.")),
    413: ("too_large", gettext_noop("Permintaan terlalu besar.")),
    422: ("invalid", gettext_noop("Data tidak valid.")),
    429: ("throttled", gettext_noop("Terlalu banyak permintaan; coba lagi nanti.")),
    500: ("server_error", gettext_noop("Terjadi kesalahan pada server; coba lagi nanti.")),
}


def status_error_body(status: int) -> dict[str, Any]:
    code, detail = STATUS_ERRORS.get(
        status, ("error", gettext_noop("Permintaan tidak dapat diproses."))
    )
    return error_body(gettext(detail), code)
