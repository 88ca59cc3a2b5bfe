"""The SKP JSON API (/api/v1/): creating, listing and reading SKPs, and the performance year.

Stories use the named cast from kinerja/org/testing.py: kasi rates staf_a and staf_b, kabid
rates kasi, the outsider works in another instansi.
"""

from __future__ import annotations

from typing import Any

import pytest

from kinerja.org.testing import Cast
from kinerja.plans import services
from kinerja.plans.models import Skp, TahunKinerja

from .api_helpers import API, IKI, YEAR, Login, Plan, assert_error, get, ok, post, put, send

# --- SKP: create, list, detail ------------------------------------------------------------


def test_create_for_another_pegawai_is_refused_but_admin_may(cast: Cast, login: Login) -> None:
    data = assert_error(
        post(login("staf_a"), "/skp", {"pegawai_id": cast.staf_b.pk, "year": YEAR}),
        403,
        "forbidden",
    )
    assert "pegawai yang bersangkutan" in data["detail"]
    created = ok(
        post(
            login("admin"),
            "/skp",
            {"pegawai_id": cast.staf_b.pk, "year": YEAR, "pendekatan": "KUALITATIF"},
        ),
        201,
    )
    assert (created["pegawai"]["id"], created["pendekatan"]) == (cast.staf_b.pk, "KUALITATIF")
    assert created["jabatan"] == {"id": cast.j_staf.pk, "name": cast.j_staf.name}


def test_create_refusals(cast: Cast, login: Login, plan: Plan) -> None:
    admin = login("admin")
    data = assert_error(post(admin, "/skp", {"year": YEAR}), 400, "invalid")
    assert data["errors"] == [{"field": "pegawai_id", "message": data["detail"]}]
    duplicate = post(admin, "/skp", {"pegawai_id": cast.staf_a.pk, "year": YEAR})
    assert_error(duplicate, 409, "conflict")
    far = post(admin, "/skp", {"pegawai_id": cast.staf_b.pk, "year": YEAR + 5})
    assert assert_error(far, 400, "invalid")["errors"][0]["field"] == "year"
    assert_error(
        post(admin, "/skp", {"pegawai_id": cast.outsider.pk, "year": YEAR}), 404, "not_found"
    )
    bad = post(admin, "/skp", {"pegawai_id": cast.staf_b.pk, "year": YEAR, "pendekatan": "X"})
    assert assert_error(bad, 422, "invalid")["errors"][0]["field"] == "pendekatan"
    assert_error(post(admin, "/skp", {"year": YEAR, "extra": 1}), 422, "invalid")


def test_list_scopes_and_pagination(cast: Cast, login: Login, plan: Plan) -> None:
    staf_b = cast.user("staf_b")
    services.skp_create(by=staf_b, pegawai=cast.staf_b, year=YEAR)
    kasi = login("kasi")
    assert [s["pegawai"]["id"] for s in ok(get(kasi, "/skp"))["items"]] == [cast.kasi.pk]
    team = ok(get(kasi, "/skp?scope=team"))["items"]
    assert {s["pegawai"]["id"] for s in team} == {cast.staf_a.pk, cast.staf_b.pk}
    assert ok(get(kasi, f"/skp?scope=team&year={YEAR - 1}"))["items"] == []
    admin = login("admin")
    assert ok(get(admin, "/skp"))["items"] == []  # no pegawai: nothing of its own
    first = ok(get(admin, "/skp?scope=all&page_size=2"))
    assert (len(first["items"]), first["page"], first["has_next"]) == (2, 1, True)
    second = ok(get(admin, "/skp?scope=all&page_size=2&page=2"))
    assert (len(second["items"]), second["has_next"]) == (1, False)
    seen = {s["id"] for s in first["items"] + second["items"]}
    assert seen == set(Skp.objects.values_list("id", flat=True))
    assert ok(get(login("outsider"), "/skp?scope=all"))["items"] == []
    assert ok(get(login("staf_b"), "/skp?scope=all"))["items"][0]["pegawai"]["id"] == (
        cast.staf_b.pk
    )
    for bad in ("scope=semua", "page=0", "page_size=101", "year=1999"):
        assert_error(get(admin, f"/skp?{bad}"), 422, "invalid")


def test_list_query_count_does_not_grow(
    cast: Cast, login: Login, plan: Plan, django_assert_max_num_queries: Any
) -> None:
    admin = login("admin")
    admin.get(f"{API}/me")  # session and access facts warmed up
    with django_assert_max_num_queries(8):
        assert len(ok(get(admin, "/skp?scope=all"))["items"]) == 2


def test_detail_shape(cast: Cast, login: Login, plan: Plan) -> None:
    services.ekspektasi_set(
        by=cast.user("kasi"), skp=plan.staf_skp, core_value=3, text="Mengikuti pelatihan"
    )
    services.lampiran_add(
        by=cast.user("staf_a"), skp=plan.staf_skp, kind="KONSEKUENSI", text="Teguran"
    )
    services.rhk_save(
        by=cast.user("staf_a"), skp=plan.staf_skp, jenis="TAMBAHAN", text="Tim SKM", source="SK"
    )
    data = ok(get(login("staf_a"), f"/skp/{plan.staf_skp.pk}"))
    assert data["identity"] == {
        "name": cast.staf_a.display_name,
        "nip": cast.staf_a.nip,
        "pangkat": "Penata (III/c)",
        "jabatan": cast.j_staf.name,
        "unit": cast.seksi.name,
    }
    assert data["rater"]["nip"] == cast.kasi.nip
    assert data["instansi_name"] == cast.kab.name
    assert (data["status"], data["is_jpt"], data["editable"]) == ("DRAFT", False, True)
    assert (data["can_edit"], data["can_rate"]) == (True, False)
    [utama] = data["utama"]
    assert utama["parent"] == {
        "id": plan.kasi_rhk.pk,
        "text": "Layanan primer",
        "owner": cast.kasi.display_name,
    }
    [iki] = utama["ikis"]
    assert iki == {
        "id": plan.iki.pk,
        "rhk_id": plan.staf_rhk.pk,
        "text": "Jumlah posyandu terlaksana",
        "aspek": "KUANTITAS",
        "target_value": "12.00",
        "target_unit": "kegiatan",
        "target_narrative": "",
        "target_display": "12 kegiatan",
        "baseline": None,
        "direction": "NAIK",
        "perspektif": "",
        "order": 1,
    }
    [tambahan] = data["tambahan"]
    assert (tambahan["number"], tambahan["source"], tambahan["parent"]) == (1, "SK", None)
    perilaku = data["perilaku"]
    assert [p["code"] for p in perilaku] == [1, 2, 3, 4, 5, 6, 7]
    assert all(len(p["guides"]) == 3 for p in perilaku)
    assert perilaku[0]["name"] == "Berorientasi Pelayanan"
    assert [p["ekspektasi"] for p in perilaku if p["ekspektasi"]] == ["Mengikuti pelatihan"]
    assert set(data["lampiran"]) == {
        "DUKUNGAN_SUMBER_DAYA",
        "SKEMA_PERTANGGUNGJAWABAN",
        "KONSEKUENSI",
    }
    [lamp] = data["lampiran"]["KONSEKUENSI"]
    assert (lamp["text"], lamp["order"]) == ("Teguran", 1)
    assert data["versions"] == [
        {"id": plan.staf_skp.pk, "version": 1, "status": "DRAFT", "is_current": True}
    ]
    [problem] = data["problems"]
    assert problem == services.skp_problems(plan.staf_skp)[0]
    assert "Tambahan 1 belum memiliki Indikator Kinerja Individu" in problem
    assert ok(get(login("kasi"), f"/skp/{plan.staf_skp.pk}"))["can_rate"] is True


@pytest.mark.parametrize("reader", ["kasi", "kabid", "kadis", "admin", "auditor", "superadmin"])
def test_who_may_read_a_staf_skp(cast: Cast, login: Login, plan: Plan, reader: str) -> None:
    assert ok(get(login(reader), f"/skp/{plan.staf_skp.pk}"))["id"] == plan.staf_skp.pk


@pytest.mark.parametrize("stranger", ["staf_b", "kapus", "perawat", "outsider"])
def test_peers_and_strangers_get_404(cast: Cast, login: Login, plan: Plan, stranger: str) -> None:
    data = assert_error(get(login(stranger), f"/skp/{plan.staf_skp.pk}"), 404, "not_found")
    assert str(plan.staf_skp.pk) in data["detail"]


def test_detail_query_count(
    cast: Cast, login: Login, plan: Plan, django_assert_max_num_queries: Any
) -> None:
    staf = cast.user("staf_a")
    for n in range(3):  # more rows must not mean more queries
        rhk = services.rhk_save(by=staf, skp=plan.staf_skp, jenis="TAMBAHAN", text=f"T{n}")
        services.iki_save(by=staf, rhk=rhk, values=IKI)
        services.lampiran_add(by=staf, skp=plan.staf_skp, kind="KONSEKUENSI", text=f"K{n}")
    client = login("staf_a")
    client.get(f"{API}/me")
    with django_assert_max_num_queries(18):
        ok(get(client, f"/skp/{plan.staf_skp.pk}"))


# --- performance year ---------------------------------------------------------------------


def test_tahun_kinerja_cadence_and_periods(cast: Cast, login: Login) -> None:
    staf = login("staf_a")
    default = ok(get(staf, f"/tahun-kinerja/{cast.kab.pk}/{YEAR}/periode"))
    assert default["cadence"] == "TRIWULANAN"
    assert [p["label"] for p in default["periods"]] == [
        "TRIWULAN I",
        "TRIWULAN II",
        "TRIWULAN III",
        "TRIWULAN IV-AKHIR",
    ]
    assert default["periods"][0]["start"] == f"{YEAR}-01-01"
    assert default["periods"][-1]["end"] == f"{YEAR}-12-31"
    path = f"/tahun-kinerja/{cast.kab.pk}/{YEAR}"
    assert_error(put(staf, path, {"cadence": "BULANAN"}), 403, "forbidden")
    admin = login("admin")
    saved = ok(put(admin, path, {"cadence": "BULANAN"}))
    assert (saved["cadence"], len(saved["periods"])) == ("BULANAN", 12)
    assert saved["periods"][1] == {
        "number": 2,
        "label": "FEBRUARI",
        "start": f"{YEAR}-02-01",
        "end": saved["periods"][1]["end"],
    }
    assert TahunKinerja.objects.get(instansi=cast.kab, year=YEAR).cadence == "BULANAN"
    assert len(ok(get(staf, f"{path}/periode"))["periods"]) == 12
    assert_error(put(admin, path, {"cadence": "MINGGUAN"}), 422, "invalid")
    assert_error(
        put(admin, f"/tahun-kinerja/{cast.kab.pk}/1800", {"cadence": "BULANAN"}), 422, "invalid"
    )
    kota = f"/tahun-kinerja/{cast.kota.pk}/{YEAR}"
    assert_error(put(admin, kota, {"cadence": "BULANAN"}), 404, "not_found")
    assert_error(get(admin, f"{kota}/periode"), 404, "not_found")


def test_refusals_speak_english_when_asked(cast: Cast, login: Login) -> None:
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    other = {"pegawai_id": cast.staf_b.pk, "year": YEAR}
    refused = assert_error(post(login("staf_a"), "/skp", other, **english), 403, "forbidden")
    assert refused["detail"] == "An SKP can only be made by the employee concerned or an admin."
    admin = login("admin")
    far = post(admin, "/skp", {**other, "year": YEAR + 5}, **english)
    assert assert_error(far, 400, "invalid")["errors"] == [
        {"field": "year", "message": f"The SKP year must be between {YEAR - 1} and {YEAR + 1}."}
    ]
    missing = assert_error(send(admin, "get", "/skp/999999", **english), 404, "not_found")
    assert missing["detail"] == "SKP with id 999999 not found."
    indonesian = assert_error(post(login("staf_a"), "/skp", other), 403, "forbidden")
    assert indonesian["detail"] == (
        "SKP hanya dapat dibuat oleh pegawai yang bersangkutan atau admin."
    )
