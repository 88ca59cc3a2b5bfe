"""The account pages in English: the password pages' titles come from the catalogue."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

Login = Callable[[str], Client]


def test_the_password_pages_titles_speak_english_when_asked(login: Login) -> None:
    client = login("kasi")
    assert (
        "<h1>Kata sandi diubah</h1>"
        in client.get(reverse("accounts:password_change_done")).content.decode()
    )
    client.cookies["django_language"] = "en"
    done = client.get(reverse("accounts:password_change_done")).content.decode()
    assert "<title>Password changed" in done and "<h1>Password changed</h1>" in done
    change = client.get(reverse("accounts:password_change")).content.decode()
    assert "<h1>Change password</h1>" in change
    client.logout()  # (which forgets the cookies)
    client.cookies["django_language"] = "en"
    assert (
        "<h1>Forgot password</h1>"
        in client.get(reverse("accounts:password_reset")).content.decode()
    )


def test_pages_are_indonesian_until_english_is_chosen_whatever_the_browser_asks(
    login: Login,
) -> None:
    """An ASN's phone set to English still gets the Indonesian interface (the default); the
    language switch (set_language, a cookie) picks English. The API follows Accept-Language."""
    client = login("kasi")
    page = reverse("accounts:password_change_done")
    browser_en = client.get(page, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "<h1>Kata sandi diubah</h1>" in browser_en.content.decode()
    assert browser_en["Content-Language"] == "id"
    chosen = client.post(reverse("set_language"), {"language": "en", "next": page})
    assert chosen.status_code == 302 and client.cookies["django_language"].value == "en"
    assert (
        "<h1>Password changed</h1>" in client.get(page, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    )
    client.cookies["django_language"] = "xx"  # not a language of the site: the default
    assert "<h1>Kata sandi diubah</h1>" in client.get(page).content.decode()
    api = client.get("/api/v1/tidak-ada", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 404 and api.json()["detail"] == "Address or data not found."
