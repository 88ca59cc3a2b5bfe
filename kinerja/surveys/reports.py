"""The SKM report (PermenPANRB 14/2017, ../shared/domain.md §12) as PDF and XLSX.

Pure rendering: both exports receive an `SkmReportData` already gathered by the caller and never
query the database. They share `report_view`, so the PDF and the workbook show the same rows,
numbers and notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from kinerja.core.xlsx import workbook_bytes
from kinerja.plans.rules import MONTH_NAMES

from .rules import (
    UNSUR,
    IkmResult,
    konversi_change,
    krejcie_morgan,
    nrr_change,
    nrr_tertimbang,
    round_half_up,
    weakest_unsur,
)

DEMOGRAPHIC_TITLES = {
    "usia": "Usia",
    "jenis_kelamin": "Jenis kelamin",
    "pendidikan": "Pendidikan",
    "pekerjaan": "Pekerjaan",
}


@dataclass(frozen=True)
class SkmReportData:
    """Everything one SKM report shows, gathered by the caller (the exports never query)."""

    title: str
    instansi_name: str
    unit_name: str
    layanan_name: str | None  # None: the report covers the whole unit
    period_label: str
    result: IkmResult
    previous: IkmResult | None
    previous_label: str | None
    demographics: dict[str, dict[str, int]]  # usia / jenis_kelamin / … -> label (id) -> count
    saran: list[str]
    sample_minimum: int | None
    population: int | None
    generated_at: datetime


# --- the shared view ------------------------------------------------------------------------


def angka(value: Decimal, places: int = 2) -> str:
    """A decimal the Indonesian way: 3,6667 · 83,33 · -0,1250."""
    text = f"{value:.{places}f}"
    return text.replace(".", ",")


def selisih(value: Decimal, places: int = 4) -> str:
    """A signed difference: +0,2500 · -0,1000 · 0,0000."""
    sign = "+" if value > 0 else ""
    return sign + angka(value, places)


def tanggal_jam(moment: datetime) -> str:
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return f"{local.day} {MONTH_NAMES[local.month - 1]} {local.year} {local:%H.%M}"


@dataclass(frozen=True)
class UnsurRow:
    number: int
    code: str
    label: str
    nrr: Decimal
    tertimbang: Decimal
    previous: Decimal | None
    delta: Decimal | None
    weakest: bool


@dataclass(frozen=True)
class DemographicRow:
    label: str
    count: int
    percent: str  # "37,5"


@dataclass(frozen=True)
class DemographicTable:
    title: str
    rows: list[DemographicRow]
    total: int


@dataclass(frozen=True)
class ReportView:
    data: SkmReportData
    scope: str  # "Layanan X — Unit Y" or "Unit Y"
    unsur: list[UnsurRow]
    weakest: UnsurRow
    konversi_delta: Decimal | None
    trend: str  # "naik 2,15 poin" / "turun …" / "tetap" / ""
    sample_minimum: int | None
    sample_adequate: bool | None
    sample_note: str
    demographics: list[DemographicTable]
    generated: str


def sample_note(respondents: int, minimum: int | None, population: int | None) -> str:
    if minimum is None:
        return (
            f"Jumlah responden {respondents}. Populasi pengguna layanan belum diisi, sehingga "
            "kecukupan sampel (Krejcie–Morgan) tidak dapat dinilai."
        )
    basis = f" untuk populasi {population}" if population is not None else ""
    if respondents >= minimum:
        return f"Sampel memadai: {respondents} responden, minimum Krejcie–Morgan {minimum}{basis}."
    return (
        f"Sampel belum memadai: {respondents} responden dari minimum Krejcie–Morgan "
        f"{minimum}{basis} (kurang {minimum - respondents}); hasil belum dapat dianggap "
        "mewakili seluruh pengguna layanan."
    )


def _demographics(source: dict[str, dict[str, int]]) -> list[DemographicTable]:
    tables = []
    for key, counts in source.items():
        total = sum(counts.values())
        rows = [
            DemographicRow(
                label,
                count,
                angka(round_half_up(Fraction(100 * count, total), 1), 1) if total else "0,0",
            )
            for label, count in counts.items()
        ]
        title = DEMOGRAPHIC_TITLES.get(key, key.replace("_", " ").capitalize())
        tables.append(DemographicTable(title, rows, total))
    return tables


def report_view(data: SkmReportData) -> ReportView:
    result, previous = data.result, data.previous
    weighted = nrr_tertimbang(result.nrr)
    low = weakest_unsur(result.nrr)
    change = nrr_change(result, previous) if previous else None
    rows = [
        UnsurRow(
            number=index + 1,
            code=code.upper(),
            label=label,
            nrr=result.nrr[index],
            tertimbang=weighted[index],
            previous=previous.nrr[index] if previous else None,
            delta=change[index] if change else None,
            weakest=index == low,
        )
        for index, (code, label) in enumerate(UNSUR)
    ]
    delta = konversi_change(result, previous) if previous else None
    if delta is None:
        trend = ""
    elif delta == 0:
        trend = "tetap"
    else:
        trend = f"{'naik' if delta > 0 else 'turun'} {angka(abs(delta))} poin"
    minimum = data.sample_minimum
    if minimum is None and data.population is not None and data.population > 0:
        minimum = krejcie_morgan(data.population)
    scope = f"Unit {data.unit_name}"
    if data.layanan_name:
        scope = f"Layanan {data.layanan_name} — {scope}"
    return ReportView(
        data=data,
        scope=scope,
        unsur=rows,
        weakest=rows[low],
        konversi_delta=delta,
        trend=trend,
        sample_minimum=minimum,
        sample_adequate=None if minimum is None else result.respondents >= minimum,
        sample_note=sample_note(result.respondents, minimum, data.population),
        demographics=_demographics(data.demographics),
        generated=tanggal_jam(data.generated_at),
    )


def report_filename(data: SkmReportData, extension: str) -> str:
    parts = [data.unit_name, data.layanan_name or "", data.period_label]
    return "SKM-" + "-".join(slugify(p) for p in parts if p) + f".{extension}"


# --- PDF ------------------------------------------------------------------------------------


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    """WeasyPrint must not fetch anything: fonts are the machine's, there are no images."""
    raise ValueError(f"Laporan SKM tidak memuat sumber luar: {url}")


def _pdf_numbers(view: ReportView) -> dict[str, Any]:
    """The numbers of the PDF, written the Indonesian way."""
    result, previous = view.data.result, view.data.previous
    rows = [
        {
            "number": row.number,
            "code": row.code,
            "label": row.label,
            "weakest": row.weakest,
            "nrr": angka(row.nrr, 4),
            "tertimbang": angka(row.tertimbang, 4),
            "previous": angka(row.previous, 4) if row.previous is not None else "",
            "delta": selisih(row.delta) if row.delta is not None else "",
        }
        for row in view.unsur
    ]
    return {
        "ikm": angka(result.ikm, 4),
        "konversi": angka(result.ikm_konversi),
        "weakest_nrr": angka(view.weakest.nrr, 4),
        "rows": rows,
        "tertimbang_total": angka(result.ikm, 4),
        "previous_konversi": angka(previous.ikm_konversi) if previous else "",
        "konversi_delta": selisih(view.konversi_delta, 2)
        if view.konversi_delta is not None
        else "",
    }


def report_pdf_html(data: SkmReportData) -> str:
    view = report_view(data)
    with translation.override("id"):
        return render_to_string(
            "surveys/report_pdf.html", {"view": view, "pdf": _pdf_numbers(view)}
        )


def render_report_pdf(data: SkmReportData) -> bytes:
    """The SKM report as an A4 portrait PDF."""
    from weasyprint import HTML  # imported lazily: it loads fonts and is heavy

    pdf = HTML(string=report_pdf_html(data), url_fetcher=_no_fetch).write_pdf()
    assert pdf is not None
    return bytes(pdf)


# --- XLSX -----------------------------------------------------------------------------------

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BOLD = Font(name="Arial", size=10, bold=True)
_TITLE = Font(name="Arial", size=12, bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="EEEEEE")
_WRAP = Alignment(wrap_text=True, vertical="top")
NRR_FORMAT = "0.0000"
DELTA_FORMAT = "+0.0000;-0.0000;0.0000"


def _row(ws: Worksheet, values: list[Any], *, head: bool = False, fmt: str = "") -> None:
    ws.append(values)
    for cell in ws[ws.max_row]:
        cell.border = _BORDER
        cell.alignment = _WRAP
        if head:
            cell.font = _BOLD
            cell.fill = _HEAD_FILL
        elif fmt and isinstance(cell.value, Decimal | float):
            cell.number_format = fmt


def _summary_sheet(ws: Worksheet, view: ReportView) -> None:
    data, result = view.data, view.data.result
    ws.title = "Ringkasan"
    for column, width in zip("ABCDEF", (6, 44, 12, 14, 14, 12), strict=True):
        ws.column_dimensions[column].width = width
    ws.append([data.title])
    ws["A1"].font = _TITLE
    for label, value in (
        ("Instansi", data.instansi_name),
        ("Cakupan", view.scope),
        ("Periode", data.period_label),
        ("Dibuat", view.generated),
    ):
        ws.append([label, value])
    ws.append([])
    _row(ws, ["Hasil", "Nilai"], head=True)
    _row(ws, ["Jumlah responden", result.respondents])
    _row(ws, ["IKM (skala 1–4)", result.ikm], fmt=NRR_FORMAT)
    _row(ws, ["IKM konversi (25–100)", result.ikm_konversi], fmt="0.00")
    _row(ws, ["Mutu pelayanan", result.mutu])
    _row(ws, ["Kinerja unit pelayanan", result.kinerja_label])
    _row(ws, ["Unsur terendah", f"{view.weakest.code} {view.weakest.label}"])
    _row(ws, ["Kecukupan sampel", view.sample_note])
    if data.previous is not None:
        _row(ws, [f"IKM konversi {data.previous_label or 'periode sebelumnya'}",
                  data.previous.ikm_konversi], fmt="0.00")  # fmt: skip
        _row(ws, ["Mutu periode sebelumnya", data.previous.mutu])
        _row(ws, ["Perubahan IKM konversi", view.konversi_delta], fmt="+0.00;-0.00;0.00")
    ws.append([])
    head = ["No", "Unsur pelayanan", "NRR", "NRR tertimbang"]
    if data.previous is not None:
        head += ["NRR sebelumnya", "Selisih"]
    _row(ws, head, head=True)
    for item in view.unsur:
        values: list[Any] = [item.number, f"{item.code} {item.label}", item.nrr, item.tertimbang]
        if data.previous is not None:
            values += [item.previous, item.delta]
        _row(ws, values, fmt=NRR_FORMAT)
        if item.delta is not None:
            ws.cell(row=ws.max_row, column=6).number_format = DELTA_FORMAT
    # The total is the IKM from the exact NRR, not the sum of the rounded column above.
    _row(ws, ["", "IKM = Σ NRR × 1/9 (dihitung tepat)", "", result.ikm], fmt=NRR_FORMAT)


def _respondent_sheet(ws: Worksheet, view: ReportView) -> None:
    ws.column_dimensions["A"].width = 36
    ws.append(["Profil responden"])
    ws["A1"].font = _TITLE
    for table in view.demographics:
        ws.append([])
        _row(ws, [table.title, "Jumlah", "Persen"], head=True)
        for row in table.rows:
            _row(ws, [row.label, row.count, float(row.percent.replace(",", "."))], fmt="0.0")
        _row(ws, ["Jumlah", table.total, 100.0 if table.total else 0.0], fmt="0.0")


def _saran_sheet(ws: Worksheet, view: ReportView) -> None:
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 100
    _row(ws, ["No", "Saran dan masukan responden"], head=True)
    for number, text in enumerate(view.data.saran, start=1):
        _row(ws, [number, text])
    if not view.data.saran:
        _row(ws, ["-", "Tidak ada saran."])


def render_report_xlsx(data: SkmReportData) -> bytes:
    """The SKM report as a workbook: "Ringkasan" (IKM, mutu, NRR per unsur, comparison,
    sample note), "Responden" (demographics) and "Saran"."""
    view = report_view(data)
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    _summary_sheet(first, view)
    _respondent_sheet(workbook.create_sheet("Responden"), view)
    _saran_sheet(workbook.create_sheet("Saran"), view)
    return workbook_bytes(workbook)
