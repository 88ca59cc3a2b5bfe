"""The data the evaluation documents show (domain.md §11.2, §11.3) and the unit recap, read in a
constant number of queries. `documents.py` renders these objects and never queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from kinerja.org.hierarchy import rater_for
from kinerja.org.models import Pegawai, UnitKerja
from kinerja.plans.queries import PersonBlock, RhkView, person_block, skp_view
from kinerja.plans.rules import document_audience
from kinerja.progress.feedback_models import UmpanBalik
from kinerja.progress.queries import IkiProgress, iki_progress, realised_value

from . import rules
from .guards import pengaturan_for
from .models import (
    ANNUAL,
    CapaianOrganisasi,
    Evaluasi,
    Kalibrasi,
    Keberatan,
    StatusEvaluasi,
    StatusKeberatan,
)
from .services import evaluation_period

MAX_FEEDBACK = 3  # continuous feedback lines per RHK / core value on the form


@dataclass(frozen=True)
class IkiLine:
    text: str
    target: str
    perspektif: str
    realisasi: str


@dataclass(frozen=True)
class RhkLine:
    number: int
    text: str
    ikis: list[IkiLine]
    feedback: list[str]


@dataclass(frozen=True)
class PerilakuLine:
    number: int
    name: str
    guides: tuple[str, ...]
    ekspektasi: str
    feedback: list[str]


@dataclass(frozen=True)
class KeberatanNote:
    """A decided keberatan: the document shows the decided predicate and says so."""

    status: str
    decided_on: date | None
    predikat_before: str
    predikat_after: str


@dataclass(frozen=True)
class EvaluasiData:
    """Everything both evaluation documents show, already worded where the form fixes words."""

    evaluasi_id: int
    year: int
    period: int
    instansi_name: str
    pendekatan: str
    audience: str
    periode_label: str  # "TRIWULAN I", "JANUARI", "TAHUNAN"
    periode_start: date
    periode_end: date
    is_jpt: bool
    is_unit_head: bool
    pegawai: PersonBlock
    rater: PersonBlock | None
    atasan: PersonBlock | None
    capaian: str  # org predikat code, "" when not set
    capaian_unit: str
    utama: list[RhkLine]
    tambahan: list[RhkLine]
    perilaku: list[PerilakuLine]
    rating_hasil: str
    rating_perilaku: str
    predikat: str
    predikat_penilai: str
    calibrated: bool
    keberatan: KeberatanNote | None
    catatan: str
    is_final: bool
    dated: date  # the place/date under the signatures: finalisation (or decision) day


def _local(moment: datetime | None) -> date | None:
    if moment is None:
        return None
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def _number(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def _realisasi(progress: IkiProgress | None, period: int) -> str:
    if progress is None or not progress.entries:
        return "Belum ada realisasi"
    iki = progress.iki
    unit = f" {iki.target_unit}" if iki.target_unit else ""
    lines = []
    if period != ANNUAL:
        mine = [e for e in progress.entries if e.period == period]
        value = realised_value(iki, mine)
        if value is not None:
            lines.append(f"Periode ini: {_number(value)}{unit}")
        lines.extend(e.narrative for e in mine[:MAX_FEEDBACK] if e.narrative)
    if progress.realised is not None:
        label = "Tahun ini" if period == ANNUAL else "S.d. periode ini"
        line = f"{label}: {_number(progress.realised)}{unit}"
        if progress.percent is not None:
            line += f" ({_number(progress.percent)}% dari target)"
        lines.append(line)
    elif period == ANNUAL:
        lines.extend(e.narrative for e in progress.entries[:MAX_FEEDBACK] if e.narrative)
    evidence = sum(len(e.bukti.all()) for e in progress.entries)
    lines.append(f"Bukti dukung: {evidence}")
    return "\n".join(lines)


def _feedback(evaluasi: Evaluasi) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """Feedback per RHK id and per core value: the evaluation's catatan first, then the latest
    continuous feedback threads of the period (the whole year for the annual evaluation)."""
    by_rhk: dict[int, list[str]] = defaultdict(list)
    by_value: dict[int, list[str]] = defaultdict(list)
    for note in evaluasi.catatan_set.all():
        if note.rhk_id is not None:
            by_rhk[note.rhk_id].append(note.text)
        elif note.core_value is not None:
            by_value[note.core_value].append(note.text)
    threads = UmpanBalik.objects.filter(skp_id=evaluasi.skp_id, parent__isnull=True)
    if evaluasi.period != ANNUAL:
        threads = threads.filter(period=evaluasi.period)
    continuous_rhk: dict[int, list[str]] = defaultdict(list)
    continuous_value: dict[int, list[str]] = defaultdict(list)
    for item in threads.select_related("realisasi__iki").order_by("-created_at", "-id"):
        if item.rhk_id is not None:
            continuous_rhk[item.rhk_id].append(item.text)
        elif item.realisasi is not None:
            continuous_rhk[item.realisasi.iki.rhk_id].append(item.text)
        elif item.core_value is not None:
            continuous_value[item.core_value].append(item.text)
    for key, texts in continuous_rhk.items():
        by_rhk[key].extend(texts[:MAX_FEEDBACK])
    for key, texts in continuous_value.items():
        by_value[key].extend(texts[:MAX_FEEDBACK])
    return by_rhk, by_value


def _rhk_lines(
    items: list[RhkView], progress: dict[int, IkiProgress], feedback: dict[int, list[str]],
    period: int,
) -> list[RhkLine]:  # fmt: skip
    lines = []
    for item in items:
        text = item.rhk.text
        if item.rhk.source:
            text += f"\n(penugasan dari {item.rhk.source})"
        ikis = [
            IkiLine(
                text=iki.text,
                target=iki.target_display or "-",
                perspektif=str(iki.get_perspektif_display()) if iki.perspektif else "-",
                realisasi=_realisasi(progress.get(iki.pk), period),
            )
            for iki in item.ikis
        ]
        lines.append(RhkLine(item.number, text, ikis, feedback.get(item.rhk.pk, [])))
    return lines


def unit_ids_of(path: str) -> list[int]:
    """'/1/5/17/' -> [1, 5, 17] (the unit and its ancestors, top first)."""
    return [int(part) for part in path.strip("/").split("/") if part]


def capaian_for(evaluasi: Evaluasi) -> CapaianOrganisasi | None:
    """The capaian of the evaluation's distribution group: the nearest unit with a capaian (the
    unit itself or an ancestor); for a unit head, the nearest one above their own unit."""
    ids = unit_ids_of(evaluasi.unit_path)
    if evaluasi.is_unit_head:
        ids = ids[:-1]
    found = {
        c.unit_id: c
        for c in CapaianOrganisasi.objects.filter(
            unit_id__in=ids, year=evaluasi.year, period=evaluasi.period
        ).select_related("unit")
    }
    for unit_id in reversed(ids):
        if unit_id in found:
            return found[unit_id]
    return None


def _block(pegawai: Pegawai | None) -> PersonBlock | None:
    return person_block(pegawai)


def evaluasi_data(evaluasi: Evaluasi) -> EvaluasiData:
    """The evaluation documents' data. The caller has checked that the reader may see it."""
    evaluasi = Evaluasi.objects.select_related("rater__jabatan__unit", "skp").get(pk=evaluasi.pk)
    skp = evaluasi.skp
    view = skp_view(skp)
    span = evaluation_period(skp.instansi_id, skp.year, evaluasi.period)
    label = span.label
    start, end = max(span.start, skp.start_date), min(span.end, skp.end_date)
    progress = iki_progress(skp, period=None if evaluasi.is_annual else evaluasi.period)
    by_rhk, by_value = _feedback(evaluasi)
    keberatan = (
        Keberatan.objects.select_related("decider__jabatan__unit").filter(evaluasi=evaluasi).first()
    )
    note = None
    if keberatan is not None and keberatan.status != StatusKeberatan.DIAJUKAN:
        note = KeberatanNote(
            status=keberatan.status,
            decided_on=_local(keberatan.decided_at),
            predikat_before=keberatan.predikat_before,
            predikat_after=keberatan.predikat_after or keberatan.predikat_before,
        )
    final_on = _local(evaluasi.finalized_at)
    atasan: Pegawai | None
    if keberatan is not None:
        atasan = keberatan.decider
    elif evaluasi.rater is not None:
        atasan = rater_for(evaluasi.rater, on=final_on)
    else:
        atasan = None
    capaian = capaian_for(evaluasi)
    perilaku = [
        PerilakuLine(n, item.value.name, item.value.guides, item.ekspektasi, by_value.get(n, []))
        for n, item in enumerate(view.perilaku, start=1)
    ]
    dated = (note.decided_on if note else None) or final_on or timezone.localdate()
    return EvaluasiData(
        evaluasi_id=evaluasi.pk,
        year=evaluasi.year,
        period=evaluasi.period,
        instansi_name=view.instansi_name,
        pendekatan=f"PENDEKATAN HASIL KERJA {skp.pendekatan}",
        audience=document_audience(skp.jabatan.jenis),
        periode_label=label,
        periode_start=start,
        periode_end=end,
        is_jpt=view.is_jpt,
        is_unit_head=evaluasi.is_unit_head,
        pegawai=view.pegawai,
        rater=_block(evaluasi.rater),
        atasan=_block(atasan),
        capaian=capaian.predikat if capaian else "",
        capaian_unit=capaian.unit.name if capaian else "",
        utama=_rhk_lines(view.utama, progress, by_rhk, evaluasi.period),
        tambahan=_rhk_lines(view.tambahan, progress, by_rhk, evaluasi.period),
        perilaku=perilaku,
        rating_hasil=evaluasi.rating_hasil,
        rating_perilaku=evaluasi.rating_perilaku,
        predikat=evaluasi.predikat,
        predikat_penilai=evaluasi.predikat_penilai,
        calibrated=Kalibrasi.objects.filter(evaluasi=evaluasi).exists(),
        keberatan=note,
        catatan=evaluasi.catatan,
        is_final=evaluasi.status == "FINAL",
        dated=dated,
    )


# --- the unit recap ------------------------------------------------------------------------


@dataclass(frozen=True)
class RekapRow:
    nip: str
    name: str
    jabatan: str
    unit: str
    rater: str
    status: str  # "FINAL", "DRAFT" or "" (not evaluated yet)
    rating_hasil: str
    rating_perilaku: str
    predikat: str
    predikat_penilai: str
    calibrated: bool
    keberatan: str  # StatusKeberatan code or ""
    is_unit_head: bool


@dataclass(frozen=True)
class RekapData:
    instansi_name: str
    unit_name: str
    year: int
    period: int
    periode_label: str
    capaian: str
    capaian_unit: str
    rows: list[RekapRow]
    counts: dict[str, int] = field(default_factory=dict)
    violations: list[rules.Violation] = field(default_factory=list)
    min_group_size: int = 5


def _own_draft(evaluasi: Evaluasi, reader: int | None) -> bool:
    return evaluasi.pegawai_id == reader and evaluasi.status != StatusEvaluasi.FINAL


def _blank_ratings(evaluasi: Evaluasi) -> None:
    evaluasi.rating_hasil = evaluasi.rating_perilaku = ""
    evaluasi.predikat = evaluasi.predikat_penilai = ""


def rekap_data(unit: UnitKerja, year: int, period: int, *, reader: int | None) -> RekapData:
    """Every pegawai of the unit subtree (by the evaluation's unit snapshot, plus today's
    holders of a jabatan there without an evaluation) and the predicate counts against the
    pattern of the unit's capaian (the unit's own or the nearest above). `reader` is the
    reading pegawai's id: his own draft evaluation (a unit head's, in his own unit) shows
    no rating or predicate and is left out of the counts, so they don't give it away
    (docs/evaluation.md §2)."""
    evaluations = list(
        Evaluasi.objects.filter(
            instansi_id=unit.instansi_id, year=year, period=period,
            unit_path__startswith=unit.path,
        ).select_related("pegawai", "rater", "skp__jabatan", "unit", "keberatan")
        .order_by("unit_path", "pegawai__name")
    )  # fmt: skip
    calibrated = set(
        Kalibrasi.objects.filter(evaluasi__in=[e.pk for e in evaluations]).values_list(
            "evaluasi_id", flat=True
        )
    )
    for e in evaluations:
        if _own_draft(e, reader):
            _blank_ratings(e)  # in memory only: this read never saves
    rows = []
    for e in evaluations:
        keberatan = getattr(e, "keberatan", None)
        rows.append(
            RekapRow(
                nip=e.pegawai.nip, name=e.pegawai.display_name, jabatan=e.skp.jabatan.name,
                unit=e.unit.name, rater=e.rater.display_name if e.rater else "",
                status=e.status, rating_hasil=e.rating_hasil, rating_perilaku=e.rating_perilaku,
                predikat=e.predikat, predikat_penilai=e.predikat_penilai,
                calibrated=e.pk in calibrated, keberatan=keberatan.status if keberatan else "",
                is_unit_head=e.is_unit_head,
            )
        )  # fmt: skip
    evaluated = {e.pegawai_id for e in evaluations}
    others = (
        Pegawai.objects.filter(
            jabatan__unit__path__startswith=unit.path, instansi_id=unit.instansi_id
        )
        .exclude(pk__in=evaluated)
        .select_related("jabatan__unit")
        .order_by("jabatan__unit__path", "name")
    )
    for p in others:
        assert p.jabatan is not None
        rows.append(
            RekapRow(
                nip=p.nip, name=p.display_name, jabatan=p.jabatan.name, unit=p.jabatan.unit.name,
                rater="", status="", rating_hasil="", rating_perilaku="", predikat="",
                predikat_penilai="", calibrated=False, keberatan="",
                is_unit_head=p.jabatan.is_unit_head,
            )
        )  # fmt: skip
    ids = unit_ids_of(unit.path)
    found = {
        c.unit_id: c
        for c in CapaianOrganisasi.objects.filter(
            unit_id__in=ids, year=year, period=period
        ).select_related("unit")
    }
    capaian = next((found[i] for i in reversed(ids) if i in found), None)
    counts = dict.fromkeys(rules.PREDIKAT, 0)
    for e in evaluations:
        if e.predikat:
            counts[e.predikat] += 1
    min_size = pengaturan_for(unit.instansi_id).min_group_size
    violations = (
        rules.distribution_violations(capaian.predikat, counts, min_group_size=min_size)
        if capaian
        else []
    )
    return RekapData(
        instansi_name=unit.instansi.name,
        unit_name=unit.name,
        year=year,
        period=period,
        periode_label=evaluation_period(unit.instansi_id, year, period).label,
        capaian=capaian.predikat if capaian else "",
        capaian_unit=capaian.unit.name if capaian else "",
        rows=rows,
        counts=counts,
        violations=violations,
        min_group_size=min_size,
    )
