"""manage.py skm_index FILE — the IKM of a CSV or XLSX of answers, as one JSON object.

The header holds the columns u1 … u9 (case and spaces ignored; other columns are ignored), one
respondent per row, each answer 1–4. Prints
{"respondents": n, "nrr": [9 numbers], "ikm": x, "ikm_konversi": y, "mutu": "A".."D"}.
A file that cannot be used gets one precise message on stderr and exit status 2.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kinerja.org.import_parse import cell_text, normalise_header, sniff_delimiter
from kinerja.surveys.rules import UNSUR_CODES, IkmResult, ikm_from_sums

ZIP_SIGNATURE = b"PK\x03\x04"
_ANSWERS = {"1": 1, "2": 2, "3": 3, "4": 4}


def refuse(message: str) -> CommandError:
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    help = (
        "Hitung IKM (PermenPANRB 14/2017) dari file jawaban CSV/XLSX berkolom u1 … u9 (satu "
        "responden per baris, nilai 1–4). Mencetak satu objek JSON; status keluar 2 bila file "
        "tidak dapat dipakai."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="file .csv (UTF-8) atau .xlsx")

    def handle(self, *args: Any, **options: Any) -> None:
        result = index_of_file(options["file"])
        self.stdout.write(result_json(result))


def index_of_file(path: Path) -> IkmResult:
    """Read the answers and compute the IKM; raises CommandError(returncode=2) on a bad file."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise refuse(
            f"Jenis file {path.name} tidak didukung; gunakan CSV (.csv) atau Excel (.xlsx)."
        )
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise refuse(f"File {path} tidak ditemukan.") from None
    except OSError as exc:
        raise refuse(f"File {path} tidak dapat dibaca: {exc.strerror or exc}") from None
    records = _csv_records(content) if suffix == ".csv" else _xlsx_records(content)
    return _index(records)


def _index(records: Iterator[list[str]]) -> IkmResult:
    try:
        header = [normalise_header(cell) for cell in next(records)]
    except StopIteration:
        raise refuse("File kosong: baris 1 harus berisi judul kolom u1 … u9.") from None
    except csv.Error as exc:
        raise refuse(f"File CSV rusak di baris 1: {exc}") from None
    missing = [code for code in UNSUR_CODES if code not in header]
    if missing:
        raise refuse("Baris 1: kolom wajib tidak ada: " + ", ".join(missing))
    doubled = [code for code in UNSUR_CODES if header.count(code) > 1]
    if doubled:
        raise refuse("Baris 1: kolom muncul lebih dari sekali: " + ", ".join(doubled))
    positions = [header.index(code) for code in UNSUR_CODES]
    sums = [0] * len(UNSUR_CODES)
    respondents = 0
    number = 1
    while True:
        number += 1
        try:
            cells = next(records)
        except StopIteration:
            break
        except csv.Error as exc:
            raise refuse(f"Baris {number}: CSV tidak dapat dibaca: {exc}") from None
        if not any(cell.strip() for cell in cells):
            continue  # a blank line is not a respondent
        for index, position in enumerate(positions):
            text = cells[position].strip() if position < len(cells) else ""
            value = _ANSWERS.get(text)
            if value is None:
                code = UNSUR_CODES[index]
                shown = "kosong" if not text else f"{text!r} bukan 1, 2, 3, atau 4"
                raise refuse(f"Baris {number}, kolom {code}: jawaban {shown}.")
            sums[index] += value
        respondents += 1
    if respondents == 0:
        raise refuse("File tidak berisi jawaban: tidak ada baris responden setelah judul kolom.")
    return ikm_from_sums(respondents, sums, [respondents] * len(sums))


def _csv_records(content: bytes) -> Iterator[list[str]]:
    if content.startswith(ZIP_SIGNATURE):
        raise refuse("File berekstensi .csv tetapi isinya arsip (mungkin .xlsx).")
    if b"\x00" in content[:4096]:
        raise refuse("File .csv ini bukan teks (mungkin UTF-16 atau biner).")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise refuse(
            f"File CSV harus berenkode UTF-8; baris {line} berisi karakter yang tidak sah."
        ) from None
    return csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text), strict=True)


def _xlsx_records(content: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    if not content.startswith(ZIP_SIGNATURE):
        raise refuse("File berekstensi .xlsx tetapi isinya bukan file Excel (.xlsx).")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise zipfile.BadZipFile("no workbook")
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise refuse("File Excel tidak dapat dibaca (rusak atau bukan .xlsx).") from None
    return _xlsx_rows(book)


def _xlsx_rows(book: Any) -> Iterator[list[str]]:
    try:
        for values in book.worksheets[0].iter_rows(values_only=True):
            yield [cell_text(value) for value in values]
    finally:
        book.close()


def result_json(result: IkmResult) -> str:
    """The JSON object with the decimals written exactly as computed (e.g. 86.10, 3.6667)."""
    nrr = ", ".join(str(value) for value in result.nrr)
    return (
        f'{{"respondents": {result.respondents}, "nrr": [{nrr}], "ikm": {result.ikm}, '
        f'"ikm_konversi": {result.ikm_konversi}, "mutu": {json.dumps(result.mutu)}}}'
    )
