"""Shaped reads of the evaluation: the rater's team for a period, one evaluation with everything
the rater reads before rating (realisasi, evidence, continuous feedback, progress per IKI/RHK,
the notes given, the capaian, the periodic results for the annual one), a pegawai's own
evaluations and the capaian of the units a leader may set. Reads only; a fixed number of
queries per page whatever the team's size.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q

from kinerja.org.access import access_for
from kinerja.org.models import UnitKerja
from kinerja.plans.berakhlak import BERAKHLAK, CoreValue
from kinerja.plans.models import EkspektasiKhusus, Rhk, Skp, StatusSkp
from kinerja.progress.feedback_models import UmpanBalik
from kinerja.progress.queries import IkiProgress, iki_progress, rhk_progress
from kinerja.surveys.periods import PER_YEAR, PeriodKey
from kinerja.surveys.petugas_queries import PetugasWindow, petugas_window

from . import rules, services
from .models import ANNUAL, CapaianOrganisasi, CatatanEvaluasi, Evaluasi, StatusEvaluasi

# --- the rater's team -----------------------------------------------------------------------


@dataclass
class TeamRow:
    skp: Skp
    evaluasi: Evaluasi | None

    @property
    def status(self) -> str:
        """BELUM (not opened), DRAFT (opened, maybe rated) or FINAL."""
        return self.evaluasi.status if self.evaluasi is not None else "BELUM"

    @property
    def predikat(self) -> str:
        return self.evaluasi.predikat if self.evaluasi is not None else ""


def team(user: object, year: int, period: int) -> list[TeamRow]:
    """Everyone whose current approved SKP of `year` the user rates, with the evaluation of
    `period` if opened: two queries (plus the access facts)."""
    me = access_for(user).pegawai_id
    if me is None:
        return []
    skps = list(
        Skp.objects.visible_to(user)
        .filter(rater_id=me, year=year, is_current=True, status=StatusSkp.DISETUJUI)
        .select_related("pegawai", "jabatan", "jabatan__unit")
        .order_by("jabatan__unit__path", "pegawai__name", "id")
    )
    # A period evaluated on an earlier version of the SKP (before a perubahan) stays its row's.
    found = {
        (e.pegawai_id, e.skp.jabatan_id): e
        for e in Evaluasi.objects.filter(
            pegawai_id__in={s.pegawai_id for s in skps}, year=year, period=period
        )
        .select_related("skp")
        .order_by("skp__version")
    }
    return [TeamRow(skp, found.get((skp.pegawai_id, skp.jabatan_id))) for skp in skps]


def team_counts(rows: list[TeamRow]) -> dict[str, int]:
    counts = dict.fromkeys(rules.PREDIKAT, 0)
    for row in rows:
        if row.predikat:
            counts[row.predikat] += 1
    return counts


# --- one evaluation -------------------------------------------------------------------------


@dataclass
class RhkBlock:
    rhk: Rhk
    ikis: list[IkiProgress]
    percent: Decimal | None
    feedback: list[UmpanBalik]
    catatan: str


@dataclass
class ValueBlock:
    value: CoreValue
    ekspektasi: str
    feedback: list[UmpanBalik]
    catatan: str


@dataclass
class PeriodResult:
    period: int
    label: str
    evaluasi: Evaluasi | None


@dataclass
class EvaluationView:
    evaluasi: Evaluasi
    period_label: str
    utama: list[RhkBlock]
    tambahan: list[RhkBlock]
    values: list[ValueBlock]
    realisasi_feedback: list[UmpanBalik]
    capaian: CapaianOrganisasi | None
    pattern: list[str]
    periodic: list[PeriodResult] = field(default_factory=list)
    entries: int = 0
    skm: PetugasWindow | None = None  # service feedback as petugas (only when asked for)

    @property
    def rhks(self) -> list[RhkBlock]:
        return self.utama + self.tambahan


def _feedback(skp: Skp, period: int) -> list[UmpanBalik]:
    threads = UmpanBalik.objects.threads().filter(skp=skp).select_related("author")
    if period != ANNUAL:
        threads = threads.filter(period=period)
    return list(threads.prefetch_related("replies__author").order_by("created_at", "id"))


def skm_window_key(start: date, end: date) -> PeriodKey:
    """The smallest fixed SKM window (triwulan, semester, year) that holds the evaluation period:
    petugas feedback exists only in those windows (a month would be a free window)."""
    for kind in ("TRIWULAN", "SEMESTER"):
        for number in range(1, PER_YEAR[kind] + 1):
            key = PeriodKey(kind, start.year, number)
            if key.start <= start and end <= key.end:
                return key
    return PeriodKey("TAHUN", start.year, 1)


def evaluation_view(evaluasi: Evaluasi, *, with_skm: bool = False) -> EvaluationView:
    """Everything shown on the evaluation page; for a periodic evaluation the entries of the
    period and the progress up to it, for the annual one the whole year. `with_skm`: also the
    pegawai's SKM feedback as petugas in the window holding the period (one query)."""
    skp = evaluasi.skp
    annual = evaluasi.period == ANNUAL
    progress = iki_progress(skp, period=None if annual else evaluasi.period)
    if not annual:
        for item in progress.values():
            item.entries = [e for e in item.entries if e.period == evaluasi.period]
    per_rhk = rhk_progress(progress)
    by_rhk: dict[int, list[IkiProgress]] = defaultdict(list)
    for item in progress.values():
        by_rhk[item.iki.rhk_id].append(item)
    notes = list(CatatanEvaluasi.objects.filter(evaluasi=evaluasi))
    rhk_notes = {n.rhk_id: n.text for n in notes if n.rhk_id is not None}
    value_notes = {n.core_value: n.text for n in notes if n.core_value is not None}
    feedback = _feedback(skp, evaluasi.period)
    rhk_feedback: dict[int, list[UmpanBalik]] = defaultdict(list)
    value_feedback: dict[int, list[UmpanBalik]] = defaultdict(list)
    realisasi_feedback = []
    for thread in feedback:
        if thread.rhk_id is not None:
            rhk_feedback[thread.rhk_id].append(thread)
        elif thread.core_value is not None:
            value_feedback[thread.core_value].append(thread)
        else:
            realisasi_feedback.append(thread)
    rhks = list(Rhk.objects.filter(skp=skp).select_related("parent").order_by("order", "id"))
    blocks = [
        RhkBlock(
            rhk,
            sorted(by_rhk.get(rhk.pk, []), key=lambda p: (p.iki.order, p.iki.pk)),
            per_rhk.get(rhk.pk),
            rhk_feedback.get(rhk.pk, []),
            rhk_notes.get(rhk.pk, ""),
        )
        for rhk in rhks
    ]
    ekspektasi = dict(EkspektasiKhusus.objects.filter(skp=skp).values_list("core_value", "text"))
    values = [
        ValueBlock(v, ekspektasi.get(v.code, ""), value_feedback.get(v.code, []),
                   value_notes.get(v.code, ""))
        for v in BERAKHLAK
    ]  # fmt: skip
    capaian = services.capaian_of(evaluasi)
    span = services.evaluation_period(evaluasi.instansi_id, evaluasi.year, evaluasi.period)
    view = EvaluationView(
        evaluasi=evaluasi,
        period_label=span.label,
        utama=[b for b in blocks if b.rhk.jenis == "UTAMA"],
        tambahan=[b for b in blocks if b.rhk.jenis != "UTAMA"],
        values=values,
        realisasi_feedback=realisasi_feedback,
        capaian=capaian,
        pattern=rules.pattern_rules(capaian.predikat) if capaian else [],
        entries=sum(len(p.entries) for p in progress.values()),
    )
    if annual:
        view.periodic = periodic_results(evaluasi)
    if with_skm:
        view.skm = petugas_window(evaluasi.pegawai_id, skm_window_key(span.start, span.end))
    return view


def periodic_results(evaluasi: Evaluasi) -> list[PeriodResult]:
    """The pegawai's periodic evaluations of the year, one per period (None when not done)."""
    found = {
        e.period: e
        for e in Evaluasi.objects.filter(
            pegawai_id=evaluasi.pegawai_id, year=evaluasi.year, period__gt=0
        ).order_by("updated_at")
    }
    return [
        PeriodResult(p.number, p.label, found.get(p.number))
        for p in services.evaluation_periods(evaluasi.instansi_id, evaluasi.year)
        if p.number != ANNUAL
    ]


def readable(user: object, evaluasi_id: int) -> Evaluasi | None:
    return (
        Evaluasi.objects.visible_to(user)
        .select_related("skp", "pegawai", "rater", "unit", "skp__jabatan")
        .filter(pk=evaluasi_id)
        .first()
    )


# --- the pegawai's own ----------------------------------------------------------------------


def my_evaluations(user: object, year: int) -> list[Evaluasi]:
    """The user's own evaluations of the year. Draft ones show no ratings to the pegawai (the
    predicate is issued on finalisation), so only FINAL ones carry a predikat on the page."""
    me = access_for(user).pegawai_id
    if me is None:
        return []
    return list(
        Evaluasi.objects.filter(pegawai_id=me, year=year)
        .select_related("rater", "unit")
        .order_by("period", "id")
    )


def shown_to_pegawai(evaluasi: Evaluasi) -> bool:
    return evaluasi.status == StatusEvaluasi.FINAL


# --- capaian organisasi ---------------------------------------------------------------------


@dataclass
class CapaianRow:
    unit: UnitKerja
    capaian: CapaianOrganisasi | None


def capaian_units(user: object, year: int, period: int) -> list[CapaianRow]:
    """Units whose capaian the user may set (strictly below a unit they head; every unit of
    their instansi for an admin), with the current value: two queries."""
    access = access_for(user)
    units = UnitKerja.objects.none()
    if access.admin_instansi_ids:
        units = UnitKerja.objects.filter(instansi_id__in=access.admin_instansi_ids)
    elif access.headed_unit_paths and access.home_instansi_id is not None:
        below = Q()
        for path in access.headed_unit_paths:
            below |= Q(path__startswith=path) & ~Q(path=path)
        units = UnitKerja.objects.filter(below, instansi_id=access.home_instansi_id)
    rows = list(units.order_by("path"))
    found = {
        c.unit_id: c
        for c in CapaianOrganisasi.objects.filter(
            unit_id__in=[u.pk for u in rows], year=year, period=period
        ).select_related("set_by")
    }
    return [CapaianRow(u, found.get(u.pk)) for u in rows]
