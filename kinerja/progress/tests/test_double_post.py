"""A double tap on "Simpan koreksi" or "Simpan rencana aksi" (the same one-time form key twice)
saves once and answers the second post like the first: no "sudah dikoreksi" error, no second
rencana aksi. ("Laporkan realisasi" has its own idempotency key: test_views.py.)"""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import timezone

from kinerja.org.testing import Cast
from kinerja.progress import services
from kinerja.progress.models import Realisasi, RencanaAksi

from .test_views import Login, ok, page, report, staf_skp


def keys_in(html: str) -> list[str]:
    return re.findall(r'name="form_key" value="([0-9a-f]{32})"', html)


def test_a_double_tap_on_a_correction_corrects_once(cast: Cast, login: Login) -> None:
    skp, [iki] = staf_skp(cast)
    client = login("staf_a")
    report(client, skp, iki)
    entry = Realisasi.objects.get()
    [key, *_rest] = keys_in(ok(client.get(page(skp))))
    url = reverse("progress:correct", args=[skp.pk, entry.pk])
    data = {"value": "4", "reason": "salah hitung", "form_key": key}
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Realisasi.objects.filter(corrects=entry).count() == 1
    html = ok(client.get(page(skp)))
    assert "Koreksi realisasi tersimpan." in html and "sudah dikoreksi" not in html


def test_a_double_tap_on_rencana_aksi_adds_one(cast: Cast, login: Login) -> None:
    skp, [iki] = staf_skp(cast)
    client = login("staf_a")
    period = services.period_of(skp, timezone.localdate()).number
    url = reverse("progress:rencana_aksi", args=[skp.pk, iki.pk])
    data = {"period": period, "text": "Kunjungan posyandu", "form_key": "r" * 32}
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert RencanaAksi.objects.count() == 1
    client.post(url, data | {"form_key": "s" * 32})
    assert RencanaAksi.objects.count() == 2
