"""Finalisation locks the period's realisasi (kinerja.progress.models.PeriodeTerkunci); the
annual evaluation locks the whole year; reopening unlocks. staf_a reports, kasi rates her."""

from __future__ import annotations

from datetime import date

import pytest

from kinerja.core.errors import Conflict
from kinerja.org.testing import Cast
from kinerja.progress import services as progress
from kinerja.progress.models import Realisasi

from .. import services
from ..models import ANNUAL
from ..testing import YEAR, Plan, approved_skp, on_day, realisasi

MID_Q2 = date(YEAR, 5, 15)
MID_Q4 = date(YEAR, 11, 15)


def finalize_now(cast: Cast, plan: Plan, period: int) -> None:
    kasi = cast.user("kasi")
    evaluasi = services.evaluasi_open(by=kasi, skp=plan.skp, period=period)
    services.evaluasi_rate(by=kasi, evaluasi=evaluasi, rating_hasil="SESUAI",
                           rating_perilaku="SESUAI")  # fmt: skip
    services.evaluasi_finalize(by=kasi, evaluasi=evaluasi)


def test_recording_and_correcting_are_refused_after_finalisation_and_allowed_after_reopening(
    cast: Cast,
) -> None:
    plan = approved_skp(cast, "staf_a")
    first = realisasi(cast, plan, 2, "3")
    staf = cast.user("staf_a")
    with on_day(MID_Q2):
        finalize_now(cast, plan, 2)
        with pytest.raises(Conflict, match="TRIWULAN II terkunci"):
            progress.realisasi_record(by=staf, iki=plan.iki, day=MID_Q2, value="2")
        with pytest.raises(Conflict, match="terkunci"):
            progress.realisasi_correct(by=staf, realisasi=first, value="4", reason="salah ketik")
        assert Realisasi.objects.count() == 1
        evaluasi = plan.skp.evaluasi.get(period=2)
        services.evaluasi_reopen(by=cast.user("kabid"), evaluasi=evaluasi, reason="Bukti susulan")
        progress.realisasi_record(by=staf, iki=plan.iki, day=MID_Q2, value="2")
        progress.realisasi_correct(by=staf, realisasi=first, value="4", reason="salah ketik")
    assert Realisasi.objects.count() == 3


def test_a_final_periodic_evaluation_locks_only_its_period(cast: Cast) -> None:
    plan = approved_skp(cast, "staf_a")
    with on_day(MID_Q2):
        finalize_now(cast, plan, 2)
    with on_day(MID_Q4):
        entry, created = progress.realisasi_record(
            by=cast.user("staf_a"), iki=plan.iki, day=MID_Q4, value="1"
        )
    assert created and entry.period == 4


def test_the_final_annual_evaluation_locks_the_year(cast: Cast) -> None:
    plan = approved_skp(cast, "staf_a")
    with on_day(MID_Q4):
        finalize_now(cast, plan, ANNUAL)
        with pytest.raises(Conflict, match=r"Evaluasi tahunan \d+ sudah final"):
            progress.realisasi_record(by=cast.user("staf_a"), iki=plan.iki, day=MID_Q4, value="1")


def test_another_pegawai_is_not_locked(cast: Cast) -> None:
    plan = approved_skp(cast, "staf_a")
    other = approved_skp(cast, "staf_b")
    with on_day(MID_Q2):
        finalize_now(cast, plan, 2)
        _entry, created = progress.realisasi_record(
            by=cast.user("staf_b"), iki=other.iki, day=MID_Q2, value="1"
        )
    assert created
