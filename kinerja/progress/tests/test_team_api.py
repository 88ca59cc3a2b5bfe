"""Team monitoring in the JSON API (kinerja.progress.team_api): the rater's team with the same
numbers as the page, the unit roll-up with the same readers, and precise errors: a filter the
team cannot apply (a period the year does not have, a unit the page does not offer) is refused,
never quietly answered with other data."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from kinerja.org.models import UnitKerja
from kinerja.org.services import peran_grant
from kinerja.org.testing import Cast
from kinerja.plans import services as plans
from kinerja.progress import services, team_queries
from kinerja.progress.tests.test_services import TODAY, YEAR, Plan, fix_clock, make_plan
from kinerja.progress.tests.test_team import (
    Login,
    add_staf,
    approved_skp_with_entry,
    count,
    staf_a_reports,
)

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
    seksi = get(client, "/realisasi/tim", year=YEAR, unit_id=cast.seksi.pk).json()
    assert len(seksi["members"]) == 2 and seksi["period"]["number"] == 2
    for params, field in (
        ({"status": "malas"}, "status"),
        ({"year": 1999}, "year"),
        ({"period": 13}, "period"),
        ({"unit_id": "x"}, "unit_id"),
    ):
        refused = get(client, "/realisasi/tim", **params)
        assert refused.status_code == 422, params
        assert refused.json()["errors"][0]["field"] == field


def refusal(response: Any, status: int, code: str, field: str) -> str:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"detail", "code", "errors"} and body["code"] == code
    assert body["errors"] == [{"field": field, "message": body["detail"]}]
    detail: str = body["detail"]
    return detail


def test_a_period_the_year_does_not_have_is_refused_as_on_the_skp_list(
    cast: Cast,
    team: tuple[Plan, Plan],
    login: Login,
) -> None:
    client = login("kasi")  # the kabupaten's year is quarterly (the default)
    refused = get(client, "/realisasi/tim", year=YEAR, period=7)
    detail = refusal(refused, 400, "invalid", "period")
    assert detail == f"Periode 7 tidak dikenal untuk tahun SKP {YEAR}."
    # exactly what the realisasi list of one of those SKPs answers
    listed = get(client, f"/skp/{team[0].skp.pk}/realisasi", period=7)
    assert (listed.status_code, listed.json()) == (400, refused.json())
    for period in (1, 4):
        shown = get(client, "/realisasi/tim", year=YEAR, period=period)
        assert shown.status_code == 200 and shown.json()["period"]["number"] == period
    admin = cast.user("admin")
    plans.tahun_set_cadence(by=admin, instansi=cast.kab, year=YEAR, cadence="BULANAN")
    monthly = get(client, "/realisasi/tim", year=YEAR, period=7)
    assert monthly.status_code == 200 and monthly.json()["period"]["label"] == "JULI"
    beyond = get(client, "/realisasi/tim", year=YEAR, period=13)  # no cadence has it: the schema
    assert beyond.status_code == 422 and beyond.json()["errors"][0]["field"] == "period"


def test_a_unit_the_team_page_does_not_offer_is_refused(
    cast: Cast,
    team: tuple[Plan, Plan],
    login: Login,
) -> None:
    client = login("kasi")  # offered: the seksi, where staf_a and staf_b work
    for unit_id in (999_999, UnitKerja.objects.get(instansi=cast.kota).pk):
        detail = refusal(
            get(client, "/realisasi/tim", unit_id=unit_id), 404, "not_found", "unit_id"
        )
        assert detail == f"Unit kerja dengan id {unit_id} tidak ditemukan."
    for unit in (cast.puskesmas, cast.bidang, cast.dinkes):  # beside, above: not offered
        detail = refusal(get(client, "/realisasi/tim", unit_id=unit.pk), 400, "invalid", "unit_id")
        assert detail == f"Unit kerja {unit.name} tidak termasuk unit tim Anda."
    english = client.get(
        f"{API}/realisasi/tim", {"unit_id": cast.puskesmas.pk}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert english.status_code == 400 and english.json()["errors"][0]["field"] == "unit_id"
    offered = get(client, "/realisasi/tim", year=YEAR, unit_id=cast.seksi.pk).json()
    assert offered["units"] == [{"id": cast.seksi.pk, "name": "Seksi Pelayanan Primer"}]
    assert {m["unit_id"] for m in offered["members"]} == {cast.seksi.pk}


def test_a_bad_period_is_named_before_a_bad_unit(
    cast: Cast,
    team: tuple[Plan, Plan],
    login: Login,
) -> None:
    both = get(login("kasi"), "/realisasi/tim", period=9, unit_id=cast.puskesmas.pk)
    refusal(both, 400, "invalid", "period")


def test_valid_filters_cost_the_same_queries_whatever_the_team_size(
    cast: Cast,
    team: tuple[Plan, Plan],
    login: Login,
) -> None:
    staf_a_reports(cast, team[0])
    client = login("kasi")
    params = {"year": YEAR, "period": 2, "unit_id": cast.seksi.pk, "status": "tertinggal"}
    assert get(client, "/realisasi/tim", **params).status_code == 200  # access facts cached
    small = count(lambda: get(client, "/realisasi/tim", **params))
    for pegawai in add_staf(cast, 3):
        approved_skp_with_entry(cast, pegawai)
    body = get(client, "/realisasi/tim", **params).json()
    assert body["counts"] == {"belum_melapor": 1, "tertinggal": 3, "sesuai": 1, "tanpa_skp": 0}
    assert len(body["members"]) == 3
    assert count(lambda: get(client, "/realisasi/tim", **params)) == small


def test_someone_who_rates_nobody_gets_an_empty_team(
    cast: Cast,
    team: tuple[Plan, Plan],
    login: Login,
) -> None:
    body = get(login("staf_a"), "/realisasi/tim").json()
    assert body["is_rater"] is False and body["members"] == [] and body["units"] == []
    assert body["counts"] == {"belum_melapor": 0, "tertinggal": 0, "sesuai": 0, "tanpa_skp": 0}
    valid = get(login("staf_a"), "/realisasi/tim", year=YEAR, period=4, status="sesuai")
    assert valid.status_code == 200 and valid.json()["is_rater"] is False


def test_the_filters_are_checked_for_someone_who_rates_nobody_as_for_a_rater(
    cast: Cast,
    team: tuple[Plan, Plan],
    login: Login,
) -> None:
    """staf_a rates nobody: a bad filter gets the answer kasi (a rater) gets, not an empty 200."""
    kota_unit = UnitKerja.objects.get(instansi=cast.kota).pk
    for params, status, code, field in (
        ({"year": YEAR, "period": 7}, 400, "invalid", "period"),  # a quarterly year
        ({"unit_id": 999_999}, 404, "not_found", "unit_id"),
        ({"unit_id": kota_unit}, 404, "not_found", "unit_id"),  # another instansi
        ({"unit_id": cast.puskesmas.pk}, 400, "invalid", "unit_id"),  # in none of the teams
        ({"period": 9, "unit_id": cast.puskesmas.pk}, 400, "invalid", "period"),  # period first
    ):
        refused = get(login("staf_a"), "/realisasi/tim", **params)
        refusal(refused, status, code, field)
        assert refused.json() == get(login("kasi"), "/realisasi/tim", **params).json(), params
    staf_a = login("staf_a")  # the test client, from here on as staf_a
    detail = refusal(get(staf_a, "/realisasi/tim", year=YEAR, period=7), 400, "invalid", "period")
    assert detail == f"Periode 7 tidak dikenal untuk tahun SKP {YEAR}."
    detail = refusal(
        get(staf_a, "/realisasi/tim", unit_id=cast.puskesmas.pk), 400, "invalid", "unit_id"
    )
    assert detail == "Unit kerja Puskesmas Sukamaju tidak termasuk unit tim Anda."
    # staf_a's own seksi is no filter either: staf_a has no team, so no unit is offered.
    refusal(get(staf_a, "/realisasi/tim", unit_id=cast.seksi.pk), 400, "invalid", "unit_id")
    # The cadence is staf_a's instansi's: a monthly year has a period 7.
    admin = cast.user("admin")
    plans.tahun_set_cadence(by=admin, instansi=cast.kab, year=YEAR, cadence="BULANAN")
    monthly = get(staf_a, "/realisasi/tim", year=YEAR, period=7)
    assert monthly.status_code == 200 and monthly.json()["is_rater"] is False


def test_the_filters_are_checked_for_an_account_without_a_pegawai(
    cast: Cast,
    team: tuple[Plan, Plan],
    login: Login,
) -> None:
    """admin (no pegawai, so no team) reads the kabupaten: its units are a 400, the kota's a 404;
    a period is checked against the default quarterly cadence."""
    admin = login("admin")
    kota_unit = UnitKerja.objects.get(instansi=cast.kota).pk
    refusal(get(admin, "/realisasi/tim", unit_id=cast.puskesmas.pk), 400, "invalid", "unit_id")
    refusal(get(admin, "/realisasi/tim", unit_id=kota_unit), 404, "not_found", "unit_id")
    refusal(get(admin, "/realisasi/tim", year=YEAR, period=5), 400, "invalid", "period")
    shown = get(admin, "/realisasi/tim", year=YEAR, period=4)
    assert shown.status_code == 200 and shown.json()["is_rater"] is False


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
        ("outsider", "seksi", 404),  # another instansi's unit: as an unknown one
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


def test_a_unit_outside_the_readers_is_403_saying_why(
    cast: Cast, team: tuple[Plan, Plan], login: Login
) -> None:
    """A pimpinan asking for a unit of their instansi they do not head (above, beside) is told
    so, naming `unit_id`; someone who heads nothing and is no admin or auditor reads the general
    refusal, for any unit of their instansi."""
    for who, unit in (("kabid", cast.dinkes), ("kapus", cast.bidang)):
        detail = refusal(
            get(login(who), "/realisasi/unit", unit_id=unit.pk), 403, "forbidden", "unit_id"
        )
        assert detail == f"Unit kerja {unit.name} berada di luar unit yang Anda pimpin."
    for unit in (cast.seksi, cast.dinkes):
        nobody = get(login("staf_a"), "/realisasi/unit", unit_id=unit.pk)
        assert nobody.status_code == 403 and nobody.json()["detail"] == (
            "Pemantauan unit hanya untuk pimpinan unit, admin kepegawaian dan auditor."
        )


def test_another_instansis_unit_is_404_like_an_unknown_one(
    cast: Cast, team: tuple[Plan, Plan], login: Login
) -> None:
    """An admin, an auditor, a pimpinan or a pelaksana asking for a unit of an instansi they may
    not see gets the 404 of an id that does not exist, naming `unit_id` (as /realisasi/tim):
    nothing tells them the unit exists."""
    kota_unit = UnitKerja.objects.get(instansi=cast.kota).pk
    for who in ("admin", "auditor", "kadis", "kabid", "staf_a"):
        for unit_id in (999_999, kota_unit):
            detail = refusal(
                get(login(who), "/realisasi/unit", unit_id=unit_id), 404, "not_found", "unit_id"
            )
            assert detail == f"Unit kerja dengan id {unit_id} tidak ditemukan."


def test_an_auditor_elsewhere_is_told_the_unit_is_outside_their_instansi(
    cast: Cast, team: tuple[Plan, Plan], login: Login
) -> None:
    """staf_b heads nothing but audits the kota: a unit of the kabupaten (her own instansi, so
    she sees it exists) is outside what she may monitor, and the answer says so."""
    peran_grant(by=cast.user("superadmin"), user=cast.user("staf_b"), instansi=cast.kota,
                role="AUDITOR")  # fmt: skip
    detail = refusal(
        get(login("staf_b"), "/realisasi/unit", unit_id=cast.seksi.pk), 403, "forbidden", "unit_id"
    )
    assert detail == (
        "Unit kerja Seksi Pelayanan Primer berada di luar instansi yang Anda kelola atau audit."
    )
    kota_root = UnitKerja.objects.get(instansi=cast.kota, parent__isnull=True)
    assert get(login("staf_b"), "/realisasi/unit", unit_id=kota_root.pk).status_code == 200


def test_unit_errors(cast: Cast, team: tuple[Plan, Plan], login: Login) -> None:
    missing = get(login("kabid"), "/realisasi/unit", unit_id=999_999)
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert get(login("kabid"), "/realisasi/unit", unit_id="x").status_code == 422
    nobody = get(login("staf_a"), "/realisasi/unit")
    assert nobody.status_code == 403 and nobody.json()["code"] == "forbidden"
    root = UnitKerja.objects.get(instansi=cast.kab, parent__isnull=True)
    assert get(login("admin"), "/realisasi/unit").json()["unit"]["id"] == root.pk
