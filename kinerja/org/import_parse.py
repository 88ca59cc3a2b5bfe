"""Reading an import file (CSV or XLSX) into numbered rows of text, and small value parsers.

No database access here. A row number is the spreadsheet row number: the header is row 1.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from kinerja.core.errors import ServiceError

if TYPE_CHECKING:
    from kinerja.audit.services import Change

ZIP_SIGNATURE = b"PK\x03\x04"
DELIMITERS = ",;\t"
# A decompressed XLSX may be this many times larger than the cap on the uploaded file.
XLSX_EXPANSION_LIMIT = 20


@dataclass(frozen=True)
class RowError:
    """One problem: `message` reads "Baris 7: NIP tidak valid: …" (header = row 1)."""

    row: int
    message: str
    detail: str = ""  # the message without its row prefix

    @property
    def reason(self) -> str:
        """The message without its "Baris N: " prefix (for a table that shows the row)."""
        return self.detail or self.message.removeprefix(f"Baris {self.row}: ")


@dataclass(frozen=True)
class Columns:
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()


@dataclass
class Table:
    """The data rows as {column: text}; `present` holds the known columns found in the header."""

    present: frozenset[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def error(self, row: int, message: str) -> None:
        text = _("Baris %(row)s: %(message)s") % {"row": row, "message": message}
        self.errors.append(RowError(row, text, message))


def normalise_header(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def read_table(file_name: str, content: bytes, columns: Columns, *, max_bytes: int) -> Table:
    """Check the file type and size, then read the header and rows.

    Raises ServiceError when the file itself cannot be used; problems in the header or a row
    become `Table.errors` (header problems first).
    """
    if len(content) > max_bytes:
        raise ServiceError(
            _("File terlalu besar (%(size_mb).1f MB); batasnya %(limit_mb).0f MB.")
            % {"size_mb": len(content) / 1048576, "limit_mb": max_bytes / 1048576},
            field="file",
        )
    suffix = PurePath(file_name).suffix.lower()
    if suffix == ".csv":
        records = _csv_records(content)
    elif suffix == ".xlsx":
        records = _xlsx_records(content, max_bytes * XLSX_EXPANSION_LIMIT)
    elif suffix == ".xls":
        raise ServiceError(
            _("Format .xls (Excel lama) tidak didukung; simpan sebagai .xlsx atau CSV UTF-8."),
            field="file",
        )
    else:
        raise ServiceError(
            _("Jenis file tidak didukung; gunakan CSV (.csv) atau Excel (.xlsx)."), field="file"
        )
    return _build_table(records, columns)


# --- file formats -------------------------------------------------------------------------


def _csv_records(content: bytes) -> Iterator[list[str]]:
    if content.startswith(ZIP_SIGNATURE):
        raise ServiceError(
            _("File berekstensi .csv tetapi isinya arsip (mungkin .xlsx); periksa jenis file."),
            field="file",
        )
    if b"\x00" in content[:4096]:
        raise ServiceError(_("File .csv ini bukan teks (mungkin UTF-16 atau biner)."), field="file")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise ServiceError(
            _(
                "File CSV harus berenkode UTF-8; baris %(line)s berisi karakter yang "
                "tidak sah. Di Excel pilih Simpan Sebagai → CSV UTF-8."
            )
            % {"line": line},
            field="file",
        ) from None
    return csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: whichever occurs most often in the header line."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _xlsx_records(content: bytes, max_expanded: int) -> Iterator[list[str]]:
    if not content.startswith(ZIP_SIGNATURE):
        raise ServiceError(
            _("File berekstensi .xlsx tetapi isinya bukan file Excel (.xlsx)."), field="file"
        )
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
            expanded = sum(info.file_size for info in archive.infolist())
        if "xl/workbook.xml" not in names:
            raise zipfile.BadZipFile("no workbook")
        if expanded > max_expanded:
            raise ServiceError(_("Isi file Excel terlalu besar setelah dibuka."), field="file")
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except ServiceError:
        raise
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise ServiceError(
            _("File Excel tidak dapat dibaca (rusak atau bukan .xlsx)."), field="file"
        ) from None
    if not book.worksheets:
        raise ServiceError(_("File Excel tidak memiliki lembar kerja."), field="file")
    return _xlsx_rows(book.worksheets[0].iter_rows(values_only=True), book)


def _xlsx_rows(rows: Iterable[Sequence[Any]], book: Any) -> Iterator[list[str]]:
    try:
        for values in rows:
            yield [cell_text(v) for v in values]
    finally:
        book.close()


def cell_text(value: Any) -> str:
    """An Excel cell as the text a person would have typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return str(value)


# --- header and rows ----------------------------------------------------------------------


def _build_table(records: Iterator[list[str]], columns: Columns) -> Table:
    try:
        header_cells = next(records)
    except StopIteration:
        raise ServiceError(_("File kosong."), field="file") from None
    except csv.Error as exc:
        raise ServiceError(
            _("File CSV rusak di baris 1: %(error)s") % {"error": exc}, field="file"
        ) from None
    header = [normalise_header(cell) for cell in header_cells]
    known = set(columns.required) | set(columns.optional)
    table = Table(present=frozenset(h for h in header if h in known))
    if not any(header):
        raise ServiceError(
            _("Baris 1 harus berisi judul kolom (misalnya: %(columns)s).")
            % {"columns": ", ".join(columns.required)},
            field="file",
        )
    missing = [c for c in columns.required if c not in header]
    if missing:
        table.error(1, _("kolom wajib tidak ada: %(columns)s") % {"columns": ", ".join(missing)})
    unknown = [h for h in header if h and h not in known]
    if unknown:
        known_text = ", ".join((*columns.required, *columns.optional))
        table.error(
            1,
            _("kolom tidak dikenal: %(columns)s (kolom yang dikenal: %(known)s)")
            % {"columns": ", ".join(unknown), "known": known_text},
        )
    doubled = sorted({h for h in header if h and header.count(h) > 1})
    if doubled:
        table.error(
            1, _("kolom muncul lebih dari sekali: %(columns)s") % {"columns": ", ".join(doubled)}
        )
    if missing or doubled:
        return table  # the rows cannot be read reliably
    _read_rows(records, header, table)
    return table


def _read_rows(records: Iterator[list[str]], header: list[str], table: Table) -> None:
    width = len(header)
    named = [(i, name) for i, name in enumerate(header) if name in table.present]
    number = 1
    while True:
        number += 1
        try:
            cells = next(records)
        except StopIteration:
            return
        except csv.Error as exc:
            table.error(number, _("CSV tidak dapat dibaca: %(error)s") % {"error": exc})
            return
        if not any(c.strip() for c in cells):
            continue
        extra = [i for i in range(width, len(cells)) if cells[i].strip()]
        extra += [
            i for i, name in enumerate(header) if not name and i < len(cells) and cells[i].strip()
        ]
        if extra:
            table.error(
                number,
                _("ada nilai di kolom tanpa judul (kolom ke-%(column)s)")
                % {"column": min(extra) + 1},
            )
            continue
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        table.rows.append((number, {name: cells[i].strip() for i, name in named}))


# --- value parsers ------------------------------------------------------------------------

_TRUE = frozenset({"ya", "y", "1", "true", "benar"})
_FALSE = frozenset({"tidak", "t", "0", "false", "salah", ""})
_ISO = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[-/](\d{1,2})[-/](\d{4})$")


def parse_bool(text: str) -> bool | None:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return None


def parse_date(text: str) -> date | None:
    """YYYY-MM-DD or DD-MM-YYYY ('/' also accepted); None when not a valid date."""
    value = text.strip()
    if found := _ISO.match(value):
        y, m, d = found.groups()
    elif found := _DMY.match(value):
        d, m, y = found.groups()
    else:
        return None
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def choice(text: str, allowed: Iterable[str]) -> str | None:
    """The allowed value matching `text` case-insensitively, or None."""
    wanted = text.strip().upper()
    return wanted if wanted in set(allowed) else None


def cycle_from(start: str, parent_of: dict[str, str | None]) -> list[str] | None:
    """The loop [start, …, start] when following parents from `start` comes back to it."""
    path = [start]
    seen = {start}
    cursor = parent_of.get(start)
    while cursor is not None:
        path.append(cursor)
        if cursor == start:
            return path
        if cursor in seen:
            return None  # start leads into a loop it is not part of
        seen.add(cursor)
        cursor = parent_of.get(cursor)
    return None


@dataclass
class Plan:
    """What an import would do. `apply` writes it and returns the audit changes."""

    errors: list[RowError]
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    apply: Callable[[], list[Change]] | None = None
