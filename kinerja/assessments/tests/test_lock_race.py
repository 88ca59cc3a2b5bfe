"""A finalisation and a realisasi of the same period at the same moment (PostgreSQL, two
connections): the finalisation locks every version of the SKP before it locks the period
(`progress.services.lock_plan`), as a write locks its version before it checks the period
(`lock_version`), so an entry is either committed before the lock or refused after it; it never
lands in a period whose evaluation is already final."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from kinerja.audit.models import AuditEvent
from kinerja.core.errors import Conflict
from kinerja.core.race_testing import Gate, on_postgres, one_after_another
from kinerja.org.testing import Cast
from kinerja.progress import services as progress
from kinerja.progress.models import PeriodeTerkunci, Realisasi

from .. import services
from ..models import Evaluasi
from ..testing import YEAR, Plan, approved_skp, on_day

MID_Q2 = date(YEAR, 5, 15)

pytestmark = [on_postgres, pytest.mark.django_db(transaction=True)]


def _rated(cast: Cast) -> tuple[Plan, Evaluasi]:
    plan = approved_skp(cast, "staf_a")
    kasi = cast.user("kasi")
    evaluasi = services.evaluasi_open(by=kasi, skp=plan.skp, period=2)
    services.evaluasi_rate(
        by=kasi, evaluasi=evaluasi, rating_hasil="SESUAI", rating_perilaku="SESUAI"
    )
    return plan, evaluasi


def _finalize(cast: Cast, evaluasi: Evaluasi) -> Callable[[], Any]:
    return lambda: services.evaluasi_finalize(
        by=cast.user("kasi"), evaluasi=Evaluasi.objects.get(pk=evaluasi.pk)
    )


def test_an_entry_being_written_is_committed_before_the_period_locks(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = Gate()  # holds the entry saved, its transaction still open
    stored = getattr(progress, "store_evidence")  # noqa: B009 - imported there, patched there
    monkeypatch.setattr(progress, "store_evidence", gate.hold(stored))
    with on_day(MID_Q2):
        plan, evaluasi = _rated(cast)
        staf = cast.user("staf_a")
        wrote, final, waited = one_after_another(
            gate,
            lambda: progress.realisasi_record(by=staf, iki=plan.iki, day=MID_Q2, value="2"),
            _finalize(cast, evaluasi),
        )
    assert waited  # the finalisation waited for the entry's transaction
    assert wrote.error is None and final.error is None, (wrote.error, final.error)
    actions = list(
        AuditEvent.objects.filter(action__in=["realisasi_record", "evaluasi_finalize"])
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["realisasi_record", "evaluasi_finalize"]
    assert PeriodeTerkunci.objects.filter(skp=plan.skp, period=2).exists()


def test_an_entry_sent_during_the_finalisation_is_refused_after_it(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = Gate()  # holds the period locked, the finalisation not yet committed
    finalized = lambda action, **kwargs: action == "evaluasi_finalize"  # noqa: E731
    monkeypatch.setattr(services, "_record", gate.hold(services._record, finalized))
    with on_day(MID_Q2):
        plan, evaluasi = _rated(cast)
        staf = cast.user("staf_a")
        final, wrote, waited = one_after_another(
            gate,
            _finalize(cast, evaluasi),
            lambda: progress.realisasi_record(by=staf, iki=plan.iki, day=MID_Q2, value="2"),
        )
    assert waited  # the entry waited for the finalisation
    assert final.error is None, final.error
    assert isinstance(wrote.error, Conflict) and "terkunci" in str(wrote.error), wrote
    assert not Realisasi.objects.filter(skp=plan.skp, period=2).exists()
