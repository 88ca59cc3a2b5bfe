"""A finalisation and a realisasi of the same period at the same moment (PostgreSQL, two
connections): the finalisation locks every version of the SKP before it locks the period
(`progress.services.lock_plan`), as a write locks its version before it checks the period
(`lock_version`), so an entry is either committed before the lock or refused after it; it never
lands in a period whose evaluation is already final."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection, connections

from kinerja.audit.models import AuditEvent
from kinerja.core.errors import Conflict
from kinerja.org.testing import Cast
from kinerja.progress import services as progress
from kinerja.progress.models import PeriodeTerkunci, Realisasi

from .. import services
from ..models import Evaluasi
from ..testing import YEAR, Plan, approved_skp, on_day

MID_Q2 = date(YEAR, 5, 15)

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks, two connections"),
    pytest.mark.django_db(transaction=True),
]


def _run(target: Callable[[], Any], out: dict[str, Any]) -> threading.Thread:
    def body() -> None:
        try:
            out["result"] = target()
        except BaseException as exc:  # reported by the test
            out["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=body)
    thread.start()
    return thread


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
    with on_day(MID_Q2):
        plan, evaluasi = _rated(cast)
        staf = cast.user("staf_a")
        inside, go = threading.Event(), threading.Event()
        stored = getattr(progress, "store_evidence")  # noqa: B009 - imported there, patched there

        def held(*args: Any) -> None:  # the entry saved, its transaction still open
            stored(*args)
            inside.set()
            assert go.wait(10)

        monkeypatch.setattr(progress, "store_evidence", held)
        wrote: dict[str, Any] = {}
        writer = _run(
            lambda: progress.realisasi_record(by=staf, iki=plan.iki, day=MID_Q2, value="2"), wrote
        )
        assert inside.wait(10)
        final: dict[str, Any] = {}
        finalizer = _run(_finalize(cast, evaluasi), final)
        finalizer.join(1.0)
        assert finalizer.is_alive()  # waits for the entry's transaction
        go.set()
        writer.join(10)
        finalizer.join(10)
    assert "error" not in wrote and "error" not in final, (wrote, final)
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
    with on_day(MID_Q2):
        plan, evaluasi = _rated(cast)
        staf = cast.user("staf_a")
        inside, go = threading.Event(), threading.Event()
        recorded = getattr(services, "_record")  # noqa: B009 - defined there, patched there

        def held(action: str, **kwargs: Any) -> None:  # the period locked, not yet committed
            recorded(action, **kwargs)
            if action == "evaluasi_finalize":
                inside.set()
                assert go.wait(10)

        monkeypatch.setattr(services, "_record", held)
        final: dict[str, Any] = {}
        finalizer = _run(_finalize(cast, evaluasi), final)
        assert inside.wait(10)
        wrote: dict[str, Any] = {}
        writer = _run(
            lambda: progress.realisasi_record(by=staf, iki=plan.iki, day=MID_Q2, value="2"), wrote
        )
        writer.join(1.0)
        assert writer.is_alive()  # waits for the finalisation
        go.set()
        finalizer.join(10)
        writer.join(10)
    assert "error" not in final, final
    assert isinstance(wrote.get("error"), Conflict) and "terkunci" in str(wrote["error"]), wrote
    assert not Realisasi.objects.filter(skp=plan.skp, period=2).exists()
