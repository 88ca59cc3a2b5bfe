"""A double tap on a create form's submit button creates one row, in a real browser (Chromium on
a phone-sized page):

- the journey: "Mulai SKP" (a plain form), "Simpan RHK" and "Turunkan" (htmx forms) are
  double-clicked: one SKP, one RHK, one RHK for the subordinate, and no error on the page;
- the browser layer (submit-once.js): while an htmx form is being sent its button is disabled,
  so a second tap does nothing;
- the server layer (kinerja/core/formkeys.py): the same rendered form posted twice at once (two
  fetches of its FormData, as two taps that both got through) creates one RHK.

(Playwright's dblclick alone rarely sends twice: Chromium and htmx each coalesce much of it, so
the last two tests force the second request or read the button instead.) No request
interception (page.route): every wait is an explicit, bounded expectation.
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kinerja.org.testing import Cast
from kinerja.plans import services
from kinerja.plans.models import Rhk, Skp

from .test_org_journey import open_menu
from .test_skp_journey import sign_in

pytestmark = pytest.mark.e2e

TIMEOUT_MS = 10_000
RHK = "Meningkatnya cakupan layanan kesehatan primer"


def kasi_skp_page(page: Page, server: LiveServer, cast: Cast) -> Skp:
    skp = services.skp_create(
        by=cast.user("kasi"), pegawai=cast.kasi, year=timezone.localdate().year
    )
    sign_in(page, server, cast.kasi.nip)
    page.goto(f"{server.url}/skp/{skp.pk}/")
    return skp


def test_double_taps_create_once(page: Page, live_server: LiveServer, e2e_cast: Cast) -> None:
    page.set_default_timeout(TIMEOUT_MS)
    year = timezone.localdate().year
    sign_in(page, live_server, e2e_cast.kasi.nip)
    open_menu(page, "SKP saya")

    page.get_by_role("button", name="Mulai SKP").dblclick()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"SKP {year} · Agus Salim")
    expect(page.locator(".notice.error")).to_have_count(0)
    assert Skp.objects.filter(pegawai=e2e_cast.kasi, year=year).count() == 1

    hasil = page.locator("#hasil")
    hasil.get_by_label("Rencana hasil kerja").fill(RHK)
    hasil.get_by_role("button", name="Simpan RHK").dblclick()
    expect(page.locator("#hasil .notice")).to_have_text("RHK disimpan.")
    expect(hasil.locator("article.rhk")).to_have_count(1)
    assert Rhk.objects.filter(skp__pegawai=e2e_cast.kasi).count() == 1

    page.get_by_role("button", name="Turunkan ke bawahan").click()
    cascade = page.locator("form.cascade")
    cascade.get_by_role("checkbox", name="Dewi Lestari").check()
    cascade.get_by_role("button", name="Turunkan", exact=True).dblclick()
    expect(page.locator("#hasil .notice")).to_have_text("RHK diturunkan kepada Dewi Lestari.")
    assert Rhk.objects.filter(parent__skp__pegawai=e2e_cast.kasi).count() == 1
    assert Skp.objects.filter(pegawai=e2e_cast.staf_a, year=year).count() == 1


def test_the_button_is_disabled_while_an_htmx_form_is_sent(
    page: Page, live_server: LiveServer, e2e_cast: Cast
) -> None:
    page.set_default_timeout(TIMEOUT_MS)
    kasi_skp_page(page, live_server, e2e_cast)
    hasil = page.locator("#hasil")
    hasil.get_by_label("Rencana hasil kerja").fill(RHK)
    button = hasil.get_by_role("button", name="Simpan RHK")
    # htmx sends from its submit listener, so right after requestSubmit() the request is in
    # flight and the button must already be disabled.
    disabled = button.evaluate("b => { b.form.requestSubmit(b); return b.disabled; }")
    assert disabled is True
    expect(page.locator("#hasil .notice")).to_have_text("RHK disimpan.")
    assert Rhk.objects.filter(skp__pegawai=e2e_cast.kasi).count() == 1


def test_the_same_form_posted_twice_at_once_creates_one_rhk(
    page: Page, live_server: LiveServer, e2e_cast: Cast
) -> None:
    page.set_default_timeout(TIMEOUT_MS)
    skp = kasi_skp_page(page, live_server, e2e_cast)
    hasil = page.locator("#hasil")
    hasil.get_by_label("Rencana hasil kerja").fill(RHK)
    form = hasil.locator("form.edit-form").first
    statuses = form.evaluate(
        """async f => {
            const post = () => fetch(f.action, {method: "POST", body: new FormData(f),
                                                signal: AbortSignal.timeout(8000)});
            const answers = await Promise.all([post(), post()]);
            return answers.map(a => a.status);
        }"""
    )
    assert statuses == [200, 200]  # both followed the same redirect to the SKP page
    assert list(Rhk.objects.filter(skp=skp).values_list("text", flat=True)) == [RHK]
