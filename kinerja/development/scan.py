"""The early-warning scan of one instansi and period: every current approved SKP of the year is
checked against the three triggers (rules.triggers) and a case is opened for each reason that
holds (idempotent: one open case per pegawai, period and reason)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from kinerja.assessments.models import Evaluasi, StatusEvaluasi
from kinerja.core.errors import ServiceError
from kinerja.plans.models import Skp, StatusSkp
from kinerja.plans.rules import Period, periods
from kinerja.progress import rules as progress_rules
from kinerja.progress.models import Realisasi
from kinerja.progress.queries import iki_progress
from kinerja.progress.services import cadence_of

from . import guards, rules, services


@dataclass
class ScanResult:
    checked: int = 0
    opened: int = 0
    already_open: int = 0
    by_reason: Counter[str] = field(default_factory=Counter)


def skp_progress(skp: Skp, period: int) -> Decimal | None:
    """The mean progress (percent of the yearly target) of the SKP's quantitative IKIs up to
    `period`; an IKI with nothing realised counts as 0. None without quantitative IKIs."""
    values = [
        item.percent if item.percent is not None else Decimal(0)
        for item in iki_progress(skp, period=period).values()
        if item.iki.target_value is not None
    ]
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def expected_by(span: Period, year: int, today: date) -> Decimal:
    """The prorated share of the year expected at the end of the period (or today, if sooner)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    reference = min(today, span.end)
    return progress_rules.prorated_expectation((reference - start).days + 1, (end - start).days + 1)


def triggers_for(skp: Skp, span: Period, today: date, threshold: int) -> list[rules.Trigger]:
    entries = Realisasi.objects.in_force().filter(skp=skp, period=span.number).count()
    predikat = (
        Evaluasi.objects.filter(skp=skp, period=span.number, status=StatusEvaluasi.FINAL)
        .values_list("predikat", flat=True)
        .first()
        or ""
    )
    progress = skp_progress(skp, span.number)
    expected = expected_by(span, skp.year, today)
    found = rules.triggers(
        progress=progress if progress is not None else expected,  # narrative SKP: no trigger
        expected=expected, threshold=threshold, period_label=span.label, period_end=span.end,
        today=today, entries=entries, predikat=predikat,
    )  # fmt: skip
    return found


def scan(
    *,
    instansi_id: int,
    year: int,
    period: int,
    today: date | None = None,
    unit_path: str | None = None,
) -> ScanResult:
    """Open the early-warning cases of one instansi and period (`period` 1-4 or 1-12); with
    `unit_path`, of that unit's subtree only."""
    today = today or guards.today()
    threshold = services.pengaturan_for(instansi_id).progress_threshold
    result = ScanResult()
    skps = Skp.objects.filter(
        instansi_id=instansi_id, year=year, is_current=True, status=StatusSkp.DISETUJUI
    ).order_by("id")
    if unit_path is not None:
        skps = skps.filter(unit_path__startswith=unit_path)
    span: Period | None = None
    for skp in skps:
        if span is None:
            spans = {p.number: p for p in _periods(skp)}
            if period not in spans:
                raise ServiceError(f"Periode {period} tidak ada pada tahun {year}.", field="period")
            span = spans[period]
            if span.start > today:
                raise ServiceError(f"{span.label} {year} belum dimulai.", field="period")
        result.checked += 1
        for trigger in triggers_for(skp, span, today, threshold):
            _kasus, created = services.kasus_open(
                by=None, skp=skp, period=period, reason=trigger.reason, data=trigger.data
            )
            if created:
                result.opened += 1
                result.by_reason[trigger.reason] += 1
            else:
                result.already_open += 1
    return result


def _periods(skp: Skp) -> list[Period]:
    return periods(skp.year, cadence_of(skp))
