"""The data the evaluation documents show (domain.md §11.2, §11.3), read in a constant number of
queries (the unit recap's is in rekap_queries.py). `documents.py` renders these objects and
never queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from kinerja.org.hierarchy import rater_for
from kinerja.org.models import Pegawai
from kinerja.plans.queries import PersonBlock, RhkView, person_block, skp_view
from kinerja.plans.rules import document_audience
from kinerja.progress.feedback_models import UmpanBalik
from kinerja.progress.queries import IkiProgress, iki_progress, realised_value

from .models import (
    ANNUAL,
    CapaianOrganisasi,
    Evaluasi,
    Kalibrasi,
    Keberatan,
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
