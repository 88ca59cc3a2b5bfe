"""API foundation: authentication (session or bearer token) and consistent JSON errors.

Every error body has the same shape: {"detail": str, "code": str, "errors": [...]}.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyCookie, HttpBearer

from kinerja.accounts.models import ApiToken, hash_token

from .errors import ServiceError


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
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


def error_body(
    detail: str, code: str, errors: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {"detail": detail, "code": code, "errors": errors or []}


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="Kinerja API",
        version="1",
        description=(
            "API pengelolaan kinerja ASN. Autentikasi: sesi peramban atau header "
            "`Authorization: Bearer <token>` (buat token di halaman profil)."
        ),
        auth=[TokenAuth(), SessionAuth()],
        urls_namespace="api",
    )

    @api.exception_handler(ServiceError)
    def service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
        errors = [{"field": exc.field, "message": exc.message}] if exc.field else []
        return api.create_response(
            request, error_body(exc.message, exc.code, errors), status=exc.status
        )

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        try:
            verified_user(request)  # an unchecked token: 401 comes before 422
        except AuthenticationError as refused:
            return auth_error(request, refused)
        errors = [
            {
                "field": ".".join(str(p) for p in err.get("loc", []) if p not in {"body", "query"}),
                "message": err.get("msg", ""),
            }
            for err in exc.errors
        ]
        return api.create_response(
            request, error_body("Data tidak valid.", "invalid", errors), status=422
        )

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(
            request, error_body("Perlu login atau token API yang sah.", "unauthorized"), status=401
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = {400: "invalid", 404: "not_found", 403: "forbidden", 409: "conflict"}.get(
            exc.status_code, "error"
        )
        return api.create_response(request, error_body(str(exc), code), status=exc.status_code)

    return api
