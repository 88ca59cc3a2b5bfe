"""Jabatan: adding and changing them, the parent chain without cycles, one head per unit."""

from __future__ import annotations

import pytest

from kinerja.accounts.models import User
from kinerja.core.errors import Refused, ServiceError
from kinerja.org import services
from kinerja.org.models import Jabatan, UnitKerja
from kinerja.org.testing import Cast

from .helpers import audit_mark, only_event, refused


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
