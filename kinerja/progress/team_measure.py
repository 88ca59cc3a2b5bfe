"""Each pegawai's progress this period, measured in bulk: the engine behind the team page, the
unit roll-up (team_queries.py) and the calibration list.

`measure_progress` costs a fixed number of queries whatever the number of people: their SKPs
of the year (the current ones, and the version in force while a perubahan SKP waits), the
instansi cadences, the IKIs of all those SKPs (one query), the entries in force grouped per IKI
and period (one windowed query; the latest value of each group is its newest entry with a
value, by (date, id)), the latest evidence per SKP (one windowed query) and the overdue
follow-ups per pegawai (one grouped query). Progress uses the arithmetic of
`queries.iki_progress`: Kuantitas and Biaya add up, Kualitas and Waktu take the latest value.

Project decisions (see docs):
- the mean progress of a pegawai is over the quantitative IKIs of the SKP whose percentage is
  defined (a target different from its baseline); such an IKI without any value yet counts as 0 %,
  so a pegawai who reported one IKI of five does not look finished;
- "tertinggal" is a mean below the prorated expectation of the SKP's span (up to the reference
  day) minus 10 points; "belum melapor" is no entry in force in the current period, and wins;
- a pegawai without an approved SKP in force this year is "tanpa SKP" (cannot report at all);
  while a perubahan SKP waits for approval, the approved version it will replace is measured.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Max, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from kinerja.org.rules import display_name
from kinerja.plans.models import IN_FORCE, Skp, StatusSkp, TahunKinerja
from kinerja.plans.rules import Period, periods

from . import rules
from .feedback_models import TindakLanjut
from .lineage import MeasuredIkis, measured_ikis
from .models import BuktiDukung, Realisasi

BELUM_MELAPOR = "belum_melapor"
TERTINGGAL = "tertinggal"
SESUAI = "sesuai"
TANPA_SKP = "tanpa_skp"
STATUS_LABELS: dict[str, Promise] = {  # in the reader's language when shown
    BELUM_MELAPOR: gettext_lazy("belum melapor"),
    TERTINGGAL: gettext_lazy("tertinggal"),
    SESUAI: gettext_lazy("sesuai"),
    TANPA_SKP: gettext_lazy("SKP belum disetujui"),
}
LAG_POINTS = Decimal(10)
DEFAULT_CADENCE = "TRIWULANAN"


@dataclass
class Evidence:
    bukti_id: int
    name: str
    url: str  # an external link; empty for an uploaded file
    date: date

    @property
    def is_file(self) -> bool:
        return not self.url

    @property
    def href(self) -> str:
        """The link itself, or the download route of an uploaded file."""
        if self.url:
            return self.url
        try:
            return reverse("progress:bukti_download", args=[self.bukti_id])
        except NoReverseMatch:  # pragma: no cover - the route belongs to the evidence pages
            return f"/realisasi/bukti/{self.bukti_id}/"


@dataclass
class MemberProgress:
    """One pegawai's state this period (the team page's row)."""

    pegawai_id: int
    name: str
    nip: str
    jabatan: str
    unit_id: int | None
    unit_name: str
    unit_path: str
    skp_id: int | None = None
    skp_status: str | None = None  # the current SKP's status (approved or not); None: no SKP
    period: Period | None = None
    iki_count: int = 0
    iki_reported: int = 0  # IKIs with at least one entry in force this period
    progress: Decimal | None = None  # mean % of the quantitative IKIs, year so far
    expected: Decimal | None = None  # the prorated expectation at the reference day
    last_report: date | None = None
    evidence: Evidence | None = None
    overdue: int = 0  # follow-ups of dialog kinerja past their due date, not done
    status: str = TANPA_SKP

    @property
    def approved(self) -> bool:
        return self.skp_status == StatusSkp.DISETUJUI

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def reference_day(year: int, today: date) -> date:
    """Today within the year: 31 December for a past year, 1 January for a future one."""
    return min(max(today, date(year, 1, 1)), date(year, 12, 31))


def cadences_of(
    instansi_ids: Iterable[int], year: int, known: Mapping[int, str] | None = None
) -> dict[int, str]:
    """The year's cadence of each instansi (the default when it has set none): one query, none
    when every id is in `known` (cadences read before, e.g. by team_progress)."""
    wanted = set(instansi_ids)
    found = {i: c for i, c in (known or {}).items() if i in wanted}
    missing = wanted - found.keys()
    if missing:
        rows = TahunKinerja.objects.filter(instansi_id__in=sorted(missing), year=year)
        read = dict(rows.values_list("instansi_id", "cadence"))
        found.update({i: read.get(i, DEFAULT_CADENCE) for i in missing})
    return found


def _period(cadence: str, year: int, day: date, number: int | None) -> Period:
    all_periods = periods(year, cadence)
    if number is not None:
        return next((p for p in all_periods if p.number == number), all_periods[-1])
    return next(p for p in all_periods if p.start <= day <= p.end)


def members_from_values(rows: Iterable[dict[str, Any]]) -> list[MemberProgress]:
    return [
        MemberProgress(
            pegawai_id=r["id"],
            name=display_name(r["name"], r["front_title"], r["back_title"]),
            nip=r["nip"],
            jabatan=r["jabatan__name"] or "",
            unit_id=r["jabatan__unit_id"],
            unit_name=r["jabatan__unit__name"] or "",
            unit_path=r["jabatan__unit__path"] or "",
        )
        for r in rows
    ]


PEOPLE_FIELDS = (
    "id", "name", "front_title", "back_title", "nip", "instansi_id",
    "jabatan__name", "jabatan__unit_id", "jabatan__unit__name", "jabatan__unit__path",
)  # fmt: skip


def measure_progress(
    people: list[MemberProgress],
    pegawai: Q,
    *,
    year: int,
    period: int | None,
    today: date,
    details: bool,
    cadences: Mapping[int, str] | None = None,
) -> None:
    """Fill in the SKP, progress and status of `people`, whose rows `pegawai` (a filter on Skp
    through `pegawai__…`/`pegawai_id…`) selects in SQL. `details` adds the latest evidence and
    the overdue follow-ups (the team page; the unit roll-up does not need them). `cadences`:
    those the caller has read (`cadences_of`); only the SKPs' other instansi are read here."""
    if not people:
        return
    by_pegawai = {p.pegawai_id: p for p in people}
    skps = (
        Skp.objects.filter(pegawai, year=year)
        .filter(Q(is_current=True) | IN_FORCE)  # the version in force while a perubahan waits
        .order_by("pegawai_id", "start_date", "id")
        .values(
            "id", "pegawai_id", "instansi_id", "status", "start_date", "end_date", "jabatan_id",
            "version",
        )
    )  # fmt: skip
    chosen: dict[int, dict[str, Any]] = {}
    for found in skps:
        # One SKP per pegawai: an approved one wins, then the latest start.
        before = chosen.get(found["pegawai_id"])
        if (
            before is None
            or found["status"] == StatusSkp.DISETUJUI
            or before["status"] != "DISETUJUI"
        ):
            chosen[found["pegawai_id"]] = dict(found)
    day = reference_day(year, today)
    cadence = cadences_of({s["instansi_id"] for s in chosen.values()}, year, cadences)
    approved = Skp.objects.in_force().filter(pegawai, year=year)
    skp_of: dict[int, MemberProgress] = {}
    for pegawai_id, s in chosen.items():
        row = by_pegawai.get(pegawai_id)
        if row is None:
            continue
        row.skp_id, row.skp_status = s["id"], s["status"]
        if s["status"] != StatusSkp.DISETUJUI:
            continue
        skp_of[s["id"]] = row
        row.period = _period(cadence[s["instansi_id"]], year, day, period)
        until = min(day, row.period.end, s["end_date"])
        row.expected = rules.prorated_expectation(
            (until - s["start_date"]).days + 1, (s["end_date"] - s["start_date"]).days + 1
        )
    if not skp_of:
        return
    instansi_ids = sorted({s["instansi_id"] for s in chosen.values()})
    # The versions read: those measured, and the earlier ones of a plan changed by a perubahan
    # SKP (version > 1), whose evaluated periods' entries count on it (lineage.py). Without
    # any, the two queries below read exactly the SKPs measured (an index on is_current).
    revised = sorted(r.pegawai_id for r in skp_of.values() if chosen[r.pegawai_id]["version"] > 1)
    versions = Q(pk__in=approved)
    if revised:
        versions |= Q(pegawai_id__in=revised, year=year)
    measured = measured_ikis(
        Skp.objects.filter(versions), {s: chosen[r.pegawai_id] for s, r in skp_of.items()}
    )
    earlier = sorted({measured.skp_of[iki_id] for iki_id in measured.copies})
    read = Q(skp__in=approved) | Q(skp_id__in=earlier) if earlier else Q(skp__in=approved)
    ikis, copies, skp_of_iki = measured.own, measured.copies, measured.skp_of
    # One row per (IKI, period): window aggregates over the group, and the group's newest entry
    # with a value first (rank 1), which gives the latest value. (A correlated subquery for the
    # latest value ran once per entry, not per group: ~80 ms for 50 pegawai on PostgreSQL.)
    group = [F("iki_id"), F("period")]
    no_value = ExpressionWrapper(Q(value__isnull=True), output_field=BooleanField())
    groups = (
        Realisasi.objects.in_force()
        .filter(read, instansi_id__in=instansi_ids)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=group,
                order_by=[no_value.asc(), F("date").desc(), F("id").desc()],
            ),
            n=Window(Count("id"), partition_by=group),
            total=Window(Sum("value"), partition_by=group),
            last_date=Window(Max("date"), partition_by=group),
        )
        .filter(rank=1)
        .values("skp_id", "iki_id", "period", "n", "total", "last_date", latest=F("value"))
        .order_by()
    )
    # (iki id) -> [(period, entries, sum, latest value, last date)]
    by_iki: dict[int, list[tuple[int, int, Decimal | None, Decimal | None, date]]] = defaultdict(
        list
    )
    for g in groups:
        iki_id = copies.get(g["iki_id"], g["iki_id"])  # an earlier copy counts on the IKI
        row = skp_of.get(skp_of_iki.get(iki_id, 0))
        if row is None or row.period is None or g["period"] > row.period.number:
            continue
        by_iki[iki_id].append((g["period"], g["n"], g["total"], g["latest"], g["last_date"]))
        if row.last_report is None or g["last_date"] > row.last_report:
            row.last_report = g["last_date"]
    percents: dict[int, list[Decimal]] = defaultdict(list)
    for iki in ikis:
        row = skp_of.get(iki["rhk__skp_id"])
        if row is None or row.period is None:
            continue
        row.iki_count += 1
        groups_of = sorted(by_iki.get(iki["id"], []), reverse=True)  # latest period first
        if any(p == row.period.number and n for p, n, *_ in groups_of):
            row.iki_reported += 1
        if iki["target_value"] is None:
            continue
        realised = _realised(rules.accumulates(iki["aspek"], iki["target_unit"]), groups_of)
        percent = rules.progress_percent(
            target=iki["target_value"],
            realised=realised if realised is not None else _nothing(iki["baseline"]),
            baseline=iki["baseline"],
            lower_is_better=iki["direction"] == "TURUN",
        )
        if percent is not None:
            percents[iki["rhk__skp_id"]].append(percent if realised is not None else Decimal(0))
    for skp_id, row in skp_of.items():
        values = percents.get(skp_id)
        if values:
            row.progress = rules.mean_percent(values)
    if details:
        _details(skp_of, measured, instansi_ids, year=year, today=today)
    for row in people:
        row.status = _status(row)


def _nothing(baseline: Decimal | None) -> Decimal:
    """A stand-in realised value for an IKI without values, only to learn whether its
    percentage is defined at all (the result is replaced by 0 %)."""
    return baseline if baseline is not None else Decimal(0)


def _realised(
    summed: bool, groups: list[tuple[int, int, Decimal | None, Decimal | None, date]]
) -> Decimal | None:
    """`groups` newest period first. The sum when the IKI accumulates, else the latest value."""
    if summed:
        sums = [total for _p, _n, total, _l, _d in groups if total is not None]
        return sum(sums, Decimal(0)) if sums else None
    return next((last for _p, _n, _t, last, _d in groups if last is not None), None)


def _status(row: MemberProgress) -> str:
    if not row.approved or row.period is None:
        return TANPA_SKP
    if row.iki_reported == 0:
        return BELUM_MELAPOR
    if (
        row.progress is not None
        and row.expected is not None
        and row.progress < row.expected - LAG_POINTS
    ):
        return TERTINGGAL
    return SESUAI


def _details(
    skp_of: dict[int, MemberProgress],
    measured: MeasuredIkis,
    instansi_ids: list[int],
    *,
    year: int,
    today: date,
) -> None:
    # The newest evidence up to each row's period: the period filter comes before the ranking,
    # or a later period's evidence would rank first and hide it. One condition per period
    # number (a team usually shares one).
    # An earlier copy's entries (left on an earlier version) count for the IKI it became.
    copies, skp_of_iki = measured.copies, measured.skp_of
    earlier: dict[int, set[int]] = defaultdict(set)  # SKP id → the earlier versions it reads
    for iki_id, own in copies.items():
        earlier[skp_of_iki[own]].add(skp_of_iki[iki_id])
    up_to: dict[int, list[int]] = defaultdict(list)
    for skp_id, row in skp_of.items():
        if row.period is not None:
            up_to[row.period.number] += [skp_id, *earlier.get(skp_id, ())]
    if up_to:
        within = Q()
        for number, ids in up_to.items():
            within |= Q(realisasi__skp_id__in=ids, realisasi__period__lte=number)
        newest = (
            BuktiDukung.objects.filter(
                within,
                realisasi__instansi_id__in=instansi_ids,
                realisasi__corrected_by__isnull=True,
            )
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=F("realisasi__skp_id"),
                    order_by=[
                        F("realisasi__date").desc(), F("realisasi_id").desc(), F("id").desc()
                    ],
                )
            )
            .filter(rank=1)
            .values(
                "id", "file_name", "url", "realisasi__date", "realisasi_id", "realisasi__iki_id",
                "realisasi__skp_id",
            )
        )  # fmt: skip
        best: dict[int, tuple[Any, ...]] = {}  # measured SKP → (date, entry, id) of the newest
        for b in newest:
            iki_id = copies.get(b["realisasi__iki_id"], b["realisasi__iki_id"])
            skp_id = skp_of_iki.get(iki_id, b["realisasi__skp_id"])
            member = skp_of.get(skp_id)
            order = (b["realisasi__date"], b["realisasi_id"], b["id"])
            if member is None or (skp_id in best and best[skp_id] >= order):
                continue
            best[skp_id] = order
            member.evidence = Evidence(
                b["id"], b["file_name"] or b["url"], b["url"], b["realisasi__date"]
            )
    # Overdue follow-ups of the pegawai's dialog kinerja of the year, on every version of the
    # SKP (a dialog of a period evaluated before a perubahan SKP stays on the old version), as
    # the unit roll-up counts them.
    rows_of = {row.pegawai_id: row for row in skp_of.values()}
    overdue = (
        TindakLanjut.objects.filter(
            dialog__instansi_id__in=instansi_ids,
            dialog__skp__year=year,
            dialog__skp__pegawai_id__in=list(rows_of),
            done_at__isnull=True,
            due_date__lt=today,
        )
        .values_list("dialog__skp__pegawai_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for pegawai_id, n in overdue:
        rows_of[pegawai_id].overdue = n
