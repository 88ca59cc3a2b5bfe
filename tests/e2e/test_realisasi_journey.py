"""Realisasi on a phone: staf_a, whose SKP is approved, reports 3 of 12 posyandu with a photo and
sees 25 %; her rater, the kasi, reads the entry from SKP tim and downloads the photo, finds it
again on Pemantauan tim and comments on it; staf_a sees the notification and replies.

The approved SKP is built with the services before the browser starts. Screenshots go to /tmp.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kinerja.org.testing import Cast
from kinerja.plans import services as plans

from .test_org_journey import assert_fits_the_phone, open_menu
from .test_skp_journey import sign_in

pytestmark = pytest.mark.e2e

SCREENSHOTS = "/tmp/kinerja-e2e-realisasi"  # noqa: S108 - local artefacts, never committed
# A real (1×1) PNG: the server checks evidence by content.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a5f5c0dc0000000049454e44ae426082"
)


def approved_skp(cast: Cast) -> None:
    kasi, staf = cast.user("kasi"), cast.user("staf_a")
    year = timezone.localdate().year
    kasi_skp = plans.skp_create(by=kasi, pegawai=cast.kasi, year=year)
    top = plans.rhk_save(by=kasi, skp=kasi_skp, jenis="UTAMA", text="Layanan primer")
    [rhk] = plans.rhk_cascade(by=kasi, rhk=top, assignments=[(cast.staf_a, "Posyandu aktif")])
    plans.iki_save(
        by=staf,
        rhk=rhk,
        values={
            "text": "Jumlah posyandu terlaksana",
            "aspek": "KUANTITAS",
            "target_value": "12",
            "target_unit": "kegiatan",
        },
    )
    plans.skp_submit(by=staf, skp=rhk.skp)
    plans.skp_approve(by=kasi, skp=rhk.skp)


def test_realisasi_journey_on_a_phone(
    page: Page, live_server: LiveServer, e2e_cast: Cast, tmp_path: Path
) -> None:
    page.set_default_timeout(10_000)
    year = timezone.localdate().year
    approved_skp(e2e_cast)
    photo = tmp_path / "foto-posyandu.png"
    photo.write_bytes(PNG)

    # staf_a opens Realisasi from the menu and reports 3 posyandu with a photo.
    sign_in(page, live_server, e2e_cast.staf_a.nip)
    open_menu(page, "Realisasi")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Realisasi {year} · Dewi Lestari")
    iki = page.locator("li.iki").first
    expect(iki).to_contain_text("Belum ada realisasi.")
    assert_fits_the_phone(page)
    iki.locator("summary", has_text="Laporkan realisasi").click()
    form = iki.locator("details.report form")
    expect(form.get_by_label("Tanggal")).to_have_value(timezone.localdate().isoformat())
    form.get_by_label("Nilai").fill("3")
    form.get_by_label("Foto atau berkas bukti (opsional)").set_input_files(str(photo))
    assert_fits_the_phone(page)
    page.screenshot(path=f"{SCREENSHOTS}-form.png", full_page=True)
    form.get_by_role("button", name="Simpan realisasi").click()
    expect(page.get_by_text(re.compile(r"Realisasi \d\d-\d\d-\d{4} tercatat\."))).to_be_visible()
    iki = page.locator("li.iki").first
    expect(iki.locator(".trail .value")).to_have_text("3 kegiatan")
    expect(iki.locator(".bukti")).to_contain_text("foto-posyandu.png")
    expect(iki.locator(".percent")).to_have_text("25 %")
    expect(page.locator(".rhk-progress")).to_contain_text("25 %")
    assert_fits_the_phone(page)
    page.screenshot(path=f"{SCREENSHOTS}-staf.png", full_page=True)

    # The kasi reads it from SKP tim → the SKP → Realisasi, and downloads the photo.
    sign_in(page, live_server, e2e_cast.kasi.nip)
    open_menu(page, "SKP tim")
    page.get_by_role("link", name="Dewi Lestari").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"SKP {year} · Dewi Lestari")
    page.get_by_role("button", name="Realisasi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Realisasi {year} · Dewi Lestari")
    iki = page.locator("li.iki").first
    expect(iki.locator(".trail .value")).to_have_text("3 kegiatan")
    expect(iki.locator(".percent")).to_have_text("25 %")
    expect(page.get_by_text("Laporkan realisasi")).to_have_count(0)
    assert_fits_the_phone(page)
    page.screenshot(path=f"{SCREENSHOTS}-kasi.png", full_page=True)
    with page.expect_download() as download_info:
        iki.get_by_role("link", name="foto-posyandu.png").click()
    download = download_info.value
    assert download.suggested_filename == "foto-posyandu.png"
    assert Path(download.path()).read_bytes() == PNG

    # The kasi finds the entry on Pemantauan tim (latest evidence) and comments on it.
    open_menu(page, "Pemantauan tim")
    row = page.locator("tr", has_text="Dewi Lestari")
    expect(row.locator(".evidence")).to_contain_text("foto-posyandu.png")
    expect(row.locator(".reported")).to_have_text("1/1")
    row.get_by_role("link", name="Dewi Lestari").click()
    entry = page.locator("li.iki").first.locator(".trail > li").first
    entry.locator("summary", has_text="Beri umpan balik").click()
    entry.get_by_label("Umpan balik").fill("Bagus. Lampirkan juga daftar hadir posyandu.")
    assert_fits_the_phone(page)
    entry.get_by_role("button", name="Kirim umpan balik").click()
    expect(page.get_by_text("Umpan balik terkirim.")).to_be_visible()
    entry = page.locator("li.iki").first.locator(".trail > li").first
    expect(entry.locator(".thread .message").first).to_contain_text("daftar hadir posyandu")
    page.screenshot(path=f"{SCREENSHOTS}-umpan-balik.png", full_page=True)

    # staf_a sees one unread notification, follows it to the thread and replies.
    sign_in(page, live_server, e2e_cast.staf_a.nip)
    expect(page.locator("#unread-count")).to_have_text("1")
    open_menu(page, "Notifikasi")
    page.get_by_role("link", name=re.compile("memberi umpan balik tentang realisasi")).click()
    thread = page.locator(".thread", has_text="daftar hadir posyandu")
    expect(thread).to_be_visible()
    expect(page.locator("#unread-count")).to_have_text("0")  # opened: read
    thread.locator("summary", has_text="Balas").click()
    thread.get_by_label("Balasan").fill("Siap, Pak. Saya unggah besok.")
    thread.get_by_role("button", name="Kirim balasan").click()
    expect(page.get_by_text("Balasan terkirim.")).to_be_visible()
    expect(page.locator(".thread .message.reply")).to_contain_text("Saya unggah besok")
    assert_fits_the_phone(page)
    page.screenshot(path=f"{SCREENSHOTS}-balasan.png", full_page=True)
