"""A double tap on "Tambah layanan" or "Catat rencana tindak lanjut" (the same one-time form
key twice) creates one row and answers the second post like the first (no "kode sudah dipakai"
error, no second RTL)."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.test import Client

from kinerja.org.testing import Cast
from kinerja.surveys.models import Layanan, RencanaTindakLanjut, SurveyPeriod

from .factories import add_answers
from .test_views import ikm_url

Login = Callable[[str], Client]


def test_a_double_tap_on_tambah_layanan_creates_one(login: Login, cast: Cast) -> None:
    client = login("admin")
    html = client.get("/skm/layanan/baru/").content.decode()
    found = re.search(r'name="form_key" value="([0-9a-f]{32})"', html)
    assert found
    data = {"unit": cast.seksi.pk, "name": "Imunisasi", "code": "imunisasi", "population": "500"}
    data |= {"active": "on", "form_key": found[1]}
    first, second = (client.post("/skm/layanan/baru/", data) for _ in range(2))
    item = Layanan.objects.get(code="imunisasi")
    assert first["Location"] == second["Location"] == f"/skm/layanan/{item.pk}/"


def test_a_double_tap_on_rtl_records_one(login: Login, period: SurveyPeriod, cast: Cast) -> None:
    add_answers(period, [(4, 4, 4, 4, 4, 4, 4, 1, 4)])
    client = login("kapus")
    html = client.get(ikm_url(period)).content.decode()
    found = re.search(r'name="form_key" value="([0-9a-f]{32})"', html)
    assert found
    data = {"unsur": "8", "action": "Buka kanal pengaduan", "owner": cast.perawat.pk}
    data |= {"due_date": period.end.isoformat(), "form_key": found[1]}
    first, second = (client.post(f"{ikm_url(period)}rtl/", data) for _ in range(2))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert RencanaTindakLanjut.objects.count() == 1
