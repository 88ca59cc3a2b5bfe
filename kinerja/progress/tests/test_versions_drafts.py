"""A perubahan SKP is not approved while the running period (or the year) has a draft evaluation
on the version in force (assessments/receivers.refuse_while_the_running_period_is_drafted):
that evaluation reads the old version, and the new one would take the period's next entries
where the evaluation never sees them. A draft of a period already over does not stop it."""

from __future__ import annotations

from datetime import date

import pytest

from kinerja.assessments import services as assessments
from kinerja.assessments.models import ANNUAL, StatusEvaluasi
from kinerja.audit.models import AuditEvent
from kinerja.core.errors import Conflict
from kinerja.org.testing import Cast
from kinerja.plans import services as plans
from kinerja.plans.models import StatusSkp
from kinerja.progress import services
from kinerja.progress.models import Realisasi
from kinerja.progress.tests.test_services import TODAY, YEAR
from kinerja.progress.tests.test_versions import copy_of, pin, revise, skp_of, story


def test_a_draft_evaluation_of_the_running_period_stops_the_approval(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = story(cast, monkeypatch)  # TRIWULAN I drafted on version 1; today is in TRIWULAN II
    kasi, staf = cast.user("kasi"), cast.user("staf_a")
    running = assessments.evaluasi_open(by=kasi, skp=s.plan.skp, period=2)
    waiting = revise(cast, s, approve=False)
    events = AuditEvent.objects.count()
    with pytest.raises(Conflict, match=r"evaluasi TRIWULAN II .* masih draf") as refused:
        plans.skp_approve(by=kasi, skp=waiting)
    assert "Finalkan evaluasi itu dulu" in refused.value.message
    waiting.refresh_from_db()
    assert waiting.status == StatusSkp.DIAJUKAN and AuditEvent.objects.count() == events
    assert skp_of(Realisasi, s.entry.pk) == s.plan.skp.pk  # nothing moved
    # Finalised, the period is locked on every version: approving is fine, and the new version
    # takes no entry of that period either.
    rated = assessments.evaluasi_rate(
        by=kasi, evaluasi=running, rating_hasil="SESUAI", rating_perilaku="SESUAI"
    )
    assessments.evaluasi_finalize(by=kasi, evaluasi=rated)
    plans.skp_approve(by=kasi, skp=waiting)
    waiting.refresh_from_db()
    assert waiting.status == StatusSkp.DISETUJUI
    assert skp_of(Realisasi, s.entry.pk) == s.plan.skp.pk  # an evaluated period stays
    with pytest.raises(Conflict, match="terkunci"):
        services.realisasi_record(by=staf, iki=copy_of(s.plan.iki, waiting), day=TODAY, value="1")


def test_a_draft_annual_evaluation_stops_it_too(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = story(cast, monkeypatch)
    pin(monkeypatch, date(YEAR, 11, 16))  # the annual evaluation opens from 1 October
    kasi = cast.user("kasi")
    annual = assessments.evaluasi_open(by=kasi, skp=s.plan.skp, period=ANNUAL)
    assert annual.status == StatusEvaluasi.DRAFT
    waiting = revise(cast, s, approve=False)
    with pytest.raises(Conflict, match=r"evaluasi tahunan .* masih draf"):
        plans.skp_approve(by=kasi, skp=waiting)


def test_a_draft_of_a_period_already_over_does_not(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = story(cast, monkeypatch)  # the TRIWULAN I draft: its entries can no longer change
    new = revise(cast, s)
    assert new.status == StatusSkp.DISETUJUI
    assert skp_of(Realisasi, s.q1_entry.pk) == s.plan.skp.pk
    assert skp_of(Realisasi, s.entry.pk) == new.pk
