"""SKM JSON API: the public token + submission (in the OpenAPI schema), staff endpoints with
their role checks (admin manages, pimpinan sees the subtree, auditor reads, other instansi
nothing)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from kinerja.org import placement_services
from kinerja.org import services as org
from kinerja.org.testing import START, Cast
from kinerja.surveys.models import Layanan, RencanaTindakLanjut, SkmResponse, SurveyPeriod
from kinerja.surveys.periods import PeriodKey

from .conftest import ANSWERS
from .factories import add_answers

Login = Callable[[str], Client]
API = "/api/v1"


def body(token: str, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "token": token,
        "answers": list(ANSWERS),
        "usia": 40,
        "jenis_kelamin": "L",
        "pendidikan": "SMA",
        "pekerjaan": "WIRAUSAHA",
    }
    data.update(extra)
    return data


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


def test_public_token_and_submission(phone: Client, period: SurveyPeriod) -> None:
    form = phone.get(f"{API}/publik/skm/poli-sukamaju/formulir").json()
    assert [q["code"] for q in form["questions"]] == [f"u{i}" for i in range(1, 10)]
    assert form["questions"][6]["answers"][3] == {"value": 4, "label": "Sangat sopan dan ramah"}
    url = f"{API}/publik/skm/poli-sukamaju/tanggapan"
    answer = post(phone, url, body(form["token"]))
    assert answer.status_code == 201 and answer.json()["accepted"] is True
    assert SkmResponse.objects.count() == 1
    again = post(phone, url, body(form["token"], usia=41))
    assert again.status_code == 409 and again.json()["code"] == "token_used"
    second = phone.get(f"{API}/publik/skm/poli-sukamaju/formulir").json()["token"]
    dup = post(phone, url, body(second))
    assert dup.status_code == 409 and dup.json()["code"] == "duplicate"
    assert SkmResponse.objects.count() == 1


def test_public_submission_refusals(phone: Client, period: SurveyPeriod, settings) -> None:  # type: ignore[no-untyped-def]
    url = f"{API}/publik/skm/poli-sukamaju/tanggapan"
    token = phone.get(f"{API}/publik/skm/poli-sukamaju/formulir").json()["token"]
    missing = post(phone, url, body(token, answers=[4] * 8))
    assert missing.status_code == 422
    out_of_range = post(phone, url, body(token, answers=[4] * 8 + [0]))
    assert out_of_range.status_code == 422
    honeypot = post(phone, url, body(token, website="x"))
    assert honeypot.status_code == 400 and honeypot.json()["code"] == "rejected"
    forged = post(phone, url, body("abc:def:ghi"))
    assert forged.status_code == 400 and forged.json()["code"] == "token_invalid"
    wrong_code = post(phone, f"{API}/publik/skm/lain/tanggapan", body(token))
    assert wrong_code.status_code == 400
    settings.KINERJA_SKM_RATE_LIMIT = 3  # honeypot, forged, wrong code counted
    limited = post(phone, url, body(token))
    assert limited.status_code == 429 and limited.json()["code"] == "rate_limited"
    assert not SkmResponse.objects.exists()
    assert phone.get(f"{API}/publik/skm/tidak-ada/formulir").status_code == 404


def test_public_refusals_that_the_insert_itself_decides(
    phone: Client, period: SurveyPeriod, cast: Cast
) -> None:
    url = f"{API}/publik/skm/poli-sukamaju/tanggapan"
    token = phone.get(f"{API}/publik/skm/poli-sukamaju/formulir").json()["token"]
    stranger = post(phone, url, body(token, petugas_id=cast.staf_a.pk))
    assert stranger.status_code == 400 and "tidak bertugas" in stranger.json()["detail"]
    wrong_code = post(phone, f"{API}/publik/skm/lain/tanggapan", body(token))
    assert wrong_code.status_code == 400 and wrong_code.json()["code"] == "token_invalid"
    Layanan.objects.filter(pk=period.layanan_id).update(active=False)
    inactive = post(phone, url, body(token))
    assert inactive.status_code == 400 and "tidak dibuka" in inactive.json()["detail"]
    assert not SkmResponse.objects.exists()


def test_a_submission_built_only_from_the_form_values_is_accepted(
    phone: Client, period: SurveyPeriod, cast: Cast
) -> None:
    """The values the form gives are what the submission takes: integers for the answers and
    petugas_id (strict JSON integers), the codes as text for the profile."""
    form = phone.get(f"{API}/publik/skm/poli-sukamaju/formulir").json()
    petugas = {choice["label"]: choice["value"] for choice in form["petugas"]}
    data = {
        "token": form["token"],
        "answers": [question["answers"][-1]["value"] for question in form["questions"]],
        "usia": 30,
        "jenis_kelamin": form["jenis_kelamin"][1]["value"],
        "pendidikan": form["pendidikan"][4]["value"],
        "pekerjaan": form["pekerjaan"][0]["value"],
        "petugas_id": petugas[cast.perawat.display_name],
    }
    answer = post(phone, f"{API}/publik/skm/poli-sukamaju/tanggapan", data)
    assert answer.status_code == 201, answer.json()
    row = SkmResponse.objects.get()
    assert row.answers() == (4,) * 9 and row.petugas_id == cast.perawat.pk
    assert (row.jenis_kelamin, row.pendidikan, row.pekerjaan) == ("P", "S1", "PNS")


@pytest.mark.django_db(transaction=True)
def test_public_submission_is_one_query(  # type: ignore[no-untyped-def]
    phone: Client, period: SurveyPeriod, django_assert_num_queries
) -> None:
    from kinerja.surveys.public import issue_token

    url = f"{API}/publik/skm/poli-sukamaju/tanggapan"
    with django_assert_num_queries(1):
        answer = post(phone, url, body(issue_token(period.layanan_id, period.pk)))
    assert answer.status_code == 201 and SkmResponse.objects.count() == 1


def test_public_endpoints_are_in_the_schema(client: Client) -> None:
    schema = client.get(f"{API}/openapi.json").json()
    assert "/api/v1/publik/skm/{code}/formulir" in schema["paths"]
    post_op = schema["paths"]["/api/v1/publik/skm/{code}/tanggapan"]["post"]
    assert "security" not in post_op or post_op["security"] in ([], [{}])


def test_layanan_api_roles(login: Login, cast: Cast, layanan: Layanan) -> None:
    new = {"unit_id": cast.seksi.pk, "name": "KIA", "code": "kia", "population": 10}
    admin = login("admin")
    created = post(admin, f"{API}/skm/layanan", new)
    assert created.status_code == 201 and created.json()["public_path"] == "/s/kia/"
    assert post(admin, f"{API}/skm/layanan", new).status_code == 409
    bad = post(admin, f"{API}/skm/layanan", {**new, "code": "A B"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "code"
    period = post(
        admin,
        f"{API}/skm/layanan/{layanan.pk}/periode",
        {"kind": "TAHUN", "year": 2030, "number": 1},
    )
    assert period.status_code == 201 and period.json()["key"] == "TAHUN-2030-1"
    wrong = post(
        admin,
        f"{API}/skm/layanan/{layanan.pk}/periode",
        {"kind": "SEMESTER", "year": 2030, "number": 3},
    )
    assert wrong.status_code == 400
    kapus = login("kapus")
    assert [x["code"] for x in kapus.get(f"{API}/skm/layanan").json()] == ["poli-sukamaju"]
    assert post(kapus, f"{API}/skm/layanan", {**new, "code": "kia2"}).status_code == 403
    auditor = login("auditor")
    assert len(auditor.get(f"{API}/skm/layanan").json()) == 2
    assert (
        post(
            auditor, f"{API}/skm/layanan/{layanan.pk}/periode", {"kind": "TAHUN", "year": 2031}
        ).status_code
        == 403
    )
    outsider = login("outsider")
    assert outsider.get(f"{API}/skm/layanan").json() == []
    assert outsider.get(f"{API}/skm/layanan/{layanan.pk}/periode").status_code == 404
    assert Client().get(f"{API}/skm/layanan").status_code == 401


def test_ikm_api(login: Login, cast: Cast, period: SurveyPeriod, key: PeriodKey) -> None:
    add_answers(period, [(4,) * 9, (3,) * 9], saran="Tambah kursi")
    admin = login("admin")
    view = admin.get(f"{API}/skm/ikm", {"instansi_id": str(cast.kab.pk), "period": key.text}).json()
    assert view["total"]["result"]["ikm_konversi"] == "87.50"
    assert view["layanan"][0]["minimum_sample"] == 80 and view["layanan"][0]["sample_short"]
    detail = admin.get(f"{API}/skm/layanan/{period.layanan_id}/ikm/{key.text}").json()
    assert detail["unsur"][0]["nrr"] == "3.5000" and detail["saran"] == ["Tambah kursi"] * 2
    pendidikan = {row["code"]: row["count"] for row in detail["demographics"]["pendidikan"]}
    assert pendidikan["SMA"] == 2 and sum(pendidikan.values()) == 2
    assert (
        admin.get(f"{API}/skm/ikm", {"instansi_id": str(cast.kab.pk), "period": "x"}).status_code
        == 400
    )
    outsider = login("outsider")
    assert (
        outsider.get(
            f"{API}/skm/ikm", {"instansi_id": str(cast.kab.pk), "period": key.text}
        ).status_code
        == 404
    )
    assert outsider.get(f"{API}/skm/layanan/{period.layanan_id}/ikm/{key.text}").status_code == 404


def test_import_api(login: Login, period: SurveyPeriod) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_import import GOOD, csv

    admin = login("admin")
    url = f"{API}/skm/layanan/{period.layanan_id}/impor"
    dry = admin.post(
        url, {"period": period.key, "file": SimpleUploadedFile("k.csv", csv(GOOD))}
    ).json()
    assert dry == {"rows": 1, "dry_run": True, "ok": True, "errors": []}
    bad = admin.post(
        url,
        {
            "period": period.key,
            "dry_run": "false",
            "file": SimpleUploadedFile("k.csv", csv("9" + GOOD[1:])),
        },
    )
    assert bad.status_code == 422 and bad.json()["code"] == "import_invalid"
    assert bad.json()["errors"][0]["row"] == 2 and not SkmResponse.objects.exists()
    saved = admin.post(
        url,
        {"period": period.key, "dry_run": "false", "file": SimpleUploadedFile("k.csv", csv(GOOD))},
    )
    assert saved.json()["ok"] and SkmResponse.objects.count() == 1
    kapus = login("kapus")
    assert (
        kapus.post(
            url, {"period": period.key, "file": SimpleUploadedFile("k.csv", csv(GOOD))}
        ).status_code
        == 403
    )


def test_rtl_and_petugas_api(
    login: Login, cast: Cast, period: SurveyPeriod, key: PeriodKey
) -> None:
    add_answers(period, [(4,) * 9] * 3, petugas=cast.perawat)
    kapus = login("kapus")
    made = post(
        kapus,
        f"{API}/skm/rtl",
        {
            "layanan_id": period.layanan_id,
            "period": key.text,
            "unsur": 8,
            "action": "Kanal pengaduan",
            "owner_id": cast.perawat.pk,
            "due_date": key.end.isoformat(),
        },
    )
    assert made.status_code == 201 and made.json()["nrr_then"] == "4.0000"
    rtl_id = made.json()["id"]
    listed = kapus.get(
        f"{API}/skm/rtl", {"instansi_id": str(cast.kab.pk), "period": key.text}
    ).json()
    assert [r["id"] for r in listed] == [rtl_id]
    assert post(login("staf_a"), f"{API}/skm/rtl/{rtl_id}/selesai", {}).status_code == 404
    done = post(login("perawat"), f"{API}/skm/rtl/{rtl_id}/selesai", {"note": "ok"})
    assert done.status_code == 200 and done.json()["done_at"]
    kapus = login("kapus")  # one test client: each login() switches it
    assert post(kapus, f"{API}/skm/rtl/{rtl_id}/selesai", {}).status_code == 409
    assert RencanaTindakLanjut.objects.count() == 1
    year = {"period": f"TAHUN-{key.year}-1"}
    found = kapus.get(f"{API}/skm/petugas/{cast.perawat.pk}", year).json()
    assert found["enough"] and found["feedback"]["respondents"] == 3
    assert found["period"] == f"TAHUN-{key.year}-1" and found["withheld"] is None
    none = kapus.get(f"{API}/skm/petugas/{cast.kapus.pk}", year).json()
    assert none["enough"] is False and none["feedback"] is None
    assert none["withheld"] == "below_minimum" and none["minimum_respondents"] == 3
    assert login("staf_a").get(f"{API}/skm/petugas/{cast.perawat.pk}", year).status_code == 404


@pytest.mark.parametrize("who", ["kasi", "outsider"])
def test_rtl_refused_outside_the_subtree(
    login: Login, cast: Cast, period: SurveyPeriod, key: PeriodKey, who: str
) -> None:
    answer = post(
        login(who),
        f"{API}/skm/rtl",
        {
            "layanan_id": period.layanan_id,
            "period": key.text,
            "unsur": 1,
            "action": "x",
            "owner_id": cast.perawat.pk,
            "due_date": key.end.isoformat(),
        },
    )
    assert answer.status_code == 404


def test_rtl_for_a_whole_unit(
    login: Login, cast: Cast, period: SurveyPeriod, key: PeriodKey
) -> None:
    add_answers(period, [(3, 3, 2, 3, 3, 3, 3, 3, 3)])
    kapus = login("kapus")
    data = {
        "unit_id": cast.puskesmas.pk,
        "period": key.text,
        "unsur": 3,
        "action": "Tambah loket pendaftaran",
        "owner_id": cast.kapus.pk,
        "due_date": key.end.isoformat(),
    }
    made = post(kapus, f"{API}/skm/rtl", data)
    assert made.status_code == 201
    assert made.json()["layanan_id"] is None and made.json()["nrr_then"] == "2.0000"
    both = post(kapus, f"{API}/skm/rtl", {**data, "layanan_id": period.layanan_id})
    assert both.status_code == 400
    assert post(login("kasi"), f"{API}/skm/rtl", data).status_code == 403


def test_a_bad_period_key_speaks_english_when_asked(login: Login, cast: Cast) -> None:
    admin = login("admin")
    query = {"instansi_id": str(cast.kab.pk), "period": "SEMESTER-2026-3"}
    english = admin.get(f"{API}/skm/ikm", query, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 400
    assert english.json()["errors"] == [{"field": "period", "message": "Semester 3 does not exist"}]
    unknown = admin.get(f"{API}/skm/ikm", query | {"period": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert unknown.json()["detail"] == "unknown period 'x'; for example SEMESTER-2026-1"
    indonesian = admin.get(f"{API}/skm/ikm", query).json()
    assert indonesian["detail"] == "Semester ke-3 tidak ada"


def test_a_unit_heads_total_is_labelled_as_their_units(
    login: Login, cast: Cast, period: SurveyPeriod, key: PeriodKey
) -> None:
    """kapus heads Puskesmas Sukamaju: the total covers only its layanan, and says so."""
    add_answers(period, [(4,) * 9, (3,) * 9])
    query = {"instansi_id": str(cast.kab.pk), "period": key.text}
    kapus = login("kapus")
    assert kapus.get(f"{API}/skm/ikm", query).json()["total_scope"] == "visible_units"
    head_page = kapus.get("/skm/", {"periode": key.text}).content.decode()
    assert "IKM unit Anda" in head_page and "IKM instansi" not in head_page
    assert login("auditor").get(f"{API}/skm/ikm", query).json()["total_scope"] == "instansi"
    admin = login("admin")
    assert admin.get(f"{API}/skm/ikm", query).json()["total_scope"] == "instansi"
    assert "IKM instansi" in admin.get("/skm/", {"periode": key.text}).content.decode()


def test_the_head_of_the_root_unit_reads_the_instansi_total(
    login: Login, cast: Cast, period: SurveyPeriod, key: PeriodKey
) -> None:
    """Whoever heads the kabupaten's root unit sees every layanan: the total is the instansi's."""
    head = org.jabatan_save(
        by=cast.superadmin, unit=cast.pemda, code="SEKDA", name="Sekretaris Daerah",
        jenis="JPT", parent=None, is_unit_head=True,
    )  # fmt: skip
    placement_services.penempatan_assign(
        by=cast.superadmin, pegawai=cast.kapus, jabatan=head, start_date=START + timedelta(days=1)
    )
    add_answers(period, [(4,) * 9])
    query = {"instansi_id": str(cast.kab.pk), "period": key.text}
    kapus = login("kapus")
    assert kapus.get(f"{API}/skm/ikm", query).json()["total_scope"] == "instansi"
    assert "IKM instansi" in kapus.get("/skm/", {"periode": key.text}).content.decode()


def test_a_token_of_another_layanan_is_token_invalid(
    phone: Client, period: SurveyPeriod, cast: Cast, key: PeriodKey
) -> None:
    from kinerja.surveys import services

    other = services.layanan_save(by=cast.admin, unit=cast.seksi, name="KIA", code="kia")
    services.period_open(by=cast.admin, layanan=other, key=key)
    token = phone.get(f"{API}/publik/skm/poli-sukamaju/formulir").json()["token"]
    answer = post(phone, f"{API}/publik/skm/kia/tanggapan", body(token))
    assert answer.status_code == 400 and answer.json()["code"] == "token_invalid"
    assert "untuk layanan lain" in answer.json()["detail"]
    assert not SkmResponse.objects.exists()


def test_the_success_message_is_translatable(
    phone: Client, period: SurveyPeriod, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kinerja.surveys import public_api

    monkeypatch.setattr(public_api, "_", lambda message: f"«{message}»")
    token = phone.get(f"{API}/publik/skm/poli-sukamaju/formulir").json()["token"]
    answer = post(phone, f"{API}/publik/skm/poli-sukamaju/tanggapan", body(token))
    assert answer.json()["message"] == "«Terima kasih, penilaian Anda sudah diterima.»"
