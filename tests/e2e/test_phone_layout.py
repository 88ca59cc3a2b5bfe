"""The wide pages on a phone (390 px): tables scroll inside their own box instead of widening the
page (catalogue, JP per unit, distribusi, konsistensi, the SKM rencana tindak lanjut).

The data are built with the services before the browser starts; one sign-in reads every page.
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kinerja.assessments.testing import YEAR, capaian, evaluation
from kinerja.development import services_training as training
from kinerja.org.testing import Cast
from kinerja.surveys import services as skm
from kinerja.surveys.periods import key_on
from kinerja.surveys.tests.factories import add_answers

from .conftest import PHONE
from .test_skp_journey import sign_in

pytestmark = pytest.mark.e2e

LONG = "Pelatihan kepemimpinan pengawas tingkat lanjut bagi pejabat administrasi"


def prepare(cast: Cast) -> str:
    """Wide content for each page; returns the SKM page's path."""
    admin = cast.user("admin")
    for n in range(2):
        training.pelatihan_save(
            by=admin,
            instansi_id=cast.kab.pk,
            values={"name": f"{LONG} {n}", "jp": "12", "mode": "KLASIKAL",
                    "core_values": [1, 2, 3, 4, 5, 6, 7], "kompetensi": "Kepemimpinan strategis"},
        )  # fmt: skip
    capaian(cast, cast.seksi, 1, "BAIK")
    evaluation(cast, "staf_a", 1, "SESUAI", "SESUAI")
    evaluation(cast, "staf_b", 1, "DI_ATAS", "DI_ATAS")
    layanan = skm.layanan_save(
        by=admin, unit=cast.puskesmas, name="Poli Umum", code="poli-sukamaju", population=100
    )
    key = key_on("SEMESTER", timezone.localdate())
    period = skm.period_open(by=admin, layanan=layanan, key=key)
    add_answers(period, [(4, 4, 4, 4, 4, 4, 4, 1, 4)])
    skm.rtl_create(
        by=admin, unit=cast.puskesmas, layanan=layanan, key=key, unsur=8,
        action="Membuka kanal pengaduan daring dan luring di ruang tunggu puskesmas",
        owner_id=cast.perawat.pk, due_date=period.end,
    )  # fmt: skip
    return f"/skm/layanan/{layanan.pk}/ikm/{period.key}/"


def fits_the_screen(page: Page) -> None:
    """No sideways scrolling, against the phone's screen: a mobile browser widens its layout
    viewport (window.innerWidth) to fit wide content, so that alone proves nothing."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a {PHONE['width']}px phone"


def test_wide_pages_fit_the_phone(page: Page, live_server: LiveServer, e2e_cast: Cast) -> None:
    page.set_default_timeout(10_000)
    skm_path = prepare(e2e_cast)
    sign_in(page, live_server, e2e_cast.admin.username)
    bidang, dinkes = e2e_cast.bidang.pk, e2e_cast.dinkes.pk
    for path, table in [
        ("/pengembangan/pelatihan/", "#catalogue"),
        (f"/pengembangan/unit/{dinkes}/jp/?tahun={YEAR}&semua=1", "#unit-jp"),
        (f"/penilaian/distribusi/unit/{bidang}/?tahun={YEAR}&periode=1", ".distribusi-counts"),
        (f"/penilaian/konsistensi/unit/{bidang}/?tahun={YEAR}&periode=1", ".konsistensi-table"),
        (skm_path + "#rtl", "#rtl + .table-scroll table"),
    ]:
        page.goto(live_server.url + path)
        expect(page.locator(table).first).to_be_visible()
        fits_the_screen(page)
