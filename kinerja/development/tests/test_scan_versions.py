"""The early-warning scan after a perubahan SKP: a period evaluated before it keeps its entries
and its final evaluation on the version it was evaluated on (progress.services_versions), and
the scan, which reads the current version, still sees them (scan_reads.with_earlier_versions).
"""

from __future__ import annotations

import pytest

from kinerja.assessments import services as assessments
from kinerja.org.testing import Cast
from kinerja.progress.tests.test_services import TODAY, YEAR
from kinerja.progress.tests.test_versions import revise, story

from .. import rules, scan_reads
from ..models import Kasus
from ..scan import _span, scan, triggers_for


def test_a_low_predikat_of_a_period_evaluated_on_the_replaced_version_is_seen(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = story(cast, monkeypatch)  # TRIWULAN I: one entry and a draft evaluation on version 1
    kasi = cast.user("kasi")
    rated = assessments.evaluasi_rate(
        by=kasi, evaluasi=s.evaluasi, rating_hasil="DI_BAWAH", rating_perilaku="DI_BAWAH"
    )
    assessments.evaluasi_finalize(by=kasi, evaluasi=rated)
    old = s.plan.skp
    new = revise(cast, s)
    versions = scan_reads.with_earlier_versions([new.pk], instansi_id=new.instansi_id)
    assert versions == {new.pk: new.pk, old.pk: new.pk}
    facts = scan_reads.batch_facts([new.pk], instansi_id=new.instansi_id, period=1)[new.pk]
    assert facts.entries == 1 and facts.predikat == rated.predikat != ""
    reasons = {t.reason for t in triggers_for(new, _span(new, 1, TODAY), TODAY, 50)}
    assert rules.PREDIKAT_RENDAH in reasons and rules.REALISASI_KOSONG not in reasons
    scan(instansi_id=new.instansi_id, year=YEAR, period=1, today=TODAY)
    cases = Kasus.objects.filter(pegawai_id=new.pegawai_id, period=1)
    assert {k.skp_id for k in cases} == {new.pk}
    assert {k.reason for k in cases} == reasons


def test_without_a_perubahan_each_skp_is_its_own_only_version(cast: Cast) -> None:
    from kinerja.progress.tests.test_services import make_plan

    plan = make_plan(cast)
    versions = scan_reads.with_earlier_versions([plan.skp.pk], instansi_id=plan.skp.instansi_id)
    assert versions == {plan.skp.pk: plan.skp.pk}


def test_while_a_perubahan_waits_the_version_in_force_is_scanned(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = story(cast, monkeypatch)
    kasi = cast.user("kasi")
    rated = assessments.evaluasi_rate(
        by=kasi, evaluasi=s.evaluasi, rating_hasil="DI_BAWAH", rating_perilaku="DI_BAWAH"
    )
    assessments.evaluasi_finalize(by=kasi, evaluasi=rated)
    old = s.plan.skp
    waiting = revise(cast, s, approve=False)  # submitted, not approved: version 1 holds
    assert waiting.is_current and waiting.status == "DIAJUKAN"
    expected = {t.reason for t in triggers_for(old, _span(old, 1, TODAY), TODAY, 50)}
    assert rules.PREDIKAT_RENDAH in expected
    result = scan(instansi_id=old.instansi_id, year=YEAR, period=1, today=TODAY)
    cases = Kasus.objects.filter(pegawai_id=old.pegawai_id, period=1)
    assert {k.skp_id for k in cases} == {old.pk}
    assert {k.reason for k in cases} == expected
    assert result.opened >= len(expected)
    again = scan(instansi_id=old.instansi_id, year=YEAR, period=1, today=TODAY)
    assert again.opened == 0 and again.checked == result.checked
