"""Pegawai: their login named by NIP, the identifier of their jenis ASN, who may change them."""

from __future__ import annotations

from datetime import date

import pytest

from kinerja.accounts.models import User
from kinerja.core.errors import Refused, ServiceError
from kinerja.org import services
from kinerja.org.access import access_for
from kinerja.org.models import Pegawai
from kinerja.org.testing import Cast

from .helpers import audit_mark, only_event, refused


def test_a_new_pegawai_gets_a_login_named_by_nip_without_a_password(cast: Cast) -> None:
    mark = audit_mark()
    nip = "199205052018032014"
    pegawai = services.pegawai_save(
        by=cast.admin,
        instansi=cast.kab,
        values={
            "nip": f" {nip} ",
            "jenis_asn": "PNS",
            "name": "Rina Marlina",
            "front_title": "dr.",
            "back_title": "M.Kes.",
            "email": "rina@contoh.go.id",
        },
    )
    assert pegawai.nip == nip
    assert (pegawai.birth_date, pegawai.gender) == (date(1992, 5, 5), "P")
    assert pegawai.display_name == "dr. Rina Marlina, M.Kes."
    assert pegawai.search_text == f"rina marlina {nip}"
    user = User.objects.get(pegawai=pegawai)
    assert user.username == nip
    assert not user.has_usable_password()
    assert (user.full_name, user.email) == ("dr. Rina Marlina, M.Kes.", "rina@contoh.go.id")
    assert access_for(user).home_instansi_id == cast.kab.pk
    event = only_event(mark)
    assert (event.action, event.target_type, event.target_id, event.scope) == (
        "pegawai_create",
        "pegawai",
        str(pegawai.pk),
        cast.kab.pk,
    )
    assert event.old_values == {}
    assert event.new_values["nip"] == nip
    assert event.new_values["name"] == "Rina Marlina"
    assert event.new_values["jenis_asn"] == "PNS"


def test_a_pppk_is_registered_with_an_ni_pppk(cast: Cast) -> None:
    pegawai = services.pegawai_save(
        by=cast.admin,
        instansi=cast.kab,
        values={"nip": "199401012023092001", "jenis_asn": "PPPK", "name": "Yuni Astuti"},
    )
    assert (pegawai.jenis_asn, pegawai.gender) == ("PPPK", "P")


@pytest.mark.parametrize(
    ("jenis", "nip", "message"),
    [
        ("PNS", "19920505201803201", "NIP tidak valid: NIP harus terdiri dari tepat 18 digit"),
        ("PNS", "199202312018032001", "NIP tidak valid: digit 1–8 harus tanggal lahir"),
        ("PNS", "199205052018032000", "NIP tidak valid: digit 16–18 (nomor urut)"),
        ("PPPK", "199205051991212001", "NI PPPK tidak valid: tahun pengangkatan"),
        ("PPPK", "199205052018033001", "NI PPPK tidak valid: digit ke-15"),
    ],
)
def test_the_identifier_is_checked_for_its_jenis_asn(
    cast: Cast, jenis: str, nip: str, message: str
) -> None:
    with refused(ServiceError, message) as info:
        services.pegawai_save(
            by=cast.admin,
            instansi=cast.kab,
            values={"nip": nip, "jenis_asn": jenis, "name": "Salah Ketik"},
        )
    assert info.value.field == "nip"


def test_updating_a_pegawai_keeps_the_login_in_sync(cast: Cast) -> None:
    old_nip = cast.staf_a.nip
    new_nip = "198001012005012044"  # the BKN correction of Dewi's NIP
    mark = audit_mark()
    services.pegawai_save(
        by=cast.admin,
        instansi=cast.kab,
        values={"nip": new_nip, "name": "Dewi Lestari Putri", "back_title": "S.K.M."},
        pegawai=cast.staf_a,
    )
    pegawai = Pegawai.objects.get(pk=cast.staf_a.pk)
    user = User.objects.get(pegawai=pegawai)
    assert (pegawai.nip, user.username) == (new_nip, new_nip)
    assert user.full_name == "Dewi Lestari Putri, S.K.M."
    assert user.check_password("rahasia-kinerja-2026")  # the password is not touched
    assert pegawai.search_text == f"dewi lestari putri {new_nip}"
    assert User.objects.filter(username=old_nip).count() == 0
    event = only_event(mark)
    assert event.action == "pegawai_update"
    assert (event.old_values["nip"], event.new_values["nip"]) == (old_nip, new_nip)
    assert (event.old_values["name"], event.new_values["name"]) == (
        "Dewi Lestari",
        "Dewi Lestari Putri",
    )
    assert (event.old_values["back_title"], event.new_values["back_title"]) == ("", "S.K.M.")


def test_an_update_does_not_create_a_second_login(cast: Cast) -> None:
    users = User.objects.count()
    services.pegawai_save(
        by=cast.admin, instansi=cast.kab, values={"phone": "081299990000"}, pegawai=cast.staf_b
    )
    assert User.objects.count() == users
    assert Pegawai.objects.get(pk=cast.staf_b.pk).phone == "081299990000"


def test_a_nip_belongs_to_one_pegawai(cast: Cast) -> None:
    with refused(ServiceError) as info:
        services.pegawai_save(
            by=cast.admin,
            instansi=cast.kab,
            values={"nip": cast.staf_a.nip, "jenis_asn": "PNS", "name": "Kembaran Dewi"},
        )
    assert info.value.field == "nip"
    assert "NIP" in info.value.message
    with refused(ServiceError) as info:
        services.pegawai_save(
            by=cast.admin, instansi=cast.kab, values={"nip": cast.staf_a.nip}, pegawai=cast.staf_b
        )
    assert info.value.field == "nip"


def test_a_nip_already_used_as_a_login_name_is_refused_on_update(cast: Cast) -> None:
    # An account named by this NIP exists (created before the pegawai data was corrected).
    taken = "198001012005012099"
    User.objects.create_user(taken, "rahasia-lain-2026", full_name="Akun lama")
    with refused(ServiceError) as info:
        services.pegawai_save(
            by=cast.admin, instansi=cast.kab, values={"nip": taken}, pegawai=cast.staf_b
        )
    assert info.value.field == "nip"
    with refused(ServiceError) as info:
        services.pegawai_save(
            by=cast.admin,
            instansi=cast.kab,
            values={"nip": taken, "jenis_asn": "PNS", "name": "Pegawai Baru"},
        )
    assert info.value.field == "nip"
    assert f"NIP {taken} sudah dipakai" in info.value.message


@pytest.mark.parametrize("who", ["kasi", "auditor", "staf_a"])
def test_only_an_admin_may_change_pegawai_data(cast: Cast, who: str) -> None:
    with refused(Refused):
        services.pegawai_save(
            by=cast.user(who), instansi=cast.kab, values={"name": "Dewi L."}, pegawai=cast.staf_a
        )


def test_kota_admin_cannot_reach_kab_pegawai(cast: Cast, kota_admin: User) -> None:
    with refused(Refused):
        services.pegawai_save(
            by=kota_admin, instansi=cast.kab, values={"name": "X"}, pegawai=cast.staf_a
        )
    with refused(Refused, "bukan pegawai instansi"):
        services.pegawai_save(
            by=kota_admin, instansi=cast.kota, values={"name": "X"}, pegawai=cast.staf_a
        )
