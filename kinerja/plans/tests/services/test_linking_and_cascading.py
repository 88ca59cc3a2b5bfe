"""Intervensi: linking an RHK to the rater's, and cascading (matriks peran hasil) to the people
one rates."""

from __future__ import annotations

import pytest

from kinerja.core.errors import Conflict, Refused, ServiceError
from kinerja.org.models import Pegawai
from kinerja.org.testing import Cast
from kinerja.plans import services
from kinerja.plans.models import Rhk, Skp, StatusSkp

from .helpers import (
    approve_kasi,
    audit_mark,
    build_plan,
    events_since,
    only_event,
    put_in,
    refused,
    this_year,
)

# --- linking (intervensi) -----------------------------------------------------------------


def test_linking_to_the_raters_rhk(cast: Cast) -> None:
    plan = build_plan(cast)
    staf = cast.user("staf_a")
    mark = audit_mark()
    rhk = services.rhk_save(
        by=staf, skp=plan.skp, jenis="UTAMA", text="Kunjungan rumah", parent=plan.kasi_rhk
    )
    assert Rhk.objects.get(pk=rhk.pk).parent_id == plan.kasi_rhk.pk
    event = only_event(mark, "rhk_create", plan.skp, staf)
    assert event.new_values["parent_id"] == plan.kasi_rhk.pk


def test_unlinking_is_recorded(cast: Cast) -> None:
    plan = build_plan(cast)
    staf = cast.user("staf_a")
    mark = audit_mark()
    services.rhk_save(by=staf, skp=plan.skp, jenis="UTAMA", text=plan.rhk.text, rhk=plan.rhk)
    assert Rhk.objects.get(pk=plan.rhk.pk).parent_id is None
    event = only_event(mark, "rhk_update", plan.skp, staf)
    assert (event.old_values["parent_id"], event.new_values["parent_id"]) == (
        plan.kasi_rhk.pk,
        None,
    )


@pytest.mark.parametrize("owner", ["staf_b", "kabid", "staf_a"])
def test_linking_to_someone_elses_rhk_is_refused(cast: Cast, owner: str) -> None:
    """A peer's, the rater's rater's, or one's own RHK is not the rater's."""
    plan = build_plan(cast)
    pegawai: Pegawai = getattr(cast, owner)
    if owner == "staf_a":
        target = plan.rhk
    else:
        other = services.skp_create(by=cast.user(owner), pegawai=pegawai, year=this_year())
        target = services.rhk_save(by=cast.user(owner), skp=other, jenis="UTAMA", text="Lain")
    with refused(ServiceError, "milik Pejabat Penilai Kinerja Anda") as info:
        services.rhk_save(
            by=cast.user("staf_a"), skp=plan.skp, jenis="UTAMA", text="Ikut", parent=target
        )
    assert info.value.field == "parent"


@pytest.mark.parametrize("offset", [-1, 1])
def test_linking_to_the_raters_rhk_of_another_year_is_refused(cast: Cast, offset: int) -> None:
    plan = build_plan(cast)
    kasi = cast.user("kasi")
    other_year = this_year() + offset
    other = services.skp_create(by=kasi, pegawai=cast.kasi, year=other_year)
    old_rhk = services.rhk_save(by=kasi, skp=other, jenis="UTAMA", text="Tahun lain")
    with refused(ServiceError, f"bukan tahun {other_year}") as info:
        services.rhk_save(
            by=cast.user("staf_a"), skp=plan.skp, jenis="UTAMA", text="Ikut", parent=old_rhk
        )
    assert info.value.field == "parent"


def test_linking_to_a_superseded_version_is_refused(cast: Cast) -> None:
    plan = build_plan(cast)
    approve_kasi(cast, plan)
    revised = services.skp_revise(by=cast.user("kasi"), skp=plan.kasi_skp)
    staf = cast.user("staf_a")
    superseded = Rhk.objects.get(pk=plan.kasi_rhk.pk)  # as a request would load it
    with refused(ServiceError, "sudah digantikan") as info:
        services.rhk_save(by=staf, skp=plan.skp, jenis="UTAMA", text="Ikut", parent=superseded)
    assert info.value.field == "parent"
    copy_rhk = Rhk.objects.get(skp=revised)
    rhk = services.rhk_save(by=staf, skp=plan.skp, jenis="UTAMA", text="Ikut", parent=copy_rhk)
    assert rhk.parent_id == copy_rhk.pk


def test_an_skp_without_rater_links_to_nothing(cast: Cast) -> None:
    plan = build_plan(cast)
    kadis = cast.user("kadis")
    skp = services.skp_create(by=kadis, pegawai=cast.kadis, year=this_year())
    with refused(ServiceError, "milik Pejabat Penilai Kinerja Anda"):
        services.rhk_save(by=kadis, skp=skp, jenis="UTAMA", text="Renstra", parent=plan.kasi_rhk)


# --- cascading (matriks peran hasil) ------------------------------------------------------


def test_cascading_creates_missing_skps_and_links(cast: Cast) -> None:
    plan = build_plan(cast)
    kasi = cast.user("kasi")
    assert not Skp.objects.filter(pegawai=cast.staf_b).exists()
    mark = audit_mark()
    children = services.rhk_cascade(
        by=kasi,
        rhk=plan.kasi_rhk,
        assignments=[(cast.staf_a, " Penyuluhan gizi "), (cast.staf_b, "")],
    )
    for_a, for_b = (Rhk.objects.get(pk=c.pk) for c in children)
    assert (for_a.skp_id, for_a.text, for_a.order) == (plan.skp.pk, "Penyuluhan gizi", 2)
    assert (for_b.text, for_b.order) == ("Meningkatnya cakupan layanan primer", 1)
    assert {for_a.parent_id, for_b.parent_id} == {plan.kasi_rhk.pk}
    assert {for_a.jenis, for_b.jenis} == {"UTAMA"}
    new_skp = Skp.objects.get(pegawai=cast.staf_b)
    assert for_b.skp_id == new_skp.pk
    assert (new_skp.year, new_skp.status, new_skp.rater_id, new_skp.jabatan_id) == (
        this_year(),
        StatusSkp.DRAFT,
        cast.kasi.pk,
        cast.j_staf.pk,
    )
    events = events_since(mark)
    assert [(e.action, e.target_id) for e in events] == [
        ("rhk_cascade", str(plan.skp.pk)),
        ("skp_create", str(new_skp.pk)),
        ("rhk_cascade", str(new_skp.pk)),
    ]
    assert {e.actor_id for e in events} == {kasi.pk}
    assert events[0].new_values == {
        "rhk_id": for_a.pk,
        "parent_id": plan.kasi_rhk.pk,
        "text": "Penyuluhan gizi",
    }


def test_the_head_cascades_to_everyone_they_rate(cast: Cast) -> None:
    kadis = cast.user("kadis")
    skp = services.skp_create(by=kadis, pegawai=cast.kadis, year=this_year())
    rhk = services.rhk_save(by=kadis, skp=skp, jenis="UTAMA", text="Derajat kesehatan naik")
    children = services.rhk_cascade(
        by=kadis, rhk=rhk, assignments=[(cast.kabid, "Mutu layanan"), (cast.kapus, "Layanan")]
    )
    assert sorted(c.skp.pegawai_id for c in children) == sorted([cast.kabid.pk, cast.kapus.pk])
    assert {c.skp.rater_id for c in children} == {cast.kadis.pk}


@pytest.mark.parametrize("who", ["staf_a", "kabid", "admin", "superadmin"])
def test_only_the_owner_cascades(cast: Cast, who: str) -> None:
    plan = build_plan(cast)
    with refused(Refused, "Hanya pemilik RHK"):
        services.rhk_cascade(by=cast.user(who), rhk=plan.kasi_rhk, assignments=[(cast.staf_b, "")])


def test_cascading_from_a_superseded_version_is_refused(cast: Cast) -> None:
    plan = build_plan(cast)
    approve_kasi(cast, plan)
    services.skp_revise(by=cast.user("kasi"), skp=plan.kasi_skp)
    with refused(Conflict, "sudah digantikan"):
        services.rhk_cascade(
            by=cast.user("kasi"),
            rhk=Rhk.objects.get(pk=plan.kasi_rhk.pk),
            assignments=[(cast.staf_b, "")],
        )


def test_cascading_to_nobody_is_refused(cast: Cast) -> None:
    plan = build_plan(cast)
    with refused(ServiceError, "minimal satu bawahan") as info:
        services.rhk_cascade(by=cast.user("kasi"), rhk=plan.kasi_rhk, assignments=[])
    assert info.value.field == "assignments"


@pytest.mark.parametrize("target", ["perawat", "kabid", "kasi", "outsider", "kadis"])
def test_cascading_to_someone_not_rated_is_refused(cast: Cast, target: str) -> None:
    plan = build_plan(cast)
    with refused(ServiceError, "bukan pegawai yang Anda nilai") as info:
        services.rhk_cascade(
            by=cast.user("kasi"), rhk=plan.kasi_rhk, assignments=[(getattr(cast, target), "")]
        )
    assert info.value.field == "assignments"


def test_the_raters_rater_cannot_cascade_past_the_rater(cast: Cast) -> None:
    kabid = cast.user("kabid")
    skp = services.skp_create(by=kabid, pegawai=cast.kabid, year=this_year())
    rhk = services.rhk_save(by=kabid, skp=skp, jenis="UTAMA", text="Mutu layanan")
    with refused(ServiceError, "bukan pegawai yang Anda nilai"):
        services.rhk_cascade(by=kabid, rhk=rhk, assignments=[(cast.staf_a, "")])


@pytest.mark.parametrize(("state", "label"), [("DIAJUKAN", "Diajukan"), ("DISETUJUI", "Disetujui")])
def test_cascading_into_a_submitted_or_approved_skp_is_a_conflict(
    cast: Cast, state: str, label: str
) -> None:
    plan = build_plan(cast)
    put_in(cast, plan, state)
    with refused(Conflict, f"berstatus {label}"):
        services.rhk_cascade(
            by=cast.user("kasi"), rhk=plan.kasi_rhk, assignments=[(cast.staf_a, "")]
        )


def test_cascading_into_a_returned_skp_is_allowed(cast: Cast) -> None:
    plan = build_plan(cast)
    put_in(cast, plan, "DIKEMBALIKAN")
    [child] = services.rhk_cascade(
        by=cast.user("kasi"), rhk=plan.kasi_rhk, assignments=[(cast.staf_a, "Tambahan tugas")]
    )
    assert child.skp_id == plan.skp.pk


@pytest.mark.parametrize("bad", ["not rated", "submitted"])
def test_cascading_is_all_or_nothing(cast: Cast, bad: str) -> None:
    plan = build_plan(cast)
    if bad == "submitted":
        put_in(cast, plan, "DIAJUKAN")
        last: Pegawai = cast.staf_a
        kind: type[ServiceError] = Conflict
    else:
        last, kind = cast.perawat, ServiceError
    with refused(kind):
        services.rhk_cascade(
            by=cast.user("kasi"),
            rhk=plan.kasi_rhk,
            assignments=[(cast.staf_b, "Untuk staf B"), (last, "")],
        )
    assert not Skp.objects.filter(pegawai=cast.staf_b).exists()
