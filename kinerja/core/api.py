"""API foundation: authentication (session or bearer token) and consistent JSON errors.

Every error body has the same shape: {"detail": str, "code": str, "errors": [...]}.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError, ValidationErrorContext
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser
from ninja.security import APIKeyCookie, HttpBearer

from kinerja.accounts.models import ApiToken, hash_token

from .errors import ServiceError, error_body, status_error_body
from .openapi import KinerjaSchema
from .params import text_problem
from .schema_errors import schema_message

request_logger = logging.getLogger("django.request")


class PendingToken:
    """A bearer token not checked yet (`TokenAuth(deferred=True)`): the endpoint's one-statement
    fast path checks it itself; anything else must call `verified_user` first."""

    def __init__(self, raw: str) -> None:
        self.raw = raw


class TokenAuth(HttpBearer):
    """`Authorization: Bearer kin_…` with a token made on the profile page.

    A token that is presented but not valid (unknown, revoked, its user inactive) is a 401 on
    every endpoint, even with a logged-in session beside it: the caller meant the token, so
    the session does not stand in for it (RFC 6750 `invalid_token`).

    `deferred=True` (one endpoint: recording a realisasi) hands the view a `PendingToken`
    instead of querying: its fast path checks the token in the same statement as the write,
    and `verified_user` checks it the ordinary way otherwise."""

    def __init__(self, *, deferred: bool = False) -> None:
        super().__init__()
        self.deferred = deferred

    def __call__(self, request: HttpRequest) -> Any:
        if self.deferred:
            header = request.headers.get(self.header, "")
            scheme, _, raw = header.partition(" ")
            return PendingToken(raw) if scheme.lower() == "bearer" and raw else None
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            raise AuthenticationError()
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


def verified_user(request: HttpRequest) -> Any:
    """The caller's user; for a `PendingToken`, the token is checked now (401 if it fails)."""
    pending = getattr(request, "auth", None)
    if isinstance(pending, PendingToken):
        user = TokenAuth().authenticate(request, pending.raw)  # 401 when it is not valid
        request.auth = user  # type: ignore[attr-defined]
        return user
    return request.user


class SessionAuth(APIKeyCookie):
    """The browser session (CSRF is checked for unsafe methods)."""

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        # Without a logged-in session there is nothing to forge: answer 401, not a CSRF 403.
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        try:
            return super()._get_key(request)
        except HttpError as exc:  # ninja's CSRF refusal, in its own English words: ours instead
            if exc.status_code != 403:
                raise
            raise HttpError(
                403,
                _(
                    "Pemeriksaan CSRF gagal: permintaan dengan sesi peramban memerlukan header "
                    "X-CSRFToken dari cookie csrftoken; aplikasi lain memakai token API."
                ),
            ) from None

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


class UnstorableText(ValueError):
    """A JSON body or a form holds a string with NUL or a lone surrogate (`where`: its path)."""

    def __init__(self, where: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.where = where
        self.message = message


class CheckedParser(Parser):
    """JSON bodies and form fields as ninja parses them, refusing text no database can store
    (every endpoint, whatever its schema)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        return self._checked(super().parse_body(request))

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        # Form fields (multipart or urlencoded); a query string with %00 never gets here.
        return self._checked(super().parse_querydict(data, list_fields, request))

    @staticmethod
    def _checked(data: dict[str, Any]) -> dict[str, Any]:
        problem = text_problem(data)
        if problem is not None:
            raise UnstorableText(*problem)
        return data


def error_field(source: str, loc: tuple[Any, ...], single_body_param: str | None) -> str:
    """The name a validation error gives its field, the same for every part of the request:
    the dotted path inside the JSON body (without the view's parameter name) or the query,
    path or form parameter's name; empty when the whole body is wrong."""
    rest = loc[1:] if loc[:1] == (source,) else loc
    if source == "body" and single_body_param is not None and rest[:1] == (single_body_param,):
        rest = rest[1:]
    return ".".join(str(part) for part in rest)


class KinerjaAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """ninja's document, with the error responses and headers of kinerja.core.openapi."""
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return KinerjaSchema(self, path_prefix)

    def validation_error_from_error_contexts(
        self, error_contexts: list[ValidationErrorContext[Any]]
    ) -> ValidationError:
        errors: list[dict[str, Any]] = []
        for context in error_contexts:
            model = context.model
            source = str(model.__ninja_param_source__)
            single = getattr(model, "__read_from_single_attr__", None)
            for err in super().validation_error_from_error_contexts([context]).errors:
                err["field"] = error_field(source, tuple(err.get("loc", ())), single)
                errors.append(err)
        return ValidationError(errors)


def build_api() -> NinjaAPI:
    api = KinerjaAPI(
        title="Kinerja API",
        version="1",
        description=(
            "API pengelolaan kinerja ASN. Autentikasi: sesi peramban atau header "
            "`Authorization: Bearer <token>` (buat token di halaman profil)."
        ),
        auth=[TokenAuth(), SessionAuth()],
        urls_namespace="api",
        parser=CheckedParser(),
    )

    def respond(request: HttpRequest, body: dict[str, Any], status: int) -> HttpResponse:
        return api.create_response(request, body, status=status)

    def status_only(
        status: int,
    ) -> Callable[[HttpRequest, Exception | type[Exception]], HttpResponse]:
        def handler(request: HttpRequest, exc: Exception | type[Exception]) -> HttpResponse:
            return respond(request, status_error_body(status), status)

        return handler

    @api.exception_handler(ServiceError)
    def service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
        errors = [{"field": exc.field, "message": exc.message}] if exc.field else []
        return respond(request, error_body(exc.message, exc.code, errors), exc.status)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        try:
            verified_user(request)  # an unchecked token: 401 comes before 422
        except AuthenticationError as refused:
            return auth_error(request, refused)
        errors = [
            {"field": err.get("field", ""), "message": schema_message(err)} for err in exc.errors
        ]
        return respond(request, error_body(_("Data tidak valid."), "invalid", errors), 422)

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, status_error_body(401), 401)

    @api.exception_handler(UnstorableText)
    def unstorable_text(request: HttpRequest, exc: UnstorableText) -> HttpResponse:
        return unstorable(request, exc)

    def unstorable(request: HttpRequest, exc: UnstorableText) -> HttpResponse:
        errors = [{"field": ".".join(str(part) for part in exc.where), "message": exc.message}]
        return respond(request, error_body(_("Data tidak valid."), "invalid", errors), 422)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        cause = exc.__cause__
        if isinstance(cause, UnstorableText):  # ninja wraps what parse_body raises
            return unstorable(request, cause)
        if isinstance(cause, RequestDataTooBig):
            return respond(request, status_error_body(413), 413)
        if cause is not None and str(exc).startswith("Cannot parse request body"):
            detail = _("Isi permintaan bukan JSON yang sah.")
            return respond(request, error_body(detail, "invalid"), 400)
        code = {400: "invalid", 404: "not_found", 403: "forbidden", 409: "conflict"}.get(
            exc.status_code, "error"
        )
        return respond(request, error_body(str(exc), code), exc.status_code)

    # Django's own exceptions answer with the status's standard body: the message of a
    # get_object_or_404 names the model, not the user's words.
    for exception, status in (
        (Http404, 404), (PermissionDenied, 403),
        (RequestDataTooBig, 413), (SuspiciousOperation, 400),
    ):  # fmt: skip
        api.add_exception_handler(exception, status_only(status))

    @api.exception_handler(MultiPartParserError)
    def bad_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        detail = _("Isi multipart/form-data tidak dapat dibaca.")
        return respond(request, error_body(detail, "invalid"), 400)

    @api.exception_handler(OverflowError)
    def overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
        # A number the database cannot hold that no schema bounded (kinerja.core.params).
        detail = _("Angka di luar jangkauan yang dapat diproses.")
        return respond(request, error_body(detail, "invalid"), 400)

    @api.exception_handler(DataError)
    def data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
        # The database refused a value no schema caught (PostgreSQL: a number out of range, NUL
        # in text, text too long): the caller's data, but worth a look, so it is logged.
        request_logger.warning("Data refused by the database: %s", request.path, exc_info=exc)
        detail = _("Data ditolak basis data: angka di luar jangkauan atau teks yang tidak sah.")
        return respond(request, error_body(detail, "invalid"), 400)

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        # JSON without a traceback; the traceback goes to the log as Django would log it.
        request_logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=exc,
            extra={"status_code": 500, "request": request},
        )
        return respond(request, status_error_body(500), 500)

    return api
