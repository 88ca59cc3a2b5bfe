"""The account guard on the other paths that write a login's email and name: the JSON API and
the pegawai import (CSV/XLSX). An admin of KAB may not re-address an account that also holds a
peran in KOTA; a refusal writes nothing, not even an audit event."""

from __future__ import annotations

from typing import Any

from kinerja.accounts.models import User
from kinerja.audit.models import AuditEvent
from kinerja.org import services
from kinerja.org.models import Pegawai
from kinerja.org.testing import Cast

from .api_helpers import Login, assert_error, body, patch
from .import_helpers import messages, pegawai_csv, run


def _auditor_in_kota(cast: Cast) -> User:
    user = cast.user("staf_a")
    services.peran_grant(by=cast.superadmin, user=user, instansi=cast.kota, role="AUDITOR")
    return user


def _rows() -> dict[str, list[Any]]:
    return {
        "pegawai": list(Pegawai.objects.order_by("id").values_list()),
        "user": list(User.objects.order_by("id").values_list()),
        "audit": list(AuditEvent.objects.order_by("id").values_list("id", flat=True)),
    }


def _staf_a_row(cast: Cast, email: str, name: str = "Dewi Lestari") -> str:
    p = cast.staf_a
    return f"{p.nip},PNS,{name},,,{p.pangkat_golongan},{email},{p.phone}"


def test_api_patch_of_such_an_email_is_a_403_on_the_email_field(cast: Cast, login: Login) -> None:
    _auditor_in_kota(cast)
    client = login("admin")  # logging in stamps last_login: before the snapshot
    before = _rows()
    response = patch(client, f"/pegawai/{cast.staf_a.pk}", {"email": "penyerang@contoh.go.id"})
    data = assert_error(response, 403, "forbidden")
    assert [e["field"] for e in data["errors"]] == ["email"]
    assert "memegang peran di instansi lain" in data["detail"]
    assert _rows() == before


def test_the_api_refusal_speaks_english_when_asked(cast: Cast, login: Login) -> None:
    _auditor_in_kota(cast)
    email = {"email": "penyerang@contoh.go.id"}
    response = patch(login("admin"), f"/pegawai/{cast.staf_a.pk}", email, HTTP_ACCEPT_LANGUAGE="en")
    assert assert_error(response, 403, "forbidden")["detail"] == (
        "Email of the account cannot be changed by an agency admin: this account also holds a "
        "role in another agency. Only a superadmin can make this change."
    )


def test_api_patch_by_superadmin_changes_the_email(cast: Cast, login: Login) -> None:
    user = _auditor_in_kota(cast)
    response = patch(
        login("superadmin"), f"/pegawai/{cast.staf_a.pk}", {"email": "dewi.baru@contoh.go.id"}
    )
    assert response.status_code == 200, response.content
    assert body(response)["email"] == "dewi.baru@contoh.go.id"
    assert User.objects.get(pk=user.pk).email == "dewi.baru@contoh.go.id"


def test_import_refuses_the_row_and_writes_nothing(cast: Cast) -> None:
    _auditor_in_kota(cast)
    before = _rows()
    content = pegawai_csv(
        _staf_a_row(cast, "penyerang@contoh.go.id"),
        _staf_a_row(cast, "bambang@contoh.go.id").replace(cast.staf_a.nip, cast.staf_b.nip),
    )

    for dry_run in (True, False):
        result = run(cast, "pegawai", content, dry_run=dry_run)
        assert messages(result) == [
            f"Baris 2: Email akun NIP {cast.staf_a.nip} tidak dapat diubah oleh admin instansi: "
            "akun ini juga memegang peran di instansi lain. "
            "Perubahan ini hanya dapat dilakukan superadmin."
        ]
    assert _rows() == before  # not even staf_b's valid row


def test_import_refuses_a_name_change_of_such_an_account(cast: Cast) -> None:
    _auditor_in_kota(cast)
    before = _rows()
    result = run(cast, "pegawai", pegawai_csv(_staf_a_row(cast, cast.staf_a.email, "Dewi L.")))
    assert [e.reason for e in result.errors] == [
        f"Nama akun NIP {cast.staf_a.nip} tidak dapat diubah oleh admin instansi: "
        "akun ini juga memegang peran di instansi lain. "
        "Perubahan ini hanya dapat dilakukan superadmin."
    ]
    assert _rows() == before


def test_import_may_change_other_data_of_such_an_account(cast: Cast) -> None:
    user = _auditor_in_kota(cast)
    row = _staf_a_row(cast, cast.staf_a.email).replace(cast.staf_a.phone, "081299990000")
    result = run(cast, "pegawai", pegawai_csv(row))
    assert (result.updated, result.errors) == (1, [])
    assert Pegawai.objects.get(pk=cast.staf_a.pk).phone == "081299990000"
    assert User.objects.get(pk=user.pk).email == cast.staf_a.email


def test_import_changes_the_email_of_an_account_only_in_kab(cast: Cast) -> None:
    user = cast.user("staf_a")
    services.peran_grant(by=cast.admin, user=user, instansi=cast.kab, role="AUDITOR")
    result = run(cast, "pegawai", pegawai_csv(_staf_a_row(cast, "dewi.baru@contoh.go.id")))
    assert (result.updated, result.errors) == (1, [])
    assert User.objects.get(pk=user.pk).email == "dewi.baru@contoh.go.id"


def test_import_by_superadmin_changes_the_email(cast: Cast) -> None:
    user = _auditor_in_kota(cast)
    content = pegawai_csv(_staf_a_row(cast, "dewi.baru@contoh.go.id"))
    result = run(cast, "pegawai", content, by=cast.superadmin)
    assert (result.updated, result.errors) == (1, [])
    assert User.objects.get(pk=user.pk).email == "dewi.baru@contoh.go.id"
