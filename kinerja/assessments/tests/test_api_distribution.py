"""JSON API of distribution, consistency, calibration, settings and closing: the same rules as
the pages, with the shared error shape."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinerja.org.testing import Cast

from .. import guards, rules
from ..models import ANNUAL, Evaluasi, Kalibrasi, PengaturanPenilaian, PenutupanTahunan
from ..testing import YEAR, capaian, evaluation

Login = Callable[[str], Client]
Commit = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
DAY = date(YEAR, 6, 30)
API = "/api/v1/penilaian"
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guards, "today", lambda: DAY)


def story(cast: Cast) -> dict[str, Evaluasi]:
    capaian(cast, cast.seksi, 2, rules.BAIK)
    return {
        "staf_a": evaluation(cast, "staf_a", 2, "SESUAI", "SESUAI"),
        "staf_b": evaluation(cast, "staf_b", 2, "DI_ATAS", "DI_ATAS"),
    }


def test_distribution_of_a_unit(cast: Cast, login: Login) -> None:
    story(cast)
    client = login("kabid")
    path = f"{API}/distribusi/unit/{cast.bidang.pk}?year={YEAR}&period=2"
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200 and len(queries) <= 9
    body = response.json()
    [group] = body["groups"]
    assert group["unit_id"] == cast.seksi.pk and group["capaian"] == "BAIK"
    assert group["counts"]["SANGAT_BAIK"] == 1 and group["total"] == 2
    assert group["advisory"] is True and group["blocks"] is False
    assert [r["holds"] for r in group["rules"]] == [True, False]
    assert group["violations"][0]["message"].startswith("Pola distribusi tidak terpenuhi: harus")
    assert body["enforcement"] == "WARN" and body["unrated"] == 0
    english = client.get(path, HTTP_ACCEPT_LANGUAGE="en").json()["groups"][0]
    assert english["rules"][0]["text"] == "at most 70% of employees with the predikat Baik"
    assert english["violations"][0]["message"].startswith(
        "Distribution pattern not met: there must be employees with the predikat"
    )


@pytest.mark.parametrize("who", ["staf_a", "kapus", "outsider"])
def test_unit_endpoints_are_404_for_others(cast: Cast, login: Login, who: str) -> None:
    client = login(who)
    for name in ("distribusi", "konsistensi", "kalibrasi"):
        response = client.get(f"{API}/{name}/unit/{cast.seksi.pk}?year={YEAR}&period=2")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_bad_period_is_422(cast: Cast, login: Login) -> None:
    response = login("admin").get(f"{API}/distribusi/unit/{cast.seksi.pk}?year={YEAR}&period=13")
    assert response.status_code == 422


def test_consistency_of_a_unit(cast: Cast, login: Login) -> None:
    story(cast)
    body = login("kadis").get(f"{API}/konsistensi/unit/{cast.dinkes.pk}?year={YEAR}&period=2")
    data = body.json()
    [rater] = data["raters"]
    assert rater["rater_id"] == cast.kasi.pk and rater["total"] == 2 and rater["flag"] == ""
    assert data["threshold"] == "0.50" and data["min_rated"] == 3
    assert data["unit_counts"]["BAIK"] == 1


def test_calibration_rows_and_change(cast: Cast, login: Login) -> None:
    found = story(cast)
    client = login("kabid")
    rows = client.get(f"{API}/kalibrasi/unit/{cast.seksi.pk}?year={YEAR}&period=2").json()
    assert {r["name"] for r in rows} == {"Dewi Lestari", "Bambang Pamungkas"}
    assert all(r["realisasi"] == 0 and r["answered_360"] == 0 for r in rows)
    response = client.post(
        f"{API}/evaluasi/{found['staf_b'].pk}/kalibrasi",
        {"rating_hasil": "SESUAI", "rating_perilaku": "DI_ATAS", "reason": "Setara tim"},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["old_predikat"], body["new_predikat"]) == ("SANGAT_BAIK", "BAIK")
    assert Kalibrasi.objects.count() == 1


def test_calibration_refusals_use_the_error_shape(cast: Cast, login: Login) -> None:
    found = story(cast)
    path = f"{API}/evaluasi/{found['staf_a'].pk}/kalibrasi"
    payload = {"rating_hasil": "DI_ATAS", "rating_perilaku": "DI_ATAS", "reason": " "}
    response = login("kabid").post(path, payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "reason"
    response = login("perawat").post(
        path, payload | {"reason": "x"}, content_type="application/json"
    )
    assert response.status_code == 404  # not visible to them
    response = login("auditor").post(
        path, payload | {"reason": "x"}, content_type="application/json"
    )
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    bad = login("kabid").post(path, payload | {"rating_hasil": "BAGUS"},
                              content_type="application/json")  # fmt: skip
    assert bad.status_code == 422 and not Kalibrasi.objects.exists()


def test_settings_read_and_saved(cast: Cast, login: Login) -> None:
    client = login("admin")
    path = f"{API}/pengaturan/{cast.kab.pk}"
    assert client.get(path).json() == {"instansi_id": cast.kab.pk, "enforcement": "WARN",
                                       "min_group_size": 5, "keberatan_days": 14}  # fmt: skip
    payload = {"enforcement": "BLOCK", "min_group_size": 4, "keberatan_days": 7}
    response = client.put(path, payload, content_type="application/json")
    assert response.status_code == 200 and response.json()["enforcement"] == "BLOCK"
    assert PengaturanPenilaian.objects.get().min_group_size == 4
    bad = client.put(path, payload | {"keberatan_days": 0}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "keberatan_days"
    refused = login("kadis").put(path, payload, content_type="application/json")
    assert refused.status_code == 403
    assert login("outsider").get(path).status_code == 404


def test_closing_started_and_followed(
    cast: Cast, login: Login, settings: Any, django_capture_on_commit_callbacks: Commit
) -> None:
    settings.TASKS = IMMEDIATE
    capaian(cast, cast.seksi, ANNUAL, rules.BAIK)
    evaluation(cast, "staf_a", ANNUAL, "SESUAI", "SESUAI")
    client = login("admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{API}/penutupan", {"instansi_id": cast.kab.pk, "year": YEAR},
                               content_type="application/json")  # fmt: skip
    assert response.status_code == 202
    run_id = response.json()["id"]
    body = client.get(f"{API}/penutupan/{run_id}").json()
    assert body["status"] == "SELESAI" and body["done"] == body["total"] == 1
    assert body["summary"]["finalised"] == 1
    assert login("auditor").get(f"{API}/penutupan/{run_id}").status_code == 200
    assert login("kadis").get(f"{API}/penutupan/{run_id}").status_code == 404


def test_closing_refusals(cast: Cast, login: Login) -> None:
    PenutupanTahunan.objects.create(instansi=cast.kab, year=YEAR, requested_by=cast.user("admin"))
    payload = {"instansi_id": cast.kab.pk, "year": YEAR}
    busy = login("admin").post(f"{API}/penutupan", payload, content_type="application/json")
    assert busy.status_code == 409 and "sedang berjalan" in busy.json()["detail"]
    refused = login("kadis").post(f"{API}/penutupan", payload, content_type="application/json")
    assert refused.status_code == 403
