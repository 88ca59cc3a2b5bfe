"""Instansi and unit kerja: who adds, renames and moves them, and what the trail shows."""

from __future__ import annotations

import pytest

from kinerja.accounts.models import User
from kinerja.core.errors import Refused, ServiceError
from kinerja.org import services
from kinerja.org.models import UnitKerja
from kinerja.org.testing import Cast

from .helpers import audit_mark, only_event, refused

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
