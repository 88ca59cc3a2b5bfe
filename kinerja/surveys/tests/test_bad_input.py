"""Out-of-range and malformed input to the SKM endpoints is a 4xx with the shared error shape,
never a 500: ids beyond a bigint, strings holding NUL (PostgreSQL refuses them even in a
lookup), period keys at and beyond the calendar's ends, a citizen's numbers that are not JSON
integers."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from kinerja.org.testing import Cast
from kinerja.surveys.models import Layanan, RencanaTindakLanjut, SkmResponse, SurveyPeriod

from .conftest import ANSWERS, form_data
from .test_public import URL, token_from

Login = Callable[[str], Client]
API = "/api/v1"
BIG = 2**63
NUL = "Poli\x00Umum"


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


@pytest.mark.parametrize(
    "url",
    [f"{API}/skm/layanan?instansi_id={BIG}", f"{API}/skm/rtl?instansi_id={BIG}&period=TAHUN-2026-1",
     f"{API}/skm/ikm?instansi_id={BIG}&period=TAHUN-2026-1"],
)  # fmt: skip
def test_an_instansi_id_beyond_a_bigint_is_a_422(login: Login, url: str) -> None:
    answer = login("admin").get(url)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "instansi_id"


def test_text_with_nul_is_refused_naming_the_field(
    login: Login, cast: Cast, period: SurveyPeriod
) -> None:
    client = login("admin")
    made = post(
        client, f"{API}/skm/layanan", {"unit_id": cast.puskesmas.pk, "name": NUL, "code": "x"}
    )
    assert made.status_code == 422
    [error] = made.json()["errors"]  # the field is "payload.name" or "name" (kinerja/core)
    assert error["field"].endswith("name") and "NUL" in error["message"]
    rtl = {"layanan_id": period.layanan_id, "period": period.key, "unsur": 1, "action": NUL,
           "owner_id": cast.perawat.pk, "due_date": period.end.isoformat()}  # fmt: skip
    assert post(client, f"{API}/skm/rtl", rtl).json()["errors"][0]["field"].endswith("action")
    assert Layanan.objects.count() == 1 and RencanaTindakLanjut.objects.count() == 0


def test_a_citizen_saran_with_nul_is_refused(
    client: Client, period: SurveyPeriod, fresh_token: Callable[[], str]
) -> None:
    data = {"token": fresh_token(), "answers": list(ANSWERS), "usia": 40, "jenis_kelamin": "L",
            "pendidikan": "SMA", "pekerjaan": "PNS", "saran": NUL}  # fmt: skip
    answer = post(client, f"{API}/publik/skm/{period.layanan.code}/tanggapan", data)
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"].endswith("saran")
    assert SkmResponse.objects.count() == 0


@pytest.mark.parametrize(
    "url", [f"{API}/publik/skm/poli%00sukamaju/formulir", f"{API}/publik/transparansi/KAB%00"]
)
def test_a_public_code_with_nul_is_refused(client: Client, period: SurveyPeriod, url: str) -> None:
    # kinerja.core's middleware refuses %00 in any path before the view
    answer = client.get(url)
    assert answer.status_code == 400 and answer.json()["code"] == "invalid"


def test_the_transparency_page_with_nul_is_refused(client: Client, period: SurveyPeriod) -> None:
    assert client.get("/transparansi/KAB%00/").status_code == 400


@pytest.mark.parametrize("period", ["SEMESTER-2000-1", "TRIWULAN-2100-4", "TAHUN-2000-1"])
def test_the_first_and_last_periods_of_the_calendar(login: Login, cast: Cast, period: str) -> None:
    client = login("admin")
    layanan = Layanan.objects.create(
        instansi=cast.kab, unit=cast.puskesmas, name="Poli", code="poli-2000"
    )
    overview = client.get(f"{API}/skm/ikm", {"instansi_id": str(cast.kab.pk), "period": period})
    assert overview.status_code == 200 and overview.json()["total"]["previous"] is None
    assert client.get(f"{API}/skm/layanan/{layanan.pk}/ikm/{period}").status_code == 200
    assert client.get(f"/skm/?periode={period}").status_code == 200
    assert client.get(f"/skm/layanan/{layanan.pk}/ikm/{period}/").status_code == 200


@pytest.mark.parametrize("period", ["SEMESTER-1999-2", "TAHUN-2101-1", "x" * 5000])
def test_periods_beyond_the_calendar_are_refused(login: Login, cast: Cast, period: str) -> None:
    client = login("admin")
    answer = client.get(f"{API}/skm/ikm?instansi_id={cast.kab.pk}&period={period}")
    assert answer.status_code == 400 and answer.json()["errors"][0]["field"] == "period"
    assert client.get(f"/skm/?periode={period}").status_code == 404


ABSURD = (10**30, -1)


def refused(answer: Any, field: str) -> None:
    assert answer.status_code == 422, answer.content
    assert field in [e["field"] for e in answer.json()["errors"]]


@pytest.mark.parametrize("value", ABSURD)
def test_absurd_ids_and_numbers_in_a_staff_body_are_a_422_naming_them(
    login: Login, cast: Cast, period: SurveyPeriod, value: int
) -> None:
    """Schemas bound every number (kinerja.core.params): the database never sees them."""
    client = login("admin")
    layanan = {"unit_id": cast.puskesmas.pk, "name": "Poli Gigi", "code": "poli-gigi"}
    refused(post(client, f"{API}/skm/layanan", layanan | {"population": value}), "population")
    refused(post(client, f"{API}/skm/layanan", layanan | {"unit_id": value}), "unit_id")
    changed = layanan | {"code": period.layanan.code, "population": value}
    put = client.put(f"{API}/skm/layanan/{period.layanan_id}", json.dumps(changed),
                     content_type="application/json")  # fmt: skip
    refused(put, "population")
    opened = {"kind": "TAHUN", "year": value, "number": 1}
    refused(post(client, f"{API}/skm/layanan/{period.layanan_id}/periode", opened), "year")
    rtl = {"layanan_id": period.layanan_id, "period": period.key, "unsur": 1, "action": "Antre",
           "owner_id": value, "due_date": period.end.isoformat()}  # fmt: skip
    refused(post(client, f"{API}/skm/rtl", rtl), "owner_id")
    refused(post(client, f"{API}/skm/rtl", rtl | {"owner_id": cast.kapus.pk, "unsur": value}),
            "unsur")  # fmt: skip
    assert list(Layanan.objects.values_list("population", flat=True)) == [100]
    assert SurveyPeriod.objects.count() == 1 and not RencanaTindakLanjut.objects.exists()


@pytest.mark.parametrize("value", ABSURD)
def test_an_absurd_petugas_in_a_citizen_answer_is_a_422(
    client: Client, period: SurveyPeriod, fresh_token: Callable[[], str], value: int
) -> None:
    data = {"token": fresh_token(), "answers": list(ANSWERS), "usia": 40, "jenis_kelamin": "L",
            "pendidikan": "SMA", "pekerjaan": "PNS", "petugas_id": value}  # fmt: skip
    refused(post(client, f"{API}/publik/skm/{period.layanan.code}/tanggapan", data), "petugas_id")
    assert SkmResponse.objects.count() == 0


@pytest.mark.parametrize(
    ("method", "path", "field"),
    [("get", "/skm/layanan/{id}/periode", "layanan_id"),
     ("get", "/skm/layanan/{id}/ikm/TAHUN-2026-1", "layanan_id"),
     ("put", "/skm/layanan/{id}", "layanan_id"), ("post", "/skm/rtl/{id}/selesai", "rtl_id"),
     ("get", "/skm/petugas/{id}", "pegawai_id")],
)  # fmt: skip
def test_an_id_beyond_a_bigint_in_a_path_is_a_422(
    login: Login, method: str, path: str, field: str
) -> None:
    url = API + path.format(id=BIG)
    answer = login("admin").generic(method.upper(), url, "{}", content_type="application/json")
    assert answer.status_code == 422 and field in [e["field"] for e in answer.json()["errors"]]


def test_refusals_speak_english_when_asked(phone: Client, period: SurveyPeriod, settings) -> None:  # type: ignore[no-untyped-def]
    settings.KINERJA_SKM_RATE_LIMIT = 1
    phone.cookies["django_language"] = "en"
    token = token_from(phone.get(URL).content.decode())
    assert phone.post(URL, form_data("garbage")).status_code == 400  # counts as the one attempt
    refused = phone.post(URL, form_data(token))
    assert refused.status_code == 429
    assert "Too many submissions from this device or network." in refused.content.decode()
    assert SkmResponse.objects.count() == 0


CITIZEN = {"answers": list(ANSWERS), "usia": 44, "jenis_kelamin": "L", "pendidikan": "SMA",
           "pekerjaan": "PNS"}  # fmt: skip


@pytest.mark.parametrize(
    ("change", "field"),
    [({"answers": [True] * 9}, "answers.0"), ({"answers": ["4"] * 9}, "answers.0"),
     ({"answers": [4.0] * 9}, "answers.0"), ({"answers": [4] * 8 + [False]}, "answers.8"),
     ({"answers": ["4", 3, 3, 4, 3, 4, 4, 2, 4.0]}, "answers.0"),
     ({"usia": "44"}, "usia"), ({"usia": True}, "usia"), ({"usia": 44.0}, "usia"),
     ({"petugas_id": "7"}, "petugas_id"), ({"petugas_id": True}, "petugas_id"),
     ({"petugas_id": 7.0}, "petugas_id")],
)  # fmt: skip
def test_a_citizens_numbers_must_be_json_integers(
    client: Client,
    period: SurveyPeriod,
    fresh_token: Callable[[], str],
    change: dict[str, Any],
    field: str,
) -> None:
    """Not true, "4" or 4.0: the OpenAPI says `type: integer` (below)."""
    data = {"token": fresh_token(), **CITIZEN, **change}
    answer = post(client, f"{API}/publik/skm/{period.layanan.code}/tanggapan", data)
    assert answer.status_code == 422 and answer.json()["code"] == "invalid"
    assert answer.json()["errors"][0] == {"field": field, "message": "Harus bilangan bulat."}
    assert SkmResponse.objects.count() == 0


def test_a_citizens_integers_are_taken_and_the_page_still_reads_its_form(
    client: Client, phone: Client, period: SurveyPeriod, cast: Cast, fresh_token: Callable[[], str]
) -> None:
    schema = client.get(f"{API}/openapi.json").json()["components"]["schemas"]["ResponseIn"]
    assert schema["properties"]["answers"]["items"]["type"] == "integer"
    assert schema["properties"]["usia"]["type"] == "integer"
    data = {"token": fresh_token(), **CITIZEN, "petugas_id": cast.perawat.pk}
    answer = post(client, f"{API}/publik/skm/{period.layanan.code}/tanggapan", data)
    assert answer.status_code == 201
    row = SkmResponse.objects.get()
    assert (row.answers(), row.usia, row.petugas_id) == (ANSWERS, 44, cast.perawat.pk)
    # The questionnaire page posts text fields ("4", "34"), read by its Django form.
    token = token_from(phone.get(URL).content.decode())
    page = phone.post(URL, form_data(token, usia="61", petugas=str(cast.perawat.pk)))
    assert page.status_code == 302 and SkmResponse.objects.count() == 2
