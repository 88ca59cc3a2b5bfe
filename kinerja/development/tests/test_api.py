"""The tindak lanjut JSON API: the journey from a scanned case to a session, B.1.8, B.1.9, an
accepted recommendation completed with a certificate; refusals with their status and error
body; who reads what; OpenAPI paths."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kinerja.assessments.testing import YEAR, approved_skp, evaluation, realisasi
from kinerja.org.testing import Cast
from kinerja.progress.tests.test_rules import PDF

from .. import guards
from ..models import Kasus

API = "/api/v1/pengembangan"
Login = Callable[[str], Client]
DAY = date(YEAR, 11, 30)


@pytest.fixture(autouse=True)
def _pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guards, "today", lambda: DAY)


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return json.loads(response.content)


def error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    data: dict[str, Any] = json.loads(response.content)
    assert set(data) == {"detail", "code", "errors"} and data["code"] == code
    return data


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(data, default=str), content_type="application/json")


def test_from_a_scanned_case_to_a_completed_training(cast: Cast, login: Login) -> None:
    plan = approved_skp(cast, "staf_a")
    realisasi(cast, plan, 1, "1")
    evaluation(cast, "staf_a", 1, "DI_BAWAH", "SESUAI", finalize=True)
    admin = login("admin")
    scanned = ok(post(admin, f"{API}/instansi/{cast.kab.pk}/pindai", {"year": YEAR, "period": 1}))
    assert scanned["opened"] == 2 and scanned["by_reason"] == {
        "PREDIKAT_RENDAH": 1,
        "PROGRES_RENDAH": 1,
    }
    item = ok(
        post(
            admin,
            f"{API}/pelatihan",
            {"name": "Manajemen waktu", "jp": "8", "mode": "E_LEARNING", "for_hasil": True},
        ),
        201,
    )

    kasi = login("kasi")
    cases = ok(kasi.get(f"{API}/kasus?status=TERBUKA"))
    assert {c["reason"] for c in cases} == {"PROGRES_RENDAH", "PREDIKAT_RENDAH"}
    case = next(c for c in cases if c["reason"] == "PROGRES_RENDAH")
    sesi = ok(
        post(
            kasi,
            f"{API}/sesi",
            {
                "pegawai_id": cast.staf_a.pk,
                "kasus_id": case["id"],
                "method": "COACHING",
                "date": f"{YEAR}-04-15",
                "notes": "Laporan tertunda dibahas",
                "actions": [{"text": "Jadwal laporan mingguan", "due_date": f"{YEAR}-04-30"}],
            },
        ),
        201,
    )
    assert sesi["predikat_before"] == "BUTUH_PERBAIKAN" and len(sesi["actions"]) == 1
    assert ok(kasi.get(f"{API}/kasus/{case['id']}"))["status"] == "DIBIMBING"

    staf = login("staf_a")
    filled = ok(
        post(
            staf,
            f"{API}/sesi/{sesi['id']}/b18",
            {"answers": [4, 4, 3, 4, 3, 4, 4, 4, 4], "place": "Sukamaju", "date": f"{YEAR}-04-16"},
        ),
        201,
    )
    assert filled["b18"]["answers"][0] == 4
    kabid = login("kabid")
    filled = ok(
        post(
            kabid,
            f"{API}/sesi/{sesi['id']}/b19",
            {
                "items": [
                    {"kompetensi": "Manajemen waktu", "nilai": 3, "alasan": "Mulai tepat waktu"}
                ],
                "place": "Dinkes",
                "date": f"{YEAR}-04-20",
            },
        ),
        201,
    )
    assert filled["b19"]["evaluator_id"] == cast.kabid.pk

    staf = login("staf_a")
    recs = ok(staf.get(f"{API}/pegawai/{cast.staf_a.pk}/rekomendasi?year={YEAR}"))
    assert recs["basis"] == ["Rating hasil kerja di bawah ekspektasi"]
    assert [r["pelatihan"]["id"] for r in recs["items"]] == [item["id"]]
    rencana = ok(
        post(
            staf,
            f"{API}/rencana",
            {
                "pegawai_id": cast.staf_a.pk,
                "pelatihan_id": item["id"],
                "year": YEAR,
                "kasus_id": case["id"],
                "reason": recs["items"][0]["reason"],
            },
        ),
        201,
    )
    assert rencana["status"] == "DIRENCANAKAN"
    done = ok(
        staf.post(
            f"{API}/jp",
            {
                "pegawai_id": cast.staf_a.pk,
                "date": f"{YEAR}-09-01",
                "rencana_id": rencana["id"],
                "certificate": SimpleUploadedFile("sertifikat.pdf", PDF),
            },
        ),
        201,
    )
    assert (done["jp"], done["title"], done["file_name"]) == (
        "8.0",
        "Manajemen waktu",
        "sertifikat.pdf",
    )
    summary = ok(staf.get(f"{API}/pegawai/{cast.staf_a.pk}/jp?year={YEAR}"))
    assert (summary["total"], summary["shortfall"], summary["met"]) == ("8.0", "12.0", False)
    download = staf.get(done["certificate_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert download["Content-Disposition"].startswith("attachment")
    assert login("staf_b").get(done["certificate_url"]).status_code == 404
    plans = ok(login("kasi").get(f"{API}/rencana?pegawai_id={cast.staf_a.pk}&year={YEAR}"))
    assert plans[0]["status"] == "SELESAI"

    unit = ok(login("kabid").get(f"{API}/unit/{cast.seksi.pk}/jp?year={YEAR}&below_only=true"))
    assert {r["name"] for r in unit} == {"Agus Salim", "Dewi Lestari", "Bambang Pamungkas"}
    assert next(r for r in unit if r["pegawai_id"] == cast.staf_a.pk)["shortfall"] == "12.0"


def test_coaching_notes_are_404_for_peers_auditors_and_other_units(
    cast: Cast, login: Login
) -> None:
    plan = approved_skp(cast, "staf_a")
    kasus = Kasus.objects.create(
        instansi=cast.kab,
        pegawai=cast.staf_a,
        rater=cast.kasi,
        skp=plan.skp,
        unit_path=plan.skp.unit_path,
        year=YEAR,
        period=1,
        reason="PROGRES_RENDAH",
    )
    sesi = ok(
        post(
            login("kasi"),
            f"{API}/sesi",
            {
                "pegawai_id": cast.staf_a.pk,
                "kasus_id": kasus.pk,
                "method": "MENTORING",
                "date": f"{YEAR}-04-15",
                "notes": "Rahasia",
            },
        ),
        201,
    )
    for who in ("staf_b", "auditor", "kapus", "outsider"):
        client = login(who)
        error(client.get(f"{API}/sesi/{sesi['id']}"), 404, "not_found")
        error(client.get(f"{API}/kasus/{kasus.pk}"), 404, "not_found")
        assert ok(client.get(f"{API}/sesi")) == [] and ok(client.get(f"{API}/kasus")) == []
    for who in ("staf_a", "kasi", "kabid", "kadis", "admin"):
        assert ok(login(who).get(f"{API}/sesi/{sesi['id']}"))["notes"] == "Rahasia", who


def test_refusals_answer_with_the_shared_error_shape(cast: Cast, login: Login) -> None:
    plan = approved_skp(cast, "staf_a")
    kasus = Kasus.objects.create(
        instansi=cast.kab,
        pegawai=cast.staf_a,
        rater=cast.kasi,
        skp=plan.skp,
        unit_path=plan.skp.unit_path,
        year=YEAR,
        period=1,
        reason="PROGRES_RENDAH",
    )
    staf = login("staf_a")
    error(
        post(
            staf,
            f"{API}/sesi",
            {
                "pegawai_id": cast.staf_a.pk,
                "method": "COACHING",
                "date": f"{YEAR}-04-15",
                "notes": "x",
            },
        ),
        403,
        "forbidden",
    )
    kasi = login("kasi")
    bad = error(
        post(
            kasi,
            f"{API}/sesi",
            {
                "pegawai_id": cast.staf_a.pk,
                "kasus_id": kasus.pk,
                "method": "CERAMAH",
                "date": f"{YEAR}-04-15",
                "notes": "x",
            },
        ),
        400,
        "invalid",
    )
    assert "metode" in bad["detail"]
    error(
        post(
            kasi,
            f"{API}/sesi",
            {
                "pegawai_id": cast.staf_a.pk,
                "extra": 1,
                "method": "X",
                "date": f"{YEAR}-04-15",
                "notes": "x",
            },
        ),
        422,
        "invalid",
    )
    error(
        post(kasi, f"{API}/instansi/{cast.kab.pk}/pindai", {"year": YEAR, "period": 1}),
        403,
        "forbidden",
    )
    error(
        post(kasi, f"{API}/pelatihan", {"name": "X", "jp": "2", "mode": "KLASIKAL"}),
        403,
        "forbidden",
    )
    error(kasi.get(f"{API}/tindak-lanjut"), 403, "forbidden")
    error(login("staf_b").get(f"{API}/pegawai/{cast.staf_a.pk}/jp?year={YEAR}"), 404, "not_found")
    error(login("staf_b").get(f"{API}/unit/{cast.seksi.pk}/jp?year={YEAR}"), 404, "not_found")
    error(
        login("outsider").get(f"{API}/unit/{cast.seksi.pk}/penghargaan?year={YEAR}"),
        404,
        "not_found",
    )
    assert Client().get(f"{API}/kasus").status_code == 401


def test_follow_up_records_through_the_api(cast: Cast, login: Login) -> None:
    plan = approved_skp(cast, "staf_b")
    realisasi(cast, plan, 1, "1")
    low = evaluation(cast, "staf_b", 1, "DI_BAWAH", "DI_BAWAH", finalize=True)
    body = {"evaluasi_id": low.pk, "action": "Pembinaan disiplin dibahas", "date": f"{YEAR}-05-02"}
    error(post(login("auditor"), f"{API}/tindak-lanjut", body), 403, "forbidden")
    made = ok(post(login("admin"), f"{API}/tindak-lanjut", body), 201)
    assert made["predikat"] == "SANGAT_KURANG"
    assert [r["id"] for r in ok(login("auditor").get(f"{API}/tindak-lanjut"))] == [made["id"]]


def test_penghargaan_candidates_per_unit(cast: Cast, login: Login) -> None:
    for who, hasil in (("staf_a", "DI_ATAS"), ("staf_b", "SESUAI")):
        plan = approved_skp(cast, who)
        realisasi(cast, plan, 1, "6")
        evaluation(cast, who, 1, hasil, "DI_ATAS", finalize=True)
    rows = ok(login("kabid").get(f"{API}/unit/{cast.seksi.pk}/penghargaan?year={YEAR}"))
    assert [(r["name"], r["reasons"]) for r in rows] == [("Dewi Lestari", ["SANGAT_BAIK"])]


def test_openapi_lists_the_endpoints(client: Client) -> None:
    paths = json.loads(client.get("/api/v1/openapi.json").content)["paths"]
    for path in (
        "/api/v1/pengembangan/kasus",
        "/api/v1/pengembangan/sesi/{sesi_id}/b18",
        "/api/v1/pengembangan/jp",
        "/api/v1/pengembangan/unit/{unit_id}/penghargaan",
    ):
        assert path in paths


def test_a_superadmin_naming_an_instansi_that_does_not_exist_is_404(
    cast: Cast, login: Login
) -> None:
    superadmin = login("superadmin")
    body = {"name": "Manajemen waktu", "jp": "8", "mode": "E_LEARNING"}
    missing = post(superadmin, f"{API}/pelatihan?instansi_id=987654", body)
    detail = error(missing, 404, "not_found")["detail"]
    assert detail == "Instansi dengan id 987654 tidak ditemukan."
    made = ok(post(superadmin, f"{API}/pelatihan?instansi_id={cast.kota.pk}", body), 201)
    assert made["name"] == "Manajemen waktu"
