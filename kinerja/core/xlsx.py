"""Saving workbooks that hold user text (openpyxl).

openpyxl stores any string that starts with "=" as a formula, so a saran, a name or an action
typed by someone else would become a live formula (a HYPERLINK, a DDE call) in the file that
admins and auditors open. No export here writes formulas on purpose: `workbook_bytes` turns
every formula cell back into text (with Excel's quote prefix, so that editing the cell keeps it
text) before saving. Every XLSX export saves through it.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook

# Leading characters that spreadsheet programs read as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse_formulas(workbook: Workbook) -> None:
    """Make every text cell that a spreadsheet could take for a formula plain text."""
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                    cell.data_type = "s"
                    cell.quotePrefix = True


def workbook_bytes(workbook: Workbook) -> bytes:
    """The workbook as XLSX bytes, with user text never stored as a formula."""
    defuse_formulas(workbook)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
