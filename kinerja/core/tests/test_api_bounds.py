"""Years, pages and ids the API reads are bounded (kinerja.core.params): an implausible value is
a 422 naming the parameter, never a 500 from the database (OverflowError on SQLite, "integer
out of range" on PostgreSQL). Validation errors name their field the same way whether it came
from the body, the query string or the path."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from kinerja.core.params import ID_MAX, PAGE_MAX
from kinerja.org.testing import Cast

Login = Callable[[str], Client]

HUGE = 10**20


def refused(response: Any, field: str) -> dict[str, Any]:
    """A 422 in the API's error shape whose only problem is `field`."""
    assert response.status_code == 422, response.content
    assert response["Content-Type"].startswith("application/json")
    data: dict[str, Any] = response.json()
    assert data["code"] == "invalid" and data["detail"] == "Data tidak valid."
    assert [e["field"] for e in data["errors"]] == [field], data
    assert all(e["message"] for e in data["errors"])
    return data


def send(client: Client, method: str, path: str, body: dict[str, Any]) -> Any:
    return client.generic(method, path, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("year", [99999, -1, 1999, 2101, HUGE])
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/penilaian/saya?year={year}",
        "/api/v1/penilaian/tim?period=0&year={year}",
        "/api/v1/penilaian/capaian?period=0&year={year}",
        "/api/v1/skp?year={year}",
        "/api/v1/tahun-kinerja/{instansi}/{year}/periode",
        "/api/v1/penilaian/unit/{unit}/rekap?period=0&year={year}",
        "/api/v1/pengembangan/pegawai/{pegawai}/rekomendasi?year={year}",
        "/api/v1/pengembangan/pegawai/{pegawai}/jp?year={year}",
        "/api/v1/pengembangan/unit/{unit}/penghargaan?year={year}",
    ],
)
def test_an_implausible_year_in_the_query_or_path_is_422(
    cast: Cast, login: Login, path: str, year: int
) -> None:
    client = login("admin")
    url = path.format(year=year, instansi=cast.kab.pk, unit=cast.dinkes.pk, pegawai=cast.staf_a.pk)
    refused(client.get(url), "year")


@pytest.mark.parametrize("year", [99999, -1, HUGE])
def test_an_implausible_year_in_a_body_is_422(cast: Cast, login: Login, year: int) -> None:
    client = login("admin")
    capaian = {"unit_id": cast.dinkes.pk, "year": year, "period": 0, "predikat": "BAIK",
               "reason": "Capaian sesuai target."}  # fmt: skip
    refused(send(client, "PUT", "/api/v1/penilaian/capaian", capaian), "year")
    rencana = {"pegawai_id": cast.staf_a.pk, "pelatihan_id": 1, "year": year}
    refused(send(client, "POST", "/api/v1/pengembangan/rencana", rencana), "year")


def test_a_plausible_year_still_answers(cast: Cast, login: Login) -> None:
    client = login("kasi")
    assert client.get("/api/v1/penilaian/saya?year=2100").status_code == 200
    assert client.get("/api/v1/penilaian/tim?period=0&year=2000").status_code == 200


@pytest.mark.parametrize("page", [0, -1, PAGE_MAX + 1, HUGE])
@pytest.mark.parametrize("path", ["/api/v1/notifications", "/api/v1/pegawai", "/api/v1/skp"])
def test_a_page_out_of_bounds_is_422(login: Login, path: str, page: int) -> None:
    refused(login("admin").get(path, {"page": page}), "page")


@pytest.mark.parametrize("path", ["/api/v1/notifications", "/api/v1/pegawai", "/api/v1/skp"])
def test_page_size_is_bounded_and_the_last_page_answers(login: Login, path: str) -> None:
    client = login("admin")
    refused(client.get(path, {"page_size": 101}), "page_size")
    refused(client.get(path, {"page_size": HUGE}), "page_size")
    last = client.get(path, {"page": PAGE_MAX, "page_size": 100})
    assert last.status_code == 200 and last.json()["items"] == []


def test_the_directory_page_clamps_a_huge_page_number(login: Login) -> None:
    # The page (not the API) reads ?hal= itself: it falls back to the last page it allows.
    response = login("admin").get("/org/pegawai/", {"hal": HUGE})
    assert response.status_code == 200


@pytest.mark.parametrize("pk", [ID_MAX + 1, 2**64, HUGE, 0, -5])
@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/skp/{pk}", "skp_id"),
        ("/api/v1/pegawai/{pk}", "pegawai_id"),
        ("/api/v1/units/{pk}", "unit_id"),
        ("/api/v1/penilaian/evaluasi/{pk}", "evaluasi_id"),
        ("/api/v1/penilaian/evaluasi/{pk}/keberatan", "evaluasi_id"),
        ("/api/v1/penilaian/distribusi/unit/{pk}?year=2026", "unit_id"),
        ("/api/v1/pengembangan/pegawai/{pk}/jp?year=2026", "pegawai_id"),
        ("/api/v1/pegawai?unit_id={pk}", "unit_id"),
    ],
)
def test_an_id_out_of_range_is_422(login: Login, path: str, field: str, pk: int) -> None:
    refused(login("admin").get(path.format(pk=pk)), field)


def test_the_largest_id_is_simply_not_found(login: Login) -> None:
    response = login("admin").get(f"/api/v1/skp/{ID_MAX}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_an_id_out_of_range_in_a_body_is_422(cast: Cast, login: Login) -> None:
    client = login("admin")
    capaian = {"unit_id": ID_MAX + 1, "year": 2026, "period": 0, "predikat": "BAIK",
               "reason": "Capaian sesuai target."}  # fmt: skip
    refused(send(client, "PUT", "/api/v1/penilaian/capaian", capaian), "unit_id")
    unit = {"instansi_id": cast.kab.pk, "code": "X1", "name": "Unit X", "kind": "BIDANG",
            "parent_id": HUGE}  # fmt: skip
    refused(send(client, "POST", "/api/v1/units", unit), "parent_id")
    cascade = {"assignments": [{"pegawai_id": HUGE}]}
    refused(send(client, "POST", "/api/v1/rhk/1/cascade", cascade), "assignments.0.pegawai_id")


def test_an_id_out_of_range_in_a_form_is_422(login: Login) -> None:
    client = login("staf_a")
    response = client.post("/api/v1/iki/1/realisasi", {"date": "2026-01-05",
                                                       "rencana_aksi_id": HUGE})  # fmt: skip
    refused(response, "rencana_aksi_id")


def test_fields_are_named_alike_in_body_query_and_path(cast: Cast, login: Login) -> None:
    client = login("admin")
    # Body: the key in the JSON object (no "body." or "payload." in front).
    body = send(client, "POST", "/api/v1/skp", {"year": 2026, "pendekatan": "LAIN"})
    refused(body, "pendekatan")
    nested = send(client, "POST", "/api/v1/rhk/1/cascade", {"assignments": [{"text": "x"}]})
    refused(nested, "assignments.0.pegawai_id")
    # Query and path: the parameter's name.
    refused(client.get("/api/v1/penilaian/saya?year=abc"), "year")
    refused(client.get("/api/v1/skp/abc"), "skp_id")
    # A rule refusing the value (400) names it the same way.
    far = send(client, "POST", "/api/v1/skp", {"pegawai_id": cast.staf_a.pk, "year": 2099})
    assert far.status_code == 400 and far.json()["errors"][0]["field"] == "year"


def test_a_missing_or_wrong_body_is_named_by_an_empty_field(login: Login) -> None:
    client = login("admin")
    missing = client.post("/api/v1/skp", "", content_type="application/json")
    refused(missing, "")
    a_list = client.post("/api/v1/skp", "[1, 2]", content_type="application/json")
    refused(a_list, "")
