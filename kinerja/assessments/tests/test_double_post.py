"""A double tap on "Ajukan keberatan" or "Minta umpan balik 360" (the same one-time form key
twice): the second post answers like the first, with no "sudah diajukan" error."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse

from kinerja.org.models import Pegawai
from kinerja.org.testing import Cast

from .. import services_360
from ..models import Evaluasi, Keberatan, Penilai360
from .test_360 import ev_staf, team
from .test_keberatan import day, final_staf

__all__ = ["day", "ev_staf", "final_staf", "team"]  # fixtures


def test_a_double_tap_on_ajukan_keberatan_files_once(
    client: Client, cast: Cast, final_staf: Evaluasi, day: Any
) -> None:
    day(3)
    url = reverse("assessments:keberatan_file", args=[final_staf.pk])
    client.force_login(cast.user("staf_a"))
    found = re.search(r'name="form_key" value="([0-9a-f]{32})"', client.get(url).content.decode())
    assert found
    data = {"reason": "Target tercapai", "form_key": found[1]}
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Keberatan.objects.count() == 1
    page = client.get(url).content.decode()
    assert "Keberatan diajukan kepada atasan pejabat penilai." in page
    assert "hanya sekali" not in page


def test_a_repeated_360_request_answers_with_the_first_requests(
    cast: Cast, team: dict[str, Pegawai], ev_staf: Evaluasi
) -> None:
    by = cast.user("kasi")
    first, again = (
        services_360.penilai360_request(
            by=by, evaluasi=ev_staf, reviewers=[team["staf_b"]], form_key="q" * 32
        )
        for _ in range(2)
    )
    assert again == first and len(first) == 1
    assert Penilai360.objects.filter(evaluasi=ev_staf).count() == 1
