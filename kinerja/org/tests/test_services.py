"""Org services told as stories with the cast: who may change what, and what the trail shows.

Every successful write leaves exactly its audit event(s); every refused one leaves the database
exactly as it was (no half-done mutasi, no orphan accounts, no audit event).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from kinerja.accounts.models import User
from kinerja.audit.models import AuditChainHead, AuditEvent
from kinerja.core.errors import Conflict, Refused, ServiceError
from kinerja.org import services
from kinerja.org.access import access_for
from kinerja.org.models import (
    DelegasiPenilai,
    Instansi,
    Jabatan,
    JenisPenempatan,
    Pegawai,
    Penempatan,
    PeranAkses,
    UnitKerja,
)
from kinerja.org.testing import START, Cast, build_cast, make_nip

MUTASI = date(2024, 7, 1)


@pytest.fixture(scope="module")
def module_cast(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Cast]:
    """The cast, built once for this module inside a transaction rolled back at its end.

    Each test still runs in its own savepoint (the `db` fixture), so nothing leaks between tests.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_cast()
        transaction.set_rollback(True)


@pytest.fixture
def cast(module_cast: Cast, db: None) -> Cast:
    """A private copy per test, so in-memory changes (and cached access facts) do not leak."""
    return copy.deepcopy(module_cast)


# --- helpers ------------------------------------------------------------------------------


def _fingerprint() -> dict[str, list[Any]]:
    """Every row the org services may touch, to prove a refused call changed nothing."""
    return {
        "instansi": list(Instansi.objects.order_by("id").values_list()),
        "unit": list(UnitKerja.objects.order_by("id").values_list()),
        "jabatan": list(Jabatan.objects.order_by("id").values_list()),
        "pegawai": list(Pegawai.objects.order_by("id").values_list()),
        "penempatan": list(Penempatan.objects.order_by("id").values_list()),
        "delegasi": list(DelegasiPenilai.objects.order_by("id").values_list()),
        "peran": list(PeranAkses.objects.order_by("id").values_list()),
        "user": list(User.objects.order_by("id").values_list()),
        "audit": list(AuditEvent.objects.order_by("id").values_list("id", flat=True)),
        "audit_head": list(AuditChainHead.objects.order_by("scope").values_list()),
    }


@contextmanager
def refused(
    kind: type[ServiceError], match: str | None = None
) -> Iterator[pytest.ExceptionInfo[ServiceError]]:
    """The call inside raises exactly `kind` and leaves every row (and the audit trail) alone."""
    before = _fingerprint()
    with pytest.raises(ServiceError, match=re.escape(match) if match else None) as info:
        yield info
    assert type(info.value) is kind, f"expected {kind.__name__}, got {type(info.value).__name__}"
    assert info.value.message
    assert _fingerprint() == before


def audit_mark() -> int:
    mark: int | None = AuditEvent.objects.aggregate(m=Max("id"))["m"]
    return mark or 0


def events_since(mark: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(id__gt=mark).order_by("id"))


def only_event(mark: int) -> AuditEvent:
    events = events_since(mark)
    assert len(events) == 1, [e.action for e in events]
    return events[0]


def new_pegawai(cast: Cast, seq: int, name: str = "Rina Marlina") -> Pegawai:
    return services.pegawai_save(
        by=cast.admin,
        instansi=cast.kab,
        values={"nip": make_nip("19920505", "201803", "2", seq), "jenis_asn": "PNS", "name": name},
    )


def open_placement(pegawai: Pegawai) -> Penempatan:
    return Penempatan.objects.get(
        pegawai=pegawai, kind=JenisPenempatan.DEFINITIF, end_date__isnull=True
    )


@pytest.fixture
def kota_admin(cast: Cast) -> User:
    """The admin kepegawaian of Pemerintah Kota Lain: powerful there, a stranger in KAB."""
    user = User.objects.create_user("admin-kota", "rahasia-kota-2026", full_name="Admin Kota")
    services.peran_grant(by=cast.superadmin, user=user, instansi=cast.kota, role="ADMIN")
    return User.objects.get(pk=user.pk)


# --- instansi -----------------------------------------------------------------------------


def test_superadmin_adds_an_instansi_and_the_trail_shows_it(cast: Cast) -> None:
    mark = audit_mark()
    instansi = services.instansi_create(
        by=cast.superadmin, code=" PROV ", name=" Pemerintah Provinsi Contoh ", kind="DAERAH"
    )
    assert (instansi.code, instansi.name) == ("PROV", "Pemerintah Provinsi Contoh")
    event = only_event(mark)
    assert (event.action, event.target_type, event.target_id) == (
        "instansi_create",
        "instansi",
        str(instansi.pk),
    )
    assert event.scope == instansi.pk
    assert event.actor_id == cast.superadmin.pk
    assert event.old_values == {}
    assert event.new_values == {
        "code": "PROV",
        "name": "Pemerintah Provinsi Contoh",
        "kind": "DAERAH",
    }


@pytest.mark.parametrize("who", ["admin", "auditor", "kadis"])
def test_only_superadmin_may_add_an_instansi(cast: Cast, who: str) -> None:
    with refused(Refused, "superadmin"):
        services.instansi_create(by=cast.user(who), code="PROV", name="Provinsi", kind="DAERAH")


def test_instansi_code_is_unique(cast: Cast) -> None:
    with refused(ServiceError) as info:
        services.instansi_create(by=cast.superadmin, code="KAB", name="Lagi", kind="DAERAH")
    assert info.value.field == "code"


def test_instansi_kind_must_be_known(cast: Cast) -> None:
    with refused(ServiceError) as info:
        services.instansi_create(by=cast.superadmin, code="X", name="X", kind="SWASTA")
    assert info.value.field == "kind"


# --- unit kerja ---------------------------------------------------------------------------


def test_admin_adds_a_unit_below_the_seksi(cast: Cast) -> None:
    mark = audit_mark()
    unit = services.unit_save(
        by=cast.admin,
        instansi=cast.kab,
        code="POSYANDU",
        name="Pos Pelayanan Terpadu",
        kind="LAINNYA",
        parent=cast.seksi,
    )
    assert unit.path == f"{cast.seksi.path}{unit.pk}/"
    assert unit.depth == cast.seksi.depth + 1 == 4
    assert unit.ancestor_ids() == [cast.pemda.pk, cast.dinkes.pk, cast.bidang.pk, cast.seksi.pk]
    event = only_event(mark)
    assert (event.action, event.target_type, event.target_id, event.scope) == (
        "unit_create",
        "unit_kerja",
        str(unit.pk),
        cast.kab.pk,
    )
    assert event.old_values == {}
    assert event.new_values == {
        "code": "POSYANDU",
        "name": "Pos Pelayanan Terpadu",
        "kind": "LAINNYA",
        "parent_id": cast.seksi.pk,
    }


def test_a_new_root_unit_has_depth_zero(cast: Cast) -> None:
    root = services.unit_save(
        by=cast.admin,
        instansi=cast.kab,
        code="DPRD",
        name="Sekretariat DPRD",
        kind="SEKRETARIAT",
        parent=None,
    )
    assert (root.path, root.depth, root.ancestor_ids()) == (f"/{root.pk}/", 0, [])


def test_renaming_a_unit_records_old_and_new(cast: Cast) -> None:
    mark = audit_mark()
    services.unit_save(
        by=cast.admin,
        instansi=cast.kab,
        code="PRIMER",
        name="Seksi Pelayanan Kesehatan Primer",
        kind="SEKSI",
        parent=cast.bidang,
        unit=cast.seksi,
    )
    cast.seksi.refresh_from_db()
    assert cast.seksi.name == "Seksi Pelayanan Kesehatan Primer"
    assert cast.seksi.path == f"{cast.bidang.path}{cast.seksi.pk}/"
    event = only_event(mark)
    assert event.action == "unit_update"
    assert event.old_values == {
        "code": "PRIMER",
        "name": "Seksi Pelayanan Primer",
        "kind": "SEKSI",
        "parent_id": cast.bidang.pk,
    }
    assert event.new_values["name"] == "Seksi Pelayanan Kesehatan Primer"
    assert event.new_values["parent_id"] == cast.bidang.pk


def test_moving_a_unit_re_roots_its_whole_subtree(cast: Cast) -> None:
    # The bidang (with its seksi and a posyandu below that) moves from the Dinas to a new
    # Sekretariat Daerah; every descendant's path and depth follows.
    posyandu = services.unit_save(
        by=cast.admin,
        instansi=cast.kab,
        code="POSYANDU",
        name="Posyandu",
        kind="LAINNYA",
        parent=cast.seksi,
    )
    setda = services.unit_save(
        by=cast.admin,
        instansi=cast.kab,
        code="SETDA",
        name="Sekretariat Daerah",
        kind="SEKRETARIAT",
        parent=cast.pemda,
    )
    mark = audit_mark()
    services.unit_save(
        by=cast.admin,
        instansi=cast.kab,
        code="YANKES",
        name="Bidang Pelayanan Kesehatan",
        kind="BIDANG",
        parent=setda,
        unit=cast.bidang,
    )
    p, s, b, y = cast.pemda.pk, setda.pk, cast.bidang.pk, cast.seksi.pk
    rows = {u.pk: (u.path, u.depth) for u in UnitKerja.objects.all()}
    assert rows[b] == (f"/{p}/{s}/{b}/", 2)
    assert rows[y] == (f"/{p}/{s}/{b}/{y}/", 3)
    assert rows[posyandu.pk] == (f"/{p}/{s}/{b}/{y}/{posyandu.pk}/", 4)
    # Units outside the moved subtree are untouched.
    assert rows[cast.dinkes.pk] == (f"/{p}/{cast.dinkes.pk}/", 1)
    assert rows[cast.puskesmas.pk] == (f"/{p}/{cast.dinkes.pk}/{cast.puskesmas.pk}/", 2)
    subtree = set(
        UnitKerja.objects.subtree_of(UnitKerja.objects.get(pk=b)).values_list("id", flat=True)
    )
    assert subtree == {b, y, posyandu.pk}
    assert set(UnitKerja.objects.subtree_of(cast.dinkes).values_list("id", flat=True)) == {
        cast.dinkes.pk,
        cast.puskesmas.pk,
    }
    event = only_event(mark)
    assert (event.action, event.old_values["parent_id"], event.new_values["parent_id"]) == (
        "unit_update",
        cast.dinkes.pk,
        setda.pk,
    )


def test_moving_a_subtree_to_the_top_and_back(cast: Cast) -> None:
    services.unit_save(
        by=cast.admin,
        instansi=cast.kab,
        code="YANKES",
        name="Bidang",
        kind="BIDANG",
        parent=None,
        unit=cast.bidang,
    )
    seksi = UnitKerja.objects.get(pk=cast.seksi.pk)
    assert (seksi.path, seksi.depth) == (f"/{cast.bidang.pk}/{seksi.pk}/", 1)
    bidang = UnitKerja.objects.get(pk=cast.bidang.pk)
    services.unit_save(
        by=cast.admin,
        instansi=cast.kab,
        code="YANKES",
        name="Bidang",
        kind="BIDANG",
        parent=cast.dinkes,
        unit=bidang,
    )
    seksi.refresh_from_db()
    assert (seksi.path, seksi.depth) == (cast.seksi.path, cast.seksi.depth)


def test_unit_parent_must_be_of_the_same_instansi(cast: Cast) -> None:
    kota_root = UnitKerja.objects.get(instansi=cast.kota)
    with refused(ServiceError, "instansi yang sama") as info:
        services.unit_save(
            by=cast.superadmin,
            instansi=cast.kab,
            code="X",
            name="X",
            kind="SEKSI",
            parent=kota_root,
        )
    assert info.value.field == "parent"
    with refused(ServiceError, "instansi yang sama"):
        services.unit_save(
            by=cast.superadmin,
            instansi=cast.kab,
            code="YANKES",
            name="Bidang",
            kind="BIDANG",
            parent=kota_root,
            unit=cast.bidang,
        )


@pytest.mark.parametrize("new_parent", ["seksi", "bidang"])
def test_a_unit_cannot_move_under_itself_or_its_descendant(cast: Cast, new_parent: str) -> None:
    with refused(ServiceError, "sub-unit") as info:
        services.unit_save(
            by=cast.admin,
            instansi=cast.kab,
            code="YANKES",
            name="Bidang",
            kind="BIDANG",
            parent=getattr(cast, new_parent),
            unit=cast.bidang,
        )
    assert info.value.field == "parent"


def test_a_unit_code_is_unique_within_the_instansi(cast: Cast) -> None:
    with refused(ServiceError) as info:
        services.unit_save(
            by=cast.admin,
            instansi=cast.kab,
            code="PRIMER",
            name="Seksi Kedua",
            kind="SEKSI",
            parent=cast.bidang,
        )
    assert info.value.field == "code"
    assert "PRIMER" in info.value.message
    assert "sudah dipakai" in info.value.message
    # The same code is fine in another instansi.
    kota_root = UnitKerja.objects.get(instansi=cast.kota)
    other = services.unit_save(
        by=cast.superadmin,
        instansi=cast.kota,
        code="PRIMER",
        name="Seksi",
        kind="SEKSI",
        parent=kota_root,
    )
    assert other.instansi_id == cast.kota.pk


def test_a_unit_keeps_its_own_code_on_update(cast: Cast) -> None:
    unit = services.unit_save(
        by=cast.admin,
        instansi=cast.kab,
        code="PRIMER",
        name="Seksi Primer",
        kind="SEKSI",
        parent=cast.bidang,
        unit=cast.seksi,
    )
    assert unit.code == "PRIMER"


@pytest.mark.parametrize("who", ["kasi", "auditor", "kadis", "outsider"])
def test_only_an_admin_of_the_instansi_may_change_units(cast: Cast, who: str) -> None:
    with refused(Refused, "admin kepegawaian"):
        services.unit_save(
            by=cast.user(who),
            instansi=cast.kab,
            code="BARU",
            name="Baru",
            kind="SEKSI",
            parent=cast.bidang,
        )
    with refused(Refused):
        services.unit_save(
            by=cast.user(who),
            instansi=cast.kab,
            code="PRIMER",
            name="Diubah",
            kind="SEKSI",
            parent=cast.bidang,
            unit=cast.seksi,
        )


def test_the_admin_of_another_instansi_is_refused(cast: Cast, kota_admin: User) -> None:
    with refused(Refused):
        services.unit_save(
            by=kota_admin,
            instansi=cast.kab,
            code="BARU",
            name="Baru",
            kind="SEKSI",
            parent=cast.bidang,
        )
    # Passing their own instansi does not smuggle a KAB unit through either.
    with refused(Refused, "bukan milik"):
        services.unit_save(
            by=kota_admin,
            instansi=cast.kota,
            code="PRIMER",
            name="Diambil",
            kind="SEKSI",
            parent=None,
            unit=cast.seksi,
        )


# --- jabatan ------------------------------------------------------------------------------


def test_admin_adds_a_jabatan_and_the_trail_shows_it(cast: Cast) -> None:
    mark = audit_mark()
    jabatan = services.jabatan_save(
        by=cast.admin,
        unit=cast.seksi,
        code=" ANALIS ",
        name="Analis Kebijakan",
        jenis="FUNGSIONAL",
        parent=cast.j_kasi,
    )
    assert (jabatan.code, jabatan.instansi_id, jabatan.can_rate) == ("ANALIS", cast.kab.pk, False)
    event = only_event(mark)
    assert (event.action, event.target_type, event.target_id, event.scope) == (
        "jabatan_create",
        "jabatan",
        str(jabatan.pk),
        cast.kab.pk,
    )
    assert event.old_values == {}
    assert event.new_values == {
        "code": "ANALIS",
        "name": "Analis Kebijakan",
        "jenis": "FUNGSIONAL",
        "unit_id": cast.seksi.pk,
        "parent_id": cast.j_kasi.pk,
        "is_unit_head": False,
    }


def test_updating_a_jabatan_records_old_and_new(cast: Cast) -> None:
    mark = audit_mark()
    services.jabatan_save(
        by=cast.admin,
        unit=cast.puskesmas,
        code="PERAWAT-SUKAMAJU",
        name="Perawat Ahli Muda",
        jenis="FUNGSIONAL",
        parent=cast.j_kapus,
        jabatan=cast.j_perawat,
    )
    event = only_event(mark)
    assert event.action == "jabatan_update"
    assert event.old_values["name"] == "Perawat Ahli Pertama"
    assert event.new_values["name"] == "Perawat Ahli Muda"
    assert Jabatan.objects.get(pk=cast.j_perawat.pk).name == "Perawat Ahli Muda"


@pytest.mark.parametrize("new_parent", ["j_staf", "j_kasi"])
def test_jabatan_parent_cannot_make_a_cycle(cast: Cast, new_parent: str) -> None:
    # Kepala Seksi under its own staff (or under itself) would make everyone their own atasan.
    with refused(ServiceError, "lingkaran") as info:
        services.jabatan_save(
            by=cast.admin,
            unit=cast.seksi,
            code="KASI-PRIMER",
            name="Kepala Seksi",
            jenis="PENGAWAS",
            parent=getattr(cast, new_parent),
            is_unit_head=True,
            jabatan=cast.j_kasi,
        )
    assert info.value.field == "parent"


def test_a_deeper_cycle_is_refused_too(cast: Cast) -> None:
    with refused(ServiceError, "lingkaran"):
        services.jabatan_save(
            by=cast.admin,
            unit=cast.dinkes,
            code="KADINKES",
            name="Kepala Dinas",
            jenis="JPT",
            parent=cast.j_staf,
            is_unit_head=True,
            jabatan=cast.j_kadis,
        )


def test_a_unit_has_one_head_jabatan(cast: Cast) -> None:
    with refused(ServiceError) as info:
        services.jabatan_save(
            by=cast.admin,
            unit=cast.seksi,
            code="KASI-2",
            name="Kepala Seksi Kedua",
            jenis="PENGAWAS",
            parent=cast.j_kabid,
            is_unit_head=True,
        )
    assert "Kepala Seksi Pelayanan Primer" in info.value.message
    # The head itself may be saved again, and a non-head jabatan may join the unit.
    services.jabatan_save(
        by=cast.admin,
        unit=cast.seksi,
        code="KASI-PRIMER",
        name="Kepala Seksi Primer",
        jenis="PENGAWAS",
        parent=cast.j_kabid,
        is_unit_head=True,
        jabatan=cast.j_kasi,
    )
    services.jabatan_save(
        by=cast.admin,
        unit=cast.seksi,
        code="KASI-2",
        name="Pengadministrasi",
        jenis="PELAKSANA",
        parent=cast.j_kasi,
    )
    assert Jabatan.objects.filter(unit=cast.seksi, is_unit_head=True).count() == 1


def test_a_jabatan_code_is_unique_within_the_instansi(cast: Cast) -> None:
    with refused(ServiceError) as info:
        services.jabatan_save(
            by=cast.admin,
            unit=cast.seksi,
            code="PENGELOLA-LAYANAN",
            name="Lain",
            jenis="PELAKSANA",
            parent=cast.j_kasi,
        )
    assert info.value.field == "code"
    assert "PENGELOLA-LAYANAN" in info.value.message
    assert "sudah dipakai" in info.value.message


def test_jabatan_parent_must_be_of_the_same_instansi(cast: Cast) -> None:
    j_out = Jabatan.objects.get(instansi=cast.kota)
    with refused(ServiceError, "instansi yang sama") as info:
        services.jabatan_save(
            by=cast.superadmin,
            unit=cast.seksi,
            code="X",
            name="X",
            jenis="PELAKSANA",
            parent=j_out,
        )
    assert info.value.field == "parent"


def test_a_jabatan_cannot_move_to_another_instansi(cast: Cast) -> None:
    kota_root = UnitKerja.objects.get(instansi=cast.kota)
    with refused(ServiceError, "instansi lain"):
        services.jabatan_save(
            by=cast.superadmin,
            unit=kota_root,
            code="PENGELOLA-LAYANAN",
            name="Pengelola",
            jenis="PELAKSANA",
            parent=None,
            jabatan=cast.j_staf,
        )


@pytest.mark.parametrize("who", ["kasi", "auditor", "kabid"])
def test_only_an_admin_may_change_jabatan(cast: Cast, who: str) -> None:
    with refused(Refused):
        services.jabatan_save(
            by=cast.user(who),
            unit=cast.seksi,
            code="BARU",
            name="Baru",
            jenis="PELAKSANA",
            parent=cast.j_kasi,
        )


def test_kota_admin_may_not_add_jabatan_in_kab(cast: Cast, kota_admin: User) -> None:
    with refused(Refused):
        services.jabatan_save(
            by=kota_admin,
            unit=cast.seksi,
            code="BARU",
            name="Baru",
            jenis="PELAKSANA",
            parent=cast.j_kasi,
        )


# --- pegawai ------------------------------------------------------------------------------


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


# --- penempatan ---------------------------------------------------------------------------


def test_mutasi_ends_the_old_placement_the_day_before(cast: Cast) -> None:
    # Dewi moves from the seksi to the puskesmas as a perawat on 1 July 2024.
    old = open_placement(cast.staf_a)
    mark = audit_mark()
    new = services.penempatan_assign(
        by=cast.admin,
        pegawai=cast.staf_a,
        jabatan=cast.j_perawat,
        start_date=MUTASI,
        reference=" 800/123/BKPSDM/2024 ",
    )
    old.refresh_from_db()
    assert old.end_date == date(2024, 6, 30)
    assert (new.start_date, new.end_date, new.kind, new.reference) == (
        MUTASI,
        None,
        "DEFINITIF",
        "800/123/BKPSDM/2024",
    )
    assert Pegawai.objects.get(pk=cast.staf_a.pk).jabatan_id == cast.j_perawat.pk
    history = list(
        Penempatan.objects.filter(pegawai=cast.staf_a).values_list(
            "jabatan_id", "start_date", "end_date"
        )
    )
    assert history == [
        (cast.j_perawat.pk, MUTASI, None),
        (cast.j_staf.pk, START, date(2024, 6, 30)),
    ]
    event = only_event(mark)
    assert (event.action, event.target_type, event.target_id, event.scope) == (
        "penempatan_assign",
        "pegawai",
        str(cast.staf_a.pk),
        cast.kab.pk,
    )
    assert event.old_values == {"jabatan_id": cast.j_staf.pk, "penempatan_id": old.pk}
    assert event.new_values == {
        "jabatan_id": cast.j_perawat.pk,
        "kind": "DEFINITIF",
        "start_date": "2024-07-01",
    }


def test_a_first_placement_has_no_old_values(cast: Cast) -> None:
    rina = new_pegawai(cast, 41)
    mark = audit_mark()
    services.penempatan_assign(
        by=cast.admin, pegawai=rina, jabatan=cast.j_staf, start_date=date(2024, 1, 2)
    )
    event = only_event(mark)
    assert event.old_values == {}
    assert event.new_values["jabatan_id"] == cast.j_staf.pk
    assert Pegawai.objects.get(pk=rina.pk).jabatan_id == cast.j_staf.pk


def test_a_placement_today_is_fine_but_not_tomorrow(cast: Cast) -> None:
    today = timezone.localdate()
    with refused(ServiceError, "masa depan") as info:
        services.penempatan_assign(
            by=cast.admin,
            pegawai=cast.staf_a,
            jabatan=cast.j_perawat,
            start_date=today + timedelta(days=1),
        )
    assert info.value.field == "start_date"
    services.penempatan_assign(
        by=cast.admin, pegawai=cast.staf_a, jabatan=cast.j_perawat, start_date=today
    )
    assert open_placement(cast.staf_a).jabatan_id == cast.j_perawat.pk


@pytest.mark.parametrize("start", [START, START - timedelta(days=1)])
def test_a_new_tmt_must_come_after_the_previous_one(cast: Cast, start: date) -> None:
    with refused(ServiceError, "sesudah TMT jabatan sebelumnya") as info:
        services.penempatan_assign(
            by=cast.admin, pegawai=cast.staf_a, jabatan=cast.j_perawat, start_date=start
        )
    assert "02-01-2020" in info.value.message
    assert info.value.field == "start_date"


def test_a_new_tmt_cannot_fall_inside_an_ended_placement(cast: Cast) -> None:
    # Dewi's placement was ended on 30 June 2024; a new one may not start back in January.
    services.penempatan_end(
        by=cast.admin, penempatan=open_placement(cast.staf_a), end_date=date(2024, 6, 30)
    )
    with refused(ServiceError, "30-06-2024") as info:
        services.penempatan_assign(
            by=cast.admin,
            pegawai=cast.staf_a,
            jabatan=cast.j_perawat,
            start_date=date(2024, 1, 2),
        )
    assert info.value.field == "start_date"
    services.penempatan_assign(
        by=cast.admin, pegawai=cast.staf_a, jabatan=cast.j_perawat, start_date=date(2024, 7, 1)
    )
    assert Pegawai.objects.get(pk=cast.staf_a.pk).jabatan_id == cast.j_perawat.pk


def test_the_same_jabatan_twice_is_refused(cast: Cast) -> None:
    with refused(Conflict, "sudah memegang jabatan ini"):
        services.penempatan_assign(
            by=cast.admin, pegawai=cast.staf_a, jabatan=cast.j_staf, start_date=MUTASI
        )


def test_a_single_holder_jabatan_refuses_a_second_definitif(cast: Cast) -> None:
    rina = new_pegawai(cast, 42)
    with refused(Conflict, "Agus Salim"):
        services.penempatan_assign(
            by=cast.admin, pegawai=rina, jabatan=cast.j_kasi, start_date=MUTASI
        )


def test_a_backdated_definitif_cannot_overlap_the_holder(cast: Cast) -> None:
    # Agus has held the seksi since 2 Jan 2020; a TMT before that would overlap him from then on.
    rina = new_pegawai(cast, 43)
    with refused(Conflict, "Agus Salim"):
        services.penempatan_assign(
            by=cast.admin, pegawai=rina, jabatan=cast.j_kasi, start_date=date(2019, 7, 1)
        )


@pytest.mark.parametrize("jabatan", ["j_kadis", "j_kabid", "j_kapus"])
def test_every_rater_jabatan_is_single_holder(cast: Cast, jabatan: str) -> None:
    rina = new_pegawai(cast, 44)
    with refused(Conflict, "akhiri penempatan itu lebih dulu"):
        services.penempatan_assign(
            by=cast.admin, pegawai=rina, jabatan=getattr(cast, jabatan), start_date=MUTASI
        )


def test_a_unit_head_is_single_holder_whatever_its_jenis(cast: Cast) -> None:
    pustu = services.unit_save(
        by=cast.admin,
        instansi=cast.kab,
        code="PUSTU",
        name="Puskesmas Pembantu",
        kind="UPT",
        parent=cast.puskesmas,
    )
    j_head = services.jabatan_save(
        by=cast.admin,
        unit=pustu,
        code="PJ-PUSTU",
        name="Penanggung Jawab Pustu",
        jenis="FUNGSIONAL",
        parent=cast.j_kapus,
        is_unit_head=True,
    )
    rina, yuni = new_pegawai(cast, 45), new_pegawai(cast, 46, "Yuni Astuti")
    services.penempatan_assign(by=cast.admin, pegawai=rina, jabatan=j_head, start_date=MUTASI)
    with refused(Conflict, "Rina Marlina"):
        services.penempatan_assign(by=cast.admin, pegawai=yuni, jabatan=j_head, start_date=MUTASI)


def test_a_pelaksana_jabatan_has_many_holders(cast: Cast) -> None:
    rina = new_pegawai(cast, 47)
    services.penempatan_assign(by=cast.admin, pegawai=rina, jabatan=cast.j_staf, start_date=MUTASI)
    holders = set(
        Penempatan.objects.active_on().filter(jabatan=cast.j_staf).values_list("pegawai", flat=True)
    )
    assert holders == {cast.staf_a.pk, cast.staf_b.pk, rina.pk}


def test_a_plt_fills_a_vacant_jabatan_but_only_one_plt(cast: Cast) -> None:
    services.penempatan_end(
        by=cast.admin, penempatan=open_placement(cast.kasi), end_date=date(2024, 6, 30)
    )
    mark = audit_mark()
    plt = services.penempatan_assign(
        by=cast.admin, pegawai=cast.kapus, jabatan=cast.j_kasi, start_date=MUTASI, kind="PLT"
    )
    assert plt.kind == JenisPenempatan.PLT
    # A Plt does not change the pegawai's own (definitif) jabatan, nor end it.
    assert Pegawai.objects.get(pk=cast.kapus.pk).jabatan_id == cast.j_kapus.pk
    assert open_placement(cast.kapus).jabatan_id == cast.j_kapus.pk
    event = only_event(mark)
    assert event.old_values == {}
    assert event.new_values == {
        "jabatan_id": cast.j_kasi.pk,
        "kind": "PLT",
        "start_date": "2024-07-01",
    }
    with refused(Conflict, "Ratna Sari"):
        services.penempatan_assign(
            by=cast.admin, pegawai=cast.kabid, jabatan=cast.j_kasi, start_date=MUTASI, kind="PLT"
        )


def test_a_placement_kind_must_be_known(cast: Cast) -> None:
    with refused(ServiceError) as info:
        services.penempatan_assign(
            by=cast.admin,
            pegawai=cast.staf_a,
            jabatan=cast.j_perawat,
            start_date=MUTASI,
            kind="HONORER",
        )
    assert info.value.field == "kind"


def test_a_jabatan_of_another_instansi_is_refused(cast: Cast) -> None:
    j_out = Jabatan.objects.get(instansi=cast.kota)
    with refused(ServiceError, "instansi pegawai") as info:
        services.penempatan_assign(
            by=cast.superadmin, pegawai=cast.staf_a, jabatan=j_out, start_date=MUTASI
        )
    assert info.value.field == "jabatan"


@pytest.mark.parametrize("who", ["kasi", "auditor", "staf_a"])
def test_only_an_admin_places_pegawai(cast: Cast, who: str) -> None:
    with refused(Refused):
        services.penempatan_assign(
            by=cast.user(who), pegawai=cast.staf_a, jabatan=cast.j_perawat, start_date=MUTASI
        )


def test_a_failed_mutasi_leaves_the_old_placement_open(cast: Cast) -> None:
    # The SK number is too long: the whole mutasi is refused, including closing the old one.
    with refused(ServiceError) as info:
        services.penempatan_assign(
            by=cast.admin,
            pegawai=cast.staf_a,
            jabatan=cast.j_perawat,
            start_date=MUTASI,
            reference="8" * 101,
        )
    assert info.value.field == "reference"
    assert open_placement(cast.staf_a).jabatan_id == cast.j_staf.pk


def test_ending_a_placement_clears_the_current_jabatan(cast: Cast) -> None:
    placement = open_placement(cast.kasi)
    mark = audit_mark()
    services.penempatan_end(by=cast.admin, penempatan=placement, end_date=date(2024, 6, 30))
    placement.refresh_from_db()
    assert placement.end_date == date(2024, 6, 30)
    assert Pegawai.objects.get(pk=cast.kasi.pk).jabatan_id is None
    event = only_event(mark)
    assert (event.action, event.target_type, event.target_id) == (
        "penempatan_end",
        "penempatan",
        str(placement.pk),
    )
    assert event.new_values == {"end_date": "2024-06-30"}


def test_ending_a_plt_keeps_the_definitif_jabatan(cast: Cast) -> None:
    services.penempatan_end(
        by=cast.admin, penempatan=open_placement(cast.kasi), end_date=date(2024, 6, 30)
    )
    plt = services.penempatan_assign(
        by=cast.admin, pegawai=cast.kapus, jabatan=cast.j_kasi, start_date=MUTASI, kind="PLT"
    )
    services.penempatan_end(by=cast.admin, penempatan=plt, end_date=date(2024, 9, 30))
    assert Pegawai.objects.get(pk=cast.kapus.pk).jabatan_id == cast.j_kapus.pk


def test_a_placement_ends_once_and_not_before_it_began(cast: Cast) -> None:
    placement = open_placement(cast.staf_b)
    with refused(ServiceError, "sebelum TMT") as info:
        services.penempatan_end(
            by=cast.admin, penempatan=placement, end_date=START - timedelta(days=1)
        )
    assert info.value.field == "end_date"
    services.penempatan_end(by=cast.admin, penempatan=placement, end_date=START)
    with refused(Conflict, "sudah berakhir"):
        services.penempatan_end(by=cast.admin, penempatan=placement, end_date=MUTASI)


@pytest.mark.parametrize("who", ["kabid", "auditor"])
def test_only_an_admin_ends_a_placement(cast: Cast, who: str) -> None:
    with refused(Refused):
        services.penempatan_end(
            by=cast.user(who), penempatan=open_placement(cast.kasi), end_date=MUTASI
        )


# --- delegasi penilai ---------------------------------------------------------------------


def test_a_delegation_is_recorded_with_its_reason(cast: Cast) -> None:
    mark = audit_mark()
    delegasi = services.delegasi_create(
        by=cast.admin,
        pegawai=cast.staf_a,
        rater=cast.kapus,
        start_date=date(2025, 1, 1),
        end_date=date(2025, 6, 30),
        reason="  Kepala seksi menjalani tugas belajar  ",
    )
    assert delegasi.reason == "Kepala seksi menjalani tugas belajar"
    assert delegasi.instansi_id == cast.kab.pk
    event = only_event(mark)
    assert (event.action, event.target_type, event.target_id, event.scope) == (
        "delegasi_create",
        "pegawai",
        str(cast.staf_a.pk),
        cast.kab.pk,
    )
    assert event.new_values == {
        "rater_id": cast.kapus.pk,
        "start_date": "2025-01-01",
        "end_date": "2025-06-30",
        "reason": "Kepala seksi menjalani tugas belajar",
    }


def test_an_open_ended_delegation_records_no_end(cast: Cast) -> None:
    mark = audit_mark()
    services.delegasi_create(
        by=cast.admin,
        pegawai=cast.perawat,
        rater=cast.kadis,
        start_date=date(2025, 1, 1),
        end_date=None,
        reason="Kepala puskesmas diberhentikan sementara",
    )
    assert only_event(mark).new_values["end_date"] is None


def test_nobody_is_delegated_to_rate_themselves(cast: Cast) -> None:
    with refused(ServiceError, "dirinya sendiri"):
        services.delegasi_create(
            by=cast.admin,
            pegawai=cast.staf_a,
            rater=cast.staf_a,
            start_date=date(2025, 1, 1),
            end_date=None,
            reason="Keliru",
        )


def test_the_database_refuses_a_self_delegation_too(cast: Cast) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        DelegasiPenilai.objects.create(
            instansi=cast.kab,
            pegawai=cast.staf_a,
            rater=cast.staf_a,
            start_date=date(2025, 1, 1),
            reason="Lewat jalan belakang",
        )
    assert not DelegasiPenilai.objects.exists()


def test_the_database_refuses_a_delegation_ending_before_it_starts(cast: Cast) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        DelegasiPenilai.objects.create(
            instansi=cast.kab,
            pegawai=cast.staf_a,
            rater=cast.kapus,
            start_date=date(2025, 1, 1),
            end_date=date(2024, 12, 31),
            reason="Terbalik",
        )
    assert not DelegasiPenilai.objects.exists()


def test_a_delegation_ends_after_it_starts(cast: Cast) -> None:
    with refused(ServiceError, "sebelum tanggal mulai") as info:
        services.delegasi_create(
            by=cast.admin,
            pegawai=cast.staf_a,
            rater=cast.kapus,
            start_date=date(2025, 1, 1),
            end_date=date(2024, 12, 31),
            reason="Terbalik",
        )
    assert info.value.field == "end_date"


def test_a_rater_from_another_instansi_is_refused(cast: Cast) -> None:
    with refused(ServiceError, "instansi yang sama") as info:
        services.delegasi_create(
            by=cast.superadmin,
            pegawai=cast.staf_a,
            rater=cast.outsider,
            start_date=date(2025, 1, 1),
            end_date=None,
            reason="Pinjam pejabat",
        )
    assert info.value.field == "rater"


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_a_delegation_needs_a_reason(cast: Cast, reason: str) -> None:
    with refused(ServiceError, "wajib diisi") as info:
        services.delegasi_create(
            by=cast.admin,
            pegawai=cast.staf_a,
            rater=cast.kapus,
            start_date=date(2025, 1, 1),
            end_date=None,
            reason=reason,
        )
    assert info.value.field == "reason"


def test_a_delegation_may_not_close_a_circle(cast: Cast) -> None:
    # Dewi is rated by Agus; making Dewi rate Agus would make Agus rate himself, one step removed.
    with refused(ServiceError, "melingkar") as info:
        services.delegasi_create(
            by=cast.admin,
            pegawai=cast.kasi,
            rater=cast.staf_a,
            start_date=date(2025, 1, 1),
            end_date=None,
            reason="Uji coba",
        )
    assert "Dewi Lestari" in info.value.message
    assert "Agus Salim" in info.value.message
    # The kepala dinas cannot be rated by anyone below him either.
    with refused(ServiceError, "melingkar"):
        services.delegasi_create(
            by=cast.admin,
            pegawai=cast.kadis,
            rater=cast.perawat,
            start_date=date(2025, 1, 1),
            end_date=None,
            reason="Uji coba",
        )


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2025, 6, 1), date(2025, 12, 31)),  # overlaps the tail
        (date(2024, 12, 1), date(2025, 1, 1)),  # touches the first day
        (date(2025, 2, 1), date(2025, 2, 28)),  # inside
        (date(2024, 1, 1), None),  # open-ended from before
        (date(2025, 6, 30), None),  # open-ended from the last day
    ],
)
def test_overlapping_delegations_are_refused(cast: Cast, start: date, end: date | None) -> None:
    services.delegasi_create(
        by=cast.admin,
        pegawai=cast.staf_a,
        rater=cast.kapus,
        start_date=date(2025, 1, 1),
        end_date=date(2025, 6, 30),
        reason="Kepala seksi cuti besar",
    )
    with refused(Conflict, "rentang tanggal"):
        services.delegasi_create(
            by=cast.admin,
            pegawai=cast.staf_a,
            rater=cast.kabid,
            start_date=start,
            end_date=end,
            reason="Yang kedua",
        )


def test_back_to_back_delegations_are_fine(cast: Cast) -> None:
    services.delegasi_create(
        by=cast.admin,
        pegawai=cast.staf_a,
        rater=cast.kapus,
        start_date=date(2025, 1, 1),
        end_date=date(2025, 6, 30),
        reason="Semester pertama",
    )
    services.delegasi_create(
        by=cast.admin,
        pegawai=cast.staf_a,
        rater=cast.kabid,
        start_date=date(2025, 7, 1),
        end_date=None,
        reason="Semester kedua",
    )
    services.delegasi_create(
        by=cast.admin,
        pegawai=cast.staf_a,
        rater=cast.kabid,
        start_date=date(2024, 1, 1),
        end_date=date(2024, 12, 31),
        reason="Tahun lalu",
    )
    assert DelegasiPenilai.objects.filter(pegawai=cast.staf_a).count() == 3


def test_an_open_delegation_blocks_any_later_one(cast: Cast) -> None:
    services.delegasi_create(
        by=cast.admin,
        pegawai=cast.staf_a,
        rater=cast.kapus,
        start_date=date(2025, 1, 1),
        end_date=None,
        reason="Sampai ada kepala seksi baru",
    )
    with refused(Conflict):
        services.delegasi_create(
            by=cast.admin,
            pegawai=cast.staf_a,
            rater=cast.kabid,
            start_date=date(2030, 1, 1),
            end_date=date(2030, 1, 31),
            reason="Jauh kemudian",
        )


@pytest.mark.parametrize("who", ["kasi", "auditor", "kadis"])
def test_only_an_admin_delegates(cast: Cast, who: str) -> None:
    with refused(Refused):
        services.delegasi_create(
            by=cast.user(who),
            pegawai=cast.staf_a,
            rater=cast.kapus,
            start_date=date(2025, 1, 1),
            end_date=None,
            reason="Saya yang atur",
        )


# --- peran akses --------------------------------------------------------------------------


def test_admin_grants_the_auditor_role(cast: Cast) -> None:
    kabid_user = cast.user("kabid")
    assert access_for(kabid_user).auditor_instansi_ids == frozenset()
    mark = audit_mark()
    grant = services.peran_grant(by=cast.admin, user=kabid_user, instansi=cast.kab, role="AUDITOR")
    assert (grant.user_id, grant.instansi_id, grant.role) == (kabid_user.pk, cast.kab.pk, "AUDITOR")
    assert User.objects.get(pk=kabid_user.pk).is_staff
    # The cached access facts of that user object were forgotten and are fresh now.
    assert access_for(kabid_user).auditor_instansi_ids == frozenset({cast.kab.pk})
    event = only_event(mark)
    assert (event.action, event.target_type, event.target_id, event.scope) == (
        "peran_grant",
        "user",
        str(kabid_user.pk),
        cast.kab.pk,
    )
    assert event.actor_id == cast.admin.pk
    assert (event.old_values, event.new_values) == ({}, {"role": "AUDITOR"})


def test_a_role_is_granted_once(cast: Cast) -> None:
    with refused(Conflict, "sudah memiliki peran"):
        services.peran_grant(by=cast.admin, user=cast.auditor, instansi=cast.kab, role="AUDITOR")


def test_an_unknown_role_is_refused(cast: Cast) -> None:
    with refused(ServiceError, "Peran tidak dikenal") as info:
        services.peran_grant(by=cast.admin, user=cast.user("kasi"), instansi=cast.kab, role="RAJA")
    assert info.value.field == "role"


def test_roles_are_granted_only_by_an_admin_of_that_instansi(cast: Cast) -> None:
    with refused(Refused):
        services.peran_grant(by=cast.auditor, user=cast.auditor, instansi=cast.kab, role="ADMIN")
    with refused(Refused):
        services.peran_grant(
            by=cast.user("kadis"), user=cast.user("kasi"), instansi=cast.kab, role="ADMIN"
        )
    with refused(Refused):
        services.peran_grant(by=cast.admin, user=cast.admin, instansi=cast.kota, role="ADMIN")
