"""`seed_demo` fills the training catalogue and opens early-warning cases in the story bidang,
one of them already turned into a coaching session that the demo kasi can open."""

from __future__ import annotations

import io
from datetime import date
from unittest import mock

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from kinerja.accounts.models import User
from kinerja.assessments import guards as assessments_guards

from .. import guards
from ..models import Kasus, Pelatihan, Sesi


def test_seed_demo_fills_the_catalogue_and_opens_cases(db: None) -> None:
    # The Butuh Perbaikan cases come from the period the evaluation demo finalised, the last
    # one that is over: none while the year's first period runs, so the clock is pinned.
    day = date(timezone.localdate().year, 12, 3)
    out = io.StringIO()
    with (
        mock.patch.object(assessments_guards, "today", lambda: day),
        mock.patch.object(guards, "today", lambda: day),
    ):
        call_command("seed_demo", "--pegawai", "80", stdout=out)
    assert "pelatihan di katalog" in out.getvalue()
    assert Pelatihan.objects.count() == 6
    assert Kasus.objects.filter(reason="PREDIKAT_RENDAH").exists()
    sesi = Sesi.objects.select_related("pembimbing").get()
    client = Client()
    assert sesi.pembimbing.user_id is not None
    client.force_login(User.objects.get(pk=sesi.pembimbing.user_id))
    page = client.get("/pengembangan/").content.decode()
    assert "Predikat periodik Butuh Perbaikan" in page
    assert client.get(f"/pengembangan/sesi/{sesi.pk}/").status_code == 200
