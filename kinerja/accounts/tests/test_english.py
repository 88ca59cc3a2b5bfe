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
