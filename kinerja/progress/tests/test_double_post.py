"""A double tap on "Simpan koreksi" or "Simpan rencana aksi" (the same one-time form key twice)
saves once and answers the second post like the first: no "sudah dikoreksi" error, no second
rencana aksi. ("Laporkan realisasi" has its own idempotency key: test_views.py.)"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from kinerja.audit import services as audit
from kinerja.core.models import FormKey
from kinerja.org.testing import Cast
from kinerja.progress import services
from kinerja.progress.models import Realisasi, RencanaAksi

from .test_views import PNG, Login, ok, page, report, staf_skp


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


def stored(settings: Any) -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def test_a_record_that_fails_after_its_file_was_saved_leaves_no_file(
    cast: Cast, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _skp, [iki] = staf_skp(cast)

    def refused(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the audit write failed")

    monkeypatch.setattr(audit, "record", refused)
    with pytest.raises(RuntimeError):
        services.realisasi_record(
            by=cast.user("staf_a"), iki=iki, day=timezone.localdate(), value="3",
            uploads=[services.Upload("foto.png", PNG)],
        )  # fmt: skip
    assert not Realisasi.objects.exists() and stored(settings) == []


def test_a_correction_whose_key_is_refused_leaves_no_evidence_file(
    cast: Cast, login: Login, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The loser of a race on one form key: its correction and evidence ran, then the key's
    unique constraint refused it (here: no winner to answer with, so the error is raised)."""
    skp, [iki] = staf_skp(cast)
    report(login("staf_a"), skp, iki)
    entry = Realisasi.objects.get()
    before = stored(settings)

    def taken(*args: Any, **kwargs: Any) -> None:
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(FormKey.objects, "create", taken)
    with pytest.raises(IntegrityError):
        services.realisasi_correct(
            by=cast.user("staf_a"), realisasi=entry, value="4", reason="salah hitung",
            uploads=[services.Upload("bukti.png", PNG)], form_key="k" * 32,
        )  # fmt: skip
    assert not Realisasi.objects.filter(corrects=entry).exists()
    assert stored(settings) == before
