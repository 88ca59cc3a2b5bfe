"""Numbers in the tindak lanjut API's bodies are bounded by the schema (docs/api.md, "Bounds"):
an absurd B.1.8 answer, B.1.9 nilai or BerAKHLAK number is a 422 naming the field, and nothing
is written."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from kinerja.assessments.testing import YEAR, approved_skp
from kinerja.audit.testing import audit_mark, events_since
from kinerja.org.testing import Cast

from ..models import EvaluasiB19, Kasus, Pelatihan, Sesi, UmpanBalikB18

API = "/api/v1/pengembangan"
Login = Callable[[str], Client]
ABSURD = (10**30, -1)


def send(client: Client, method: str, url: str, data: dict[str, Any]) -> Any:
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def refused(response: Any, field: str) -> None:
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["errors"]]


@pytest.fixture
def sesi(cast: Cast, login: Login) -> Sesi:
    plan = approved_skp(cast, "staf_a")
    kasus = Kasus.objects.create(instansi=cast.kab, pegawai=cast.staf_a, rater=cast.kasi,
                                 skp=plan.skp, unit_path=plan.skp.unit_path, year=YEAR, period=1,
                                 reason="PROGRES_RENDAH")  # fmt: skip
    made = send(login("kasi"), "post", f"{API}/sesi", {"pegawai_id": cast.staf_a.pk,
                "kasus_id": kasus.pk, "method": "COACHING", "date": f"{YEAR}-04-15",
                "notes": "x"})  # fmt: skip
    assert made.status_code == 201, made.content
    return Sesi.objects.get(pk=made.json()["id"])


@pytest.mark.parametrize("value", ABSURD)
def test_an_absurd_b18_answer_or_b19_nilai_is_a_422(sesi: Sesi, login: Login, value: int) -> None:
    mark = audit_mark()
    answers = [4] * 9
    answers[2] = value
    b18 = {"answers": answers, "place": "Sukamaju", "date": f"{YEAR}-04-16"}
    refused(send(login("staf_a"), "post", f"{API}/sesi/{sesi.pk}/b18", b18), "answers.2")
    row = {"kompetensi": "Manajemen waktu", "nilai": value, "alasan": "x"}
    b19 = {"items": [row], "place": "Dinkes", "date": f"{YEAR}-04-20"}
    refused(send(login("kabid"), "post", f"{API}/sesi/{sesi.pk}/b19", b19), "items.0.nilai")
    assert not UmpanBalikB18.objects.exists() and not EvaluasiB19.objects.exists()
    assert events_since(mark) == []


@pytest.mark.parametrize("value", ABSURD)
def test_an_absurd_berakhlak_number_of_a_training_is_a_422(
    cast: Cast, login: Login, value: int
) -> None:
    admin = login("admin")
    item = {"name": "Manajemen waktu", "jp": "8", "mode": "KLASIKAL"}
    made = send(admin, "post", f"{API}/pelatihan", item)
    assert made.status_code == 201
    mark = audit_mark()
    bad = item | {"name": "Lain", "core_values": [1, value]}
    refused(send(admin, "post", f"{API}/pelatihan", bad), "core_values.1")
    changed = {"core_values": [value]}
    url = f"{API}/pelatihan/{made.json()['id']}"
    refused(send(admin, "patch", url, changed), "core_values.0")
    assert list(Pelatihan.objects.values_list("name", "core_values")) == [("Manajemen waktu", [])]
    assert events_since(mark) == []


def test_a_refused_b19_row_speaks_english_when_asked(sesi: Sesi, login: Login) -> None:
    row = {"kompetensi": "Manajemen waktu", "nilai": 4, "alasan": "Tepat waktu"}
    b19 = {"items": [row, row | {"nilai": 3}], "place": "Dinkes", "date": f"{YEAR}-04-20"}
    kabid = login("kabid")
    url = f"{API}/sesi/{sesi.pk}/b19"
    english = kabid.post(url, json.dumps(b19), "application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 400, english.content
    assert english.json()["errors"] == [
        {"field": "items", "message": "Row 2: competence 'Manajemen waktu' is already rated."}
    ]
    indonesian = send(kabid, "post", url, b19).json()
    assert indonesian["detail"] == "Baris 2: kompetensi 'Manajemen waktu' sudah dinilai."
    assert not EvaluasiB19.objects.exists()
