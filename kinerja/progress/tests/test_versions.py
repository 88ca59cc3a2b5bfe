"""Perubahan SKP approved mid-period: what was recorded on the old version in the periods not yet
evaluated follows to the new one (services_versions.py, docs/progress.md §6).

The story: staf_a reports on her approved SKP (kasi rates her). In TRIWULAN I (15 February) she
records an entry; at the start of TRIWULAN II kasi opens the TRIWULAN I evaluation on that
version. On 15 May (the clock of these tests) she records entries with evidence and a rencana
aksi, kasi writes feedback threads and a dialog kinerja, and she makes a perubahan SKP that kasi
approves. The TRIWULAN II material is on the new version; TRIWULAN I stays where its evaluation
reads it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from kinerja.assessments import guards as assessment_guards
from kinerja.assessments import receivers
from kinerja.assessments import services as assessments
from kinerja.assessments.models import Evaluasi
from kinerja.audit.models import AuditEvent
from kinerja.core.errors import Conflict, Refused
from kinerja.development.scan import skp_progress
from kinerja.org.testing import Cast
from kinerja.plans import services as plans
from kinerja.plans.models import Iki, Skp, StatusSkp
from kinerja.progress import feedback_services as feedback
from kinerja.progress import queries, services
from kinerja.progress.feedback_models import DialogKinerja, UmpanBalik
from kinerja.progress.models import BuktiDukung, PeriodeTerkunci, Realisasi, RencanaAksi
from kinerja.progress.services_versions import realisasi_follow_version
from kinerja.progress.team_queries import team_progress
from kinerja.progress.tests.test_quick import answer, fix_quick_clock, post
from kinerja.progress.tests.test_services import TODAY, YEAR, Plan, make_plan

Q1_DAY = date(YEAR, 2, 15)
LINK = "https://drive.example.go.id/bukti/posyandu"


def pin(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    """'Today' for the realisasi, feedback and evaluation services (planning keeps the real)."""
    clock = SimpleNamespace(localdate=lambda: day, now=timezone.now)
    monkeypatch.setattr(services, "timezone", clock)
    monkeypatch.setattr(feedback, "timezone", clock)
    monkeypatch.setattr(assessment_guards, "today", lambda: day)
    fix_quick_clock(monkeypatch, day)


@dataclass
class Story:
    plan: Plan
    q1_entry: Realisasi
    entry: Realisasi  # TRIWULAN II, with a link and a rencana aksi
    correction: Realisasi  # corrects `entry`
    waktu_entry: Realisasi  # TRIWULAN II, of the IKI the new version may drop
    step: RencanaAksi
    waktu_step: RencanaAksi
    on_rhk: UmpanBalik
    reply: UmpanBalik
    on_entry: UmpanBalik
    on_waktu_entry: UmpanBalik
    on_perilaku: UmpanBalik
    q1_thread: UmpanBalik
    dialog: DialogKinerja
    q1_dialog: DialogKinerja
    evaluasi: Evaluasi


def story(cast: Cast, monkeypatch: pytest.MonkeyPatch, *, final_q1: bool = False) -> Story:
    staf, kasi = cast.user("staf_a"), cast.user("kasi")
    plan = make_plan(cast)
    pin(monkeypatch, Q1_DAY)
    q1_entry, _ = services.realisasi_record(by=staf, iki=plan.iki, day=Q1_DAY, value="2")
    rhk = plan.iki.rhk
    q1_thread = feedback.umpan_balik_add(
        by=kasi, skp=plan.skp, period=1, target_kind="RHK", rhk=rhk, text="Awal yang baik."
    )
    q1_dialog = feedback.dialog_kinerja_add(
        by=kasi, skp=plan.skp, period=1, held_on=Q1_DAY, notes="Dialog triwulan I"
    )
    pin(monkeypatch, TODAY)
    evaluasi = assessments.evaluasi_open(by=kasi, skp=plan.skp, period=1)
    if final_q1:
        assessments.evaluasi_rate(
            by=kasi, evaluasi=evaluasi, rating_hasil="SESUAI", rating_perilaku="SESUAI"
        )
        evaluasi = assessments.evaluasi_finalize(by=kasi, evaluasi=evaluasi)
    step = services.rencana_aksi_add(by=staf, iki=plan.iki, period=2, text="Posyandu Melati")
    waktu_step = services.rencana_aksi_add(by=staf, iki=plan.iki_waktu, period=2, text="Cepat")
    entry, _ = services.realisasi_record(
        by=staf, iki=plan.iki, day=TODAY, value="3", rencana_aksi_id=step.pk, links=[LINK],
        idempotency_key="k-1",
    )  # fmt: skip
    correction = services.realisasi_correct(by=staf, realisasi=entry, value="4", reason="Salah")
    waktu_entry, _ = services.realisasi_record(
        by=staf, iki=plan.iki_waktu, day=TODAY, value="4", rencana_aksi_id=waktu_step.pk
    )
    on_rhk = feedback.umpan_balik_add(
        by=kasi, skp=plan.skp, period=2, target_kind="RHK", rhk=rhk, text="Lanjutkan."
    )
    reply = feedback.umpan_balik_add(by=staf, skp=plan.skp, parent=on_rhk, text="Siap.")
    on_entry = feedback.umpan_balik_add(
        by=kasi, skp=plan.skp, period=2, target_kind="REALISASI", realisasi=correction,
        text="Buktinya lengkap.",
    )  # fmt: skip
    on_waktu_entry = feedback.umpan_balik_add(
        by=kasi, skp=plan.skp, period=2, target_kind="REALISASI", realisasi=waktu_entry,
        text="Waktunya baik.",
    )  # fmt: skip
    on_perilaku = feedback.umpan_balik_add(
        by=kasi, skp=plan.skp, period=2, target_kind="PERILAKU", core_value=3, text="Kompeten."
    )
    dialog = feedback.dialog_kinerja_add(
        by=kasi, skp=plan.skp, period=2, held_on=TODAY, notes="Dialog triwulan II"
    )
    return Story(
        plan, q1_entry, entry, correction, waktu_entry, step, waktu_step, on_rhk, reply,
        on_entry, on_waktu_entry, on_perilaku, q1_thread, dialog, q1_dialog, evaluasi,
    )  # fmt: skip


def revise(cast: Cast, story: Story, *, drop_waktu: bool = False, approve: bool = True) -> Skp:
    staf = cast.user("staf_a")
    new = plans.skp_revise(by=staf, skp=story.plan.skp)
    if drop_waktu:
        plans.iki_delete(
            by=staf, iki=Iki.objects.get(rhk__skp=new, copied_from=story.plan.iki_waktu)
        )
    plans.skp_submit(by=staf, skp=new)
    if approve:
        plans.skp_approve(by=cast.user("kasi"), skp=new)
    new.refresh_from_db()
    return new


def copy_of(iki: Iki, new: Skp) -> Iki:
    return Iki.objects.get(rhk__skp=new, copied_from=iki)


def skp_of(model: Any, pk: int) -> int:
    return int(model.objects.values_list("skp_id", flat=True).get(pk=pk))


# --- what follows --------------------------------------------------------------------------


def test_the_running_periods_entries_evidence_steps_threads_and_dialogs_follow(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = story(cast, monkeypatch)
    old = s.plan.skp
    new = revise(cast, s)
    kuantitas, waktu = copy_of(s.plan.iki, new), copy_of(s.plan.iki_waktu, new)
    for entry, iki in ((s.entry, kuantitas), (s.correction, kuantitas), (s.waktu_entry, waktu)):
        entry.refresh_from_db()
        assert (entry.skp_id, entry.iki_id) == (new.pk, iki.pk)
    s.correction.refresh_from_db()
    assert s.correction.corrects_id == s.entry.pk  # the trail is the same rows
    assert s.entry.rencana_aksi_id == s.step.pk
    s.step.refresh_from_db()
    assert (s.step.skp_id, s.step.iki_id) == (new.pk, kuantitas.pk)
    [bukti] = BuktiDukung.objects.filter(url=LINK)
    assert bukti.realisasi_id == s.entry.pk and bukti.realisasi.skp_id == new.pk
    rhk_copy = new.rhk.get(copied_from=s.plan.iki.rhk)
    for thread in (s.on_rhk, s.reply):
        thread.refresh_from_db()
        assert (thread.skp_id, thread.rhk_id, thread.period) == (new.pk, rhk_copy.pk, 2)
    for thread in (s.on_entry, s.on_waktu_entry, s.on_perilaku):
        assert skp_of(UmpanBalik, thread.pk) == new.pk
    assert skp_of(DialogKinerja, s.dialog.pk) == new.pk
    # Nothing on the new version points at the old one.
    assert not Realisasi.objects.filter(skp=new).exclude(iki__rhk__skp=new).exists()
    assert (
        not Realisasi.objects.filter(skp=new, rencana_aksi__isnull=False)
        .exclude(rencana_aksi__skp=new)
        .exists()
    )
    assert (
        not UmpanBalik.objects.filter(skp=new)
        .exclude(realisasi__isnull=True)
        .exclude(realisasi__skp=new)
        .exists()
    )
    assert not UmpanBalik.objects.filter(skp=new, rhk__isnull=False).exclude(rhk__skp=new).exists()
    assert not Realisasi.objects.filter(skp=old, period=2).exists()
    assert Realisasi.objects.filter(iki__rhk__skp=old, period=2).count() == 0


def test_the_evaluated_period_stays_on_the_old_version(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = story(cast, monkeypatch)  # TRIWULAN I evaluation opened (draft) on the old version
    old = s.plan.skp
    new = revise(cast, s)
    s.q1_entry.refresh_from_db()
    assert (s.q1_entry.skp_id, s.q1_entry.iki_id) == (old.pk, s.plan.iki.pk)
    s.q1_thread.refresh_from_db()
    assert (s.q1_thread.skp_id, s.q1_thread.rhk_id) == (old.pk, s.plan.iki.rhk_id)
    assert skp_of(DialogKinerja, s.q1_dialog.pk) == old.pk
    assert Evaluasi.objects.of_versions(new).get(period=1).pk == s.evaluasi.pk
    assert Realisasi.objects.filter(skp=new, period=1).count() == 0


def test_a_final_evaluation_keeps_its_period_too(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = story(cast, monkeypatch, final_q1=True)
    assert PeriodeTerkunci.objects.filter(skp=s.plan.skp, period=1).exists()
    new = revise(cast, s)
    assert skp_of(Realisasi, s.q1_entry.pk) == s.plan.skp.pk
    assert skp_of(Realisasi, s.entry.pk) == new.pk


def test_the_entries_of_an_iki_removed_in_the_new_version_stay(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = story(cast, monkeypatch)
    old = s.plan.skp
    new = revise(cast, s, drop_waktu=True)
    s.waktu_entry.refresh_from_db()
    assert (s.waktu_entry.skp_id, s.waktu_entry.iki_id) == (old.pk, s.plan.iki_waktu.pk)
    s.waktu_step.refresh_from_db()
    assert (s.waktu_step.skp_id, s.waktu_step.iki_id) == (old.pk, s.plan.iki_waktu.pk)
    assert s.waktu_entry.rencana_aksi_id == s.waktu_step.pk  # both stayed, together
    assert skp_of(UmpanBalik, s.on_waktu_entry.pk) == old.pk  # its entry stayed
    assert skp_of(Realisasi, s.entry.pk) == new.pk and skp_of(UmpanBalik, s.on_rhk.pk) == new.pk
    # The entry stays readable on the old version, and cannot be corrected there any more.
    assert s.plan.iki_waktu.pk in queries.iki_progress(old, period=2)
    with pytest.raises(Conflict, match="digantikan"):
        services.realisasi_correct(
            by=cast.user("staf_a"), realisasi=s.waktu_entry, value="3", reason="Salah"
        )
    event = AuditEvent.objects.get(action="realisasi_follow_version")
    assert event.new_values["left_on_old"] == {"realisasi": 1, "rencana_aksi": 1, "umpan_balik": 1}


def test_progress_on_the_new_version_counts_the_moved_entries(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = story(cast, monkeypatch)
    before = queries.iki_progress(s.plan.skp, period=2)[s.plan.iki.pk]
    new = revise(cast, s)
    kuantitas = copy_of(s.plan.iki, new)
    after = queries.iki_progress(new, period=2)[kuantitas.pk]
    # The TRIWULAN II correction (4) follows; the TRIWULAN I entry (2) stays with its evaluation
    # on the old version, and still counts in the year's progress of the copy (lineage.py).
    assert before.realised == 6 and after.realised == 6
    assert [e.pk for e in after.entries] == [s.correction.pk, s.q1_entry.pk]
    assert skp_of(Realisasi, s.q1_entry.pk) == s.plan.skp.pk
    # The old version counts only what it still holds: its own TRIWULAN I entry.
    assert queries.iki_progress(s.plan.skp, period=2)[s.plan.iki.pk].realised == 2
    mean = skp_progress(new, 2)  # the early-warning scan's measure
    assert mean is not None and mean > 0
    [row] = [r for r in team_progress(cast.user("kasi"), year=YEAR, period=2).rows
             if r.skp_id == new.pk]  # fmt: skip
    assert row.iki_reported == 2  # kuantitas and waktu, on the version in force


def test_the_audit_event_counts_the_move(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    s = story(cast, monkeypatch)
    mark = AuditEvent.objects.count()
    new = revise(cast, s)
    actions = list(AuditEvent.objects.order_by("sequence").values_list("action", flat=True)[mark:])
    assert actions[-2:] == ["skp_approve", "realisasi_follow_version"]
    event = AuditEvent.objects.get(action="realisasi_follow_version")
    assert (event.target_id, event.actor_id) == (str(new.pk), cast.user("kasi").pk)
    kuantitas, waktu = copy_of(s.plan.iki, new), copy_of(s.plan.iki_waktu, new)
    rhk_copy = new.rhk.get(copied_from=s.plan.iki.rhk)
    assert event.old_values == {"skp_id": s.plan.skp.pk}
    assert event.new_values == {
        "skp_id": new.pk, "periods": [2], "kept_periods": [1], "realisasi": 3,
        "bukti_dukung": 1, "rencana_aksi": 2, "umpan_balik": 5, "dialog_kinerja": 1,
        "left_on_old": {"realisasi": 0, "rencana_aksi": 0, "umpan_balik": 0},
        "iki": {str(s.plan.iki.pk): kuantitas.pk, str(s.plan.iki_waktu.pk): waktu.pk},
        "rhk": {str(s.plan.iki.rhk_id): rhk_copy.pk},
    }  # fmt: skip


# --- what does not move ----------------------------------------------------------------------


def test_nothing_moves_before_approval_or_when_it_is_refused(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = story(cast, monkeypatch)
    new = revise(cast, s, approve=False)
    assert skp_of(Realisasi, s.entry.pk) == s.plan.skp.pk  # the old one is still in force
    extra, _ = services.realisasi_record(by=cast.user("staf_a"), iki=s.plan.iki, day=TODAY,
                                         value="1")  # fmt: skip
    assert extra.skp_id == s.plan.skp.pk
    with pytest.raises(Refused):
        plans.skp_approve(by=cast.user("staf_b"), skp=new)
    assert not Realisasi.objects.filter(skp=new).exists()
    assert not AuditEvent.objects.filter(action="realisasi_follow_version").exists()


def test_a_failing_move_undoes_the_approval(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    s = story(cast, monkeypatch)
    new = revise(cast, s, approve=False)

    def broken(**kwargs: Any) -> None:
        realisasi_follow_version(**kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(receivers, "realisasi_follow_version", broken)
    with pytest.raises(RuntimeError):
        plans.skp_approve(by=cast.user("kasi"), skp=new)
    new.refresh_from_db()
    assert new.status == StatusSkp.DIAJUKAN
    assert skp_of(Realisasi, s.entry.pk) == s.plan.skp.pk
    assert not AuditEvent.objects.filter(action__in=["skp_approve", "realisasi_follow_version"],
                                         target_id=str(new.pk)).exists()  # fmt: skip


def test_an_annual_evaluation_keeps_the_whole_year(cast: Cast) -> None:
    plan = make_plan(cast)
    new = plans.skp_revise(by=cast.user("staf_a"), skp=plan.skp)
    Skp.objects.filter(pk=new.pk).update(status=StatusSkp.DISETUJUI)
    new.refresh_from_db()
    done = realisasi_follow_version(by=cast.user("kasi"), old=plan.skp, new=new, evaluated={0})
    assert done.periods == [] and done.kept_periods == [0]


# --- recording after the move ------------------------------------------------------------------


def test_replaying_an_old_idempotency_key_returns_the_moved_entry(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    constraint = next(
        c for c in Realisasi._meta.constraints if c.name == "realisasi_idempotency_unique"
    )
    assert tuple(getattr(constraint, "fields", ())) == ("created_by", "idempotency_key")
    s = story(cast, monkeypatch)
    new = revise(cast, s)
    same, created = services.realisasi_record(
        by=cast.user("staf_a"), iki=s.plan.iki, day=TODAY, value="3", rencana_aksi_id=s.step.pk,
        links=[LINK], idempotency_key="k-1",
    )  # fmt: skip
    assert (same.pk, created, same.skp_id) == (s.entry.pk, False, new.pk)
    with pytest.raises(Conflict, match="sudah dikirim dengan isi yang lain"):
        services.realisasi_record(by=cast.user("staf_a"), iki=s.plan.iki, day=TODAY, value="9",
                                  idempotency_key="k-1")  # fmt: skip


def test_the_api_replays_the_key_and_refuses_new_entries_on_the_old_version(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kinerja.accounts.services import api_token_create

    s = story(cast, monkeypatch)
    _token, raw = api_token_create(by=cast.user("staf_a"), name="aplikasi seluler")
    first = answer(post(raw, s.plan.iki_kualitas.pk, key="k-api", value="80"))
    assert first[0] == 201, first
    new = revise(cast, s)
    again = answer(post(raw, s.plan.iki_kualitas.pk, key="k-api", value="80"))
    assert again[0] == 200 and again[1]["id"] == first[1]["id"], again
    assert skp_of(Realisasi, first[1]["id"]) == new.pk
    count = Realisasi.objects.count()
    for key in ("k-baru", None):  # the one-statement path on PostgreSQL, then the ordinary one
        status, body = answer(post(raw, s.plan.iki_kualitas.pk, key=key, value="85"))
        assert status == 409 and "digantikan" in body["detail"], body
    assert Realisasi.objects.count() == count
    status, _body = answer(post(raw, copy_of(s.plan.iki_kualitas, new).pk, key="k-2", value="85"))
    assert status == 201


# --- the migration linking earlier copies --------------------------------------------------


migration = importlib.import_module("kinerja.plans.migrations.0002_iki_copied_from")


def test_matching_earlier_copies_by_order_and_text() -> None:
    originals = [(1, 0, "Posyandu"), (2, 1, "Kepuasan"), (3, 2, "Waktu"), (4, 3, "Biaya")]
    copies = [(11, 1, "Kepuasan"), (12, 0, "Posyandu "), (13, 2, "Waktu tunggu"), (14, 5, "Baru")]
    assert migration.match_ikis(originals, copies) == {11: 2, 12: 1, 13: 3}
    twins = [(21, 0, "A"), (22, 0, "B")]  # same order twice, texts edited: not guessed
    assert migration.match_ikis([(1, 0, "X"), (2, 0, "Y")], twins) == {}


def test_the_migration_links_copies_made_before_it(cast: Cast) -> None:
    plan = make_plan(cast)
    new = plans.skp_revise(by=cast.user("staf_a"), skp=plan.skp)
    expected = dict(Iki.objects.filter(rhk__skp=new).values_list("id", "copied_from_id"))
    assert set(expected.values()) == {plan.iki.pk, plan.iki_kualitas.pk, plan.iki_waktu.pk}
    Iki.objects.filter(rhk__skp=new).update(copied_from=None)
    migration.link_earlier_copies(django_apps, None)
    assert dict(Iki.objects.filter(rhk__skp=new).values_list("id", "copied_from_id")) == expected
