"""manage.py skm_index FILE: the JSON it prints for CSV and XLSX answers, and a precise message
with exit status 2 for every kind of bad file."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from kinerja.surveys.rules import ikm_from_answers

HEADER = "u1,u2,u3,u4,u5,u6,u7,u8,u9"
ROOT = Path(__file__).resolve().parents[3]


def run(path: Path) -> dict[str, object]:
    out = io.StringIO()
    call_command("skm_index", str(path), stdout=out)
    parsed: dict[str, object] = json.loads(out.getvalue())
    return parsed


def refused(path: Path) -> str:
    with pytest.raises(CommandError) as caught:
        call_command("skm_index", str(path), stdout=io.StringIO())
    assert caught.value.returncode == 2
    return str(caught.value)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def write_xlsx(tmp_path: Path, rows: list[list[object]], name: str = "jawaban.xlsx") -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def test_csv_prints_one_json_object_with_exact_numbers(tmp_path: Path) -> None:
    rows = [[4, 1, 2, 3, 4, 4, 4, 4, 4], [4, 2, 2, 3, 4, 4, 4, 4, 4], [3, 2, 2, 3, 4, 4, 4, 4, 3]]
    path = write(tmp_path, "a.csv", HEADER + "\n" + "\n".join(",".join(map(str, r)) for r in rows))
    out = io.StringIO()
    call_command("skm_index", str(path), stdout=out)
    text = out.getvalue()
    assert text.count("\n") == 1 and text.endswith("}\n")
    parsed = json.loads(text)
    assert list(parsed) == ["respondents", "nrr", "ikm", "ikm_konversi", "mutu"]
    expected = ikm_from_answers(rows)
    assert parsed["respondents"] == 3
    assert parsed["nrr"] == [float(v) for v in expected.nrr]
    assert parsed["nrr"][0] == 3.6667
    assert parsed["ikm"] == 3.3333
    assert parsed["ikm_konversi"] == 83.33
    assert parsed["mutu"] == "B"
    assert '"ikm_konversi": 83.33,' in text  # a JSON number, not a string
    assert all(isinstance(v, float) for v in parsed["nrr"])


def test_header_case_spaces_order_and_extra_columns_are_tolerated(tmp_path: Path) -> None:
    header = "No; Nama ; U9 ;u8;U7;u6 ; u5;u4;u3;u2;U1 ;Saran"
    body = "1;Ani;1;2;3;4;4;4;4;4;4;bagus\n\n2;Budi;1;2;3;4;4;4;4;4;4;\n"
    parsed = run(write(tmp_path, "a.csv", "\ufeff" + header + "\n" + body))
    assert parsed["respondents"] == 2  # the blank line is not a respondent
    assert parsed["nrr"] == [4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 3.0, 2.0, 1.0]
    assert parsed["ikm_konversi"] == 83.33


def test_xlsx_with_numbers_and_text_cells(tmp_path: Path) -> None:
    rows: list[list[object]] = [["Responden", *[f"U{i}" for i in range(1, 10)]]]
    rows += [["A", 4, 4, 4, 4, 4, 4, 4, 4, 4], ["B", 4.0, "4", 4, 4, 4, 4, 4, 4, 4]]
    parsed = run(write_xlsx(tmp_path, rows))
    assert parsed == {
        "respondents": 2,
        "nrr": [4.0] * 9,
        "ikm": 4.0,
        "ikm_konversi": 100.0,
        "mutu": "A",
    }


def test_a_single_respondent(tmp_path: Path) -> None:
    # answers 4,3,3,2,4,4,3,1,4 → 28/9 → konversi 77.78 → B
    parsed = run(write(tmp_path, "one.csv", HEADER + "\n4,3,3,2,4,4,3,1,4\n"))
    assert (parsed["respondents"], parsed["ikm_konversi"], parsed["mutu"]) == (1, 77.78, "B")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.txt", HEADER + "\n" + "4," * 8 + "4\n", "Jenis file a.txt tidak didukung"),
        ("a.xls", "x", "Jenis file a.xls tidak didukung"),
        ("a.csv", "", "File kosong: baris 1 harus berisi judul kolom"),
        ("a.csv", HEADER + "\n", "File tidak berisi jawaban"),
        ("a.csv", HEADER + "\n,,,,,,,,\n\n", "File tidak berisi jawaban"),
        ("a.csv", "u1,u2,u3,u4,u5,u6,u7\n4,4,4,4,4,4,4\n",
         "Baris 1: kolom wajib tidak ada: u8, u9"),
        ("a.csv", HEADER + ",U1\n" + "4," * 9 + "4\n",
         "Baris 1: kolom muncul lebih dari sekali: u1"),
        ("a.csv", HEADER + "\n" + "4," * 8 + "4\n4,4,4,5,4,4,4,4,4\n",
         "Baris 3, kolom u4: jawaban '5' bukan 1, 2, 3, atau 4."),
        ("a.csv", HEADER + "\n4,4,4,4,4,4,4,0,4\n", "Baris 2, kolom u8: jawaban '0' bukan"),
        ("a.csv", HEADER + "\n4,4,4,4,4,4,4,4,\n", "Baris 2, kolom u9: jawaban kosong."),
        ("a.csv", HEADER + "\n4,4,4,4\n", "Baris 2, kolom u5: jawaban kosong."),
        ("a.csv", HEADER + "\n4,4,3.5,4,4,4,4,4,4\n", "Baris 2, kolom u3: jawaban '3.5' bukan"),
        ("a.csv", HEADER + "\n4,baik,4,4,4,4,4,4,4\n", "Baris 2, kolom u2: jawaban 'baik' bukan"),
        ("a.csv", HEADER + '\n4,4,4,4,4,4,4,4,"4\n', "Baris 2: CSV tidak dapat dibaca"),
    ],
)  # fmt: skip
def test_bad_csv_files_get_a_precise_message_and_status_2(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    assert refused(write(tmp_path, name, content)).startswith(message)


def test_missing_file(tmp_path: Path) -> None:
    assert refused(tmp_path / "nope.csv") == f"File {tmp_path / 'nope.csv'} tidak ditemukan."


def test_a_directory_is_not_readable(tmp_path: Path) -> None:
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    assert refused(folder).startswith(f"File {folder} tidak dapat dibaca")


def test_csv_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes((HEADER + "\n4,4,4,4,4,4,4,4,4\nCaf\xe9").encode("latin-1"))
    assert refused(path) == (
        "File CSV harus berenkode UTF-8; baris 3 berisi karakter yang tidak sah."
    )


def test_csv_that_is_really_a_spreadsheet_or_binary(tmp_path: Path) -> None:
    xlsx = write_xlsx(tmp_path, [[f"u{i}" for i in range(1, 10)]])
    disguised = tmp_path / "disguised.csv"
    disguised.write_bytes(xlsx.read_bytes())
    assert refused(disguised).startswith("File berekstensi .csv tetapi isinya arsip")
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes(HEADER.encode("utf-16"))
    assert refused(utf16).startswith("File .csv ini bukan teks")


def test_xlsx_that_is_not_a_workbook(tmp_path: Path) -> None:
    assert refused(write(tmp_path, "text.xlsx", HEADER)).startswith(
        "File berekstensi .xlsx tetapi isinya bukan file Excel"
    )
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    assert refused(broken) == "File Excel tidak dapat dibaca (rusak atau bukan .xlsx)."


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([], "File kosong"),
        ([[f"u{i}" for i in range(1, 10)]], "File tidak berisi jawaban"),
        ([[f"u{i}" for i in range(1, 9)], [4] * 8], "Baris 1: kolom wajib tidak ada: u9"),
        ([[f"u{i}" for i in range(1, 10)], [4] * 9, [4] * 4 + [None] + [4] * 4],
         "Baris 3, kolom u5: jawaban kosong."),
        ([[f"u{i}" for i in range(1, 10)], [4] * 8 + [3.5]],
         "Baris 2, kolom u9: jawaban '3.5' bukan 1, 2, 3, atau 4."),
        ([[f"u{i}" for i in range(1, 10)], [True] + [4] * 8],
         "Baris 2, kolom u1: jawaban 'ya' bukan"),
    ],
)  # fmt: skip
def test_bad_xlsx_rows_get_a_precise_message(
    tmp_path: Path, rows: list[list[object]], message: str
) -> None:
    assert refused(write_xlsx(tmp_path, rows)).startswith(message)


def test_manage_py_prints_json_or_exits_2_with_the_message_on_stderr(tmp_path: Path) -> None:
    good = write(tmp_path, "good.csv", HEADER + "\n" + "4," * 8 + "4\n")
    bad = write(tmp_path, "bad.csv", HEADER + "\n4,4,4,4,4,4,4,4,9\n")
    env = {**os.environ, "KINERJA_TESTING": "true"}
    ok = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "manage.py", "skm_index", str(good)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["ikm_konversi"] == 100.0
    failed = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "manage.py", "skm_index", str(bad)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert failed.returncode == 2
    assert failed.stdout == ""
    assert "Baris 2, kolom u9: jawaban '9' bukan 1, 2, 3, atau 4." in failed.stderr
