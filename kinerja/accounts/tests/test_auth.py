"""Accounts: login by NIP, lockout, logout, password change and reset, API tokens."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from kinerja.accounts.models import ApiToken, User, hash_token
from kinerja.accounts.services import api_token_create
from kinerja.org import services as org_services
from kinerja.org.testing import PASSWORD, Cast, make_nip

Login = Callable[[str], Client]
LOGIN_URL = "/akun/masuk/"
WRONG_LOGIN = "NIP atau kata sandi salah. Periksa kembali dan coba lagi."
NEW_PASSWORD = "Kinerja-Baru-2026!"


@pytest.fixture(autouse=True)
def _axes_reset(db: None) -> Iterator[None]:
    """Lockout records live in the test database; clear them anyway after each test."""
    from axes.utils import reset

    yield
    reset()


def log_in(client: Client, username: str, password: str) -> Any:
    return client.post(LOGIN_URL, {"username": username, "password": password})


def logged_in_user_id(client: Client) -> str | None:
    value = client.session.get("_auth_user_id")
    return str(value) if value is not None else None


# --- login --------------------------------------------------------------------------------


def test_login_page(client: Client) -> None:
    response = client.get(LOGIN_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Masuk ke Kinerja" in html
    assert 'inputmode="numeric"' in html
    assert reverse("accounts:password_reset") in html


def test_login_by_nip_and_password(cast: Cast, client: Client) -> None:
    response = client.post(LOGIN_URL, {"username": cast.staf_a.nip, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert logged_in_user_id(client) == str(cast.user("staf_a").pk)
    followed = client.get(response["Location"], follow=True)
    assert "Dewi Lestari" in followed.content.decode()


def test_login_follows_next(cast: Cast, client: Client) -> None:
    response = client.post(
        LOGIN_URL, {"username": cast.kasi.nip, "password": PASSWORD, "next": "/org/unit/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/org/unit/"


def test_login_refuses_an_outside_next(cast: Cast, client: Client) -> None:
    response = client.post(
        LOGIN_URL,
        {"username": cast.kasi.nip, "password": PASSWORD, "next": "https://jahat.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


def test_login_page_redirects_a_logged_in_user(login: Login) -> None:
    response = login("staf_a").get(LOGIN_URL)
    assert response.status_code == 302


def test_wrong_password_shows_the_indonesian_error(cast: Cast, client: Client) -> None:
    response = client.post(LOGIN_URL, {"username": cast.staf_a.nip, "password": "salah"})
    assert response.status_code == 200
    html = response.content.decode()
    assert WRONG_LOGIN in html
    assert f'value="{cast.staf_a.nip}"' in html  # the NIP stays filled in
    assert logged_in_user_id(client) is None


def test_a_bad_nip_is_shown_beside_the_field_with_what_was_typed(client: Client, db: None) -> None:
    nip = "1" * 33
    html = client.post(LOGIN_URL, {"username": nip, "password": "x"}).content.decode()
    field = html[html.index('id="id_username"') : html.index('for="id_password"')]
    assert "paling banyak 32 karakter" in field and f'value="{nip}"' in field
    html = client.post(LOGIN_URL, {"username": "", "password": ""}).content.decode()
    assert html.count("Bidang ini tidak boleh kosong.") == 2  # NIP and password, each its own


def test_unknown_nip_shows_the_same_error(client: Client, cast: Cast) -> None:
    response = client.post(LOGIN_URL, {"username": "199901012020011999", "password": PASSWORD})
    assert WRONG_LOGIN in response.content.decode()


def test_inactive_account_is_refused(cast: Cast, client: Client) -> None:
    user = cast.user("staf_a")
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = client.post(LOGIN_URL, {"username": cast.staf_a.nip, "password": PASSWORD})
    assert response.status_code == 200
    assert logged_in_user_id(client) is None
    assert 'role="alert"' in response.content.decode()


def test_lockout_after_repeated_failures(cast: Cast, client: Client) -> None:
    nip = cast.staf_a.nip
    limit = settings.AXES_FAILURE_LIMIT
    for _attempt in range(limit - 1):
        response = client.post(LOGIN_URL, {"username": nip, "password": "salah"})
        assert response.status_code == 200
        assert WRONG_LOGIN in response.content.decode()
    locked = client.post(LOGIN_URL, {"username": nip, "password": "salah"})
    assert locked.status_code == 429
    assert "Akun dikunci sementara" in locked.content.decode()
    # Even the right password is refused while locked.
    again = client.post(LOGIN_URL, {"username": nip, "password": PASSWORD})
    assert again.status_code == 429
    assert "Akun dikunci sementara" in again.content.decode()
    assert logged_in_user_id(client) is None
    # Another account from the same address is not locked.
    other = client.post(LOGIN_URL, {"username": cast.staf_b.nip, "password": PASSWORD})
    assert other.status_code == 302


def test_lockout_ends_when_reset(cast: Cast, client: Client) -> None:
    from axes.utils import reset

    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN_URL, {"username": cast.staf_a.nip, "password": "salah"})
    reset(username=cast.staf_a.nip)
    response = client.post(LOGIN_URL, {"username": cast.staf_a.nip, "password": PASSWORD})
    assert response.status_code == 302


def test_successful_login_clears_earlier_failures(cast: Cast, client: Client) -> None:
    nip = cast.staf_a.nip
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(LOGIN_URL, {"username": nip, "password": "salah"})
    assert client.post(LOGIN_URL, {"username": nip, "password": PASSWORD}).status_code == 302
    client.post(reverse("accounts:logout"))
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(LOGIN_URL, {"username": nip, "password": "salah"})
        assert response.status_code == 200


# --- logout -------------------------------------------------------------------------------


def test_logout_by_post(login: Login) -> None:
    client = login("staf_a")
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert logged_in_user_id(client) is None
    assert client.get(reverse("org:me")).status_code == 302


def test_logout_by_get_is_refused(login: Login) -> None:
    client = login("staf_a")
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert logged_in_user_id(client) is not None


# --- password change ----------------------------------------------------------------------


def test_password_change(cast: Cast, login: Login) -> None:
    client = login("staf_a")
    url = reverse("accounts:password_change")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change_done")
    assert logged_in_user_id(client) is not None  # the session survives the change
    fresh = Client()
    assert log_in(fresh, cast.staf_a.nip, PASSWORD).status_code == 200
    assert log_in(fresh, cast.staf_a.nip, NEW_PASSWORD).status_code == 302


def test_password_change_needs_the_old_password(cast: Cast, login: Login) -> None:
    client = login("staf_a")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "salah", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert 'class="error-list"' in response.content.decode()
    assert cast.user("staf_a").check_password(PASSWORD)


def test_password_change_refuses_a_weak_password(cast: Cast, login: Login) -> None:
    client = login("staf_a")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert cast.user("staf_a").check_password(PASSWORD)


def test_password_change_needs_login(client: Client) -> None:
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302


# --- password reset -----------------------------------------------------------------------


def reset_link(email_body: str) -> str:
    found = re.search(r"https?://[^/\s]+(/akun/sandi/atur/[^\s]+/)", email_body)
    assert found is not None, email_body
    return found.group(1)


def request_reset(client: Client, email: str) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": email})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")


def set_new_password(client: Client, link: str, password: str) -> None:
    response = client.get(link)
    assert response.status_code == 302  # the token moves into the session
    form_url = response["Location"]
    assert form_url.endswith("/set-password/")
    form = client.get(form_url)
    assert form.status_code == 200
    assert "Atur kata sandi baru" in form.content.decode()
    done = client.post(form_url, {"new_password1": password, "new_password2": password})
    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:password_reset_complete")


def test_password_reset_by_email(cast: Cast, client: Client) -> None:
    request_reset(client, "p4@contoh.go.id")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["p4@contoh.go.id"]
    assert message.subject == "Atur ulang kata sandi Kinerja"
    assert "Yth. Dewi Lestari" in message.body
    assert cast.staf_a.nip in message.body
    link = reset_link(str(message.body))
    set_new_password(client, link, NEW_PASSWORD)
    fresh = Client()
    assert log_in(fresh, cast.staf_a.nip, NEW_PASSWORD).status_code == 302
    # The link works once.
    assert "set-password" not in client.get(link).get("Location", "")


def test_password_reset_for_unknown_email_sends_nothing_and_says_the_same(
    cast: Cast, client: Client
) -> None:
    request_reset(client, "tidak-ada@contoh.go.id")
    assert mail.outbox == []


def test_password_reset_for_inactive_account_sends_nothing(cast: Cast, client: Client) -> None:
    user = cast.user("staf_a")
    user.is_active = False
    user.save(update_fields=["is_active"])
    request_reset(client, "p4@contoh.go.id")
    assert mail.outbox == []


def test_new_pegawai_sets_a_first_password_by_reset(cast: Cast, client: Client) -> None:
    """A pegawai added by the admin has no password yet; the reset link gives them one."""
    nip = make_nip("19920304", "201801", "1", 21)
    org_services.pegawai_save(
        by=cast.admin,
        instansi=cast.kab,
        values={
            "nip": nip,
            "jenis_asn": "PNS",
            "name": "Rudi Hartono",
            "email": "rudi@contoh.go.id",
        },
    )
    user = User.objects.get(username=nip)
    assert not user.has_usable_password()
    request_reset(client, "rudi@contoh.go.id")
    assert len(mail.outbox) == 1
    set_new_password(client, reset_link(str(mail.outbox[0].body)), NEW_PASSWORD)
    assert log_in(Client(), nip, NEW_PASSWORD).status_code == 302


def test_bad_reset_link_is_refused(cast: Cast, client: Client) -> None:
    response = client.get("/akun/sandi/atur/MQ/bukan-token/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="new_password1"' not in html
    assert "<h1>Tautan tidak berlaku</h1>" in html and "sudah kedaluwarsa" in html
    assert f'<a href="{reverse("accounts:password_reset")}" role="button">Minta tautan baru' in html
    assert "Simpan" not in html  # no empty form to submit


def test_a_used_reset_link_says_so_and_offers_a_new_one(cast: Cast, client: Client) -> None:
    request_reset(client, "p4@contoh.go.id")
    link = reset_link(str(mail.outbox[0].body))
    set_new_password(client, link, NEW_PASSWORD)
    again = client.get(link, follow=True).content.decode()
    assert "Tautan tidak berlaku" in again and "Minta tautan baru" in again


# --- API tokens ---------------------------------------------------------------------------


def test_token_page_creates_a_token_shown_once(cast: Cast, login: Login) -> None:
    client = login("kasi")
    url = reverse("accounts:tokens")
    response = client.post(url, {"name": "laporan mingguan"})
    assert response.status_code == 200
    html = response.content.decode()
    found = re.search(r'<code id="raw-token">(kin_[A-Za-z0-9_-]+)</code>', html)
    assert found is not None
    raw = found.group(1)
    token = ApiToken.objects.get(user=cast.user("kasi"))
    assert token.name == "laporan mingguan"
    assert token.token_hash == hash_token(raw)
    assert token.prefix == raw[4:12]
    stored = ApiToken.objects.values().get(pk=token.pk)
    assert all(raw not in str(value) for value in stored.values())
    # Shown once: the next visit lists the token by name and prefix only.
    later = client.get(url).content.decode()
    assert raw not in later
    assert "laporan mingguan" in later
    assert token.prefix in later
    # And it works against the API.
    me = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert me.status_code == 200


def test_token_needs_a_name(login: Login) -> None:
    client = login("kasi")
    response = client.post(reverse("accounts:tokens"), {"name": ""})
    assert response.status_code == 200
    assert "raw-token" not in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_bad_token_name_is_shown_beside_the_field_with_what_was_typed(login: Login) -> None:
    client = login("kasi")
    html = client.post(reverse("accounts:tokens"), {"name": "x" * 101}).content.decode()
    field = html[html.index('id="id_name"') : html.index("Buat token")]
    assert "paling banyak 100 karakter" in field and 'value="' + "x" * 101 + '"' in field
    assert 'aria-invalid="true"' in field
    html = client.post(reverse("accounts:tokens"), {"name": "   "}).content.decode()
    field = html[html.index('id="id_name"') : html.index("Buat token")]
    assert "Bidang ini tidak boleh kosong." in field
    assert not ApiToken.objects.exists()


def test_token_revoke(cast: Cast, login: Login) -> None:
    client = login("kasi")
    token, raw = api_token_create(by=cast.user("kasi"), name="lama")
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:tokens")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "Token dicabut." in client.get(reverse("accounts:tokens")).content.decode()
    me = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert me.status_code == 401


def test_token_revoke_needs_post(cast: Cast, login: Login) -> None:
    token, _raw = api_token_create(by=cast.user("kasi"), name="lama")
    response = login("kasi").get(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 405


def test_another_users_token_cannot_be_revoked(cast: Cast, login: Login) -> None:
    token, _raw = api_token_create(by=cast.user("kasi"), name="milik kasi")
    response = login("staf_a").post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_page_lists_only_own_tokens(cast: Cast, login: Login) -> None:
    api_token_create(by=cast.user("kasi"), name="milik kasi")
    html = login("staf_a").get(reverse("accounts:tokens")).content.decode()
    assert "milik kasi" not in html
    assert "Belum ada token." in html
