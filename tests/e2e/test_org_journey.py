"""A pegawai on a phone: log in with the NIP, read the own profile, walk the unit tree, find people.

Screenshots go to /tmp (not committed).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kinerja.org.testing import PASSWORD, Cast

pytestmark = pytest.mark.e2e

SCREENSHOTS = "/tmp/kinerja-e2e"  # noqa: S108 - local artefacts, never committed


def log_in(page: Page, nip: str, password: str) -> None:
    page.get_by_label("NIP").fill(nip)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


def assert_fits_the_phone(page: Page) -> None:
    """No sideways scrolling: the page is no wider than the phone's screen."""
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} is {widths[0]}px wide on a {widths[1]}px screen"


def open_menu(page: Page, item: str) -> None:
    page.locator("summary", has_text="Menu").click()
    page.get_by_role("link", name=item).click()


def test_pegawai_journey_on_a_phone(page: Page, live_server: LiveServer, e2e_cast: Cast) -> None:
    page.set_default_timeout(10_000)

    # Anonymous: the home page sends us to the login form.
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/akun/masuk/\?next=/$"))
    expect(page.get_by_role("heading", name="Masuk ke Kinerja")).to_be_visible()

    # Log in with the NIP and land on the own profile.
    log_in(page, e2e_cast.staf_a.nip, PASSWORD)
    expect(page).to_have_url(re.compile(r"/org/saya/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dewi Lestari")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("Pengelola Layanan Kesehatan")
    rater = facts.locator("dt:has-text('Pejabat Penilai Kinerja') + dd")
    expect(rater).to_contain_text("Agus Salim")
    assert_fits_the_phone(page)
    page.screenshot(path=f"{SCREENSHOTS}-profile.png", full_page=True)

    # Menu → Struktur organisasi; expand the tree with the htmx "+" buttons.
    page.locator("summary", has_text="Menu").click()
    expect(page.get_by_role("link", name="Struktur organisasi")).to_be_visible()
    page.screenshot(path=f"{SCREENSHOTS}-menu.png")
    page.get_by_role("link", name="Struktur organisasi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Struktur organisasi")
    page.get_by_role("button", name="Buka sub-unit Pemerintah Kabupaten Contoh").click()
    dinkes_link = page.get_by_role("link", name="Dinas Kesehatan", exact=True)
    expect(dinkes_link).to_be_visible()
    page.get_by_role("button", name="Buka sub-unit Dinas Kesehatan").click()
    expect(page.get_by_role("link", name="Puskesmas Sukamaju")).to_be_visible()
    expect(page.get_by_role("link", name="Bidang Pelayanan Kesehatan")).to_be_visible()
    expect(page.locator("#tree-root")).to_contain_text("Kepala: Ratna Sari")
    assert_fits_the_phone(page)
    page.screenshot(path=f"{SCREENSHOTS}-tree.png", full_page=True)
    # "−" folds a branch away and "+" opens it again.
    dinkes_toggle = page.get_by_role("button", name="Buka sub-unit Dinas Kesehatan")
    dinkes_toggle.click()
    expect(dinkes_toggle).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("link", name="Puskesmas Sukamaju")).to_have_count(0)
    dinkes_toggle.click()
    expect(page.get_by_role("link", name="Puskesmas Sukamaju")).to_be_visible()

    # Dinas Kesehatan's page, then Puskesmas Sukamaju, then the head's profile.
    dinkes_link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dinas Kesehatan")
    assert_fits_the_phone(page)
    page.get_by_role("link", name="Puskesmas Sukamaju").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Puskesmas Sukamaju")
    assert_fits_the_phone(page)
    page.screenshot(path=f"{SCREENSHOTS}-unit.png", full_page=True)
    page.get_by_role("link", name="Ratna Sari").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ratna Sari")
    expect(page.locator("dl.facts")).to_contain_text("Kepala Puskesmas Sukamaju")
    expect(page.locator("dl.facts")).to_contain_text("Hendra Wijaya")  # her rater
    expect(page.get_by_text("Riwayat jabatan")).to_have_count(0)  # not her rater: no private data

    # The directory's live search (htmx): type, no submit, no page load.
    open_menu(page, "Direktori pegawai")
    expect(page.get_by_role("heading", level=1)).to_have_text("Direktori pegawai")
    results = page.locator("#results")
    expect(results).to_contain_text("Agus Salim")
    page.evaluate("window.__samePage = true")
    page.get_by_role("searchbox").press_sequentially("Dewi", delay=30)
    expect(results).not_to_contain_text("Agus Salim")
    expect(results.get_by_role("link", name="Dewi Lestari")).to_be_visible()
    assert page.evaluate("window.__samePage === true"), "the search reloaded the page"
    expect(page).to_have_url(re.compile(r"/org/pegawai/\?q=Dewi$"))
    assert_fits_the_phone(page)
    page.screenshot(path=f"{SCREENSHOTS}-directory.png", full_page=True)


def test_wrong_password_shows_the_indonesian_error(
    page: Page, live_server: LiveServer, e2e_cast: Cast
) -> None:
    page.set_default_timeout(10_000)
    page.goto(live_server.url + "/akun/masuk/")
    log_in(page, e2e_cast.staf_a.nip, "bukan-sandinya")
    expect(page.get_by_role("alert")).to_have_text(
        "NIP atau kata sandi salah. Periksa kembali dan coba lagi."
    )
    expect(page.get_by_label("NIP")).to_have_value(e2e_cast.staf_a.nip)
    page.screenshot(path=f"{SCREENSHOTS}-login-error.png", full_page=True)
