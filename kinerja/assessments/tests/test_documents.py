"""The evaluation documents (domain.md §11.2, §11.3): every field of both PDFs, the POLA
DISTRIBUSI curve, the QR code, the keberatan and calibration lines, the unit recap workbook, and
that rendering never queries."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from io import BytesIO

import pytest
import segno
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from kinerja.org.testing import Cast
from kinerja.plans import services as plans_services
from kinerja.plans.berakhlak import BERAKHLAK
from kinerja.plans.documents import tanggal

from .. import document_queries, documents, documents_rekap, rekap_queries, rules
from ..document_queries import KeberatanNote
from ..documents import Verification
from ..models import JenisDokumen
from ..testing import ANNUAL, YEAR, approved_skp, evaluation, realisasi
from .doc_helpers import REKOMENDASI, RHK_NOTE, VALUE_NOTE, final_evaluation, normalise, pdf_text

URL = "https://kinerja.example.go.id/verifikasi/kode-uji-123/"
VERIFY = Verification("kode-uji-123", URL, "1 Juli 2026")


@pytest.fixture
def data(cast: Cast) -> document_queries.EvaluasiData:
    return document_queries.evaluasi_data(final_evaluation(cast))


def render(data: document_queries.EvaluasiData, kind: str, **kw: object) -> str:
    return pdf_text(documents.pdf_bytes(data, kind, verification=VERIFY, **kw))  # type: ignore[arg-type]


def test_evaluasi_pdf_has_every_field_of_the_form(cast: Cast, data) -> None:  # type: ignore[no-untyped-def]
    text = render(data, JenisDokumen.EVALUASI)
    for expected in (
        "EVALUASI KINERJA PEGAWAI",
        "PENDEKATAN HASIL KERJA KUANTITATIF",
        "BAGI PEJABAT ADMINISTRASI DAN PEJABAT FUNGSIONAL",
        "PERIODE: TRIWULAN II",
        f"PERIODE PENILAIAN: 01 APRIL SD 30 JUNI TAHUN {YEAR}",
        "PEMERINTAH KABUPATEN CONTOH",
        "PEGAWAI YANG DINILAI",
        "PEJABAT PENILAI KINERJA",
        "NAMA Dewi Lestari 1 NAMA Agus Salim",
        f"NIP {cast.staf_a.nip} 2 NIP {cast.kasi.nip}",
        "JABATAN Pengelola Layanan Kesehatan",
        "UNIT KERJA Seksi Pelayanan Primer",
        "CAPAIAN KINERJA ORGANISASI BAIK (Seksi Pelayanan Primer)",
        "POLA DISTRIBUSI",
        "Frekuensi Pegawai",
        "Sangat Kurang",
        "Kurang/",
        "Misconduct",
        "Butuh Perbaikan",
        "Sangat Baik",
        "paling banyak 70% pegawai berpredikat Baik",
        "harus ada pegawai berpredikat Butuh Perbaikan dan/atau Kurang/Misconduct",
        "HASIL KERJA",
        "REALISASI BERDASARKAN BUKTI DUKUNG",
        "UMPAN BALIK BERKELANJUTAN BERDASARKAN BUKTI DUKUNG",
        "A. UTAMA",
        "B. TAMBAHAN",
        "Layanan Dewi Lestari terselenggara",
        "Laporan layanan tersusun",
        "12 laporan",
        "Periode ini: 4 laporan",
        "S.d. periode ini: 4 laporan",
        "Empat laporan posyandu April-Juni",
        "Bukti dukung: 0",
        RHK_NOTE,
        "RATING HASIL KERJA DI ATAS EKSPEKTASI",
        "PERILAKU KERJA",
        "EKSPEKTASI KHUSUS PIMPINAN",
        VALUE_NOTE,
        "RATING PERILAKU KERJA SESUAI EKSPEKTASI",
        "PREDIKAT KINERJA PEGAWAI BAIK",
        f"{tanggal(data.dated)} Pejabat Penilai Kinerja Agus Salim NIP {cast.kasi.nip}",
        "Dokumen milik Dewi Lestari (NIP " + cast.staf_a.nip + ")",
        URL,
        "Kode verifikasi: kode-uji-123",
    ):
        assert expected in text, expected
    for value in BERAKHLAK:
        assert value.name in text
        assert normalise(value.guides[0]) in text
    # the realisasi percentage of the quantitative IKI (4 of 12)
    assert re.search(r"4 laporan \(33,3+% dari target\)", text)
    assert "DRAF" not in text and "SALINAN" not in text


def test_dokumen_evaluasi_pdf_has_blocks_one_to_five(cast: Cast, data) -> None:  # type: ignore[no-untyped-def]
    text = render(data, JenisDokumen.DOKUMEN_EVALUASI)
    order = [
        "DOKUMEN EVALUASI KINERJA PEGAWAI",
        "PENDEKATAN HASIL KERJA KUANTITATIF",
        "PERIODE: TRIWULAN II",
        "1 PEGAWAI YANG DINILAI NAMA Dewi Lestari NIP " + cast.staf_a.nip,
        "PANGKAT/GOL. RUANG Penata (III/c)",
        "2 PEJABAT PENILAI KINERJA NAMA Agus Salim NIP " + cast.kasi.nip,
        "3 ATASAN PEJABAT PENILAI KINERJA NAMA Sri Rahayu NIP " + cast.kabid.nip,
        "JABATAN Kepala Bidang Pelayanan Kesehatan",
        "4 EVALUASI KINERJA",
        "CAPAIAN KINERJA ORGANISASI BAIK",
        "PREDIKAT KINERJA PEGAWAI BAIK",
        "5 CATATAN/REKOMENDASI",
        REKOMENDASI,
        "Pegawai yang Dinilai Pejabat Penilai Kinerja",
        "Dewi Lestari Agus Salim",
        URL,
    ]
    position = 0
    for expected in order:
        found = text.find(expected, position)
        assert found >= 0, expected
        position = found
    assert "Dokumen milik Dewi Lestari" in text


def test_a_decided_keberatan_shows_the_decided_predikat_and_says_so(data) -> None:  # type: ignore[no-untyped-def]
    changed = dataclasses.replace(
        data,
        predikat=rules.SANGAT_BAIK,
        keberatan=KeberatanNote("DIUBAH", date(YEAR, 7, 20), rules.BAIK, rules.SANGAT_BAIK),
    )
    for kind in JenisDokumen.values:
        text = render(changed, kind)
        assert "PREDIKAT KINERJA PEGAWAI SANGAT BAIK" in text
        assert (
            f"Predikat ini ditetapkan berdasarkan keputusan atas keberatan tanggal 20 Juli {YEAR} "
            "oleh Atasan Pejabat Penilai Kinerja (predikat semula: BAIK)."
        ) in text
    upheld = dataclasses.replace(
        data, keberatan=KeberatanNote("DIPERTAHANKAN", date(YEAR, 7, 20), rules.BAIK, rules.BAIK)
    )
    assert "predikat dipertahankan" in render(upheld, JenisDokumen.DOKUMEN_EVALUASI)


def test_a_calibrated_predikat_names_the_raters_value(data) -> None:  # type: ignore[no-untyped-def]
    calibrated = dataclasses.replace(
        data, calibrated=True, predikat=rules.BUTUH_PERBAIKAN, predikat_penilai=rules.BAIK
    )
    text = render(calibrated, JenisDokumen.EVALUASI)
    assert "PREDIKAT KINERJA PEGAWAI BUTUH PERBAIKAN" in text
    assert "kalibrasi oleh pimpinan (predikat dari Pejabat Penilai Kinerja: BAIK)" in text


def test_copies_carry_a_watermark_and_no_verification(data) -> None:  # type: ignore[no-untyped-def]
    text = pdf_text(
        documents.pdf_bytes(data, JenisDokumen.EVALUASI, verification=None, watermark="DRAF")
    )
    assert "DRAF" in text and "/verifikasi/" not in text and "Kode verifikasi" not in text


def test_documents_never_query(data, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(0):
        for kind in JenisDokumen.values:
            documents.pdf_html(data, kind, verification=VERIFY)
        documents.fingerprint(data, JenisDokumen.EVALUASI)


def test_document_data_reads_in_a_bounded_number_of_queries(  # type: ignore[no-untyped-def]
    cast: Cast, django_assert_max_num_queries
) -> None:
    evaluasi = final_evaluation(cast)
    with django_assert_max_num_queries(25):
        document_queries.evaluasi_data(evaluasi)


def test_pdf_refuses_to_fetch_anything() -> None:
    with pytest.raises(ValueError, match="sumber luar"):
        documents._no_fetch("https://cdn.example.com/font.woff")


# --- pictures -------------------------------------------------------------------------------


def qr_matrix_from_svg(svg: str) -> list[list[int]]:
    """Rebuild the module matrix from the rectangles (quiet zone of 4 removed)."""
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1)) - 8  # type: ignore[union-attr]
    grid = [[0] * size for _ in range(size)]
    for x, y, w in re.findall(r'<rect x="(\d+)" y="(\d+)" width="(\d+)" height="1"', svg):
        for col in range(int(x) - 4, int(x) - 4 + int(w)):
            grid[int(y) - 4][col] = 1
    return grid


def test_qr_code_encodes_the_verification_url(data) -> None:  # type: ignore[no-untyped-def]
    svg = str(documents.qr_svg(URL))
    expected = [list(row) for row in segno.make(URL, error="m").matrix]
    assert qr_matrix_from_svg(svg) == expected
    other = [list(row) for row in segno.make(URL + "x", error="m").matrix]
    assert qr_matrix_from_svg(svg) != other
    for kind in JenisDokumen.values:
        assert svg in documents.pdf_html(data, kind, verification=VERIFY)


@pytest.mark.parametrize(
    ("org", "peak"),
    [
        (rules.ISTIMEWA, rules.SANGAT_BAIK),
        (rules.BAIK, rules.BAIK),
        (rules.BUTUH_PERBAIKAN, rules.BUTUH_PERBAIKAN),
        (rules.KURANG, rules.KURANG),
        (rules.SANGAT_KURANG, rules.SANGAT_KURANG),
    ],
)
def test_curve_peaks_on_the_expected_predikat(org: str, peak: str) -> None:
    svg = str(documents.distribution_svg(org))
    ys = [float(y) for y in re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', svg)]
    assert len(ys) == 5 and "<path" in svg
    # smallest y = highest point; the axis runs from Sangat Kurang to Sangat Baik
    assert documents.CURVE_AXIS[ys.index(min(ys))] == peak
    assert "Frekuensi Pegawai" in svg and "Misconduct" in svg


def test_curve_without_capaian_draws_only_the_axes() -> None:
    svg = str(documents.distribution_svg(""))
    assert "<path" not in svg and "<circle" not in svg and "Sangat Baik" in svg


def test_filenames() -> None:
    assert documents.filename("1980", 2026, 2, "EVALUASI") == "EVALUASI-1980-2026-P2.pdf"
    assert documents.filename("1980", 2026, 0, "DOKUMEN_EVALUASI") == (
        "DOKUMEN-EVALUASI-1980-2026-TAHUNAN.pdf"
    )


# --- the unit recap ---------------------------------------------------------------------------


def rekap_url(cast: Cast) -> str:
    return reverse("assessments:rekap_xlsx", args=[cast.seksi.pk, YEAR, 2])


def test_rekap_lists_every_pegawai_with_ratings_and_the_pattern(cast: Cast, login) -> None:  # type: ignore[no-untyped-def]
    final_evaluation(cast)
    response = login("kabid").get(rekap_url(cast))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="REKAP-EVALUASI-Seksi_Pelayanan_Primer-{YEAR}-P2.xlsx"'
    )
    book = load_workbook(BytesIO(response.content))
    ws = book["Rekap"]
    assert ws["A1"].value == documents_rekap.TITLE
    assert ws["A4"].value == f"PERIODE: TRIWULAN II TAHUN {YEAR}"
    assert ws["A5"].value == "CAPAIAN KINERJA ORGANISASI: BAIK (Seksi Pelayanan Primer)"
    assert tuple(c.value for c in ws[7]) == documents_rekap.HEADERS
    rows = {r[1]: r for r in ws.iter_rows(min_row=8, values_only=True)}
    assert set(rows) == {cast.staf_a.nip, cast.staf_b.nip, cast.kasi.nip}
    assert rows[cast.staf_a.nip][2:] == (
        "Dewi Lestari", "Pengelola Layanan Kesehatan", "Seksi Pelayanan Primer", "Agus Salim",
        "Final", "DI ATAS EKSPEKTASI", "SESUAI EKSPEKTASI", "BAIK", "BAIK", "Tidak", "-",
    )  # fmt: skip
    assert rows[cast.staf_b.nip][6] == "Belum dievaluasi"
    assert rows[cast.kasi.nip][2] == "Agus Salim (kepala unit)"
    dist = book["Distribusi"]
    counts = {r[0]: r[1] for r in dist.iter_rows(min_row=6, max_row=10, values_only=True)}
    assert counts == {"SANGAT BAIK": 0, "BAIK": 1, "BUTUH PERBAIKAN": 0,
                      "KURANG/MISCONDUCT": 0, "SANGAT KURANG": 0}  # fmt: skip
    verdicts = {r[0]: r[1] for r in dist.iter_rows(min_row=13, values_only=True) if r[1]}
    assert verdicts["paling banyak 70% pegawai berpredikat Baik"] == ("Tidak terpenuhi (1 dari 1)")
    assert (
        verdicts["harus ada pegawai berpredikat Butuh Perbaikan dan/atau Kurang/Misconduct"]
        == "Tidak terpenuhi (0 dari 1)"
    )
    notes = [r[0] for r in dist.iter_rows(values_only=True) if r[0]]
    assert any("hanya sebagai peringatan" in str(n) for n in notes)


READERS = [("admin", 200), ("auditor", 200), ("kasi", 200), ("kadis", 200)]
OTHERS = [("staf_a", 404), ("kapus", 404), ("outsider", 404)]


@pytest.mark.parametrize(("who", "status"), READERS + OTHERS)
def test_rekap_is_for_pimpinan_admin_and_auditor(cast: Cast, login, who: str, status: int) -> None:  # type: ignore[no-untyped-def]
    assert login(who).get(rekap_url(cast)).status_code == status


def test_rekap_of_an_unknown_period_or_anonymous(cast: Cast, login, client: Client) -> None:  # type: ignore[no-untyped-def]
    assert client.get(rekap_url(cast)).status_code == 302
    bad = reverse("assessments:rekap_xlsx", args=[cast.seksi.pk, YEAR, 9])
    assert login("admin").get(bad).status_code == 404


def test_rekap_without_capaian_and_render_never_queries(  # type: ignore[no-untyped-def]
    cast: Cast, django_assert_num_queries
) -> None:
    data = rekap_queries.rekap_data(cast.puskesmas, YEAR, 2, reader=None)
    assert [r.name for r in data.rows] == ["Ratna Sari", "Yohanes Manurung"]
    assert data.capaian == "" and data.violations == []
    with django_assert_num_queries(0):
        content = documents_rekap.rekap_xlsx_bytes(data)
    dist = load_workbook(BytesIO(content))["Distribusi"]
    assert "Capaian kinerja organisasi belum ditetapkan." in [
        r[0] for r in dist.iter_rows(values_only=True)
    ]


def test_rekap_queries_do_not_grow_with_head_count(  # type: ignore[no-untyped-def]
    cast: Cast, django_assert_max_num_queries
) -> None:
    final_evaluation(cast)
    with django_assert_max_num_queries(8):
        data = rekap_queries.rekap_data(cast.dinkes, YEAR, 2, reader=None)
    assert len(data.rows) == 7


# --- other periods ----------------------------------------------------------------------------


def test_annual_document_says_tahunan_and_covers_the_year(cast: Cast) -> None:
    plan = approved_skp(cast, "staf_a")
    realisasi(cast, plan, 1, "5")
    realisasi(cast, plan, 3, "6")
    evaluasi = evaluation(cast, "staf_a", ANNUAL, "SESUAI", "SESUAI")
    data = document_queries.evaluasi_data(evaluasi)
    assert data.periode_label == "TAHUNAN"
    html = normalise(documents.pdf_html(data, JenisDokumen.EVALUASI, verification=None))
    assert "PERIODE: TAHUNAN" in html
    assert f"PERIODE PENILAIAN: {documents.periode_penilaian(data)}" in html
    assert documents.periode_penilaian(data).endswith(f"SD 31 DESEMBER TAHUN {YEAR}")
    # the year's value: 5 + 6 laporan (Kuantitas adds up), no "Periode ini" line
    realised = data.utama[0].ikis[0].realisasi
    assert realised.startswith("Tahun ini: 11 laporan") and "Periode ini" not in realised


def test_monthly_cadence_names_the_month(cast: Cast) -> None:
    plans_services.tahun_set_cadence(
        by=cast.user("admin"), instansi=cast.kab, year=YEAR, cadence="BULANAN"
    )
    evaluasi = evaluation(cast, "staf_a", 5, "SESUAI", "SESUAI")
    data = document_queries.evaluasi_data(evaluasi)
    assert (data.periode_label, documents.periode_penilaian(data)) == (
        "MEI",
        f"01 MEI SD 31 MEI TAHUN {YEAR}",
    )
    assert "PERIODE: MEI" in documents.pdf_html(data, JenisDokumen.EVALUASI, verification=None)


def test_rekap_link_include(cast: Cast) -> None:
    from django.template.loader import render_to_string

    html = render_to_string(
        "assessments/dokumen_rekap_link.html", {"unit": cast.seksi, "year": YEAR, "period": 2}
    )
    assert f'href="{rekap_url(cast)}"' in html
