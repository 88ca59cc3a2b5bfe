"""The unit recap's data (rekap XLSX, page and API), read in a constant number of queries;
`documents_rekap.py` renders it and never queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from kinerja.org.models import Pegawai, UnitKerja

from . import rules
from .document_queries import unit_ids_of
from .guards import pengaturan_for
from .models import CapaianOrganisasi, Evaluasi, Kalibrasi, StatusEvaluasi
from .services import evaluation_period


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
