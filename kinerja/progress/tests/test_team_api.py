"""Team monitoring in the JSON API (kinerja.progress.team_api): the rater's team with the same
numbers as the page, the unit roll-up with the same readers, and precise errors."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from kinerja.org.models import UnitKerja
from kinerja.org.testing import Cast
from kinerja.progress import services, team_queries
from kinerja.progress.tests.test_services import TODAY, YEAR, Plan, fix_clock, make_plan
from kinerja.progress.tests.test_team import Login, staf_a_reports

API = "/api/v1"


@pytest.fixture
def team(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> tuple[Plan, Plan]:
    """As in test_team: staf_a and staf_b, both rated by kasi, with approved SKPs."""
    fix_clock(monkeypatch)
    monkeypatch.setattr(team_queries, "timezone", SimpleNamespace(localdate=lambda: TODAY))
    return make_plan(cast, "staf_a"), make_plan(cast, "staf_b")


def get(client: Any, path: str, **params: Any) -> Any:
    return client.get(f"{API}{path}", params)


def test_the_rater_reads_the_team_as_the_page_shows_it(
    cast: Cast,
    team: tuple[Plan, Plan],
    login: Login,
) -> None:
    staf_a_reports(cast, team[0])
    response = get(login("kasi"), "/realisasi/tim", year=YEAR)
    assert response.status_code == 200
    body = response.json()
    assert body["is_rater"] and body["year"] == YEAR and body["period"]["number"] == 2
    members = {m["name"]: m for m in body["members"]}
    dewi, bambang = members["Dewi Lestari"], members["Bambang Pamungkas"]
    assert Decimal(dewi["progress"]) == Decimal("60.00") and dewi["iki_reported"] == 3
    assert dewi["status"] == "sesuai" and dewi["status_label"] == "sesuai"
    evidence = dewi["latest_evidence"]
    assert evidence["name"] == "daftar hadir.png" and evidence["kind"] == "file"
    assert evidence["url"] == f"/realisasi/bukti/{evidence['bukti_id']}/"
    assert evidence["download_url"] == f"{API}/realisasi/bukti/{evidence['bukti_id']}"
    downloaded = login("kasi").get(evidence["download_url"])
    assert downloaded.status_code == 200 and downloaded["Content-Type"] == "image/png"
    assert bambang["status"] == "belum_melapor" and bambang["latest_evidence"] is None
    assert body["counts"] == {"belum_melapor": 1, "tertinggal": 0, "sesuai": 1, "tanpa_skp": 0}
    assert body["units"] == [{"id": cast.seksi.pk, "name": "Seksi Pelayanan Primer"}]
    english = (
        login("kasi").get(f"{API}/realisasi/tim", {"year": YEAR}, HTTP_ACCEPT_LANGUAGE="en").json()
    )
    labels = {m["status"]: m["status_label"] for m in english["members"]}
    assert labels["belum_melapor"] == "not reported"


def test_latest_evidence_that_is_a_link_has_no_download_url(
    cast: Cast,
    team: tuple[Plan, Plan],
    login: Login,
) -> None:
    link = "https://drive.example.go.id/imunisasi"
    services.realisasi_record(
        by=cast.user("staf_b"), iki=team[1].iki, day=TODAY, value="1", links=[link]
    )
    members = {
        m["name"]: m for m in get(login("kasi"), "/realisasi/tim", year=YEAR).json()["members"]
    }
    evidence = members["Bambang Pamungkas"]["latest_evidence"]
    assert (evidence["kind"], evidence["url"], evidence["download_url"]) == ("link", link, None)


def test_filters_and_bad_parameters(
    cast: Cast,
    team: tuple[Plan, Plan],
    login: Login,
) -> None:
    staf_a_reports(cast, team[0])
    client = login("kasi")
    behind = get(client, "/realisasi/tim", year=YEAR, status="belum_melapor").json()
    assert [m["name"] for m in behind["members"]] == ["Bambang Pamungkas"]
    assert behind["counts"]["sesuai"] == 1  # counted before the status filter
    elsewhere = get(client, "/realisasi/tim", year=YEAR, unit_id=cast.puskesmas.pk).json()
    assert elsewhere["members"] == []
    for params, field in (
        ({"status": "malas"}, "status"),
        ({"year": 1999}, "year"),
        ({"period": 13}, "period"),
        ({"unit_id": "x"}, "unit_id"),
    ):
        refused = get(client, "/realisasi/tim", **params)
        assert refused.status_code == 422, params
        assert refused.json()["errors"][0]["field"] == field


def test_someone_who_rates_nobody_gets_an_empty_team(
    cast: Cast,
    team: tuple[Plan, Plan],
    login: Login,
) -> None:
    body = get(login("staf_a"), "/realisasi/tim").json()
    assert body["is_rater"] is False and body["members"] == []


def test_the_unit_rollup_for_a_head(
    cast: Cast,
    team: tuple[Plan, Plan],
    login: Login,
) -> None:
    staf_a_reports(cast, team[0])
    body = get(login("kabid"), "/realisasi/unit", year=YEAR).json()
    assert body["unit"] == {"id": cast.bidang.pk, "name": "Bidang Pelayanan Kesehatan"}
    assert body["parent"] is None  # kabid does not head the dinas
    rows = {r["name"]: r for r in body["rows"]}
    seksi = rows["Seksi Pelayanan Primer"]
    assert (seksi["pegawai"], seksi["approved"], seksi["reported"]) == (3, 2, 1)
    assert Decimal(seksi["progress"]) == Decimal("30.00") and seksi["overdue_follow_ups"] == 0
    assert body["total"]["pegawai"] == 4
    down = get(login("kabid"), "/realisasi/unit", unit_id=cast.seksi.pk, year=YEAR).json()
    assert down["unit"]["id"] == cast.seksi.pk
    assert down["parent"] == {"id": cast.bidang.pk, "name": "Bidang Pelayanan Kesehatan"}


@pytest.mark.parametrize(
    ("who", "unit", "code"),
    [
        ("kadis", "dinkes", 200),
        ("kabid", "seksi", 200),
        ("kabid", "dinkes", 403),
        ("kapus", "bidang", 403),
        ("staf_a", "seksi", 403),
        ("admin", "dinkes", 200),
        ("auditor", "seksi", 200),
        ("outsider", "seksi", 403),
    ],
)
def test_who_may_read_the_unit_rollup(
    cast: Cast,
    team: tuple[Plan, Plan],
    login: Login,
    who: str,
    unit: str,
    code: int,
) -> None:
    response = get(login(who), "/realisasi/unit", unit_id=getattr(cast, unit).pk)
    assert response.status_code == code
    if code == 403:
        assert response.json()["code"] == "forbidden"
        assert "hanya untuk pimpinan unit" in response.json()["detail"]


def test_unit_errors(cast: Cast, team: tuple[Plan, Plan], login: Login) -> None:
    missing = get(login("kabid"), "/realisasi/unit", unit_id=999_999)
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert get(login("kabid"), "/realisasi/unit", unit_id="x").status_code == 422
    nobody = get(login("staf_a"), "/realisasi/unit")
    assert nobody.status_code == 403 and nobody.json()["code"] == "forbidden"
    root = UnitKerja.objects.get(instansi=cast.kab, parent__isnull=True)
    assert get(login("admin"), "/realisasi/unit").json()["unit"]["id"] == root.pk
