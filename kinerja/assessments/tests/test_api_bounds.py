"""Numbers in the penilaian API's bodies are bounded by the schema (docs/api.md, "Bounds"): an
absurd setting or BerAKHLAK number is a 422 naming the field, and nothing is written."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from kinerja.audit.testing import audit_mark, events_since
from kinerja.org.testing import Cast

from .. import services_360
from ..models import Jawaban360, PengaturanPenilaian, Penilai360
from ..testing import evaluation

API = "/api/v1/penilaian"
Login = Callable[[str], Client]
ABSURD = (10**30, -1)


def send(client: Client, method: str, url: str, data: dict[str, Any]) -> Any:
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def fields(response: Any) -> list[str]:
    assert response.status_code == 422, response.content
    return [e["field"] for e in response.json()["errors"]]


@pytest.mark.parametrize("name", ["min_group_size", "keberatan_days"])
@pytest.mark.parametrize("value", ABSURD)
def test_an_absurd_setting_is_a_422(cast: Cast, login: Login, name: str, value: int) -> None:
    mark = audit_mark()
    body = {"enforcement": "BLOCK", "min_group_size": 5, "keberatan_days": 14} | {name: value}
    answer = send(login("admin"), "put", f"{API}/pengaturan/{cast.kab.pk}", body)
    assert fields(answer) == [name]
    assert not PengaturanPenilaian.objects.exists() and events_since(mark) == []


@pytest.mark.parametrize("value", ABSURD)
def test_an_absurd_berakhlak_number_in_a_360_answer_is_a_422(
    cast: Cast, login: Login, value: int
) -> None:
    evaluasi = evaluation(cast, "kasi", 2, perilaku="SESUAI", capaian_predikat="BAIK")
    services_360.penilai360_request(by=cast.user("kabid"), evaluasi=evaluasi)
    asked = Penilai360.objects.get(evaluasi=evaluasi, reviewer=cast.staf_a)
    mark = audit_mark()
    ratings = {str(code): "SESUAI" for code in range(1, 8)} | {str(value): "SESUAI"}
    url = f"{API}/360/permintaan/{asked.pk}/jawaban"
    answer = send(login("staf_a"), "post", url, {"ratings": ratings})
    assert [f.split(".")[0] for f in fields(answer)] == ["ratings"]
    asked.refresh_from_db()
    assert asked.answered_at is None and not Jawaban360.objects.exists()
    assert events_since(mark) == []
