"""SKM on a phone: a citizen scans the poster (opens the short URL), answers the 9 unsur,
names the petugas, submits and sees thanks; the admin then finds the answer counted on the
IKM page. Screenshots go to /tmp."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kinerja.org.testing import PASSWORD, Cast
from kinerja.surveys import services
from kinerja.surveys.models import SkmResponse
from kinerja.surveys.periods import key_on

from .test_org_journey import assert_fits_the_phone, log_in

pytestmark = pytest.mark.e2e

SCREENSHOTS = "/tmp/kinerja-e2e-skm"  # noqa: S108 - local artefacts, never committed


def test_skm_journey_on_a_phone(page: Page, live_server: LiveServer, e2e_cast: Cast) -> None:
    page.set_default_timeout(10_000)
    cast = e2e_cast
    layanan = services.layanan_save(
        by=cast.admin, unit=cast.puskesmas, name="Poli Umum", code="poli-sukamaju", population=100
    )
    key = key_on("SEMESTER", timezone.localdate())
    services.period_open(by=cast.admin, layanan=layanan, key=key)

    # The citizen: the QR code on the poster opens the short address.
    page.goto(f"{live_server.url}/s/poli-sukamaju/")
    expect(page.get_by_role("heading", name="Survei Kepuasan Masyarakat")).to_be_visible()
    assert_fits_the_phone(page)
    page.screenshot(path=f"{SCREENSHOTS}/1-form.png", full_page=True)
    for code, answer in (
        ("u1", "Sangat sesuai"),
        ("u2", "Mudah"),
        ("u3", "Kurang cepat"),
        ("u4", "Gratis"),
        ("u5", "Sesuai"),
        ("u6", "Sangat kompeten"),
        ("u7", "Sangat sopan dan ramah"),
        ("u8", "Berfungsi kurang maksimal"),
        ("u9", "Baik"),
    ):
        page.locator(f"#f-{code}").get_by_label(answer, exact=True).check()
    page.get_by_label("Usia (tahun)").fill("29")
    page.locator("#f-jenis_kelamin").get_by_label("Perempuan").check()
    page.get_by_label("Pendidikan terakhir").select_option("S1")
    page.get_by_label("Pekerjaan utama").select_option("WIRAUSAHA")
    page.get_by_label("Petugas yang melayani").select_option(label="Yohanes Manurung")
    page.get_by_label("Saran dan masukan").fill("Antrian pagi terlalu panjang.")
    page.get_by_role("button", name="Kirim penilaian").click()
    expect(page).to_have_url(re.compile(r"/s/poli-sukamaju/terima-kasih/$"))
    expect(page.get_by_text("sudah kami terima")).to_be_visible()
    assert_fits_the_phone(page)
    page.screenshot(path=f"{SCREENSHOTS}/2-thanks.png", full_page=True)
    row = SkmResponse.objects.get()
    assert row.answers() == (4, 3, 2, 4, 3, 4, 4, 3, 3) and row.petugas_id == cast.perawat.pk

    # Going back and sending the same form again counts once.
    page.go_back()
    page.get_by_role("button", name="Kirim penilaian").click()
    assert SkmResponse.objects.count() == 1

    # The admin sees the answer counted on the IKM page.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/akun/masuk/")
    log_in(page, "admin", PASSWORD)
    page.goto(f"{live_server.url}/skm/?periode={key.text}")
    row_el = page.locator(f"#ikm-layanan tr[data-layanan='{layanan.pk}']")
    expect(row_el.locator(".respondents")).to_have_text("1")
    expect(row_el.locator(".konversi")).to_have_text("83,33")
    assert_fits_the_phone(page)
    row_el.get_by_role("link", name="Poli Umum").click()
    expect(page.locator("#respondents")).to_have_text("1")
    expect(page.locator("#sample")).to_contain_text("Sampel belum memadai")
    expect(page.get_by_text("Antrian pagi terlalu panjang.")).to_be_visible()
    page.screenshot(path=f"{SCREENSHOTS}/3-ikm.png", full_page=True)
