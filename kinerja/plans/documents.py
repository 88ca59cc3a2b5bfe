"""The SKP document in the official layout (../shared/domain.md §11.1): its content, and the PDF.

Pure rendering: every function here receives an `SkpView` (built by `queries.skp_view`) and never
queries the database. The PDF and the workbook (`documents_xlsx`) share one model of the document
(`SkpDocument`) and of its HASIL KERJA table (`Grid`), so both show the same cells in the same
places.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Iki, Pendekatan, StatusSkp
from .queries import PersonBlock, RhkView, SkpView
from .rules import MONTH_NAMES, document_audience

TITLE = "SASARAN KINERJA PEGAWAI"
LAMPIRAN_TITLE = "LAMPIRAN SASARAN KINERJA PEGAWAI"
LAMPIRAN_SECTIONS = (
    ("DUKUNGAN_SUMBER_DAYA", "DUKUNGAN SUMBER DAYA"),
    ("SKEMA_PERTANGGUNGJAWABAN", "SKEMA PERTANGGUNGJAWABAN"),
    ("KONSEKUENSI", "KONSEKUENSI"),
)
IDENTITY_LABELS = ("NAMA", "NIP", "PANGKAT/GOL. RUANG", "JABATAN", "UNIT KERJA")
UKURAN = "Ukuran keberhasilan/Indikator Kinerja Individu, dan Target"
UKURAN_JPT = "Ukuran keberhasilan/Indikator Kinerja Individu, Target, dan Perspektif"
COLUMNS = 6  # every table of the document is laid out on six columns
BLANK_PLACE_DATE = "…………………, …………………"  # place and date to fill in by hand


# --- small formatting helpers --------------------------------------------------------------


def tanggal(day: date) -> str:
    """An Indonesian date as written under a signature: "23 November 2026"."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def periode(start: date, end: date) -> str:
    """ "01 JANUARI SD 31 DESEMBER TAHUN 2026" (a mutasi SKP shows its own dates)."""

    def part(day: date) -> str:
        return f"{day.day:02d} {MONTH_NAMES[day.month - 1].upper()}"

    years = f"{end.year}" if start.year == end.year else f"{start.year}–{end.year}"
    return f"{part(start)} SD {part(end)} TAHUN {years}"


def status_line(view: SkpView) -> str:
    """The discreet version/status note printed in the footer."""
    skp = view.skp
    if skp.status == StatusSkp.DISETUJUI:
        note = f"Versi {skp.version} · Disetujui"
        if skp.approved_at is not None:
            note += f" {_local_date(skp.approved_at):%d-%m-%Y}"
        if not skp.is_current:
            note += " · sudah digantikan versi yang lebih baru"
        return note
    label = {
        StatusSkp.DRAFT: "DRAF",
        StatusSkp.DIAJUKAN: "DIAJUKAN",
        StatusSkp.DIKEMBALIKAN: "DIKEMBALIKAN",
    }.get(StatusSkp(skp.status), skp.status)
    return f"Versi {skp.version} · {label} — belum disetujui"


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def filename(view: SkpView, extension: str) -> str:
    skp = view.skp
    return f"SKP-{view.pegawai.nip}-{skp.year}-v{skp.version}.{extension}"


# --- the HASIL KERJA table as a grid ----------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    text: str
    col: int  # 0-based; a cell covers columns col … col + colspan - 1
    colspan: int = 1
    rowspan: int = 1
    kind: str = ""  # "head", "num" (column numbers), "section", "center", "note"


@dataclass
class Grid:
    widths: tuple[int, ...]  # per column, in percent of the table width
    head: list[list[Cell]] = field(default_factory=list)
    body: list[list[Cell]] = field(default_factory=list)


def _header(labels: list[tuple[str, int]]) -> list[list[Cell]]:
    """Two header rows: the labels, then "(1)", "(2)", … as the official form numbers them."""
    names, numbers, col = [], [], 0
    for number, (label, span) in enumerate(labels, start=1):
        names.append(Cell(label, col, span, kind="head"))
        numbers.append(Cell(f"({number})", col, span, kind="num"))
        col += span
    assert col == COLUMNS
    return [names, numbers]


def _rhk_text(item: RhkView) -> str:
    text = item.rhk.text
    if item.rhk.source:
        text += f"\n(penugasan dari {item.rhk.source})"
    return text


def _parent_text(item: RhkView) -> str:
    return item.parent_text or "-"


def _perspektif(iki: Iki) -> str:
    return str(iki.get_perspektif_display()) if iki.perspektif else "-"


def _ukuran_lines(item: RhkView, *, jpt: bool) -> str:
    """The kualitatif block: each indicator with its narrative target (or, failing that, the
    numeric one)."""
    lines = [(UKURAN_JPT if jpt else UKURAN) + ":"]
    for iki in item.ikis:
        line = f"- {iki.text}"
        target = iki.target_narrative.strip() or iki.target_display
        if target:
            line += f": {target}"
        if jpt:
            line += f" (Perspektif: {_perspektif(iki)})"
        lines.append(line)
    if not item.ikis:
        lines.append("-")
    return "\n".join(lines)


def hasil_kerja_grid(view: SkpView) -> Grid:
    """The HASIL KERJA table of the SKP's variant: JA/JF or JPT, kuantitatif or kualitatif."""
    kualitatif = view.skp.pendekatan == Pendekatan.KUALITATIF
    if view.is_jpt and not kualitatif:
        grid = Grid(
            widths=(4, 30, 24, 14, 14, 14),
            head=_header(
                [
                    ("NO", 1),
                    ("RENCANA HASIL KERJA", 1),
                    ("INDIKATOR KINERJA INDIVIDU", 2),
                    ("TARGET", 1),
                    ("PERSPEKTIF", 1),
                ]
            ),
        )
    elif view.is_jpt:
        grid = Grid(
            widths=(4, 32, 16, 16, 16, 16),
            head=_header([("NO", 1), ("RENCANA HASIL KERJA", 5)]),
        )
    elif kualitatif:
        grid = Grid(
            widths=(4, 40, 14, 14, 14, 14),
            head=_header(
                [
                    ("NO", 1),
                    ("RENCANA HASIL KERJA PIMPINAN/ATASAN YANG DIINTERVENSI", 1),
                    ("RENCANA HASIL KERJA", 4),
                ]
            ),
        )
    else:
        grid = Grid(
            widths=(4, 24, 24, 10, 24, 14),
            head=_header(
                [
                    ("NO", 1),
                    ("RENCANA HASIL KERJA PIMPINAN/ATASAN YANG DIINTERVENSI", 1),
                    ("RENCANA HASIL KERJA", 1),
                    ("ASPEK", 1),
                    ("INDIKATOR KINERJA INDIVIDU", 1),
                    ("TARGET", 1),
                ]
            ),
        )
    for title, items in (("A. UTAMA", view.utama), ("B. TAMBAHAN", view.tambahan)):
        grid.body.append([Cell(title, 0, COLUMNS, kind="section")])
        if not items:
            grid.body.append([Cell("-", 0, COLUMNS, kind="center")])
        for item in items:
            grid.body.extend(_rhk_rows(view, item, kualitatif=kualitatif))
    return grid


def _rhk_rows(view: SkpView, item: RhkView, *, kualitatif: bool) -> list[list[Cell]]:
    number = Cell(str(item.number), 0, kind="center")
    if kualitatif:
        number = Cell(number.text, 0, rowspan=2, kind="center")
        if view.is_jpt:
            first = [number, Cell(_rhk_text(item), 1, 5)]
        else:
            first = [number, Cell(_parent_text(item), 1), Cell(_rhk_text(item), 2, 4)]
        return [first, [Cell(_ukuran_lines(item, jpt=view.is_jpt), 1, 5, kind="note")]]
    ikis: list[Iki | None] = list(item.ikis) or [None]
    span = len(ikis)
    rows: list[list[Cell]] = []
    for index, iki in enumerate(ikis):
        row: list[Cell] = []
        if index == 0:
            row.append(Cell(number.text, 0, rowspan=span, kind="center"))
            if view.is_jpt:
                row.append(Cell(_rhk_text(item), 1, rowspan=span))
            else:
                row.append(Cell(_parent_text(item), 1, rowspan=span))
                row.append(Cell(_rhk_text(item), 2, rowspan=span))
        text = iki.text if iki else "-"
        target = iki.target_display if iki else "-"
        if view.is_jpt:
            row.append(Cell(text, 2, 2))
            row.append(Cell(target or "-", 4, kind="center"))
            row.append(Cell(_perspektif(iki) if iki else "-", 5, kind="center"))
        else:
            aspek = str(iki.get_aspek_display()) if iki and iki.aspek else "-"
            row.append(Cell(aspek, 3, kind="center"))
            row.append(Cell(text, 4))
            row.append(Cell(target or "-", 5, kind="center"))
        rows.append(row)
    return rows


# --- the document as a whole ------------------------------------------------------------------


@dataclass(frozen=True)
class IdentityRow:
    number: int
    label: str
    pegawai: str
    rater: str


def identity_rows(view: SkpView) -> list[IdentityRow]:
    def values(block: PersonBlock | None) -> list[str]:
        if block is None:
            return [""] * 5
        return [block.name, block.nip, block.pangkat, block.jabatan, block.unit]

    return [
        IdentityRow(n, label, p, r)
        for n, (label, p, r) in enumerate(
            zip(IDENTITY_LABELS, values(view.pegawai), values(view.rater), strict=True), start=1
        )
    ]


def lampiran_lists(view: SkpView) -> list[tuple[str, list[str]]]:
    return [(title, view.lampiran.get(kind, [])) for kind, title in LAMPIRAN_SECTIONS]


@dataclass(frozen=True)
class SkpDocument:
    """Everything the PDF template and the workbook show, already worded."""

    view: SkpView
    title: str
    pendekatan: str
    audience: str
    periode: str
    identity: list[IdentityRow]
    grid: Grid
    lampiran: list[tuple[str, list[str]]]
    lampiran_title: str
    place_date: str
    status_line: str
    is_draft: bool
    owner: str


def skp_document(view: SkpView, *, place_date: str) -> SkpDocument:
    skp = view.skp
    return SkpDocument(
        view=view,
        title=TITLE,
        pendekatan=f"PENDEKATAN HASIL KERJA {skp.pendekatan}",
        audience=document_audience(skp.jabatan.jenis),
        periode=periode(skp.start_date, skp.end_date),
        identity=identity_rows(view),
        grid=hasil_kerja_grid(view),
        lampiran=lampiran_lists(view),
        lampiran_title=LAMPIRAN_TITLE,
        place_date=place_date,
        status_line=status_line(view),
        is_draft=skp.status != StatusSkp.DISETUJUI,
        owner=f"{view.pegawai.name} (NIP {view.pegawai.nip})",
    )


def place_and_date(place: str, day: date | None) -> str:
    """ "Sukamaju, 23 November 2026"; only the date without a place; dots to fill in without
    a date."""
    if day is None:
        return BLANK_PLACE_DATE
    return f"{place.strip()}, {tanggal(day)}" if place.strip() else tanggal(day)


# --- PDF ------------------------------------------------------------------------------------


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    """WeasyPrint must not fetch anything: fonts are the machine's, there are no images."""
    raise ValueError(f"Dokumen SKP tidak memuat sumber luar: {url}")


def skp_pdf_html(view: SkpView, *, printed_on: date, place: str) -> str:
    with translation.override("id"):
        doc = skp_document(view, place_date=place_and_date(place, printed_on))
        return render_to_string("plans/skp_pdf.html", {"doc": doc, "view": view})


def skp_pdf_bytes(view: SkpView, *, printed_on: date, place: str) -> bytes:
    """The SKP as an A4 landscape PDF."""
    from weasyprint import HTML  # imported lazily: it loads fonts and is heavy

    html = skp_pdf_html(view, printed_on=printed_on, place=place)
    pdf = HTML(string=html, url_fetcher=_no_fetch).write_pdf()
    assert pdf is not None
    return bytes(pdf)
