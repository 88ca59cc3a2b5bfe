"""SKP planning on a phone: the kasi starts his SKP and hands an RHK down to staf_a, who adds an
IKI and submits; the kasi returns it with a note, she fixes it and resubmits, he approves, and
she downloads the PDF.

Screenshots go to /tmp (not committed).
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kinerja.org.testing import PASSWORD, Cast

from .test_org_journey import assert_fits_the_phone, log_in, open_menu

pytestmark = pytest.mark.e2e

SCREENSHOTS = "/tmp/kinerja-e2e-skp"  # noqa: S108 - local artefacts, never committed
RHK_KASI = "Meningkatnya cakupan layanan kesehatan primer"


def sign_in(page: Page, server: LiveServer, nip: str) -> None:
    page.context.clear_cookies()
    page.goto(server.url + "/akun/masuk/")
    log_in(page, nip, PASSWORD)
    expect(page).to_have_url(re.compile(r"/org/saya/$"))


def add_iki(page: Page, indikator: str, aspek: str, target: str, satuan: str) -> None:
    rhk = page.locator("article.rhk").first
    rhk.locator("summary", has_text="Tambah IKI").click()
    form = rhk.locator("details.add form")
    form.get_by_label("Aspek").select_option(label=aspek)
    form.get_by_label("Indikator kinerja individu").fill(indikator)
    form.get_by_label("Target", exact=True).fill(target)
    form.get_by_label("Satuan").fill(satuan)
    form.get_by_role("button", name="Simpan IKI").click()
    expect(page.locator("#hasil .notice")).to_have_text("IKI disimpan.")
    expect(page.locator("#hasil")).to_contain_text(f"{target} {satuan}")


def open_own_skp(page: Page, year: int) -> None:
    open_menu(page, "SKP saya")
    expect(page.get_by_role("heading", level=1)).to_have_text("SKP saya")
    page.get_by_role("link", name=f"SKP {year} · Pengelola Layanan Kesehatan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"SKP {year} · Dewi Lestari")


def open_team_skp(page: Page, year: int) -> None:
    open_menu(page, "SKP tim")
    expect(page.get_by_role("heading", level=1)).to_have_text("SKP tim")
    expect(page.get_by_text("1 SKP menunggu persetujuan Anda.")).to_be_visible()
    assert_fits_the_phone(page)
    page.get_by_role("link", name="Dewi Lestari").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"SKP {year} · Dewi Lestari")
    expect(page.locator("#status")).to_have_text("Diajukan")


def test_skp_planning_journey_on_a_phone(
    page: Page, live_server: LiveServer, e2e_cast: Cast
) -> None:
    page.set_default_timeout(10_000)
    year = timezone.localdate().year

    # kasi starts his SKP, adds an RHK Utama and hands it down to staf_a.
    sign_in(page, live_server, e2e_cast.kasi.nip)
    open_menu(page, "SKP saya")
    expect(page.get_by_text("Anda belum memiliki SKP.")).to_be_visible()
    expect(page.get_by_label("Tahun")).to_have_value(str(year))
    assert_fits_the_phone(page)
    page.get_by_role("button", name="Mulai SKP").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"SKP {year} · Agus Salim")
    expect(page.locator("#status")).to_have_text("Draf")
    hasil = page.locator("#hasil")
    hasil.get_by_label("Rencana hasil kerja").fill(RHK_KASI)
    hasil.get_by_role("button", name="Simpan RHK").click()
    expect(hasil.locator("article.rhk")).to_contain_text(f"1. {RHK_KASI}")
    page.get_by_role("button", name="Turunkan ke bawahan").click()
    cascade = page.locator("form.cascade")
    cascade.get_by_role("checkbox", name="Dewi Lestari").check()
    expect(cascade.get_by_label("RHK untuk Dewi Lestari")).to_have_value(RHK_KASI)
    assert_fits_the_phone(page)
    page.screenshot(path=f"{SCREENSHOTS}-cascade.png", full_page=True)
    cascade.get_by_role("button", name="Turunkan", exact=True).click()
    expect(page.locator("#hasil .notice")).to_have_text("RHK diturunkan kepada Dewi Lestari.")
    expect(hasil).to_contain_text("Diturunkan kepada: Dewi Lestari")

    # staf_a finds the handed-down RHK in her draft SKP, adds an IKI and submits.
    sign_in(page, live_server, e2e_cast.staf_a.nip)
    open_menu(page, "SKP saya")
    expect(page.locator(".skp-list")).to_contain_text("Draf")
    open_own_skp(page, year)
    rhk = page.locator("article.rhk").first
    expect(rhk).to_contain_text(f"1. {RHK_KASI}")
    expect(rhk).to_contain_text(f"RHK pimpinan yang diintervensi: {RHK_KASI} (Agus Salim)")
    add_iki(page, "Jumlah posyandu terlaksana", "Kuantitas", "12", "kegiatan")
    assert_fits_the_phone(page)
    page.screenshot(path=f"{SCREENSHOTS}-draft.png", full_page=True)
    page.get_by_role("button", name="Ajukan").click()
    expect(page.locator("#status")).to_have_text("Diajukan")
    expect(page.get_by_text("SKP diajukan kepada Pejabat Penilai Kinerja.")).to_be_visible()

    # kasi opens SKP tim and returns it with a note.
    sign_in(page, live_server, e2e_cast.kasi.nip)
    open_team_skp(page, year)
    page.get_by_label("Catatan pengembalian").fill("Tambahkan aspek waktu")
    page.get_by_role("button", name="Kembalikan").click()
    expect(page.locator("#status")).to_have_text("Dikembalikan")
    expect(page.get_by_text("SKP dikembalikan kepada pegawai dengan catatan.")).to_be_visible()

    # staf_a reads the note, adds an IKI for aspek Waktu and resubmits.
    sign_in(page, live_server, e2e_cast.staf_a.nip)
    open_own_skp(page, year)
    note = page.locator("#catatan")
    expect(note).to_contain_text("Dikembalikan oleh Pejabat Penilai Kinerja.")
    expect(note).to_contain_text("Tambahkan aspek waktu")
    assert_fits_the_phone(page)
    page.screenshot(path=f"{SCREENSHOTS}-returned.png", full_page=True)
    add_iki(page, "Ketepatan waktu pelaksanaan", "Waktu", "12", "bulan")
    page.get_by_role("button", name="Ajukan").click()
    expect(page.locator("#status")).to_have_text("Diajukan")

    # kasi approves.
    sign_in(page, live_server, e2e_cast.kasi.nip)
    open_team_skp(page, year)
    page.get_by_role("button", name="Setujui").click()
    expect(page.locator("#status")).to_have_text("Disetujui")
    expect(page.get_by_text("SKP disetujui.")).to_be_visible()

    # His overviews: the pohon kinerja of his seksi and the status board, both on the phone.
    open_menu(page, "Pohon kinerja")
    expect(page.get_by_role("heading", level=2)).to_have_text(f"Seksi Pelayanan Primer · {year}")
    tree = page.locator("ul.pohon")
    expect(tree.locator("li").first).to_contain_text(RHK_KASI)
    expect(tree.locator("li li")).to_contain_text("Dewi Lestari")
    assert_fits_the_phone(page)
    page.screenshot(path=f"{SCREENSHOTS}-pohon.png", full_page=True)
    open_menu(page, "Status SKP")
    row = page.locator("table.board tbody tr").first
    expect(row.locator("td").first).to_have_text("Seksi Pelayanan Primer")
    expect(row.locator("td").last).to_have_text("1")  # disetujui
    assert_fits_the_phone(page)
    page.screenshot(path=f"{SCREENSHOTS}-status.png", full_page=True)

    # staf_a downloads the approved SKP as PDF.
    sign_in(page, live_server, e2e_cast.staf_a.nip)
    open_own_skp(page, year)
    expect(page.locator("#status")).to_have_text("Disetujui")
    expect(page.get_by_role("button", name="Buat perubahan SKP")).to_be_visible()
    assert_fits_the_phone(page)
    page.screenshot(path=f"{SCREENSHOTS}-approved.png", full_page=True)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Unduh PDF").click()
    download = download_info.value
    assert download.path().read_bytes()[:4] == b"%PDF"
    assert download.suggested_filename.endswith(".pdf")
