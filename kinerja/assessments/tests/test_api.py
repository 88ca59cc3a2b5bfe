"""The evaluation JSON API (/api/v1/penilaian/...): the rater's team and an evaluation's detail
with realisasi, evidence and feedback; rating, feedback per RHK/value, finalisation, reopening,
capaian; every refusal with its status and error body; who sees what. The named cast: kasi
rates staf_a and staf_b, kabid rates kasi; the clock is pinned to 30 June (TRIWULAN II)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from kinerja.org.testing import Cast
from kinerja.progress import feedback_services

from .. import guards
from ..models import ANNUAL, CatatanEvaluasi, Evaluasi
from ..testing import YEAR, approved_skp, capaian, evaluation, on_day, realisasi

API = "/api/v1/penilaian"
Login = Callable[[str], Client]
DAY = date(YEAR, 6, 30)


@pytest.fixture(autouse=True)
def _pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guards, "today", lambda: DAY)


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return json.loads(response.content) if response.content else None


def error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    data: dict[str, Any] = json.loads(response.content)
    assert set(data) == {"detail", "code", "errors"} and data["code"] == code
    return data


def post(client: Client, path: str, payload: dict[str, Any] | None = None) -> Any:
    return client.post(path, json.dumps(payload or {}), content_type="application/json")


def put(client: Client, path: str, payload: dict[str, Any]) -> Any:
    return client.put(path, json.dumps(payload), content_type="application/json")


# --- team and detail ------------------------------------------------------------------------


def test_the_rater_lists_the_team_with_status_and_predikat(
    cast: Cast, login: Login, django_assert_max_num_queries: Any
) -> None:
    evaluation(cast, "staf_a", 2, "DI_ATAS", "DI_ATAS", finalize=True)
    approved_skp(cast, "staf_b")
    client = login("kasi")
    with django_assert_max_num_queries(8):
        data = ok(client.get(f"{API}/tim?period=2&year={YEAR}"))
    assert data["period_label"] == "TRIWULAN II"
    rows = {r["pegawai"]["name"]: (r["status"], r["predikat"]) for r in data["rows"]}
    assert rows == {"Dewi Lestari": ("FINAL", "SANGAT_BAIK"), "Bambang Pamungkas": ("BELUM", "")}
    assert data["counts"]["SANGAT_BAIK"] == 1 and sum(data["counts"].values()) == 1
    assert ok(login("staf_a").get(f"{API}/tim?period=2"))["rows"] == []


def test_open_then_read_the_detail_with_realisasi_evidence_and_feedback(
    cast: Cast, login: Login
) -> None:
    plan = approved_skp(cast, "staf_a")
    realisasi(cast, plan, 2, "4", links=["https://bukti.example.go.id/1"])
    realisasi(cast, plan, 1, "2")  # an earlier period: counted in progress, not listed
    with on_day(date(YEAR, 5, 20)):
        feedback_services.umpan_balik_add(
            by=cast.user("kasi"), skp=plan.skp, period=2, target_kind="RHK", rhk=plan.rhk,
            text="Pertahankan ketepatan waktu",
        )  # fmt: skip
    client = login("kasi")
    data = ok(post(client, f"{API}/skp/{plan.skp.pk}/evaluasi/2"), 201)
    assert (
        ok(post(client, f"{API}/skp/{plan.skp.pk}/evaluasi/2"))["evaluasi"]["id"]
        == (data["evaluasi"]["id"])
    )
    [rhk] = data["rhk"]
    assert rhk["rhk_id"] == plan.rhk.pk and rhk["intervensi"]
    kuantitas = rhk["iki"][0]
    assert kuantitas["progress"]["realised"] == "6.00"  # 2 + 4 up to the period
    assert [e["value"] for e in kuantitas["entries"]] == ["4.00"]
    assert kuantitas["entries"][0]["bukti"][0]["url"] == "https://bukti.example.go.id/1"
    assert [f["text"] for f in rhk["feedback"]] == ["Pertahankan ketepatan waktu"]
    assert [v["code"] for v in data["values"]] == list(range(1, 8))
    assert data["evaluasi"]["status"] == "DRAFT" and data["periodic"] == []


@pytest.mark.parametrize("who", ["staf_b", "perawat", "outsider", "kapus"])
def test_others_get_a_404(cast: Cast, login: Login, who: str) -> None:
    evaluasi = evaluation(cast, "staf_a", 2)
    error(login(who).get(f"{API}/evaluasi/{evaluasi.pk}"), 404, "not_found")
    error(post(login(who), f"{API}/evaluasi/{evaluasi.pk}/finalisasi"), 404, "not_found")


@pytest.mark.parametrize("who", ["kabid", "kadis", "admin", "auditor"])
def test_the_chain_and_the_instansi_read(cast: Cast, login: Login, who: str) -> None:
    evaluasi = evaluation(cast, "staf_a", 2, "DI_ATAS", "SESUAI")
    data = ok(login(who).get(f"{API}/evaluasi/{evaluasi.pk}"))
    assert data["evaluasi"]["predikat"] == "BAIK"


def test_the_pegawai_sees_the_predikat_only_when_final(cast: Cast, login: Login) -> None:
    evaluasi = evaluation(cast, "staf_a", 2, "DI_ATAS", "SESUAI", catatan="Ikut pelatihan")
    plan = approved_skp(cast, "staf_a")
    with on_day(DAY):
        from .. import services

        services.catatan_set(by=cast.user("kasi"), evaluasi=evaluasi, rhk=plan.rhk, text="Baik")
    client = login("staf_a")
    draft = ok(client.get(f"{API}/evaluasi/{evaluasi.pk}"))
    assert (draft["evaluasi"]["predikat"], draft["evaluasi"]["rating_hasil"]) == ("", "")
    assert draft["evaluasi"]["catatan"] == "" and draft["rhk"][0]["catatan"] == ""
    assert ok(client.get(f"{API}/saya?year={YEAR}"))[0]["predikat"] == ""
    ok(post(login("kasi"), f"{API}/evaluasi/{evaluasi.pk}/finalisasi"))
    final = ok(client.get(f"{API}/evaluasi/{evaluasi.pk}"))
    assert (final["evaluasi"]["predikat"], final["rhk"][0]["catatan"]) == ("BAIK", "Baik")
    assert final["evaluasi"]["catatan"] == "Ikut pelatihan"


# --- rating, catatan, finalisation, reopening -----------------------------------------------


def test_rate_catatan_finalize_reopen_flow(cast: Cast, login: Login) -> None:
    plan = approved_skp(cast, "staf_a")
    kasi = login("kasi")
    evaluasi_id = ok(post(kasi, f"{API}/skp/{plan.skp.pk}/evaluasi/2"), 201)["evaluasi"]["id"]
    rated = ok(post(kasi, f"{API}/evaluasi/{evaluasi_id}/rating",
                    {"rating_hasil": "DI_BAWAH", "rating_perilaku": "DI_ATAS"}))  # fmt: skip
    assert rated["predikat"] == "BUTUH_PERBAIKAN"
    note = ok(put(kasi, f"{API}/evaluasi/{evaluasi_id}/catatan",
                  {"core_value": 3, "text": "Tingkatkan kompetensi data"}))  # fmt: skip
    assert note == {"rhk_id": None, "core_value": 3, "text": "Tingkatkan kompetensi data"}
    ok(put(kasi, f"{API}/evaluasi/{evaluasi_id}/catatan", {"rhk_id": plan.rhk.pk, "text": "x"}))
    ok(put(kasi, f"{API}/evaluasi/{evaluasi_id}/catatan", {"core_value": 3, "text": ""}), 204)
    assert list(CatatanEvaluasi.objects.values_list("rhk_id", flat=True)) == [plan.rhk.pk]
    final = ok(post(kasi, f"{API}/evaluasi/{evaluasi_id}/finalisasi"))
    assert final["status"] == "FINAL" and final["finalized_at"]
    error(post(kasi, f"{API}/evaluasi/{evaluasi_id}/finalisasi"), 409, "conflict")
    # (login switches the one test client)
    error(post(login("staf_a"), f"{API}/evaluasi/{evaluasi_id}/buka-kembali", {"reason": "x"}),
          403, "forbidden")  # fmt: skip
    reopened = ok(post(login("kabid"), f"{API}/evaluasi/{evaluasi_id}/buka-kembali",
                       {"reason": "Bukti susulan"}))  # fmt: skip
    assert (reopened["status"], reopened["reopen_reason"]) == ("DRAFT", "Bukti susulan")


def test_bad_input_gets_4xx_with_the_shared_error_shape(cast: Cast, login: Login) -> None:
    evaluasi = evaluation(cast, "staf_a", 2)
    kasi = login("kasi")
    base = f"{API}/evaluasi/{evaluasi.pk}"
    error(post(kasi, f"{base}/rating", {"rating_perilaku": "BAGUS"}), 422, "invalid")
    error(post(kasi, f"{base}/rating", {"rating_perilaku": "SESUAI"}), 400, "invalid")
    error(post(kasi, f"{base}/rating", {"rating_perilaku": "SESUAI", "x": 1}), 422, "invalid")
    error(put(kasi, f"{base}/catatan", {"core_value": 9, "text": "x"}), 422, "invalid")
    error(put(kasi, f"{base}/catatan", {"rhk_id": 999999, "text": "x"}), 404, "not_found")
    error(put(kasi, f"{base}/catatan", {"text": "x"}), 400, "invalid")
    error(post(kasi, f"{API}/skp/{evaluasi.skp_id}/evaluasi/3"), 409, "conflict")
    error(post(kasi, f"{API}/skp/{evaluasi.skp_id}/evaluasi/9"), 400, "invalid")
    error(post(kasi, f"{API}/skp/999999/evaluasi/2"), 404, "not_found")
    error(login("kasi").get(f"{API}/evaluasi/999999"), 404, "not_found")
    error(post(login("kabid"), f"{base}/rating", {"rating_hasil": "SESUAI",
                                                 "rating_perilaku": "SESUAI"}),
          403, "forbidden")  # fmt: skip
    error(post(login("kabid"), f"{base}/buka-kembali", {"reason": "x"}), 409, "conflict")
    error(post(login("kabid"), f"{base}/buka-kembali", {"reason": ""}), 422, "invalid")


def test_the_annual_detail_shows_the_periodic_results(cast: Cast, login: Login) -> None:
    evaluation(cast, "staf_a", 1, "SESUAI", "SESUAI", finalize=True)
    evaluation(cast, "staf_a", 2, "DI_ATAS", "DI_ATAS", finalize=True)
    annual = evaluation(cast, "staf_a", ANNUAL, "SESUAI", "DI_ATAS")
    data = ok(login("kasi").get(f"{API}/evaluasi/{annual.pk}"))
    assert data["evaluasi"]["period_label"] == "TAHUNAN"
    assert [(p["label"], p["predikat"]) for p in data["periodic"]] == [
        ("TRIWULAN I", "BAIK"), ("TRIWULAN II", "SANGAT_BAIK"), ("TRIWULAN III", ""),
        ("TRIWULAN IV-AKHIR", ""),
    ]  # fmt: skip
    assert data["evaluasi"]["predikat"] == "BAIK"  # a fresh review, not an average


# --- capaian --------------------------------------------------------------------------------


def test_the_leader_above_lists_and_sets_capaian(cast: Cast, login: Login) -> None:
    kabid = login("kabid")
    units = ok(kabid.get(f"{API}/capaian?period=2&year={YEAR}"))
    assert [u["unit_name"] for u in units] == ["Seksi Pelayanan Primer"]
    item = ok(put(kabid, f"{API}/capaian", {"unit_id": cast.seksi.pk, "year": YEAR,
                                             "period": 2, "predikat": "BAIK",
                                             "reason": "Rencana aksi tercapai"}))  # fmt: skip
    assert (item["predikat"], item["set_by"]) == ("BAIK", "Sri Rahayu")
    units = ok(kabid.get(f"{API}/capaian?period=2&year={YEAR}"))
    assert units[0]["capaian"]["reason"] == "Rencana aksi tercapai"
    assert len(ok(login("admin").get(f"{API}/capaian?period=2"))) == 5  # every KAB unit
    assert ok(login("staf_a").get(f"{API}/capaian?period=2")) == []


def test_capaian_refusals(cast: Cast, login: Login) -> None:
    body = {"unit_id": cast.seksi.pk, "year": YEAR, "period": 2, "predikat": "BAIK",
            "reason": "x"}  # fmt: skip
    error(put(login("kasi"), f"{API}/capaian", body), 403, "forbidden")
    error(put(login("outsider"), f"{API}/capaian", body), 404, "not_found")
    error(put(login("kabid"), f"{API}/capaian", body | {"predikat": "SANGAT_BAIK"}), 422,
          "invalid")  # fmt: skip
    error(put(login("kabid"), f"{API}/capaian", body | {"reason": ""}), 422, "invalid")
    error(put(login("kabid"), f"{API}/capaian", body | {"period": 6}), 400, "invalid")


def test_a_unit_heads_evaluation_follows_the_capaian_via_the_api(cast: Cast, login: Login) -> None:
    capaian(cast, cast.seksi, 2, "ISTIMEWA")
    plan = approved_skp(cast, "kasi")
    kabid = login("kabid")
    data = ok(post(kabid, f"{API}/skp/{plan.skp.pk}/evaluasi/2"), 201)
    assert data["evaluasi"]["is_unit_head"] and data["capaian"]["predikat"] == "ISTIMEWA"
    assert data["pattern"] == ["paling banyak 70% pegawai berpredikat Sangat Baik"]
    rated = ok(post(kabid, f"{API}/evaluasi/{data['evaluasi']['id']}/rating",
                    {"rating_perilaku": "DI_ATAS"}))  # fmt: skip
    assert (rated["rating_hasil"], rated["predikat"]) == ("DI_ATAS", "SANGAT_BAIK")
    assert Evaluasi.objects.get().predikat_penilai == "SANGAT_BAIK"


def test_openapi_lists_the_evaluation_paths(client: Client, db: None) -> None:
    paths = ok(client.get("/api/v1/openapi.json"))["paths"]
    for path in ("/api/v1/penilaian/tim", "/api/v1/penilaian/saya",
                 "/api/v1/penilaian/evaluasi/{evaluasi_id}",
                 "/api/v1/penilaian/evaluasi/{evaluasi_id}/rating",
                 "/api/v1/penilaian/evaluasi/{evaluasi_id}/catatan",
                 "/api/v1/penilaian/evaluasi/{evaluasi_id}/finalisasi",
                 "/api/v1/penilaian/evaluasi/{evaluasi_id}/buka-kembali",
                 "/api/v1/penilaian/skp/{skp_id}/evaluasi/{period}",
                 "/api/v1/penilaian/capaian"):  # fmt: skip
        assert path in paths, path


def test_refusals_speak_english_when_asked(cast: Cast, login: Login) -> None:
    evaluasi = evaluation(cast, "staf_a", 2)
    kasi = login("kasi")
    english: dict[str, Any] = {"headers": {"Accept-Language": "en"}}
    rate = f"{API}/evaluasi/{evaluasi.pk}/rating"
    payload = json.dumps({"rating_perilaku": "SESUAI"})
    rated = error(kasi.post(rate, payload, content_type="application/json", **english), 400,
                  "invalid")  # fmt: skip
    assert rated["detail"] == (
        "Choose the work results rating: above, meets or below expectations."
    )
    unknown = error(kasi.post(f"{API}/skp/{evaluasi.skp_id}/evaluasi/9", **english), 400,
                    "invalid")  # fmt: skip
    assert unknown["detail"] == f"Period 9 is unknown for the year {YEAR}."
    missing = error(kasi.get(f"{API}/evaluasi/999999", **english), 404, "not_found")
    assert missing["detail"] == "Evaluation with id 999999 not found."
    refused = error(login("kabid").post(rate, payload, content_type="application/json",
                                        **english), 403, "forbidden")  # fmt: skip
    assert refused["detail"] == "Only this employee's performance rater may evaluate."
