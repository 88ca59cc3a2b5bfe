"""The early-warning scan of one instansi and period: every SKP version in force of the year (the
current approved one, or the approved one a waiting perubahan SKP will replace: `in_force`) is
checked against the three triggers (rules.triggers) and a case is opened for each reason that
holds (idempotent: one open case per pegawai, period and reason; a case a person closed is not
raised again by the scan).

The SKPs are read in batches by id; each batch costs a fixed number of queries whatever its size
(scan_reads.py), and only a case that is not open yet costs writes (services.kasus_open).
`triggers_for` reads one SKP at a time: the definition the batched reads are tested against.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from kinerja.assessments.models import Evaluasi, StatusEvaluasi
from kinerja.assessments.services import cadence_for
from kinerja.core.errors import ServiceError
from kinerja.plans.models import Skp
from kinerja.plans.rules import Period, periods
from kinerja.progress import rules as progress_rules
from kinerja.progress.models import Realisasi
from kinerja.progress.queries import iki_progress
from kinerja.progress.services import cadence_of

from . import guards, rules, scan_reads, services
from .models import StatusKasus
from .scan_reads import SkpFacts

BATCH_SIZE = 1000  # SKPs per batch: six queries each, a few MB of rows at most


@dataclass
class ScanResult:
    checked: int = 0
    opened: int = 0
    already_open: int = 0
    closed_before: int = 0  # closed by a person: not raised again by the scan
    by_reason: Counter[str] = field(default_factory=Counter)


def skp_progress(skp: Skp, period: int) -> Decimal | None:
    """The mean progress (percent of the yearly target) of the SKP's quantitative IKIs up to
    `period`; an IKI with nothing realised counts as 0. None without quantitative IKIs."""
    return rules.mean_progress(
        [
            item.percent
            for item in iki_progress(skp, period=period).values()
            if item.iki.target_value is not None
        ]
    )


def expected_by(span: Period, year: int, today: date) -> Decimal:
    """The prorated share of the year expected at the end of the period (or today, if sooner)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    reference = min(today, span.end)
    return progress_rules.prorated_expectation((reference - start).days + 1, (end - start).days + 1)


def decide(
    facts: SkpFacts, *, year: int, span: Period, today: date, threshold: int
) -> list[rules.Trigger]:
    expected = expected_by(span, year, today)
    return rules.triggers(
        progress=facts.progress if facts.progress is not None else expected,  # narrative: none
        expected=expected, threshold=threshold, period_label=span.label, period_end=span.end,
        today=today, entries=facts.entries, predikat=facts.predikat,
    )  # fmt: skip


def triggers_for(skp: Skp, span: Period, today: date, threshold: int) -> list[rules.Trigger]:
    """The triggers of one SKP, read for it alone (five to six queries). The period's entries
    and predikat are read over the SKP's versions (scan_reads.with_earlier_versions)."""
    versions = (
        Skp.objects.filter(
            pegawai_id=skp.pegawai_id, year=skp.year, jabatan_id=skp.jabatan_id,
            version__lte=skp.version,
        )
        .values_list("pk", flat=True)
        if skp.jabatan_id is not None
        else [skp.pk]
    )  # fmt: skip
    ids = list(versions)
    entries = Realisasi.objects.in_force().filter(skp_id__in=ids, period=span.number).count()
    predikat = (
        Evaluasi.objects.filter(skp_id__in=ids, period=span.number, status=StatusEvaluasi.FINAL)
        .order_by("-skp__version")
        .values_list("predikat", flat=True)
        .first()
        or ""
    )
    facts = SkpFacts(entries, predikat, skp_progress(skp, span.number))
    return decide(facts, year=skp.year, span=span, today=today, threshold=threshold)


def scan(
    *,
    instansi_id: int,
    year: int,
    period: int,
    today: date | None = None,
    unit_path: str | None = None,
    batch_size: int = BATCH_SIZE,
) -> ScanResult:
    """Open the early-warning cases of one instansi and period (`period` 1-4 or 1-12); with
    `unit_path`, of that unit's subtree only."""
    today = today or guards.today()
    threshold = services.pengaturan_for(instansi_id).progress_threshold
    result = ScanResult()
    skps = Skp.objects.in_force().filter(instansi_id=instansi_id, year=year)
    if unit_path is not None:
        skps = skps.filter(unit_path__startswith=unit_path)
    span: Period | None = None
    after = 0
    while True:
        batch = list(skps.filter(id__gt=after).order_by("id")[:batch_size])
        if not batch:
            break
        if span is None:
            span = _span(batch[0], period, today)
        _scan_batch(batch, span, instansi_id, today, threshold, result)
        if len(batch) < batch_size:
            break
        after = batch[-1].pk
    return result


def _scan_batch(
    batch: Sequence[Skp],
    span: Period,
    instansi_id: int,
    today: date,
    threshold: int,
    result: ScanResult,
) -> None:
    facts = scan_reads.batch_facts(
        [s.pk for s in batch], instansi_id=instansi_id, period=span.number
    )
    year = batch[0].year
    known = scan_reads.known_cases({s.pegawai_id for s in batch}, year=year, period=span.number)
    for skp in batch:
        result.checked += 1
        found = decide(facts[skp.pk], year=skp.year, span=span, today=today, threshold=threshold)
        for trigger in found:
            key = (skp.pegawai_id, trigger.reason)
            if key not in known:
                kasus, created = services.kasus_open(
                    by=None, skp=skp, period=span.number, reason=trigger.reason, data=trigger.data
                )
                known[key] = kasus.status == StatusKasus.SELESAI
                if created:
                    result.opened += 1
                    result.by_reason[trigger.reason] += 1
                    continue
            _count_existing(result, closed=known[key])  # kasus_open would return it


def _count_existing(result: ScanResult, *, closed: bool) -> None:
    """A trigger that found its case there already: open, or closed by a person."""
    if closed:
        result.closed_before += 1
    else:
        result.already_open += 1


def _span(skp: Skp, period: int, today: date) -> Period:
    spans = {p.number: p for p in periods(skp.year, cadence_of(skp))}
    if period not in spans:
        raise ServiceError(
            _("Periode %(period)s tidak ada pada tahun %(year)s.")
            % {"period": period, "year": skp.year},
            field="period",
        )
    span = spans[period]
    if span.start > today:
        raise ServiceError(
            _("%(label)s %(year)s belum dimulai.") % {"label": span.label, "year": skp.year},
            field="period",
        )
    return span


# --- the daily run ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    year: int
    period: Period


def periods_due(instansi_id: int, today: date) -> list[Due]:
    """What a daily run scans for one instansi, in its cadence for the year: the period that
    ended just before today's (of the previous year in the first period), then today's. Today's
    alone would never raise REALISASI_KOSONG (it needs an ended period), and a period's final
    predikat usually comes after its end."""
    current = _holding(instansi_id, today)
    previous = _holding(instansi_id, current.period.start - timedelta(days=1))
    return [previous, current]


def _holding(instansi_id: int, day: date) -> Due:
    cadence = cadence_for(instansi_id, day.year)
    span = next(p for p in periods(day.year, cadence) if p.start <= day <= p.end)
    return Due(day.year, span)
