"""The error pages speak Indonesian (English when chosen) and keep the app's layout: a 404, a
403 with the refusal's own message, an expired form (CSRF) and a server error (a page that
needs no context at all, so it renders whatever broke)."""

from __future__ import annotations

from collections.abc import Callable

from django.template.loader import render_to_string
from django.test import Client

Login = Callable[[str], Client]


def test_a_missing_page_is_explained_in_indonesian(client: Client) -> None:
    response = client.get("/tidak-ada-halaman-ini/")
    page = response.content.decode()
    assert response.status_code == 404 and "Halaman tidak ditemukan" in page
    assert "Not Found" not in page and 'href="/"' in page


def test_a_refusal_shows_its_own_message(login: Login, cast: object) -> None:
    response = login("staf_a").get("/org/impor/")
    page = response.content.decode()
    assert response.status_code == 403 and "Akses ditolak" in page
    assert "403 Forbidden" not in page
    assert '<p id="error-reason">Hanya admin kepegawaian yang boleh mengimpor data.</p>' in page


def test_an_expired_form_is_explained(cast: object) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/akun/masuk/", {"username": "x", "password": "y"})
    page = response.content.decode()
    assert response.status_code == 403 and "Formulir kedaluwarsa" in page
    assert "DEBUG=True" not in page


def test_the_server_error_page_needs_no_context() -> None:
    page = render_to_string("500.html")
    assert "Terjadi kesalahan" in page and "{%" not in page
