"""The application's URLs plus one bench-only view: POST /bench/bare-insert/ inserts one row
into a tiny table (`bench_bare`, created by bench_realisasi.py) with one INSERT. It is the
floor that the realisasi API is compared with (ARCHITECTURE §7). Only bench_settings.py uses
this URL conf."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.urls import urlpatterns as app_urlpatterns


@csrf_exempt
@require_POST
def bare_insert(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_bare (value, created_at) VALUES (%s, now())",
            [request.POST.get("value", "1")],
        )
    return HttpResponse(status=201)


urlpatterns: list[URLPattern | URLResolver] = [
    path("bench/bare-insert/", bare_insert),
    *app_urlpatterns,
]
