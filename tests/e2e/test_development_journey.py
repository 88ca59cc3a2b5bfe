"""Tindak lanjut on a phone: the scan opens an early-warning case for staf_a (her progress is
behind and TRIWULAN I was rated Butuh Perbaikan); her rater, the kasi, turns it into a coaching
session with an agreed action and corrects its notes; staf_a fills Format B.1.8; the kabid
fills Format B.1.9 and downloads it as PDF; staf_a accepts the recommended training into her
plan and completes it with a certificate.

The approved SKP, the rated TRIWULAN I, the catalogue and the scan are built with the services
before the browser starts. Screenshots go to /tmp.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kinerja.assessments.testing import approved_skp, evaluation, realisasi
from kinerja.development import services_training as training
from kinerja.development.models import CatatanJp, Kasus, Sesi
from kinerja.development.scan import scan
from kinerja.org.testing import Cast

from .test_org_journey import assert_fits_the_phone, open_menu
from .test_skp_journey import sign_in

pytestmark = pytest.mark.e2e

SCREENSHOTS = "/tmp/kinerja-e2e-pengembangan"  # noqa: S108 - local artefacts, never committed
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def prepare(cast: Cast) -> None:
    today = timezone.localdate()
    plan = approved_skp(cast, "staf_a")
    realisasi(cast, plan, 1, "1")
    evaluation(cast, "staf_a", 1, "DI_BAWAH", "SESUAI", finalize=True)
    training.pelatihan_save(
        by=cast.user("admin"),
        instansi_id=cast.kab.pk,
        values={
            "name": "Manajemen waktu",
            "jp": "8",
            "mode": "E_LEARNING",
            "for_hasil": True,
        },
    )
    current = 1 + (today.month - 1) // 3
    scan(instansi_id=cast.kab.pk, year=today.year, period=current, today=today)


def test_development_journey_on_a_phone(
    page: Page, live_server: LiveServer, e2e_cast: Cast, tmp_path: Path
) -> None:
    page.set_default_timeout(10_000)
    prepare(e2e_cast)
    kasus = Kasus.objects.get(pegawai=e2e_cast.staf_a, reason="PROGRES_RENDAH")

    # The kasi finds the case on his list and records a coaching session from it.
    sign_in(page, live_server, e2e_cast.kasi.nip)
    open_menu(page, "Peringatan dini dan bimbingan")
    cases = page.locator("#cases")
    expect(cases).to_contain_text("Dewi Lestari")
    expect(cases).to_contain_text("Progres di bawah ekspektasi prorata")
    assert_fits_the_phone(page)
    page.goto(f"{live_server.url}/pengembangan/kasus/{kasus.pk}/")
    expect(page.locator("#case-data")).to_contain_text("ekspektasi")
    form = page.locator("#sesi-form")
    form.get_by_label("Metode").select_option("COACHING")
    form.get_by_label("Catatan bimbingan").fill("Laporan tertunda dibahas; jadwal disepakati.")
    form.get_by_label("Aksi yang disepakati 1").fill("Kirim laporan mingguan")
    form.get_by_label("Tenggat 1").fill(timezone.localdate().isoformat())
    assert_fits_the_phone(page)
    form.get_by_role("button", name="Simpan sesi").click()
    expect(page.get_by_text("Sesi bimbingan dicatat.")).to_be_visible()
    expect(page.locator("#sesi-notes")).to_contain_text("Laporan tertunda dibahas")
    # He corrects the notes before staf_a answers Format B.1.8.
    page.locator("#sesi-edit").click()
    edit = page.locator("#sesi-edit-form")
    edit.get_by_label("Catatan bimbingan").fill("Laporan Maret tertunda dibahas; jadwal baru.")
    assert_fits_the_phone(page)
    edit.get_by_role("button", name="Simpan perubahan").click()
    expect(page.get_by_text("Sesi bimbingan diperbarui.")).to_be_visible()
    expect(page.locator("#sesi-notes")).to_contain_text("Laporan Maret tertunda dibahas")
    # A second session, recorded twice by mistake, is withdrawn with a reason.
    page.goto(f"{live_server.url}/pengembangan/kasus/{kasus.pk}/")
    form = page.locator("#sesi-form")
    form.get_by_label("Catatan bimbingan").fill("Tercatat dua kali.")
    form.get_by_role("button", name="Simpan sesi").click()
    expect(page.get_by_text("Sesi bimbingan dicatat.")).to_be_visible()
    page.locator("#sesi-withdraw").click()
    withdraw = page.locator("#sesi-withdraw-form")
    withdraw.get_by_label("Alasan penghapusan").fill("Sesi yang sama tercatat dua kali")
    assert_fits_the_phone(page)
    withdraw.get_by_role("button", name="Hapus sesi").click()
    expect(page.get_by_text("Sesi bimbingan dihapus.")).to_be_visible()
    expect(page.locator("#case-data")).to_be_visible()  # back on the case
    sesi = Sesi.objects.get()
    assert "Laporan Maret" in sesi.notes

    # staf_a fills Format B.1.8 for the session.
    sign_in(page, live_server, e2e_cast.staf_a.nip)
    page.goto(f"{live_server.url}/pengembangan/sesi/{sesi.pk}/")
    b18 = page.locator("#b18-form")
    fieldsets = b18.locator("fieldset")
    expect(fieldsets).to_have_count(9)
    for i in range(9):
        fieldsets.nth(i).get_by_label(
            "Sangat setuju" if i % 2 == 0 else "Setuju", exact=True
        ).check()
    b18.get_by_label("Tempat").fill("Sukamaju")
    assert_fits_the_phone(page)
    page.screenshot(path=f"{SCREENSHOTS}-b18.png", full_page=True)
    b18.get_by_role("button", name="Kirim B.1.8").click()
    expect(page.get_by_text("Format B.1.8 tersimpan.")).to_be_visible()
    expect(page.locator("#b18-answers li")).to_have_count(9)

    # The kabid (pimpinan above the seksi) fills Format B.1.9 and downloads both PDFs.
    sign_in(page, live_server, e2e_cast.kabid.nip)
    page.goto(f"{live_server.url}/pengembangan/sesi/{sesi.pk}/")
    b19 = page.locator("#b19-form")
    b19.get_by_label("Kompetensi 1").fill("Manajemen waktu")
    b19.locator("select[name=nilai_1]").select_option("3")
    b19.locator("textarea[name=alasan_1]").fill("Mulai tepat waktu setelah bimbingan")
    b19.get_by_label("Tempat").fill("Dinas Kesehatan")
    b19.get_by_role("button", name="Simpan B.1.9").click()
    expect(page.get_by_text("Format B.1.9 tersimpan.")).to_be_visible()
    expect(page.locator("#b19-table")).to_contain_text("Manajemen waktu")
    for name in ("b18", "b19"):
        response = page.request.get(f"{live_server.url}/pengembangan/sesi/{sesi.pk}/{name}.pdf")
        assert response.ok and response.body().startswith(b"%PDF-")

    # staf_a accepts the recommended training into her plan and completes it.
    sign_in(page, live_server, e2e_cast.staf_a.nip)
    open_menu(page, "Pengembangan saya (JP)")
    recs = page.locator("#recommendations")
    expect(recs).to_contain_text("Manajemen waktu")
    expect(recs).to_contain_text("rating hasil kerja di bawah ekspektasi")
    recs.get_by_role("button", name="Terima ke rencana").click()
    expect(page.get_by_text("Manajemen waktu masuk rencana pengembangan.")).to_be_visible()
    expect(page.locator("#plans")).to_contain_text("Direncanakan")
    certificate = tmp_path / "sertifikat-manajemen-waktu.pdf"
    certificate.write_bytes(PDF)
    jp = page.locator("#jp-form")
    jp.get_by_label("Dari rencana").select_option(label="Manajemen waktu")
    jp.get_by_label("Sertifikat (PDF atau gambar)").set_input_files(str(certificate))
    assert_fits_the_phone(page)
    jp.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("JP tercatat.")).to_be_visible()
    expect(page.locator("#plans")).to_contain_text("Selesai")
    expect(page.locator("#jp-records")).to_contain_text("sertifikat-manajemen-waktu.pdf")
    expect(page.locator("#jp-summary")).to_contain_text("kurang 12,0 JP")
    page.screenshot(path=f"{SCREENSHOTS}-jp.png", full_page=True)
    record = CatatanJp.objects.get()
    assert record.rencana is not None and record.rencana.status == "SELESAI"
