"""Request-scoped context (a request id that audit events carry), the API's error answers and
the language of pages."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation

from .errors import error_body, status_error_body

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def request_id_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = current_request_id.set(request_id)
        try:
            response = get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response

    return middleware


def api_errors_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Under /api/ every error is JSON in the API's shape (kinerja.core.errors): a 404 for a path
    no endpoint has, ninja's 405, a 500 the API did not answer itself. Everywhere, a path or
    query string holding NUL (%00) is a 400 before any view reads it: PostgreSQL cannot store
    or compare such text."""

    def middleware(request: HttpRequest) -> HttpResponse:
        is_api = request.path_info.startswith("/api/")
        if _holds_nul(request):
            if is_api:
                detail = "Alamat atau parameter tidak boleh memuat karakter NUL (%00)."
                return JsonResponse(error_body(detail, "invalid"), status=400)
            return HttpResponseBadRequest("Bad Request (400)", content_type="text/plain")
        response = get_response(request)
        if is_api and response.status_code >= 400 and not _is_json(response):
            replaced = JsonResponse(
                status_error_body(response.status_code), status=response.status_code
            )
            if response.has_header("Allow"):
                replaced["Allow"] = response["Allow"]
            return replaced
        return response

    return middleware


def _holds_nul(request: HttpRequest) -> bool:
    query = request.META.get("QUERY_STRING", "")
    return "\x00" in request.path_info or "%00" in query or "\x00" in query


def _is_json(response: HttpResponse) -> bool:
    return str(response.get("Content-Type", "")).startswith("application/json")


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Pages speak the language the reader chose (the `set_language` cookie), else Indonesian,
    whatever the browser asks: an ASN whose phone is set to English still gets the Indonesian
    interface until they pick English. The API answers in its client's `Accept-Language`
    (docs/api.md), as Django's own middleware does."""

    def process_request(self, request: HttpRequest) -> None:
        if request.path_info.startswith("/api/"):
            super().process_request(request)
            return
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
