"""Opening a survey period twice, or one overlapping another: a 409 of the whole period (the
body's kind, year and number together), saying which clash it is, on the API and the page; and
two overlapping periods opened at the same moment (PostgreSQL, two connections)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from kinerja.audit.models import AuditEvent
from kinerja.core.errors import Conflict
from kinerja.core.race_testing import Gate, on_postgres, one_after_another
from kinerja.org.testing import Cast
from kinerja.surveys import services
from kinerja.surveys.models import Layanan, SurveyPeriod
from kinerja.surveys.periods import PeriodKey

Login = Callable[[str], Client]
API = "/api/v1"


def open_period(client: Client, period: SurveyPeriod, body: dict[str, Any]) -> Any:
    url = f"{API}/skm/layanan/{period.layanan_id}/periode"
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_same_period_again_is_already_open(
    login: Login, period: SurveyPeriod, key: PeriodKey
) -> None:
    again = open_period(
        login("admin"), period, {"kind": key.kind, "year": key.year, "number": key.number}
    )
    assert again.status_code == 409
    assert again.json() == {
        "detail": f"Periode {key.label} sudah dibuka untuk layanan ini.",
        "code": "conflict",
        "errors": [],
    }
    english = login("admin").post(
        f"{API}/skm/layanan/{period.layanan_id}/periode",
        json.dumps({"kind": key.kind, "year": key.year, "number": key.number}),
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )
    assert english.json()["detail"].endswith("is already open for this service.")
    assert SurveyPeriod.objects.count() == 1


def test_an_overlapping_period_names_the_one_it_overlaps(
    login: Login, period: SurveyPeriod, key: PeriodKey
) -> None:
    client = login("admin")
    year = open_period(client, period, {"kind": "TAHUN", "year": key.year, "number": 1})
    assert year.status_code == 409
    assert year.json() == {
        "detail": f"Periode Tahun {key.year} bertumpang tindih dengan {key.label} pada "
        "layanan ini.",
        "code": "conflict",
        "errors": [],
    }
    english = client.post(
        f"{API}/skm/layanan/{period.layanan_id}/periode",
        json.dumps({"kind": "TAHUN", "year": key.year, "number": 1}),
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )
    assert english.json()["detail"].endswith("for this service.")
    assert SurveyPeriod.objects.count() == 1


def test_the_page_shows_the_clash_above_the_period_form(
    login: Login, period: SurveyPeriod, key: PeriodKey
) -> None:
    client = login("admin")
    url = f"/skm/layanan/{period.layanan_id}/"
    data = {"action": "period", "kind": key.kind, "year": key.year, "number": key.number}
    page = client.post(url, data).content.decode()
    assert '<ul class="errorlist nonfield">' in page
    assert f"Periode {key.label} sudah dibuka untuk layanan ini." in page
    overlap = client.post(url, data | {"kind": "TAHUN", "number": 1}).content.decode()
    assert f"bertumpang tindih dengan {key.label} pada layanan ini." in overlap
    assert SurveyPeriod.objects.count() == 1


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_two_overlapping_periods_opened_at_once_store_one(
    cast: Cast, layanan: Layanan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tahun 2026 is saved but not committed yet when Semester I 2026 is opened: the second
    waits for the first and is then refused naming it, instead of missing the uncommitted row."""
    gate = Gate()  # the first opening: saved, its transaction still open
    monkeypatch.setattr(
        SurveyPeriod,
        "save",
        gate.hold(SurveyPeriod.save, lambda period, *a, **k: period.kind == "TAHUN"),
    )
    year, semester = PeriodKey("TAHUN", 2026, 1), PeriodKey("SEMESTER", 2026, 1)
    opened, refused, waited = one_after_another(
        gate,
        lambda: services.period_open(by=cast.admin, layanan=layanan, key=year),
        lambda: services.period_open(by=cast.admin, layanan=layanan, key=semester),
    )
    assert opened.error is None, opened.error
    assert isinstance(refused.error, Conflict), refused
    assert str(refused.error) == (
        "Periode Semester I 2026 bertumpang tindih dengan Tahun 2026 pada layanan ini."
    )
    assert waited  # on the layanan's lock, not answered from a read that missed Tahun 2026
    assert list(SurveyPeriod.objects.values_list("kind", "year", "number")) == [("TAHUN", 2026, 1)]
    assert AuditEvent.objects.filter(action="skm_period_open").count() == 1
