"""Shaped reads of SKM data: IKM per layanan, unit and instansi per period, details with the
previous period, follow-up status and petugas feedback (the public figures: public_queries.py).

Every IKM comes from one GROUP BY (period, unit, layanan) over `skm_ikm_idx` returning sums of
the nine answers; the arithmetic is `rules.ikm_from_sums` (exact 1/9 weights). Roll-ups to unit
and instansi add the sums, never average the IKM.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone, translation

from kinerja.org.access import Access
from kinerja.org.models import UnitKerja

if TYPE_CHECKING:
    from .reports import SkmReportData

from . import periods, rules
from .demographics import Category, Counts, by_label, categories
from .demographics import counts as demographic_counts
from .followups import FollowUp, follow_ups
from .models import UNSUR_FIELDS, Layanan, RencanaTindakLanjut, SkmResponse, SurveyPeriod
from .periods import FIRST_YEAR, LAST_YEAR, PeriodKey

PETUGAS_MIN_RESPONDENTS = 3
_SUMS = {f"s{i}": Sum(name) for i, name in enumerate(UNSUR_FIELDS)}


@dataclass
class Totals:
    """Running sums of one group: respondents and Σ of each unsur."""

    n: int = 0
    sums: list[int] = field(default_factory=lambda: [0] * 9)

    def add(self, n: int, sums: Iterable[int]) -> None:
        self.n += n
        self.sums = [a + b for a, b in zip(self.sums, sums, strict=True)]

    def result(self) -> rules.IkmResult | None:
        if self.n == 0:
            return None
        return rules.ikm_from_sums(self.n, self.sums, [self.n] * 9)


def grouped(qs: QuerySet[SkmResponse], *fields: str) -> Iterable[tuple[tuple[int, ...], Totals]]:
    """One GROUP BY `fields` with the respondent count and the nine sums."""
    rows = qs.order_by().values(*fields).annotate(n=Count("*"), **_SUMS)
    for row in rows:
        totals = Totals(int(row["n"]), [int(row[f"s{i}"] or 0) for i in range(9)])
        yield tuple(int(row[f]) for f in fields), totals


def period_ids(layanan: QuerySet[Layanan], keys: Iterable[PeriodKey]) -> dict[int, PeriodKey]:
    """The survey periods of these layanan with one of these keys: {period_id: key}."""
    wanted = {(k.kind, k.year, k.number): k for k in keys}
    rows = SurveyPeriod.objects.filter(layanan__in=layanan, kind__in={k[0] for k in wanted})
    rows = rows.filter(year__in={k[1] for k in wanted})
    found: dict[int, PeriodKey] = {}
    for pk, kind, year, number in rows.values_list("pk", "kind", "year", "number"):
        if (kind, year, number) in wanted:
            found[pk] = wanted[(kind, year, number)]
    return found


@dataclass(frozen=True)
class IkmRow:
    id: int
    name: str
    unit_name: str
    code: str
    result: rules.IkmResult | None
    previous: rules.IkmResult | None
    population: int = 0
    unit_id: int = 0  # the unit of a layanan row, the unit itself for a unit row

    @property
    def respondents(self) -> int:
        return self.result.respondents if self.result else 0

    @property
    def minimum(self) -> int | None:
        return rules.krejcie_morgan(self.population) if self.population > 0 else None

    @property
    def short(self) -> bool:
        return self.minimum is not None and self.respondents < self.minimum

    @property
    def change(self) -> Decimal | None:
        if self.result is None or self.previous is None:
            return None
        return rules.konversi_change(self.result, self.previous)


@dataclass
class Overview:
    key: PeriodKey
    layanan: list[IkmRow]
    units: list[IkmRow]
    total: IkmRow


def sees_whole_instansi(access: Access, instansi_id: int) -> bool:
    """Whether the reader's visible layanan are all the instansi's, so the overview's total is
    the instansi's IKM: admins and auditors, and the head of every root unit of the instansi."""
    if access.can_audit_instansi(instansi_id):
        return True
    if access.home_instansi_id != instansi_id or not access.headed_unit_paths:
        return False
    roots = UnitKerja.objects.filter(instansi_id=instansi_id, parent__isnull=True)
    paths = set(roots.values_list("path", flat=True))
    return bool(paths) and paths <= access.headed_unit_paths


def overview(layanan: QuerySet[Layanan], instansi_id: int, key: PeriodKey) -> Overview:
    """IKM of every given layanan, of their units and of all of them, this and the previous
    period (four queries whatever the number of rows).

    Units and the total add up the layanan listed, through each layanan's current unit, so the
    tree and its sums have one source and no part exceeds its whole (`rules.publishable` needs
    it). The `unit_id` copied onto each answer is grouped by only to follow `skm_ikm_idx`."""
    prev = key.previous()
    items = list(layanan.select_related("unit").order_by("unit__path", "name"))
    unit_of = {item.pk: item.unit_id for item in items}
    ids = period_ids(layanan, [key] if prev is None else [key, prev])
    now: dict[int, Totals] = defaultdict(Totals)
    before: dict[int, Totals] = defaultdict(Totals)
    unit_now: dict[int, Totals] = defaultdict(Totals)
    unit_before: dict[int, Totals] = defaultdict(Totals)
    total_now, total_before = Totals(), Totals()
    if ids:
        qs = SkmResponse.objects.filter(instansi_id=instansi_id, period_id__in=list(ids))
        for (period_id, _unit, layanan_id), totals in grouped(
            qs, "period_id", "unit_id", "layanan_id"
        ):
            if layanan_id not in unit_of:  # not a layanan listed: in no row, so in no sum
                continue
            current = ids[period_id] == key
            (now if current else before)[layanan_id].add(totals.n, totals.sums)
            (unit_now if current else unit_before)[unit_of[layanan_id]].add(totals.n, totals.sums)
            (total_now if current else total_before).add(totals.n, totals.sums)
    rows = [
        IkmRow(
            item.pk,
            item.name,
            item.unit.name,
            item.code,
            now[item.pk].result(),
            before[item.pk].result(),
            item.population,
            item.unit_id,
        )
        for item in items
    ]
    units: dict[int, UnitKerja] = {item.unit_id: item.unit for item in items}
    population: Counter[int] = Counter()
    for item in items:
        population[item.unit_id] += item.population
    unit_rows = [
        IkmRow(
            u.pk,
            u.name,
            u.name,
            u.code,
            unit_now[u.pk].result(),
            unit_before[u.pk].result(),
            population[u.pk],
            u.pk,
        )
        for u in units.values()
    ]
    total = IkmRow(
        instansi_id,
        "",
        "",
        "",
        total_now.result(),
        total_before.result(),
        sum(population.values()),
    )
    return Overview(key, rows, unit_rows, total)


@dataclass(frozen=True)
class UnsurRow:
    index: int
    code: str
    label: str
    nrr: Decimal
    previous: Decimal | None
    weakest: bool
    change: Decimal | None  # from the exact NRR (`rules.nrr_change`), as the report's Selisih


@dataclass
class Detail:
    layanan: Layanan
    key: PeriodKey
    row: IkmRow
    unsur: list[UnsurRow]
    demographics: Counts  # by code (demographics.py)
    saran: list[str]
    tindak_lanjut: list[FollowUp]

    @property
    def profile(self) -> dict[str, list[Category]]:
        """The demographics with their labels in the active language."""
        return categories(self.demographics)


def detail(layanan: Layanan, key: PeriodKey, *, saran_limit: int = 200) -> Detail:
    """One layanan in one period: NRR per unsur vs the previous period, demographics, saran,
    rencana tindak lanjut."""
    one = Layanan.objects.filter(pk=layanan.pk)
    view = overview(one, layanan.instansi_id, key)
    row = view.layanan[0]
    unsur: list[UnsurRow] = []
    if row.result is not None:
        weakest = rules.weakest_unsur(row.result.nrr)
        change = rules.nrr_change(row.result, row.previous) if row.previous else None
        for i, (code, label) in enumerate(rules.UNSUR):
            previous = row.previous.nrr[i] if row.previous else None
            delta = change[i] if change else None
            unsur.append(UnsurRow(i, code, label, row.result.nrr[i], previous, i == weakest, delta))
    ids = list(period_ids(one, [key]))
    qs = SkmResponse.objects.filter(instansi_id=layanan.instansi_id, period_id__in=ids)
    saran = list(
        qs.exclude(saran="").order_by("-created_at").values_list("saran", flat=True)[:saran_limit]
    )
    rtl = RencanaTindakLanjut.objects.filter(
        layanan=layanan, kind=key.kind, year=key.year, number=key.number
    ).select_related("owner")
    return Detail(layanan, key, row, unsur, demographic_counts(qs), saran, follow_ups(rtl))


def report_data(detail: Detail) -> SkmReportData:
    """What the SKM report of one layanan and period shows (reports.py renders it). The report
    is always Indonesian, so its labels are made in Indonesian whatever the reader's language
    (the demographic categories are the model choices' lazy labels)."""
    from .reports import SkmReportData

    row = detail.row
    assert row.result is not None
    layanan = detail.layanan
    with translation.override("id"):
        demographics = by_label(detail.demographics)
    return SkmReportData(
        title="Laporan Survei Kepuasan Masyarakat",
        instansi_name=layanan.instansi.name,
        unit_name=layanan.unit.name,
        layanan_name=layanan.name,
        period_label=detail.key.label,
        result=row.result,
        previous=row.previous,
        previous_label=_label(detail.key.previous()) if row.previous else None,
        demographics=demographics,
        saran=detail.saran,
        sample_minimum=row.minimum,
        population=layanan.population or None,
        generated_at=timezone.now(),
    )


def _label(key: PeriodKey | None) -> str | None:
    return key.label if key is not None else None


@dataclass(frozen=True)
class PetugasFeedback:
    pegawai_id: int
    start: date
    end: date
    respondents: int
    nrr_kompetensi: Decimal  # U6
    nrr_perilaku: Decimal  # U7
    ikm: rules.IkmResult


def petugas_feedback(pegawai_id: int, start: date, end: date) -> PetugasFeedback | None:
    """What respondents who named this petugas said between `start` and `end` (inclusive,
    within the years 2000–2100): None below PETUGAS_MIN_RESPONDENTS.

    For internal figures only: two windows a day apart differ by one citizen's answers, so
    what a user may ask for goes through the fixed windows of `petugas_queries.petugas_year`."""
    start, end = max(start, date(FIRST_YEAR, 1, 1)), min(end, date(LAST_YEAR, 12, 31))
    if end < start:
        return None
    zone = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=zone)
    until = datetime.combine(end, time.max, tzinfo=zone)
    qs = SkmResponse.objects.filter(
        petugas_id=pegawai_id, created_at__gte=since, created_at__lte=until
    )
    found = qs.aggregate(n=Count("*"), **_SUMS)
    n = int(found["n"] or 0)
    if n < PETUGAS_MIN_RESPONDENTS:
        return None
    result = rules.ikm_from_sums(n, [int(found[f"s{i}"]) for i in range(9)], [n] * 9)
    return PetugasFeedback(pegawai_id, start, end, n, result.nrr[5], result.nrr[6], result)


def period_uses(layanan: QuerySet[Layanan]) -> set[tuple[int, PeriodKey]]:
    """(layanan id, key) of every period of these layanan that has started (one query), for
    `periods.latest_keys` and the staff page's list of periods."""
    rows = (
        SurveyPeriod.objects.filter(layanan__in=layanan, start__lte=timezone.localdate())
        .order_by()
        .values_list("layanan_id", "kind", "year", "number")
        .distinct()
    )
    return {(int(i), PeriodKey(k, y, n)) for i, k, y, n in rows}


def latest_keys(layanan: QuerySet[Layanan], limit: int = 8) -> list[PeriodKey]:
    """The most recent started period keys, oldest first, of the kind most of these layanan
    use (`periods.main_kind`): only these layanan count, so the public page passes the
    active ones."""
    return periods.latest_keys(period_uses(layanan), limit)
