"""Submit, return and approve (and every invalid transition), then perubahan SKP: the revised
version and its way through the workflow."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from kinerja.core.errors import Conflict, Refused, ServiceError
from kinerja.org import services as org
from kinerja.org.testing import Cast
from kinerja.plans import services
from kinerja.plans.models import EkspektasiKhusus, Iki, Lampiran, Rhk, Skp, StatusSkp

from .helpers import (
    KUANTITATIF,
    actions_since,
    approve_kasi,
    audit_mark,
    build_plan,
    events_since,
    fingerprint,
    fresh,
    new_jabatan,
    only_event,
    put_in,
    refused,
    this_year,
)

# --- submit, return, approve --------------------------------------------------------------


def test_the_owner_submits_a_complete_skp(cast: Cast) -> None:
    plan = build_plan(cast)
    staf = cast.user("staf_a")
    mark = audit_mark()
    services.skp_submit(by=staf, skp=plan.skp)
    skp = fresh(plan.skp)
    assert (skp.status, skp.rater_id) == (StatusSkp.DIAJUKAN, cast.kasi.pk)
    assert skp.submitted_at is not None and skp.approved_at is None
    event = only_event(mark, "skp_submit", skp, staf)
    assert event.old_values == {"status": "DRAFT"}
    assert event.new_values == {"status": "DIAJUKAN", "rater_id": cast.kasi.pk}


@pytest.mark.parametrize("who", ["kasi", "staf_b", "kabid", "admin", "superadmin"])
def test_only_the_owner_submits(cast: Cast, who: str) -> None:
    plan = build_plan(cast)
    with refused(Refused, "Hanya pemilik SKP"):
        services.skp_submit(by=cast.user(who), skp=plan.skp)


def test_an_incomplete_skp_is_refused_with_its_problems(cast: Cast) -> None:
    staf = cast.user("staf_a")
    skp = services.skp_create(by=staf, pegawai=cast.staf_a, year=this_year())
    with refused(ServiceError) as info:
        services.skp_submit(by=staf, skp=skp)
    assert info.value.message == (
        "SKP belum lengkap: SKP harus memiliki minimal satu Rencana Hasil Kerja Utama."
    )


def test_the_problems_name_rhks_as_the_page_numbers_them(cast: Cast) -> None:
    """Utama and Tambahan are numbered separately, Utama first, whatever the order of entry."""
    plan = build_plan(cast)
    staf = cast.user("staf_a")
    services.rhk_save(by=staf, skp=plan.skp, jenis="TAMBAHAN", text="Piket IGD")
    services.rhk_save(by=staf, skp=plan.skp, jenis="UTAMA", text="Kunjungan rumah")
    with refused(ServiceError) as info:
        services.skp_submit(by=staf, skp=plan.skp)
    assert info.value.message == (
        "SKP belum lengkap: RHK Utama 2 belum memiliki Indikator Kinerja Individu. "
        "RHK Utama 2 harus dikaitkan dengan Rencana Hasil Kerja pimpinan yang diintervensi. "
        "RHK Tambahan 1 belum memiliki Indikator Kinerja Individu."
    )


def test_a_kualitatif_skp_needs_narrative_targets(cast: Cast) -> None:
    plan = build_plan(cast)
    staf = cast.user("staf_a")
    services.skp_set_pendekatan(by=staf, skp=plan.skp, pendekatan="KUALITATIF")
    with refused(ServiceError, "RHK Utama 1, IKI 1: target naratif wajib diisi"):
        services.skp_submit(by=staf, skp=plan.skp)
    services.iki_save(
        by=staf, rhk=plan.rhk, values={"target_narrative": "Posyandu aktif"}, iki=plan.iki
    )
    assert services.skp_submit(by=staf, skp=plan.skp).status == StatusSkp.DIAJUKAN


def test_an_skp_without_rater_cannot_be_submitted(cast: Cast) -> None:
    kadis = cast.user("kadis")
    skp = services.skp_create(by=kadis, pegawai=cast.kadis, year=this_year())
    rhk = services.rhk_save(by=kadis, skp=skp, jenis="UTAMA", text="Renstra Dinkes")
    services.iki_save(by=kadis, rhk=rhk, values=KUANTITATIF | {"perspektif": "PROSES_BISNIS"})
    with refused(ServiceError, "belum dapat ditentukan"):
        services.skp_submit(by=kadis, skp=skp)


def test_submitting_refreshes_the_rater(cast: Cast) -> None:
    plan = build_plan(cast)
    org.delegasi_create(
        by=cast.admin,
        pegawai=cast.staf_a,
        rater=cast.kabid,
        start_date=timezone.localdate(),
        end_date=None,
        reason="Kepala seksi tugas belajar",
    )
    mark = audit_mark()
    services.skp_submit(by=cast.user("staf_a"), skp=plan.skp)
    assert fresh(plan.skp).rater_id == cast.kabid.pk
    [event] = events_since(mark)
    assert event.new_values == {"status": "DIAJUKAN", "rater_id": cast.kabid.pk}
    with refused(Refused):
        services.skp_approve(by=cast.user("kasi"), skp=fresh(plan.skp))
    services.skp_approve(by=cast.user("kabid"), skp=fresh(plan.skp))


def test_the_old_skp_of_a_mutasi_goes_to_the_rater_of_that_jabatan(cast: Cast) -> None:
    """Submitted late, after the move: the rater is the one of the jabatan the SKP is for."""
    year = this_year() - 1
    plan = build_plan(cast, year)
    org.penempatan_assign(
        by=cast.admin, pegawai=cast.staf_a, jabatan=new_jabatan(cast), start_date=date(year, 7, 1)
    )
    services.skp_create(by=cast.user("staf_a"), pegawai=cast.staf_a, year=year)
    services.skp_submit(by=cast.user("staf_a"), skp=fresh(plan.skp))
    assert fresh(plan.skp).rater_id == cast.kasi.pk
    services.skp_approve(by=cast.user("kasi"), skp=fresh(plan.skp))


def test_the_rater_returns_with_a_note_and_the_owner_resubmits(cast: Cast) -> None:
    plan = build_plan(cast)
    put_in(cast, plan, "DIAJUKAN")
    kasi, staf = cast.user("kasi"), cast.user("staf_a")
    mark = audit_mark()
    services.skp_return(by=kasi, skp=plan.skp, note="  Tambahkan aspek waktu ")
    skp = fresh(plan.skp)
    assert (skp.status, skp.return_note) == (StatusSkp.DIKEMBALIKAN, "Tambahkan aspek waktu")
    event = only_event(mark, "skp_return", skp, kasi)
    assert event.old_values == {"status": "DIAJUKAN"}
    assert event.new_values == {"status": "DIKEMBALIKAN", "note": "Tambahkan aspek waktu"}
    mark = audit_mark()
    services.skp_submit(by=staf, skp=skp)
    assert fresh(skp).status == StatusSkp.DIAJUKAN
    assert only_event(mark, "skp_submit", skp, staf).old_values == {"status": "DIKEMBALIKAN"}


@pytest.mark.parametrize("note", ["", "   ", "\n"])
def test_returning_needs_a_note(cast: Cast, note: str) -> None:
    plan = build_plan(cast)
    put_in(cast, plan, "DIAJUKAN")
    with refused(ServiceError, "Catatan pengembalian wajib diisi") as info:
        services.skp_return(by=cast.user("kasi"), skp=plan.skp, note=note)
    assert info.value.field == "note"


@pytest.mark.parametrize("who", ["staf_a", "staf_b", "kabid", "kadis", "admin", "superadmin"])
def test_only_the_rater_returns_or_approves(cast: Cast, who: str) -> None:
    plan = build_plan(cast)
    put_in(cast, plan, "DIAJUKAN")
    with refused(Refused, "Hanya Pejabat Penilai Kinerja"):
        services.skp_return(by=cast.user(who), skp=plan.skp, note="Perbaiki")
    with refused(Refused, "Hanya Pejabat Penilai Kinerja"):
        services.skp_approve(by=cast.user(who), skp=plan.skp)


def test_the_rater_approves(cast: Cast) -> None:
    plan = build_plan(cast)
    put_in(cast, plan, "DIAJUKAN")
    kasi = cast.user("kasi")
    mark = audit_mark()
    services.skp_approve(by=kasi, skp=plan.skp)
    skp = fresh(plan.skp)
    assert (skp.status, skp.is_current) == (StatusSkp.DISETUJUI, True)
    assert skp.approved_at is not None
    event = only_event(mark, "skp_approve", skp, kasi)
    assert (event.old_values, event.new_values) == (
        {"status": "DIAJUKAN"},
        {"status": "DISETUJUI"},
    )


# (state, action) -> the message; the allowed pairs are tested above.
INVALID = [
    ("DRAFT", "return", "SKP yang draf tidak dapat dikembalikan."),
    ("DRAFT", "approve", "SKP yang draf tidak dapat disetujui."),
    ("DIAJUKAN", "submit", "SKP berstatus Diajukan tidak dapat diubah"),
    ("DISETUJUI", "submit", "SKP berstatus Disetujui tidak dapat diubah"),
    ("DISETUJUI", "return", "SKP yang sudah disetujui tidak dapat dikembalikan."),
    ("DISETUJUI", "approve", "SKP yang sudah disetujui tidak dapat disetujui."),
    ("DIKEMBALIKAN", "return", "SKP yang dikembalikan tidak dapat dikembalikan."),
    ("DIKEMBALIKAN", "approve", "SKP yang dikembalikan tidak dapat disetujui."),
    ("superseded", "submit", "sudah digantikan"),
    ("superseded", "return", "SKP yang sudah disetujui tidak dapat dikembalikan."),
    ("superseded", "approve", "SKP yang sudah disetujui tidak dapat disetujui."),
]


@pytest.mark.parametrize(("state", "action", "message"), INVALID)
def test_every_invalid_transition_is_a_conflict(
    cast: Cast, state: str, action: str, message: str
) -> None:
    plan = build_plan(cast)
    put_in(cast, plan, state)
    kasi, staf = cast.user("kasi"), cast.user("staf_a")
    with refused(Conflict, message):
        if action == "submit":
            services.skp_submit(by=staf, skp=plan.skp)
        elif action == "return":
            services.skp_return(by=kasi, skp=plan.skp, note="Perbaiki")
        else:
            services.skp_approve(by=kasi, skp=plan.skp)


# --- perubahan SKP (versions) -------------------------------------------------------------


def test_revising_copies_the_approved_version(cast: Cast) -> None:
    plan = build_plan(cast)
    staf = cast.user("staf_a")
    piket = services.rhk_save(by=staf, skp=plan.skp, jenis="TAMBAHAN", text="Piket", source="SK 1")
    services.iki_save(by=staf, rhk=piket, values=KUANTITATIF | {"text": "Jadwal piket"})
    services.lampiran_add(by=staf, skp=plan.skp, kind="KONSEKUENSI", text="Teguran")
    put_in(cast, plan, "DIAJUKAN")
    services.ekspektasi_set(by=cast.user("kasi"), skp=plan.skp, core_value=4, text="Rukun")
    services.skp_approve(by=cast.user("kasi"), skp=plan.skp)
    v1 = fresh(plan.skp)
    before = fingerprint()
    mark = audit_mark()

    v2 = fresh(services.skp_revise(by=staf, skp=v1))

    assert (v2.version, v2.status, v2.is_current, v2.previous_id) == (2, "DRAFT", True, v1.pk)
    same = ["pegawai_id", "year", "jabatan_id", "unit_path", "rater_id", "start_date", "end_date"]
    assert [getattr(v2, f) for f in same] == [getattr(v1, f) for f in same]
    assert v2.pendekatan == v1.pendekatan
    old = fresh(v1)
    assert (old.status, old.is_current, old.version) == (StatusSkp.DISETUJUI, False, 1)
    old_rhks = {r.pk: r for r in Rhk.objects.filter(skp=v1)}
    new_rhks = list(Rhk.objects.filter(skp=v2))
    assert sorted(r.copied_from_id or 0 for r in new_rhks) == sorted(old_rhks)
    fields = ["jenis", "text", "order", "parent_id", "source"]
    iki_fields = ["text", "aspek", "target_value", "target_unit", "direction", "order"]
    for rhk in new_rhks:
        original = old_rhks[rhk.copied_from_id or 0]
        assert [getattr(rhk, f) for f in fields] == [getattr(original, f) for f in fields]
        copied = list(rhk.iki.values_list(*iki_fields))
        assert copied == list(original.iki.values_list(*iki_fields))
        assert len(copied) == 1
    assert list(EkspektasiKhusus.objects.filter(skp=v2).values_list("core_value", "text")) == [
        (4, "Rukun")
    ]
    assert sorted(Lampiran.objects.filter(skp=v2).values_list("kind", "text", "order")) == [
        ("DUKUNGAN_SUMBER_DAYA", "Anggaran BOK", 1),
        ("KONSEKUENSI", "Teguran", 1),
    ]
    # The approved version's own rows are untouched and still readable.
    after = fingerprint()
    for table in ("rhk", "iki", "ekspektasi", "lampiran"):
        assert set(before[table]) <= set(after[table])
    assert v1.pk in set(Skp.objects.visible_to(staf).values_list("id", flat=True))
    event = only_event(mark, "skp_revise", v2, staf)
    assert event.new_values == {"previous_id": v1.pk, "version": 2}


def test_the_new_version_is_editable_and_goes_through_the_workflow(cast: Cast) -> None:
    plan = build_plan(cast)
    put_in(cast, plan, "DISETUJUI")
    staf, kasi = cast.user("staf_a"), cast.user("kasi")
    v2 = services.skp_revise(by=staf, skp=plan.skp)
    extra = services.rhk_save(by=staf, skp=v2, jenis="TAMBAHAN", text="Tugas tambahan")
    services.iki_save(by=staf, rhk=extra, values=KUANTITATIF | {"text": "Laporan"})
    rhk2 = Rhk.objects.get(skp=v2, jenis="UTAMA")
    services.iki_save(by=staf, rhk=rhk2, values={"target_value": "20"}, iki=rhk2.iki.get())
    services.skp_submit(by=staf, skp=v2)
    services.skp_approve(by=kasi, skp=v2)
    assert fresh(v2).status == StatusSkp.DISETUJUI
    assert Iki.objects.get(rhk__skp=plan.skp).target_value == 12  # history unchanged
    assert Rhk.objects.filter(skp=plan.skp).count() == 1
    v3 = services.skp_revise(by=staf, skp=fresh(v2))
    assert (v3.version, v3.previous_id) == (3, v2.pk)
    assert list(
        Skp.objects.filter(pegawai=cast.staf_a).order_by("version").values_list("is_current")
    ) == [(False,), (False,), (True,)]


@pytest.mark.parametrize("state", ["DRAFT", "DIAJUKAN", "DIKEMBALIKAN"])
def test_only_an_approved_skp_is_revised(cast: Cast, state: str) -> None:
    plan = build_plan(cast)
    put_in(cast, plan, state)
    with refused(Conflict, "versi terbaru yang sudah disetujui"):
        services.skp_revise(by=cast.user("staf_a"), skp=plan.skp)


def test_a_second_revision_while_a_draft_exists_is_refused(cast: Cast) -> None:
    plan = build_plan(cast)
    put_in(cast, plan, "superseded")
    staf = cast.user("staf_a")
    draft = Skp.objects.get(pegawai=cast.staf_a, is_current=True)
    with refused(Conflict, "versi terbaru yang sudah disetujui"):
        services.skp_revise(by=staf, skp=plan.skp)
    with refused(Conflict, "versi terbaru yang sudah disetujui"):
        services.skp_revise(by=staf, skp=draft)


@pytest.mark.parametrize("who", ["kasi", "admin", "staf_b"])
def test_only_the_owner_revises(cast: Cast, who: str) -> None:
    plan = build_plan(cast)
    put_in(cast, plan, "DISETUJUI")
    with refused(Refused, "Hanya pemilik SKP"):
        services.skp_revise(by=cast.user(who), skp=plan.skp)


def test_approving_a_new_version_repoints_the_subordinates_links(cast: Cast) -> None:
    plan = build_plan(cast)
    kabid_rhk = approve_kasi(cast, plan)
    kasi, kabid = cast.user("kasi"), cast.user("kabid")
    staf_b_skp = services.skp_create(by=cast.user("staf_b"), pegawai=cast.staf_b, year=this_year())
    staf_b_rhk = services.rhk_save(
        by=cast.user("staf_b"), skp=staf_b_skp, jenis="UTAMA", text="Ikut", parent=plan.kasi_rhk
    )
    v2 = services.skp_revise(by=kasi, skp=plan.kasi_skp)
    copy_rhk = Rhk.objects.get(skp=v2)
    assert (copy_rhk.copied_from_id, copy_rhk.parent_id) == (plan.kasi_rhk.pk, kabid_rhk.pk)
    # Until the new version is approved, subordinates still follow the approved one.
    assert Rhk.objects.get(pk=plan.rhk.pk).parent_id == plan.kasi_rhk.pk
    services.skp_submit(by=kasi, skp=v2)
    mark = audit_mark()
    services.skp_approve(by=kabid, skp=v2)
    assert actions_since(mark) == ["skp_approve"]
    assert Rhk.objects.get(pk=plan.rhk.pk).parent_id == copy_rhk.pk
    assert Rhk.objects.get(pk=staf_b_rhk.pk).parent_id == copy_rhk.pk
    assert not Rhk.objects.filter(parent=plan.kasi_rhk).exists()
    assert Rhk.objects.get(pk=copy_rhk.pk).parent_id == kabid_rhk.pk  # kasi's own link kept
