"""The evaluation recap of a unit and period as a workbook (openpyxl): every pegawai of the unit
subtree with ratings, predikat (in force and as the rater gave it), calibration and keberatan,
and the predicate counts against the distribution pattern of the unit's capaian.

Pure rendering from a `RekapData` (rekap_queries.rekap_data); never queries.
"""

from __future__ import annotations

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kinerja.core.xlsx import workbook_bytes

from . import rules
from .documents import org_label, predikat_label, rating_label
from .models import StatusKeberatan
from .rekap_queries import RekapData

TITLE = "REKAPITULASI EVALUASI KINERJA PEGAWAI"
HEADERS = (
    "NO",
    "NIP",
    "NAMA",
    "JABATAN",
    "UNIT KERJA",
    "PEJABAT PENILAI KINERJA",
    "STATUS",
    "RATING HASIL KERJA",
    "RATING PERILAKU KERJA",
    "PREDIKAT KINERJA PEGAWAI",
    "PREDIKAT DARI PEJABAT PENILAI",
    "DIKALIBRASI",
    "KEBERATAN",
)
WIDTHS = (5, 21, 28, 30, 28, 26, 16, 20, 20, 22, 22, 12, 24)
STATUS_LABELS = {"FINAL": "Final", "DRAFT": "Draf", "": "Belum dievaluasi"}
_BOLD = Font(name="Arial", size=10, bold=True)
_TITLE = Font(name="Arial", size=12, bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="EEEEEE")
_WRAP = Alignment(wrap_text=True, vertical="top")


def filename(data: RekapData) -> str:
    label = "TAHUNAN" if data.period == 0 else f"P{data.period}"
    return f"REKAP-EVALUASI-{data.unit_name.replace(' ', '_')}-{data.year}-{label}.xlsx"


def _keberatan(code: str) -> str:
    return str(StatusKeberatan(code).label) if code else "-"


def _header(ws: Worksheet, row: int, labels: tuple[str, ...]) -> None:
    for col, label in enumerate(labels, start=1):
        cell = ws.cell(row=row, column=col, value=label)
        cell.font, cell.fill, cell.alignment = _BOLD, _HEAD_FILL, _WRAP


def _rekap_sheet(ws: Worksheet, data: RekapData) -> None:
    ws.title = "Rekap"
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws["A1"], ws["A2"] = TITLE, data.instansi_name.upper()
    ws["A3"] = f"UNIT KERJA: {data.unit_name}"
    ws["A4"] = f"PERIODE: {data.periode_label} TAHUN {data.year}"
    ws["A5"] = f"CAPAIAN KINERJA ORGANISASI: {org_label(data.capaian)}" + (
        f" ({data.capaian_unit})" if data.capaian_unit else ""
    )
    ws["A1"].font = _TITLE
    _header(ws, 7, HEADERS)
    for number, row in enumerate(data.rows, start=1):
        values: tuple[int | str, ...] = (
            number,
            row.nip,
            row.name + (" (kepala unit)" if row.is_unit_head else ""),
            row.jabatan,
            row.unit,
            row.rater or "-",
            STATUS_LABELS.get(row.status, row.status),
            rating_label(row.rating_hasil),
            rating_label(row.rating_perilaku),
            predikat_label(row.predikat),
            predikat_label(row.predikat_penilai),
            "Ya" if row.calibrated else "Tidak",
            _keberatan(row.keberatan),
        )
        for col, value in enumerate(values, start=1):
            ws.cell(row=7 + number, column=col, value=value).alignment = _WRAP
    ws.freeze_panes = "D8"
    ws.auto_filter.ref = f"A7:{get_column_letter(len(HEADERS))}{7 + max(len(data.rows), 1)}"


def _distribusi_sheet(ws: Worksheet, data: RekapData) -> None:
    ws.column_dimensions["A"].width = 60
    for col in "BCD":
        ws.column_dimensions[col].width = 16
    total = sum(data.counts.values())
    ws["A1"] = "POLA DISTRIBUSI PREDIKAT KINERJA PEGAWAI"
    ws["A1"].font = _TITLE
    ws["A2"] = f"UNIT KERJA: {data.unit_name} · PERIODE: {data.periode_label} TAHUN {data.year}"
    ws["A3"] = f"CAPAIAN KINERJA ORGANISASI: {org_label(data.capaian)}"
    _header(ws, 5, ("PREDIKAT KINERJA PEGAWAI", "JUMLAH", "PERSEN"))
    shares = rules.shares(data.counts)
    for offset, code in enumerate(rules.PREDIKAT, start=6):
        ws.cell(row=offset, column=1, value=predikat_label(code))
        ws.cell(row=offset, column=2, value=data.counts.get(code, 0))
        ws.cell(row=offset, column=3, value=float(shares[code]))
    row = 6 + len(rules.PREDIKAT)
    ws.cell(row=row, column=1, value="JUMLAH DENGAN PREDIKAT").font = _BOLD
    ws.cell(row=row, column=2, value=total).font = _BOLD
    row += 2
    _header(ws, row, ("KETENTUAN POLA DISTRIBUSI", "HASIL", "", ""))
    breached = {v.rule: v for v in data.violations}
    if not data.capaian:
        row += 1
        ws.cell(row=row, column=1, value="Capaian kinerja organisasi belum ditetapkan.")
    for rule in rules.pattern_rules(data.capaian) if data.capaian else []:
        row += 1
        ws.cell(row=row, column=1, value=rule).alignment = _WRAP
        violation = breached.get(rule)
        if total == 0:
            verdict = "Belum ada predikat"
        elif violation is None:
            verdict = "Terpenuhi"
        else:
            verdict = f"Tidak terpenuhi ({violation.count} dari {violation.total})"
        ws.cell(row=row, column=2, value=verdict)
    if data.capaian and 0 < total < data.min_group_size:
        row += 2
        ws.cell(
            row=row,
            column=1,
            value=(
                f"Kelompok kurang dari {data.min_group_size} pegawai: pola distribusi hanya "
                "sebagai peringatan."
            ),
        )
    row += 2
    ws.cell(
        row=row,
        column=1,
        value=(
            "Jumlah ini mencakup seluruh evaluasi di unit dan sub-unitnya; kelompok pola "
            "distribusi per unit ditampilkan di halaman distribusi."
        ),
    ).alignment = _WRAP


def rekap_xlsx_bytes(data: RekapData) -> bytes:
    with translation.override("id"):
        workbook = Workbook()
        ws = workbook.active
        assert ws is not None
        _rekap_sheet(ws, data)
        _distribusi_sheet(workbook.create_sheet("Distribusi"), data)
    return workbook_bytes(workbook)
