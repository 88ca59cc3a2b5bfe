"""The SKP document (../shared/domain.md §11.1) as an XLSX workbook.

Pure rendering of the `SkpDocument` that `documents.skp_document` words: the sheet "SKP" lays out
the same HASIL KERJA grid as the PDF; the sheet "Lampiran" holds the three lists.
"""

from __future__ import annotations

from datetime import date

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from kinerja.core.xlsx import workbook_bytes

from .documents import COLUMNS, SkpDocument, place_and_date, skp_document
from .queries import SkpView


def skp_xlsx_bytes(view: SkpView, *, printed_on: date | None = None, place: str = "") -> bytes:
    """The SKP as a workbook: sheet "SKP" (the form) and sheet "Lampiran" (the three lists).
    Without `printed_on` the place and date under the signatures are left to fill in."""
    with translation.override("id"):
        workbook = _workbook(skp_document(view, place_date=place_and_date(place, printed_on)))
    return workbook_bytes(workbook)


XLSX_WIDTHS = (5, 32, 36, 12, 36, 30)  # columns A–F, in characters
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BOLD = Font(name="Arial", size=10, bold=True)
_PLAIN = Font(name="Arial", size=10)
_TITLE = Font(name="Arial", size=12, bold=True)
_SMALL = Font(name="Arial", size=8, color="555555")
_HEAD_FILL = PatternFill("solid", fgColor="EEEEEE")
_SECTION_FILL = PatternFill("solid", fgColor="F5F5F5")
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_WRAP_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
_WRAP_TOP_CENTER = Alignment(wrap_text=True, vertical="top", horizontal="center")


class _Sheet:
    """Writes rows of cells to a worksheet, keeping track of the current row."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.row = 1
        for index, width in enumerate(XLSX_WIDTHS, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width

    def put(
        self,
        row: int,
        col: int,
        text: str,
        *,
        colspan: int = 1,
        rowspan: int = 1,
        font: Font = _PLAIN,
        align: Alignment = _WRAP_TOP,
        fill: PatternFill | None = None,
        border: bool = True,
    ) -> None:
        """`col` is 0-based (0 = column A)."""
        cell = self.ws.cell(row=row, column=col + 1, value=text)
        if colspan > 1 or rowspan > 1:
            self.ws.merge_cells(
                start_row=row,
                start_column=col + 1,
                end_row=row + rowspan - 1,
                end_column=col + colspan,
            )
        for r in range(row, row + rowspan):
            for c in range(col + 1, col + colspan + 1):
                target = self.ws.cell(row=r, column=c)
                if border:
                    target.border = _BORDER
                if fill is not None:
                    target.fill = fill
        cell.font = font
        cell.alignment = align
        self._grow(row, col, colspan, rowspan, text)

    def _grow(self, row: int, col: int, colspan: int, rowspan: int, text: str) -> None:
        """openpyxl does not fit row heights: estimate the lines the text wraps to."""
        chars = max(int(sum(XLSX_WIDTHS[col : col + colspan]) * 1.1), 1)
        lines = sum(max(1, -(-len(part) // chars)) for part in text.split("\n"))
        height = 13.0 * lines / rowspan + 4
        for r in range(row, row + rowspan):
            dims = self.ws.row_dimensions[r]
            dims.height = max(dims.height or 15.0, height)

    def head(self, row: int, col: int, text: str, *, colspan: int = 1, bold: bool = True) -> None:
        font = _BOLD if bold else _PLAIN
        self.put(row, col, text, colspan=colspan, font=font, align=_WRAP_CENTER, fill=_HEAD_FILL)

    def title_row(self, text: str) -> None:
        self.put(self.row, 0, text, colspan=COLUMNS, font=_BOLD, fill=_HEAD_FILL)
        self.row += 1

    def line(self, text: str, *, font: Font = _PLAIN, align: Alignment = _WRAP_CENTER) -> None:
        self.put(self.row, 0, text, colspan=COLUMNS, font=font, align=align, border=False)
        self.row += 1

    def meta(self, left: str, right: str) -> None:
        self.put(self.row, 0, left, colspan=3, font=_BOLD, border=False)
        self.put(
            self.row,
            3,
            right,
            colspan=3,
            font=_BOLD,
            border=False,
            align=Alignment(wrap_text=True, vertical="top", horizontal="right"),
        )
        self.row += 1

    def signatures(self, view: SkpView, place_date: str) -> None:
        self.row += 1
        left = Alignment(horizontal="center", vertical="top", wrap_text=True)
        self.put(self.row, 3, place_date, colspan=3, align=left, border=False)
        self.row += 1
        self.put(self.row, 0, "Pegawai yang Dinilai", colspan=3, align=left, border=False)
        self.put(self.row, 3, "Pejabat Penilai Kinerja", colspan=3, align=left, border=False)
        self.row += 1
        self.ws.row_dimensions[self.row].height = 55
        self.row += 1
        bold = Font(name="Arial", size=10, bold=True, underline="single")
        rater_name = view.rater.name if view.rater else ""
        rater_nip = f"NIP {view.rater.nip}" if view.rater else "NIP"
        self.put(self.row, 0, view.pegawai.name, colspan=3, font=bold, align=left, border=False)
        self.put(self.row, 3, rater_name, colspan=3, font=bold, align=left, border=False)
        self.row += 1
        self.put(self.row, 0, f"NIP {view.pegawai.nip}", colspan=3, align=left, border=False)
        self.put(self.row, 3, rater_nip, colspan=3, align=left, border=False)
        self.row += 1

    def footer(self, text: str) -> None:
        self.row += 1
        self.put(self.row, 0, text, colspan=COLUMNS, font=_SMALL, border=False)
        self.row += 1


def _workbook(doc: SkpDocument) -> Workbook:
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = "SKP"
    _skp_sheet(_Sheet(ws), doc)
    _lampiran_sheet(_Sheet(workbook.create_sheet("Lampiran")), doc)
    for sheet in workbook.worksheets:
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        footer = sheet.oddFooter
        assert footer is not None and footer.left is not None and footer.right is not None
        footer.left.text = doc.status_line
        footer.left.size = 7
        footer.right.text = "Halaman &P dari &N"
        footer.right.size = 7
    return workbook


def _skp_sheet(sheet: _Sheet, doc: SkpDocument) -> None:
    view = doc.view
    for line in (doc.title, doc.pendekatan, doc.audience):
        sheet.line(line, font=_TITLE)
    sheet.row += 1
    sheet.meta(view.instansi_name.upper(), f"PERIODE PENILAIAN: {doc.periode}")
    # identity block: A NO | B label | C value || D NO | E label | F value
    sheet.head(sheet.row, 0, "NO")
    sheet.head(sheet.row, 1, "PEGAWAI YANG DINILAI", colspan=2)
    sheet.head(sheet.row, 3, "NO")
    sheet.head(sheet.row, 4, "PEJABAT PENILAI KINERJA", colspan=2)
    for person in doc.identity:
        sheet.row += 1
        sheet.put(sheet.row, 0, str(person.number), align=_WRAP_TOP_CENTER)
        sheet.put(sheet.row, 1, person.label)
        sheet.put(sheet.row, 2, person.pegawai)
        sheet.put(sheet.row, 3, str(person.number), align=_WRAP_TOP_CENTER)
        sheet.put(sheet.row, 4, person.label)
        sheet.put(sheet.row, 5, person.rater)
    sheet.row += 2
    # HASIL KERJA: the same grid as the PDF
    sheet.title_row("HASIL KERJA")
    for row in doc.grid.head:
        for cell in row:
            sheet.head(
                sheet.row, cell.col, cell.text, colspan=cell.colspan, bold=cell.kind == "head"
            )
        sheet.row += 1
    for row in doc.grid.body:
        for cell in row:
            font, align, fill = _PLAIN, _WRAP_TOP, None
            if cell.kind == "section":
                font, fill = _BOLD, _SECTION_FILL
            elif cell.kind == "center":
                align = _WRAP_TOP_CENTER
            sheet.put(
                sheet.row, cell.col, cell.text, colspan=cell.colspan, rowspan=cell.rowspan,
                font=font, align=align, fill=fill,
            )  # fmt: skip
        sheet.row += 1
    sheet.row += 1
    # PERILAKU KERJA: A NO | B–D core value and its guides | E–F ekspektasi khusus pimpinan
    sheet.title_row("PERILAKU KERJA")
    for number, item in enumerate(view.perilaku, start=1):
        guides = "\n".join(f"{n}. {g}" for n, g in enumerate(item.value.guides, start=1))
        ekspektasi = f"Ekspektasi Khusus Pimpinan:\n{item.ekspektasi or '-'}"
        sheet.put(sheet.row, 0, str(number), align=_WRAP_TOP_CENTER)
        sheet.put(sheet.row, 1, f"{item.value.name}\n{guides}", colspan=3)
        sheet.put(sheet.row, 4, ekspektasi, colspan=2)
        sheet.row += 1
    sheet.signatures(view, doc.place_date)
    sheet.footer(f"SKP {doc.owner} · {doc.status_line}")


def _lampiran_sheet(sheet: _Sheet, doc: SkpDocument) -> None:
    sheet.line(doc.lampiran_title, font=_TITLE)
    sheet.row += 1
    sheet.meta(doc.view.instansi_name.upper(), f"PERIODE PENILAIAN: {doc.periode}")
    for title, items in doc.lampiran:
        sheet.put(sheet.row, 0, title, colspan=COLUMNS, font=_BOLD, fill=_SECTION_FILL)
        sheet.row += 1
        for number, text in enumerate(items or ["-"], start=1):
            sheet.put(sheet.row, 0, f"{number}." if items else "-", align=_WRAP_TOP_CENTER)
            sheet.put(sheet.row, 1, text, colspan=COLUMNS - 1)
            sheet.row += 1
    sheet.signatures(doc.view, doc.place_date)
    sheet.footer(f"SKP {doc.owner} · {doc.status_line}")
