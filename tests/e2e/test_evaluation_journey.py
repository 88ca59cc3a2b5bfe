"""Penilaian kinerja on a phone: the kasi evaluates three subordinates on "Penilaian tim" (the
predicate shows as the ratings are picked); the pattern of the seksi's Baik capaian warns; the
kabid calibrates one with a reason; staf_a appeals her predicate; the kabid (the atasan of her
rater) records both sides and decides; staf_a downloads the Dokumen Evaluasi and its
verification link (the address the QR code carries) confirms it, also for the uploaded file.

The approved SKPs, a third staff member, the capaian and the settings are built with the
services before the browser starts. Screenshots go to /tmp.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader
from pytest_django.live_server_helper import LiveServer

from kinerja.assessments import services
from kinerja.assessments.models import ANNUAL, Evaluasi, PengaturanPenilaian
from kinerja.assessments.testing import approved_skp, capaian, realisasi
from kinerja.org import services as org
from kinerja.org.testing import PASSWORD, START, Cast, make_nip

from .test_org_journey import assert_fits_the_phone, open_menu
from .test_skp_journey import sign_in

pytestmark = pytest.mark.e2e

SCREENSHOTS = "/tmp/kinerja-e2e-evaluasi"  # noqa: S108 - local artefacts, never committed
STAFF = ("Dewi Lestari", "Bambang Pamungkas", "Citra Kirana")


def current_period(cast: Cast) -> int:
    today = timezone.localdate()
    return next(
        p.number
        for p in services.evaluation_periods(cast.kab.pk, today.year)
        if p.number != ANNUAL and p.start <= today <= p.end
    )


def third_staff(cast: Cast) -> None:
    """Citra Kirana joins the seksi as a third Pengelola Layanan (rated by the kasi)."""
    pegawai = org.pegawai_save(
        by=cast.superadmin, instansi=cast.kab,
        values={"nip": make_nip("19800101", "200501", "2", 9), "jenis_asn": "PNS",
                "name": "Citra Kirana", "pangkat_golongan": "Penata (III/c)",
                "email": "p9@contoh.go.id", "phone": "081200000009"},
    )  # fmt: skip
    assert pegawai.user is not None
    pegawai.user.set_password(PASSWORD)
    pegawai.user.save(update_fields=["password"])
    org.penempatan_assign(
        by=cast.superadmin, pegawai=pegawai, jabatan=cast.j_staf, start_date=START
    )
    cast.staf_c = pegawai  # type: ignore[attr-defined]


def rate_on_the_page(page: Page, hasil: str, perilaku: str, expected: str) -> None:
    form = page.locator("#rating-form")
    form.locator("fieldset", has_text="Rating hasil kerja").get_by_label(hasil).check()
    form.locator("fieldset", has_text="Rating perilaku kerja").get_by_label(perilaku).check()
    expect(page.locator("#predikat-live")).to_have_text(expected)  # htmx, from the matrix
    form.get_by_label("Catatan/rekomendasi").fill("Pertahankan ketepatan laporan.")
    form.get_by_role("button", name="Simpan rating").click()
    expect(page.get_by_text(f"Rating disimpan: predikat {expected}.")).to_be_visible()


def row_of(page: Page, name: str) -> Locator:
    return page.locator("#team-evaluations li", has_text=name)


def test_evaluation_journey_on_a_phone(
    page: Page, live_server: LiveServer, e2e_cast: Cast, tmp_path: Path
) -> None:
    page.set_default_timeout(10_000)
    cast = e2e_cast
    year = timezone.localdate().year
    period = current_period(cast)
    third_staff(cast)
    plan = approved_skp(cast, "staf_a")
    approved_skp(cast, "staf_b")
    approved_skp(cast, "staf_c")
    realisasi(cast, plan, period, "6", links=["https://bukti.example.go.id/posyandu"])
    capaian(cast, cast.seksi, period, "BAIK", year=year)
    PengaturanPenilaian.objects.create(instansi=cast.kab, min_group_size=3)  # WARN

    # The kasi evaluates the three of them from "Penilaian tim": all Baik.
    sign_in(page, live_server, cast.kasi.nip)
    open_menu(page, "Penilaian tim")
    expect(page.get_by_role("heading", level=1)).to_have_text("Penilaian tim")
    for name in STAFF:
        expect(row_of(page, name)).to_contain_text("belum dimulai")
    assert_fits_the_phone(page)
    for name in STAFF:
        row_of(page, name).get_by_role("button", name="Mulai evaluasi").click()
        expect(page.locator("dl.facts")).to_contain_text(name)
        if name == STAFF[0]:
            expect(page.locator("#hasil-kerja")).to_contain_text("Laporan layanan tersusun")
            expect(page.locator("#hasil-kerja a", has_text="tautan bukti")).to_have_attribute(
                "href", "https://bukti.example.go.id/posyandu"
            )
            assert_fits_the_phone(page)
            page.screenshot(path=f"{SCREENSHOTS}-rating.png", full_page=True)
        rate_on_the_page(page, "Sesuai Ekspektasi", "Sesuai Ekspektasi", "Baik")
        page.get_by_role("button", name="Finalisasi evaluasi").click()
        expect(page.get_by_text("Evaluasi final; realisasi periode ini terkunci.")).to_be_visible()
        expect(page.locator("#status")).to_have_text("Final")
        page.get_by_role("link", name="Penilaian tim").click()
    # Three Baik in a Baik seksi: over 70 % Baik, and nobody Butuh Perbaikan or Kurang.
    expect(page.locator("#team-counts")).to_contain_text("Baik: 3")
    row_of(page, STAFF[2]).get_by_role("button", name="Lihat").click()
    warnings = page.locator("#breaches")
    expect(warnings).to_contain_text("Peringatan pola distribusi")
    expect(warnings).to_contain_text(
        "paling banyak 70% pegawai berpredikat Baik (sekarang 3 dari 3)"
    )
    expect(warnings).to_contain_text("harus ada pegawai berpredikat Butuh Perbaikan")
    page.screenshot(path=f"{SCREENSHOTS}-warning.png", full_page=True)

    # The kabid (pimpinan) calibrates Bambang to Butuh Perbaikan, with a reason.
    staf_b = Evaluasi.objects.get(pegawai=cast.staf_b)
    sign_in(page, live_server, cast.kabid.nip)
    page.goto(f"{live_server.url}/penilaian/{staf_b.pk}/")
    page.get_by_role("link", name="Kalibrasi predikat").click()
    row = page.locator(f"#kalibrasi-{staf_b.pk}")
    row.get_by_label("Hasil").select_option(label="Di Bawah Ekspektasi")
    row.get_by_label("Alasan kalibrasi").fill("Dua laporan triwulan terlambat lebih dari sebulan.")
    page.screenshot(path=f"{SCREENSHOTS}-kalibrasi-form.png", full_page=True)
    row.get_by_role("button", name="Simpan kalibrasi").click()
    row = page.locator(f"#kalibrasi-{staf_b.pk}")
    expect(row.locator(".predikat")).to_have_text("Butuh Perbaikan")
    expect(row).to_contain_text("dari penilai: Baik")
    page.screenshot(path=f"{SCREENSHOTS}-kalibrasi.png", full_page=True)

    # Dewi reads her final evaluation and appeals.
    sign_in(page, live_server, cast.staf_a.nip)
    open_menu(page, "Penilaian saya")
    page.locator("#my-evaluations li").first.get_by_role("button", name="Lihat").click()
    expect(page.locator("#predikat")).to_have_text("Baik")
    page.get_by_role("link", name="Keberatan").click()
    page.get_by_label("Alasan keberatan").fill(
        "Target laporan terlampaui (6 dari 12 di triwulan ini) dengan bukti lengkap."
    )
    page.get_by_role("button", name="Ajukan keberatan").click()
    expect(page.locator("#status-keberatan")).to_contain_text("Menunggu keputusan")
    assert_fits_the_phone(page)

    # The kabid, atasan of her rater, hears both sides and changes the predicate.
    sign_in(page, live_server, cast.kabid.nip)
    open_menu(page, "Keberatan yang perlu diputus")
    page.get_by_role("link", name=re.compile("Dewi Lestari")).first.click()
    page.get_by_label("Penjelasan pegawai").fill("Bukti dukung diunggah setiap minggu.")
    page.get_by_label("Penjelasan pejabat penilai kinerja").fill("Kualitas laporan sesuai.")
    page.get_by_role("button", name="Simpan penjelasan").click()
    decision = page.locator("#putusan")
    decision.get_by_label("Predikat diubah").check()
    decision.get_by_label("Rating hasil kerja baru").select_option(label="Di Atas Ekspektasi")
    decision.get_by_label("Rating perilaku kerja baru").select_option(label="Di Atas Ekspektasi")
    decision.get_by_label("Alasan keputusan").fill("Realisasi melampaui target dengan bukti.")
    decision.get_by_role("button", name="Putuskan (final)").click()
    expect(page.locator("#keputusan")).to_contain_text("Predikat diubah")
    expect(page.locator("#keputusan")).to_contain_text("Realisasi melampaui target dengan bukti.")

    # Dewi downloads the Dokumen Evaluasi; its verification link confirms it.
    sign_in(page, live_server, cast.staf_a.nip)
    evaluasi = Evaluasi.objects.get(pegawai=cast.staf_a)
    page.goto(f"{live_server.url}/penilaian/{evaluasi.pk}/")
    expect(page.locator("#predikat")).to_have_text("Sangat Baik")  # the decided predicate
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Dokumen Evaluasi Kinerja Pegawai (PDF)").click()
    pdf = Path(download_info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Dewi Lestari" in text and "SANGAT BAIK" in text.upper()
    found = re.search(r"https?://\S+/verifikasi/([\w-]+)/", text)
    assert found, text
    page.context.clear_cookies()  # anyone may verify, without an account
    page.goto(f"{live_server.url}/verifikasi/{found.group(1)}/")
    expect(page.get_by_text("Kode verifikasi ini sah")).to_be_visible()
    expect(page.locator("body")).to_contain_text("Dewi Lestari")
    copy = tmp_path / "dokumen.pdf"
    copy.write_bytes(pdf)
    page.locator('input[type="file"]').set_input_files(str(copy))
    page.get_by_role("button", name="Periksa").click()
    expect(page.get_by_text(re.compile("^Cocok:"))).to_be_visible()
    assert_fits_the_phone(page)
    page.screenshot(path=f"{SCREENSHOTS}-verifikasi.png", full_page=True)
