"""The SKP document (domain.md §11.1) as PDF and XLSX: every field of the official layout, and who
may download it."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from kinerja.org.testing import Cast
from kinerja.plans import documents, documents_xlsx, queries, services
from kinerja.plans.berakhlak import BERAKHLAK
from kinerja.plans.models import Skp

TITLE = documents.TITLE

PRINTED = date(2026, 11, 23)


def year() -> int:
    return timezone.localdate().year


@dataclass
class Built:
    kasi_skp: Skp
    staf_skp: Skp


def build_kasi_and_staf(cast: Cast) -> Built:
    """Kasi plans an RHK and hands it down to staf_a, who fills in IKIs, a Tambahan RHK and the
    lampiran; kasi (the rater) writes an ekspektasi."""
    kasi, staf = cast.user("kasi"), cast.user("staf_a")
    kasi_skp = services.skp_create(by=kasi, pegawai=cast.kasi, year=year())
    kasi_rhk = services.rhk_save(
        by=kasi, skp=kasi_skp, jenis="UTAMA", text="Meningkatnya cakupan layanan kesehatan primer"
    )
    [child] = services.rhk_cascade(
        by=kasi, rhk=kasi_rhk, assignments=[(cast.staf_a, "Terlaksananya posyandu balita")]
    )
    skp = child.skp
    for values in (
        {
            "text": "Jumlah posyandu yang terlaksana",
            "aspek": "KUANTITAS",
            "target_value": "12",
            "target_unit": "kegiatan",
        },
        {
            "text": "Persentase laporan posyandu yang lengkap",
            "aspek": "KUALITAS",
            "target_value": "100",
            "target_unit": "%",
        },
        {
            "text": "Laporan disampaikan tepat waktu",
            "aspek": "WAKTU",
            "target_value": "12",
            "target_unit": "bulan",
        },
    ):
        services.iki_save(by=staf, rhk=child, values=values)
    extra = services.rhk_save(
        by=staf,
        skp=skp,
        jenis="TAMBAHAN",
        text="Menjadi narasumber sosialisasi gizi",
        source="Kepala Dinas",
    )
    services.iki_save(
        by=staf,
        rhk=extra,
        values={
            "text": "Sosialisasi terlaksana",
            "aspek": "KUANTITAS",
            "target_value": "2",
            "target_unit": "kali",
        },
    )
    services.ekspektasi_set(
        by=kasi, skp=skp, core_value=1, text="Menanggapi keluhan warga dalam satu hari kerja"
    )
    services.lampiran_add(
        by=staf, skp=skp, kind="DUKUNGAN_SUMBER_DAYA", text="Kendaraan dinas roda dua"
    )
    services.lampiran_add(
        by=staf, skp=skp, kind="SKEMA_PERTANGGUNGJAWABAN", text="Laporan triwulan kepada kasi"
    )
    services.lampiran_add(
        by=staf, skp=skp, kind="KONSEKUENSI", text="Teguran lisan bila target tidak tercapai"
    )
    return Built(kasi_skp=kasi_skp, staf_skp=skp)


def pdf_pages(data: bytes) -> list[str]:
    """Text of each page, whitespace normalised (extraction may break lines anywhere)."""
    reader = PdfReader(BytesIO(data))
    return [normalise(page.extract_text() or "") for page in reader.pages]


def normalise(text: str) -> str:
    """One space between words; none after a slash (long headers wrap after "/")."""
    return re.sub(r"/ ", "/", re.sub(r"\s+", " ", text))


def render(skp: Skp, place: str = "") -> bytes:
    data = documents.skp_pdf_bytes(queries.skp_view(skp), printed_on=PRINTED, place=place)
    target = os.environ.get("KINERJA_SKP_PDF_OUT")
    if target:  # to look at the layout: KINERJA_SKP_PDF_OUT=/tmp pytest -k …
        (Path(target) / f"skp-{skp.jabatan.code}-{skp.pendekatan}-v{skp.version}.pdf").write_bytes(
            data
        )
    return data


def test_pdf_kuantitatif_has_every_field(cast: Cast) -> None:
    built = build_kasi_and_staf(cast)
    data = render(built.staf_skp, place="Sukamaju")
    assert data.startswith(b"%PDF")
    pages = pdf_pages(data)
    assert len(pages) >= 2
    text = " ".join(pages)
    y = year()
    for expected in (
        "SASARAN KINERJA PEGAWAI",
        "PENDEKATAN HASIL KERJA KUANTITATIF",
        "BAGI PEJABAT ADMINISTRASI DAN PEJABAT FUNGSIONAL",
        "PEMERINTAH KABUPATEN CONTOH",
        f"PERIODE PENILAIAN: 01 JANUARI SD 31 DESEMBER TAHUN {y}",
        "PEGAWAI YANG DINILAI",
        "PEJABAT PENILAI KINERJA",
        "NAMA",
        "NIP",
        "PANGKAT/GOL. RUANG",
        "JABATAN",
        "UNIT KERJA",
        "Dewi Lestari",
        cast.staf_a.nip,
        "Pengelola Layanan Kesehatan",
        "Agus Salim",
        cast.kasi.nip,
        "Kepala Seksi Pelayanan Primer",
        "Seksi Pelayanan Primer",
        "Penata (III/c)",
        "HASIL KERJA",
        "RENCANA HASIL KERJA PIMPINAN/ATASAN YANG DIINTERVENSI",
        "ASPEK",
        "INDIKATOR KINERJA INDIVIDU",
        "TARGET",
        "A. UTAMA",
        "B. TAMBAHAN",
        "Meningkatnya cakupan layanan kesehatan primer",
        "Terlaksananya posyandu balita",
        "Kuantitas",
        "Kualitas",
        "Waktu",
        "Jumlah posyandu yang terlaksana",
        "12 kegiatan",
        "100 %",
        "12 bulan",
        "Menjadi narasumber sosialisasi gizi",
        "(penugasan dari Kepala Dinas)",
        "2 kali",
        "PERILAKU KERJA",
        "Ekspektasi Khusus Pimpinan:",
        "Menanggapi keluhan warga dalam satu hari kerja",
        "Sukamaju, 23 November 2026",
        "Pegawai yang Dinilai",
        "Pejabat Penilai Kinerja",
    ):
        assert expected in text, expected
    for value in BERAKHLAK:
        assert value.name in text, value.name
        for guide in value.guides:
            assert guide in text, guide
    assert "PERSPEKTIF" not in text
    first, lampiran = pages[0], " ".join(pages[1:])
    assert "LAMPIRAN SASARAN KINERJA PEGAWAI" not in first
    lampiran_page = next(p for p in pages if "LAMPIRAN SASARAN KINERJA PEGAWAI" in p)
    for expected in (
        "DUKUNGAN SUMBER DAYA",
        "SKEMA PERTANGGUNGJAWABAN",
        "KONSEKUENSI",
        "1. Kendaraan dinas roda dua",
        "1. Laporan triwulan kepada kasi",
        "1. Teguran lisan bila target tidak tercapai",
        "Dewi Lestari",
        "Agus Salim",
        "Pegawai yang Dinilai",
        "Pejabat Penilai Kinerja",
    ):
        assert expected in lampiran_page, expected
    assert "Halaman 1 dari" in first
    assert "DRAF" in lampiran and "belum disetujui" in first


def test_pdf_kualitatif_shows_the_narrative_block(cast: Cast) -> None:
    kasi, staf = cast.user("kasi"), cast.user("staf_b")
    kasi_skp = services.skp_create(by=kasi, pegawai=cast.kasi, year=year())
    kasi_rhk = services.rhk_save(by=kasi, skp=kasi_skp, jenis="UTAMA", text="Layanan primer prima")
    skp = services.skp_create(by=staf, pegawai=cast.staf_b, year=year(), pendekatan="KUALITATIF")
    rhk = services.rhk_save(
        by=staf, skp=skp, jenis="UTAMA", text="Tersusunnya SOP pendaftaran", parent=kasi_rhk
    )
    services.iki_save(
        by=staf,
        rhk=rhk,
        values={
            "text": "SOP pendaftaran pasien",
            "target_narrative": "SOP ditetapkan kepala dinas tanpa revisi",
        },
    )
    text = " ".join(pdf_pages(render(skp)))
    for expected in (
        "PENDEKATAN HASIL KERJA KUALITATIF",
        "BAGI PEJABAT ADMINISTRASI DAN PEJABAT FUNGSIONAL",
        "RENCANA HASIL KERJA PIMPINAN/ATASAN YANG DIINTERVENSI",
        "Layanan primer prima",
        "Tersusunnya SOP pendaftaran",
        "Ukuran keberhasilan/Indikator Kinerja Individu, dan Target:",
        "SOP pendaftaran pasien: SOP ditetapkan kepala dinas tanpa revisi",
        "B. TAMBAHAN",
        "Bambang Pamungkas",
        "Agus Salim",
        "LAMPIRAN SASARAN KINERJA PEGAWAI",
    ):
        assert expected in text, expected
    assert "ASPEK" not in text and "PERSPEKTIF" not in text


def build_kadis_jpt(cast: Cast, pendekatan: str = "KUANTITATIF") -> Skp:
    kadis = cast.user("kadis")
    skp = services.skp_create(by=kadis, pegawai=cast.kadis, year=year(), pendekatan=pendekatan)
    rhk = services.rhk_save(
        by=kadis, skp=skp, jenis="UTAMA", text="Meningkatnya derajat kesehatan masyarakat"
    )
    services.iki_save(
        by=kadis,
        rhk=rhk,
        values={
            "text": "Angka kematian ibu per 100.000 kelahiran hidup",
            "target_value": "85",
            "target_unit": "per 100.000 KH",
            "target_narrative": "Angka kematian ibu turun dibanding tahun lalu",
            "perspektif": "PENERIMA_LAYANAN",
        },
    )
    services.iki_save(
        by=kadis,
        rhk=rhk,
        values={
            "text": "Realisasi anggaran dinas",
            "target_value": "95",
            "target_unit": "%",
            "target_narrative": "Anggaran terserap sesuai rencana",
            "perspektif": "ANGGARAN",
        },
    )
    return skp


def test_pdf_jpt_has_perspektif_and_no_intervensi_column(cast: Cast) -> None:
    skp = build_kadis_jpt(cast)
    view = queries.skp_view(skp)
    assert view.is_jpt and view.rater is None
    text = " ".join(pdf_pages(render(skp)))
    for expected in (
        "PENDEKATAN HASIL KERJA KUANTITATIF",
        "BAGI PEJABAT PIMPINAN TINGGI DAN PIMPINAN UNIT KERJA MANDIRI",
        "RENCANA HASIL KERJA INDIKATOR KINERJA INDIVIDU TARGET PERSPEKTIF",
        "Meningkatnya derajat kesehatan masyarakat",
        "Angka kematian ibu per 100.000 kelahiran hidup",
        "85 per 100.000 KH",
        "Penerima Layanan",
        "95 %",
        "Anggaran",
        "Hendra Wijaya",
        "Kepala Dinas Kesehatan",
        "PEJABAT PENILAI KINERJA",
    ):
        assert expected in text, expected
    assert "DIINTERVENSI" not in text and "ASPEK" not in text


def test_pdf_jpt_kualitatif_names_the_perspektif_in_the_narrative(cast: Cast) -> None:
    text = " ".join(pdf_pages(render(build_kadis_jpt(cast, pendekatan="KUALITATIF"))))
    assert "Ukuran keberhasilan/Indikator Kinerja Individu, Target, dan Perspektif:" in text
    assert "Angka kematian ibu turun dibanding tahun lalu (Perspektif: Penerima Layanan)" in text
    assert "DIINTERVENSI" not in text


def test_documents_never_query(cast: Cast, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    view = queries.skp_view(build_kasi_and_staf(cast).staf_skp)
    with django_assert_num_queries(0):
        documents.skp_pdf_html(view, printed_on=PRINTED, place="")
        documents_xlsx.skp_xlsx_bytes(view)


def test_approved_and_revised_versions_say_so_in_the_footer(cast: Cast) -> None:
    built = build_kasi_and_staf(cast)
    skp = services.skp_submit(by=cast.user("staf_a"), skp=built.staf_skp)
    services.skp_approve(by=cast.user("kasi"), skp=skp)
    approved = " ".join(pdf_pages(render(skp)))
    assert skp.approved_at is not None
    day = timezone.localtime(skp.approved_at).strftime("%d-%m-%Y")
    assert f"Versi 1 · Disetujui {day}" in approved
    assert "DRAF" not in approved and "belum disetujui" not in approved
    revised = services.skp_revise(by=cast.user("staf_a"), skp=skp)
    skp.refresh_from_db()
    assert "sudah digantikan versi yang lebih baru" in " ".join(pdf_pages(render(skp)))
    view = queries.skp_view(revised)
    assert documents.filename(view, "pdf") == f"SKP-{cast.staf_a.nip}-{year()}-v2.pdf"
    assert "Versi 2 · DRAF — belum disetujui" in documents.status_line(view)


def test_dates_and_periods_in_indonesian() -> None:
    assert documents.tanggal(date(2026, 11, 23)) == "23 November 2026"
    assert documents.tanggal(date(2026, 3, 5)) == "5 Maret 2026"
    assert documents.periode(date(2026, 1, 1), date(2026, 12, 31)) == (
        "01 JANUARI SD 31 DESEMBER TAHUN 2026"
    )
    # a mutasi SKP covers only its own part of the year
    assert documents.periode(date(2026, 7, 15), date(2026, 12, 31)) == (
        "15 JULI SD 31 DESEMBER TAHUN 2026"
    )
    assert documents.place_and_date("Sukamaju", date(2026, 8, 17)) == "Sukamaju, 17 Agustus 2026"
    assert documents.place_and_date("  ", date(2026, 8, 17)) == "17 Agustus 2026"
    assert documents.place_and_date("", None) == documents.BLANK_PLACE_DATE


def test_pdf_of_a_mutasi_skp_shows_its_own_dates(cast: Cast) -> None:
    view = queries.skp_view(build_kasi_and_staf(cast).staf_skp)
    view.skp.start_date = date(year(), 7, 15)  # documents render what they are given
    data = documents.skp_pdf_bytes(view, printed_on=PRINTED, place="")
    first = pdf_pages(data)[0]
    assert f"PERIODE PENILAIAN: 15 JULI SD 31 DESEMBER TAHUN {year()}" in first
    assert "23 November 2026" in " ".join(pdf_pages(data))


def test_pdf_refuses_to_fetch_anything() -> None:
    with pytest.raises(ValueError, match="sumber luar"):
        documents._no_fetch("https://fonts.example.com/font.woff2")


# --- XLSX -------------------------------------------------------------------------------------


def cells(ws) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}


def row_of(ws, text: str) -> int:  # type: ignore[no-untyped-def]
    for row in ws.iter_rows():
        for c in row:
            if c.value == text:
                return int(c.row)
    raise AssertionError(text)


def test_xlsx_has_the_same_blocks_in_the_expected_cells(cast: Cast) -> None:
    built = build_kasi_and_staf(cast)
    view = queries.skp_view(built.staf_skp)
    book = load_workbook(BytesIO(documents_xlsx.skp_xlsx_bytes(view, printed_on=PRINTED)))
    assert book.sheetnames == ["SKP", "Lampiran"]
    ws = book["SKP"]
    got = cells(ws)
    y = year()
    assert got["A1"] == "SASARAN KINERJA PEGAWAI"
    assert got["A2"] == "PENDEKATAN HASIL KERJA KUANTITATIF"
    assert got["A3"] == "BAGI PEJABAT ADMINISTRASI DAN PEJABAT FUNGSIONAL"
    assert got["A5"] == "PEMERINTAH KABUPATEN CONTOH"
    assert got["D5"] == f"PERIODE PENILAIAN: 01 JANUARI SD 31 DESEMBER TAHUN {y}"
    assert [got["A6"], got["B6"], got["D6"], got["E6"]] == [
        "NO",
        "PEGAWAI YANG DINILAI",
        "NO",
        "PEJABAT PENILAI KINERJA",
    ]
    identity = [(got[f"B{r}"], got[f"C{r}"], got[f"E{r}"], got[f"F{r}"]) for r in range(7, 12)]
    assert identity == [
        ("NAMA", "Dewi Lestari", "NAMA", "Agus Salim"),
        ("NIP", cast.staf_a.nip, "NIP", cast.kasi.nip),
        ("PANGKAT/GOL. RUANG", "Penata (III/c)", "PANGKAT/GOL. RUANG", "Penata (III/c)"),
        ("JABATAN", "Pengelola Layanan Kesehatan", "JABATAN", "Kepala Seksi Pelayanan Primer"),
        ("UNIT KERJA", "Seksi Pelayanan Primer", "UNIT KERJA", "Seksi Pelayanan Primer"),
    ]
    assert got["A13"] == "HASIL KERJA"
    assert [got[f"{c}14"] for c in "ABCDEF"] == [
        "NO",
        "RENCANA HASIL KERJA PIMPINAN/ATASAN YANG DIINTERVENSI",
        "RENCANA HASIL KERJA",
        "ASPEK",
        "INDIKATOR KINERJA INDIVIDU",
        "TARGET",
    ]
    assert [got[f"{c}15"] for c in "ABCDEF"] == ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"]
    assert got["A16"] == "A. UTAMA"
    assert [got[f"{c}17"] for c in "ABCDEF"] == [
        "1",
        "Meningkatnya cakupan layanan kesehatan primer",
        "Terlaksananya posyandu balita",
        "Kuantitas",
        "Jumlah posyandu yang terlaksana",
        "12 kegiatan",
    ]
    assert (got["D18"], got["F18"], got["D19"], got["F19"]) == (
        "Kualitas",
        "100 %",
        "Waktu",
        "12 bulan",
    )
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A17:A19", "B17:B19", "C17:C19", "A16:F16", "B6:C6"} <= merged
    assert got["A20"] == "B. TAMBAHAN"
    assert got["B21"] == "-"
    assert got["C21"] == "Menjadi narasumber sosialisasi gizi\n(penugasan dari Kepala Dinas)"
    assert got["F21"] == "2 kali"
    assert ws["A14"].font.b and ws["C17"].alignment.wrap_text
    assert ws.column_dimensions["B"].width > ws.column_dimensions["A"].width
    perilaku = row_of(ws, "PERILAKU KERJA")
    for offset, value in enumerate(BERAKHLAK, start=1):
        guides = "\n".join(f"{n}. {g}" for n, g in enumerate(value.guides, start=1))
        assert got[f"B{perilaku + offset}"] == f"{value.name}\n{guides}"
    assert got[f"E{perilaku + 1}"] == (
        "Ekspektasi Khusus Pimpinan:\nMenanggapi keluhan warga dalam satu hari kerja"
    )
    assert got[f"E{perilaku + 2}"] == "Ekspektasi Khusus Pimpinan:\n-"
    signed = row_of(ws, "Pegawai yang Dinilai")
    assert got[f"D{signed}"] == "Pejabat Penilai Kinerja"
    assert got[f"D{signed - 1}"] == "23 November 2026"
    assert (got[f"A{signed + 2}"], got[f"D{signed + 2}"]) == ("Dewi Lestari", "Agus Salim")
    assert got[f"A{signed + 3}"] == f"NIP {cast.staf_a.nip}"

    lamp = cells(book["Lampiran"])
    sheet = book["Lampiran"]
    assert lamp["A1"] == "LAMPIRAN SASARAN KINERJA PEGAWAI"
    for title, item in (
        ("DUKUNGAN SUMBER DAYA", "Kendaraan dinas roda dua"),
        ("SKEMA PERTANGGUNGJAWABAN", "Laporan triwulan kepada kasi"),
        ("KONSEKUENSI", "Teguran lisan bila target tidak tercapai"),
    ):
        r = row_of(sheet, title)
        assert (lamp[f"A{r + 1}"], lamp[f"B{r + 1}"]) == ("1.", item)
    assert row_of(sheet, "Pejabat Penilai Kinerja") > row_of(sheet, "KONSEKUENSI")


def test_xlsx_jpt_and_empty_lists(cast: Cast) -> None:
    view = queries.skp_view(build_kadis_jpt(cast))
    book = load_workbook(BytesIO(documents_xlsx.skp_xlsx_bytes(view)))
    got = cells(book["SKP"])
    assert [got[f"{c}14"] for c in "ABCEF"] == [
        "NO",
        "RENCANA HASIL KERJA",
        "INDIKATOR KINERJA INDIVIDU",
        "TARGET",
        "PERSPEKTIF",
    ]
    assert "D14" not in got  # the IKI header spans C–D
    assert (got["B17"], got["C17"], got["E17"], got["F17"]) == (
        "Meningkatnya derajat kesehatan masyarakat",
        "Angka kematian ibu per 100.000 kelahiran hidup",
        "85 per 100.000 KH",
        "Penerima Layanan",
    )
    assert "F7" not in got  # no rater: blank identity cells
    assert got["A19"] == "B. TAMBAHAN" and got["A20"] == "-"
    sheet = book["Lampiran"]
    lamp = cells(sheet)
    r = row_of(sheet, "KONSEKUENSI")
    assert (lamp[f"A{r + 1}"], lamp[f"B{r + 1}"]) == ("-", "-")
    assert documents.BLANK_PLACE_DATE in lamp.values()


# --- downloads --------------------------------------------------------------------------------


@pytest.fixture
def staf_skp(cast: Cast) -> Skp:
    return build_kasi_and_staf(cast).staf_skp


@pytest.mark.parametrize("who", ["staf_a", "kasi", "admin", "auditor", "kabid", "kadis"])
def test_readers_download_pdf_and_xlsx(login, cast: Cast, staf_skp: Skp, who: str) -> None:  # type: ignore[no-untyped-def]
    client = login(who)
    name = f"SKP-{cast.staf_a.nip}-{year()}-v1"
    response = client.get(reverse("plans:skp_pdf", args=[staf_skp.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{name}.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    response = client.get(reverse("plans:skp_xlsx", args=[staf_skp.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == f'attachment; filename="{name}.xlsx"'
    assert load_workbook(BytesIO(response.content))["SKP"]["C7"].value == "Dewi Lestari"


@pytest.mark.parametrize("who", ["staf_b", "perawat", "kapus", "outsider"])
def test_others_get_404(login, staf_skp: Skp, who: str) -> None:  # type: ignore[no-untyped-def]
    client = login(who)
    for name in ("plans:skp_pdf", "plans:skp_xlsx"):
        assert client.get(reverse(name, args=[staf_skp.pk])).status_code == 404
    assert client.get(reverse("plans:skp_pdf", args=[staf_skp.pk + 999])).status_code == 404


def test_anonymous_is_sent_to_login(client: Client, staf_skp: Skp) -> None:
    url = reverse("plans:skp_pdf", args=[staf_skp.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert client.post(url).status_code in {302, 405}


def test_rater_superior_reads_through_the_chain(cast: Cast, staf_skp: Skp) -> None:
    from kinerja.plans.document_views import readable_skp

    assert queries.can_read_chain(cast.user("kabid"), staf_skp)
    assert readable_skp(cast.user("kabid"), staf_skp.pk) == staf_skp
    assert not queries.can_read_chain(cast.user("staf_b"), staf_skp)


def test_api_returns_the_files(cast: Cast, staf_skp: Skp) -> None:
    from kinerja.accounts.services import api_token_create

    _token, raw = api_token_create(by=cast.user("kasi"), name="unduh SKP")
    bearer = Client(headers={"Authorization": f"Bearer {raw}"})
    response = bearer.get(f"/api/v1/skp/{staf_skp.pk}/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="SKP-{cast.staf_a.nip}-{year()}-v1.pdf"'
    )
    assert "Dewi Lestari" in " ".join(pdf_pages(response.content))
    session = Client()
    session.force_login(cast.user("staf_a"))
    response = session.get(f"/api/v1/skp/{staf_skp.pk}/xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-v1.xlsx"')
    assert load_workbook(BytesIO(response.content))["SKP"]["A1"].value == TITLE


def test_api_hides_what_the_user_may_not_read(cast: Cast, staf_skp: Skp) -> None:
    from kinerja.accounts.services import api_token_create

    _token, raw = api_token_create(by=cast.user("staf_b"), name="rasa ingin tahu")
    bearer = Client(headers={"Authorization": f"Bearer {raw}"})
    response = bearer.get(f"/api/v1/skp/{staf_skp.pk}/pdf")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert Client().get(f"/api/v1/skp/{staf_skp.pk}/xlsx").status_code == 401


def test_xlsx_keeps_formula_like_text_as_text(cast: Cast) -> None:
    built = build_kasi_and_staf(cast)
    services.lampiran_add(
        by=cast.user("staf_a"), skp=built.staf_skp, kind="KONSEKUENSI", text='=HYPERLINK("x")'
    )
    content = documents_xlsx.skp_xlsx_bytes(queries.skp_view(built.staf_skp))
    book = load_workbook(BytesIO(content))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(c.value == '=HYPERLINK("x")' for c in cells)
