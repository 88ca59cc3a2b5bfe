"""The SKP JSON API (/api/v1/): the whole planning workflow, every refusal with its status and
error body, isolation, token auth, the OpenAPI schema, pohon kinerja and the status board.

Stories use the named cast from kinerja/org/testing.py: kasi rates staf_a and staf_b, kabid
rates kasi, the outsider works in another instansi.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kinerja.accounts.services import api_token_create
from kinerja.org.testing import Cast
from kinerja.plans import services
from kinerja.plans.api import router as skp_router
from kinerja.plans.api_items import router as items_router
from kinerja.plans.models import Iki, Lampiran, Rhk, Skp, StatusSkp, TahunKinerja

API = "/api/v1"
Login = Callable[[str], Client]
YEAR = timezone.localdate().year


def body(response: Any) -> Any:
    return json.loads(response.content)


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return body(response) if response.content else None


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """Every error has the shape {"detail": str, "code": str, "errors": [...]}."""
    assert response.status_code == status, response.content
    data: dict[str, Any] = body(response)
    assert set(data) == {"detail", "code", "errors"}
    assert isinstance(data["detail"], str)
    assert data["detail"]
    assert data["code"] == code
    assert isinstance(data["errors"], list)
    return data


def send(client: Client, method: str, path: str, payload: Any = None, **extra: Any) -> Any:
    call = getattr(client, method)
    if payload is None:
        return call(f"{API}{path}", **extra)
    return call(f"{API}{path}", data=json.dumps(payload), content_type="application/json", **extra)


def post(client: Client, path: str, payload: Any = None, **extra: Any) -> Any:
    return send(client, "post", path, {} if payload is None else payload, **extra)


def patch(client: Client, path: str, payload: Any) -> Any:
    return send(client, "patch", path, payload)


def put(client: Client, path: str, payload: Any) -> Any:
    return send(client, "put", path, payload)


def delete(client: Client, path: str) -> Any:
    return send(client, "delete", path)


def get(client: Client, path: str) -> Any:
    return send(client, "get", path)


IKI = {
    "text": "Jumlah posyandu terlaksana",
    "aspek": "KUANTITAS",
    "target_value": "12",
    "target_unit": "kegiatan",
}


# --- the whole workflow through the API ---------------------------------------------------


def test_the_whole_planning_workflow(cast: Cast, login: Login) -> None:
    kasi = login("kasi")
    kasi_skp = ok(post(kasi, "/skp", {"year": YEAR}), 201)
    assert kasi_skp["pegawai"]["id"] == cast.kasi.pk
    assert (kasi_skp["status"], kasi_skp["version"], kasi_skp["rater_id"]) == (
        "DRAFT",
        1,
        cast.kabid.pk,
    )
    kasi_rhk = ok(
        post(
            kasi,
            f"/skp/{kasi_skp['id']}/rhk",
            {"jenis": "UTAMA", "text": "Meningkatnya cakupan layanan primer"},
        ),
        201,
    )
    assert (kasi_rhk["number"], kasi_rhk["parent"], kasi_rhk["ikis"]) == (1, None, [])

    [child] = ok(
        post(
            kasi,
            f"/rhk/{kasi_rhk['id']}/cascade",
            {"assignments": [{"pegawai_id": cast.staf_a.pk, "text": "Terlaksananya posyandu"}]},
        ),
        201,
    )
    assert child["pegawai_id"] == cast.staf_a.pk
    assert child["text"] == "Terlaksananya posyandu"
    skp_id = child["skp_id"]

    staf = login("staf_a")
    [mine] = ok(get(staf, f"/skp?scope=mine&year={YEAR}"))["items"]
    assert (mine["id"], mine["rater_id"]) == (skp_id, cast.kasi.pk)
    iki = ok(post(staf, f"/rhk/{child['id']}/iki", IKI), 201)
    assert iki["target_display"] == "12 kegiatan"
    assert iki["target_value"] == "12.00"
    assert ok(post(staf, f"/skp/{skp_id}/submit"))["status"] == "DIAJUKAN"

    kasi = login("kasi")
    [team] = ok(get(kasi, f"/skp?scope=team&year={YEAR}"))["items"]
    assert team["id"] == skp_id
    returned = ok(post(kasi, f"/skp/{skp_id}/return", {"note": "Tambahkan aspek waktu"}))
    assert returned["status"] == "DIKEMBALIKAN"

    staf = login("staf_a")
    detail = ok(get(staf, f"/skp/{skp_id}"))
    assert detail["return_note"] == "Tambahkan aspek waktu"
    assert detail["can_edit"] is True
    ok(
        post(
            staf,
            f"/rhk/{child['id']}/iki",
            {"text": "Waktu pelaksanaan", "aspek": "WAKTU", "target_value": 12,
             "target_unit": "bulan"},
        ),
        201,
    )  # fmt: skip
    assert ok(post(staf, f"/skp/{skp_id}/submit"))["status"] == "DIAJUKAN"

    kasi = login("kasi")
    assert ok(post(kasi, f"/skp/{skp_id}/approve"))["status"] == "DISETUJUI"

    staf = login("staf_a")
    revised = ok(post(staf, f"/skp/{skp_id}/revise"), 201)
    assert (revised["version"], revised["status"], revised["is_current"]) == (2, "DRAFT", True)
    assert revised["id"] != skp_id

    old = ok(get(staf, f"/skp/{skp_id}"))
    assert (old["version"], old["status"], old["is_current"]) == (1, "DISETUJUI", False)
    assert old["can_edit"] is False
    assert [len(r["ikis"]) for r in old["utama"]] == [2]
    assert [(v["id"], v["version"], v["is_current"]) for v in old["versions"]] == [
        (revised["id"], 2, True),
        (skp_id, 1, False),
    ]
    new = ok(get(staf, f"/skp/{revised['id']}"))
    [copied] = new["utama"]
    assert copied["parent"] == {
        "id": kasi_rhk["id"],
        "text": "Meningkatnya cakupan layanan primer",
        "owner": cast.kasi.display_name,
    }
    assert [i["text"] for i in copied["ikis"]] == [
        "Jumlah posyandu terlaksana",
        "Waktu pelaksanaan",
    ]
    mine = ok(get(staf, "/skp?scope=mine"))["items"]
    assert [(s["version"], s["is_current"]) for s in mine] == [(2, True), (1, False)]


# --- state for the refusal stories --------------------------------------------------------


@dataclass
class Plan:
    kasi_skp: Skp
    kasi_rhk: Rhk
    staf_skp: Skp
    staf_rhk: Rhk
    iki: Iki


@pytest.fixture
def plan(cast: Cast) -> Plan:
    """kasi's draft SKP with one RHK cascaded to staf_a, who added one IKI (still a draft)."""
    kasi = cast.user("kasi")
    kasi_skp = services.skp_create(by=kasi, pegawai=cast.kasi, year=YEAR)
    kasi_rhk = services.rhk_save(by=kasi, skp=kasi_skp, jenis="UTAMA", text="Layanan primer")
    [child] = services.rhk_cascade(by=kasi, rhk=kasi_rhk, assignments=[(cast.staf_a, "")])
    iki = services.iki_save(by=cast.user("staf_a"), rhk=child, values=IKI)
    return Plan(kasi_skp, kasi_rhk, child.skp, child, iki)


def submitted(cast: Cast, plan: Plan) -> Skp:
    return services.skp_submit(by=cast.user("staf_a"), skp=plan.staf_skp)


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
    assert assert_error(bad, 422, "invalid")["errors"][0]["field"] == "payload.pendekatan"
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


# --- workflow refusals --------------------------------------------------------------------


def test_submit_incomplete_lists_the_problems(cast: Cast, login: Login) -> None:
    skp = services.skp_create(by=cast.user("staf_b"), pegawai=cast.staf_b, year=YEAR)
    data = assert_error(post(login("staf_b"), f"/skp/{skp.pk}/submit"), 400, "invalid")
    assert data["detail"].startswith("SKP belum lengkap:")
    assert "minimal satu Rencana Hasil Kerja Utama" in data["detail"]
    services.rhk_save(by=cast.user("staf_b"), skp=skp, jenis="UTAMA", text="Lepas")
    data = assert_error(post(login("staf_b"), f"/skp/{skp.pk}/submit"), 400, "invalid")
    problems = services.skp_problems(skp)
    assert len(problems) == 2
    assert "1 belum memiliki Indikator Kinerja Individu." in problems[0]
    assert "harus dikaitkan dengan Rencana Hasil Kerja pimpinan" in problems[1]
    assert data["detail"] == "SKP belum lengkap: " + " ".join(problems)
    assert ok(get(login("staf_b"), f"/skp/{skp.pk}"))["problems"] == problems
    assert Skp.objects.get(pk=skp.pk).status == StatusSkp.DRAFT


def test_return_needs_a_note(cast: Cast, login: Login, plan: Plan) -> None:
    submitted(cast, plan)
    kasi = login("kasi")
    missing = assert_error(post(kasi, f"/skp/{plan.staf_skp.pk}/return", {}), 422, "invalid")
    assert missing["errors"][0]["field"] == "payload.note"
    blank = post(kasi, f"/skp/{plan.staf_skp.pk}/return", {"note": "   "})
    assert assert_error(blank, 400, "invalid")["errors"][0]["field"] == "note"
    assert Skp.objects.get(pk=plan.staf_skp.pk).status == StatusSkp.DIAJUKAN


@pytest.mark.parametrize("who", ["kabid", "kadis", "admin", "superadmin", "staf_a"])
def test_approve_or_return_by_a_non_rater_is_403(
    cast: Cast, login: Login, plan: Plan, who: str
) -> None:
    submitted(cast, plan)
    client = login(who)
    data = assert_error(post(client, f"/skp/{plan.staf_skp.pk}/approve"), 403, "forbidden")
    assert "Pejabat Penilai Kinerja" in data["detail"]
    assert_error(post(client, f"/skp/{plan.staf_skp.pk}/return", {"note": "x"}), 403, "forbidden")
    assert Skp.objects.get(pk=plan.staf_skp.pk).status == StatusSkp.DIAJUKAN


def test_approve_a_draft_is_409(cast: Cast, login: Login, plan: Plan) -> None:
    data = assert_error(post(login("kasi"), f"/skp/{plan.staf_skp.pk}/approve"), 409, "conflict")
    assert data["detail"] == "SKP yang draf tidak dapat disetujui."


def test_edits_after_submit_are_409(cast: Cast, login: Login, plan: Plan) -> None:
    submitted(cast, plan)
    staf = login("staf_a")
    skp, rhk, iki = plan.staf_skp.pk, plan.staf_rhk.pk, plan.iki.pk
    attempts = [
        patch(staf, f"/skp/{skp}", {"pendekatan": "KUALITATIF"}),
        post(staf, f"/skp/{skp}/rhk", {"jenis": "TAMBAHAN", "text": "Baru"}),
        patch(staf, f"/rhk/{rhk}", {"text": "Diubah"}),
        delete(staf, f"/rhk/{rhk}"),
        post(staf, f"/rhk/{rhk}/iki", IKI),
        patch(staf, f"/iki/{iki}", {"target_value": 20}),
        delete(staf, f"/iki/{iki}"),
        post(staf, f"/skp/{skp}/lampiran", {"kind": "KONSEKUENSI", "text": "x"}),
        post(staf, f"/skp/{skp}/submit"),
        post(staf, f"/skp/{skp}/revise"),
    ]
    for response in attempts:
        assert_error(response, 409, "conflict")
    assert Iki.objects.get(pk=iki).target_value == 12
    assert Rhk.objects.filter(skp_id=skp).count() == 1


def test_owner_only_writes_are_403_for_readers(cast: Cast, login: Login, plan: Plan) -> None:
    kasi = login("kasi")  # may read staf_a's SKP (the rater) but not change it
    skp, rhk = plan.staf_skp.pk, plan.staf_rhk.pk
    for response in [
        patch(kasi, f"/skp/{skp}", {"pendekatan": "KUALITATIF"}),
        post(kasi, f"/skp/{skp}/rhk", {"jenis": "TAMBAHAN", "text": "Baru"}),
        patch(kasi, f"/rhk/{rhk}", {"text": "Diubah"}),
        post(kasi, f"/rhk/{rhk}/iki", IKI),
        delete(kasi, f"/iki/{plan.iki.pk}"),
        post(kasi, f"/skp/{skp}/submit"),
        post(kasi, f"/rhk/{rhk}/cascade", {"assignments": [{"pegawai_id": cast.staf_b.pk}]}),
    ]:
        assert_error(response, 403, "forbidden")


def test_revise_only_an_approved_current_version(cast: Cast, login: Login, plan: Plan) -> None:
    data = assert_error(post(login("staf_a"), f"/skp/{plan.staf_skp.pk}/revise"), 409, "conflict")
    assert "sudah disetujui" in data["detail"]


# --- RHK, IKI and their links -------------------------------------------------------------


def test_rhk_edit_link_and_delete(cast: Cast, login: Login, plan: Plan) -> None:
    staf = login("staf_a")
    rhk = plan.staf_rhk.pk
    changed = ok(patch(staf, f"/rhk/{rhk}", {"text": "Posyandu balita"}))
    assert (changed["text"], changed["parent"]["id"]) == ("Posyandu balita", plan.kasi_rhk.pk)
    unlinked = ok(patch(staf, f"/rhk/{rhk}", {"parent_id": None}))
    assert (unlinked["text"], unlinked["parent"]) == ("Posyandu balita", None)
    linked = ok(patch(staf, f"/rhk/{rhk}", {"parent_id": plan.kasi_rhk.pk, "jenis": "UTAMA"}))
    assert linked["parent"]["owner"] == cast.kasi.display_name
    extra = ok(
        post(
            staf,
            f"/skp/{plan.staf_skp.pk}/rhk",
            {"jenis": "TAMBAHAN", "text": "Tim SKM", "source": "SK Kadis 12/2026"},
        ),
        201,
    )
    assert (extra["number"], extra["order"], extra["source"]) == (1, 2, "SK Kadis 12/2026")
    assert ok(delete(staf, f"/rhk/{extra['id']}"), 204) is None
    assert not Rhk.objects.filter(pk=extra["id"]).exists()
    bad = post(staf, f"/skp/{plan.staf_skp.pk}/rhk", {"jenis": "LAIN", "text": "x"})
    assert_error(bad, 422, "invalid")
    blank = post(staf, f"/skp/{plan.staf_skp.pk}/rhk", {"jenis": "UTAMA", "text": " "})
    assert assert_error(blank, 400, "invalid")["errors"][0]["field"] == "text"


def test_linkable_rhk_are_the_raters_current_ones(cast: Cast, login: Login, plan: Plan) -> None:
    other = services.rhk_save(
        by=cast.user("kasi"), skp=plan.kasi_skp, jenis="TAMBAHAN", text="Tambahan kasi"
    )
    found = ok(get(login("staf_a"), f"/skp/{plan.staf_skp.pk}/linkable-rhk"))
    assert [(r["id"], r["jenis"]) for r in found] == [
        (other.pk, "TAMBAHAN"),
        (plan.kasi_rhk.pk, "UTAMA"),
    ]
    assert_error(get(login("outsider"), f"/skp/{plan.staf_skp.pk}/linkable-rhk"), 404, "not_found")


def test_link_to_an_rhk_that_is_not_the_raters_is_400(cast: Cast, login: Login, plan: Plan) -> None:
    # kasi's rater is kabid: staf_a's RHK (which kasi may read) is no RHK to intervene.
    response = patch(login("kasi"), f"/rhk/{plan.kasi_rhk.pk}", {"parent_id": plan.staf_rhk.pk})
    data = assert_error(response, 400, "invalid")
    assert data["errors"] == [{"field": "parent", "message": data["detail"]}]
    own = post(
        login("staf_a"),
        f"/skp/{plan.staf_skp.pk}/rhk",
        {"jenis": "UTAMA", "text": "x", "parent_id": plan.staf_rhk.pk},
    )
    assert "Pejabat Penilai Kinerja" in assert_error(own, 400, "invalid")["detail"]
    # An RHK the caller may not read at all stays hidden.
    kabid_skp = services.skp_create(by=cast.user("kabid"), pegawai=cast.kabid, year=YEAR)
    kabid_rhk = services.rhk_save(by=cast.user("kabid"), skp=kabid_skp, jenis="UTAMA", text="y")
    hidden = patch(login("staf_a"), f"/rhk/{plan.staf_rhk.pk}", {"parent_id": kabid_rhk.pk})
    assert_error(hidden, 404, "not_found")
    assert Rhk.objects.get(pk=plan.staf_rhk.pk).parent_id == plan.kasi_rhk.pk


def test_link_to_another_year_is_400(cast: Cast, login: Login, plan: Plan) -> None:
    kasi = cast.user("kasi")
    last_year = services.skp_create(by=kasi, pegawai=cast.kasi, year=YEAR - 1)
    old_rhk = services.rhk_save(by=kasi, skp=last_year, jenis="UTAMA", text="Tahun lalu")
    response = patch(login("staf_a"), f"/rhk/{plan.staf_rhk.pk}", {"parent_id": old_rhk.pk})
    data = assert_error(response, 400, "invalid")
    assert f"tahun {YEAR}, bukan tahun {YEAR - 1}" in data["detail"]


def test_iki_edit_and_delete(cast: Cast, login: Login, plan: Plan) -> None:
    staf = login("staf_a")
    changed = ok(patch(staf, f"/iki/{plan.iki.pk}", {"target_value": 12.5, "baseline": "3"}))
    assert (changed["target_value"], changed["baseline"]) == ("12.50", "3.00")
    assert changed["target_display"] == "12,5 kegiatan"
    assert changed["text"] == "Jumlah posyandu terlaksana"  # unsent fields stay
    cleared = ok(patch(staf, f"/iki/{plan.iki.pk}", {"baseline": None}))
    assert cleared["baseline"] is None
    narrative = ok(
        post(
            staf,
            f"/rhk/{plan.staf_rhk.pk}/iki",
            {"text": "Kualitas layanan", "target_narrative": "Tanpa keluhan", "direction": "TURUN"},
        ),
        201,
    )
    assert (narrative["target_display"], narrative["order"]) == ("Tanpa keluhan", 2)
    assert ok(delete(staf, f"/iki/{narrative['id']}"), 204) is None
    blank = patch(staf, f"/iki/{plan.iki.pk}", {"text": ""})
    assert assert_error(blank, 400, "invalid")["errors"][0]["field"] == "text"
    for wrong in ({"aspek": "MUTU"}, {"target_value": "banyak"}, {"target_value": 1.234}):
        assert_error(patch(staf, f"/iki/{plan.iki.pk}", wrong), 422, "invalid")
    assert_error(post(staf, f"/rhk/{plan.staf_rhk.pk}/iki", {"aspek": "WAKTU"}), 422, "invalid")


def test_delete_an_rhk_that_was_cascaded_is_409(cast: Cast, login: Login, plan: Plan) -> None:
    data = assert_error(delete(login("kasi"), f"/rhk/{plan.kasi_rhk.pk}"), 409, "conflict")
    assert "diturunkan ke bawahan" in data["detail"]


# --- cascading ----------------------------------------------------------------------------


def test_cascade_creates_the_missing_skp(cast: Cast, login: Login, plan: Plan) -> None:
    created = ok(
        post(
            login("kasi"),
            f"/rhk/{plan.kasi_rhk.pk}/cascade",
            {"assignments": [{"pegawai_id": cast.staf_b.pk}]},
        ),
        201,
    )
    [row] = created
    skp = Skp.objects.get(pk=row["skp_id"])
    assert (skp.pegawai_id, skp.rater_id, row["text"]) == (
        cast.staf_b.pk,
        cast.kasi.pk,
        "Layanan primer",
    )
    assert set(row) == {"id", "skp_id", "pegawai_id", "text"}


def test_cascade_to_a_non_subordinate_is_400(cast: Cast, login: Login, plan: Plan) -> None:
    response = post(
        login("kasi"),
        f"/rhk/{plan.kasi_rhk.pk}/cascade",
        {"assignments": [{"pegawai_id": cast.staf_b.pk}, {"pegawai_id": cast.perawat.pk}]},
    )
    data = assert_error(response, 400, "invalid")
    assert data["errors"][0]["field"] == "assignments"
    assert cast.perawat.display_name in data["detail"]
    assert not Skp.objects.filter(pegawai=cast.staf_b).exists()  # all or nothing
    empty = post(login("kasi"), f"/rhk/{plan.kasi_rhk.pk}/cascade", {"assignments": []})
    assert_error(empty, 400, "invalid")
    stranger = post(
        login("kasi"),
        f"/rhk/{plan.kasi_rhk.pk}/cascade",
        {"assignments": [{"pegawai_id": cast.outsider.pk}]},
    )
    assert_error(stranger, 404, "not_found")


def test_cascade_into_a_submitted_skp_is_409(cast: Cast, login: Login, plan: Plan) -> None:
    submitted(cast, plan)
    response = post(
        login("kasi"),
        f"/rhk/{plan.kasi_rhk.pk}/cascade",
        {"assignments": [{"pegawai_id": cast.staf_a.pk, "text": "Tambahan"}]},
    )
    assert "Diajukan" in assert_error(response, 409, "conflict")["detail"]
    assert Rhk.objects.filter(skp=plan.staf_skp).count() == 1


# --- ekspektasi and lampiran --------------------------------------------------------------


def test_ekspektasi_by_the_rater(cast: Cast, login: Login, plan: Plan) -> None:
    kasi = login("kasi")
    path = f"/skp/{plan.staf_skp.pk}/ekspektasi/6"
    saved = ok(put(kasi, path, {"text": "Mengusulkan satu inovasi"}))
    assert saved == {
        "skp_id": plan.staf_skp.pk,
        "core_value": 6,
        "name": "Adaptif",
        "text": "Mengusulkan satu inovasi",
    }
    perilaku = ok(get(kasi, f"/skp/{plan.staf_skp.pk}"))["perilaku"]
    assert perilaku[5]["ekspektasi"] == "Mengusulkan satu inovasi"
    assert ok(put(kasi, path, {"text": ""}))["text"] == ""
    assert not plan.staf_skp.ekspektasi.exists()
    wrong = put(kasi, f"/skp/{plan.staf_skp.pk}/ekspektasi/8", {"text": "x"})
    assert assert_error(wrong, 400, "invalid")["errors"][0]["field"] == "core_value"
    assert_error(put(login("staf_a"), path, {"text": "Sendiri"}), 403, "forbidden")
    assert_error(put(login("outsider"), path, {"text": "x"}), 404, "not_found")


def test_ekspektasi_after_approval_is_409(cast: Cast, login: Login, plan: Plan) -> None:
    submitted(cast, plan)
    services.skp_approve(by=cast.user("kasi"), skp=plan.staf_skp)
    path = f"/skp/{plan.staf_skp.pk}/ekspektasi/1"
    assert_error(put(login("kasi"), path, {"text": "x"}), 409, "conflict")


def test_lampiran_add_and_delete(cast: Cast, login: Login, plan: Plan) -> None:
    staf = login("staf_a")
    path = f"/skp/{plan.staf_skp.pk}/lampiran"
    first = ok(post(staf, path, {"kind": "DUKUNGAN_SUMBER_DAYA", "text": "Laptop"}), 201)
    second = ok(post(staf, path, {"kind": "DUKUNGAN_SUMBER_DAYA", "text": "Kendaraan"}), 201)
    assert (first["order"], second["order"], second["kind"]) == (1, 2, "DUKUNGAN_SUMBER_DAYA")
    shown = ok(get(staf, f"/skp/{plan.staf_skp.pk}"))["lampiran"]["DUKUNGAN_SUMBER_DAYA"]
    assert [x["text"] for x in shown] == ["Laptop", "Kendaraan"]
    assert ok(delete(staf, f"/lampiran/{first['id']}"), 204) is None
    assert list(Lampiran.objects.values_list("text", flat=True)) == ["Kendaraan"]
    assert_error(post(staf, path, {"kind": "LAIN", "text": "x"}), 422, "invalid")
    assert_error(post(staf, path, {"kind": "KONSEKUENSI", "text": " "}), 400, "invalid")
    assert_error(delete(login("kasi"), f"/lampiran/{second['id']}"), 403, "forbidden")


# --- isolation ----------------------------------------------------------------------------


def test_outsider_gets_404_on_every_kab_skp_id(cast: Cast, login: Login, plan: Plan) -> None:
    lampiran = services.lampiran_add(
        by=cast.user("staf_a"), skp=plan.staf_skp, kind="KONSEKUENSI", text="Teguran"
    )
    client = login("outsider")
    before = Skp.objects.values_list("id", "status", "pendekatan").order_by("id")
    for skp in (plan.kasi_skp.pk, plan.staf_skp.pk):
        for response in [
            get(client, f"/skp/{skp}"),
            patch(client, f"/skp/{skp}", {"pendekatan": "KUALITATIF"}),
            post(client, f"/skp/{skp}/submit"),
            post(client, f"/skp/{skp}/return", {"note": "x"}),
            post(client, f"/skp/{skp}/approve"),
            post(client, f"/skp/{skp}/revise"),
            post(client, f"/skp/{skp}/rhk", {"jenis": "UTAMA", "text": "x"}),
            get(client, f"/skp/{skp}/linkable-rhk"),
            put(client, f"/skp/{skp}/ekspektasi/1", {"text": "x"}),
            post(client, f"/skp/{skp}/lampiran", {"kind": "KONSEKUENSI", "text": "x"}),
        ]:
            assert_error(response, 404, "not_found")
    for rhk in (plan.kasi_rhk.pk, plan.staf_rhk.pk):
        for response in [
            patch(client, f"/rhk/{rhk}", {"text": "x"}),
            delete(client, f"/rhk/{rhk}"),
            post(client, f"/rhk/{rhk}/iki", IKI),
            post(client, f"/rhk/{rhk}/cascade", {"assignments": [{"pegawai_id": 1}]}),
        ]:
            assert_error(response, 404, "not_found")
    for response in [
        patch(client, f"/iki/{plan.iki.pk}", {"text": "x"}),
        delete(client, f"/iki/{plan.iki.pk}"),
        delete(client, f"/lampiran/{lampiran.pk}"),
        get(client, "/skp/999999"),
        delete(client, "/rhk/999999"),
    ]:
        assert_error(response, 404, "not_found")
    assert list(before) == list(
        Skp.objects.values_list("id", "status", "pendekatan").order_by("id")
    )
    assert Lampiran.objects.filter(pk=lampiran.pk).exists()


def test_anonymous_gets_401(cast: Cast, client: Client, plan: Plan) -> None:
    assert_error(get(client, f"/skp/{plan.staf_skp.pk}"), 401, "unauthorized")
    assert_error(post(client, "/skp", {"year": YEAR}), 401, "unauthorized")


def test_token_auth_works(cast: Cast, plan: Plan) -> None:
    _token, raw = api_token_create(by=cast.user("staf_a"), name="aplikasi seluler")
    client = Client(enforce_csrf_checks=True)
    auth = {"headers": {"Authorization": f"Bearer {raw}"}}
    mine = send(client, "get", "/skp", **auth)
    assert [s["id"] for s in ok(mine)["items"]] == [plan.staf_skp.pk]
    lampiran = post(
        client,
        f"/skp/{plan.staf_skp.pk}/lampiran",
        {"kind": "KONSEKUENSI", "text": "Teguran"},
        **auth,
    )
    assert ok(lampiran, 201)["text"] == "Teguran"
    assert ok(post(client, f"/skp/{plan.staf_skp.pk}/submit", **auth))["status"] == "DIAJUKAN"


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


# --- pohon kinerja and status board -------------------------------------------------------


@pytest.fixture
def pohon_state(cast: Cast) -> dict[str, int]:
    """The cascade of test_workflow_smoke: one covered, one uncovered, one orphan RHK."""
    kasi = cast.user("kasi")
    kasi_skp = services.skp_create(by=kasi, pegawai=cast.kasi, year=YEAR)
    covered = services.rhk_save(by=kasi, skp=kasi_skp, jenis="UTAMA", text="Layanan primer")
    lonely = services.rhk_save(by=kasi, skp=kasi_skp, jenis="UTAMA", text="Belum diturunkan")
    [child] = services.rhk_cascade(by=kasi, rhk=covered, assignments=[(cast.staf_a, "")])
    staf_b = cast.user("staf_b")
    staf_skp = services.skp_create(by=staf_b, pegawai=cast.staf_b, year=YEAR)
    orphan = services.rhk_save(by=staf_b, skp=staf_skp, jenis="UTAMA", text="Lepas")
    return {"covered": covered.pk, "lonely": lonely.pk, "child": child.pk, "orphan": orphan.pk}


def test_pohon_kinerja(cast: Cast, login: Login, pohon_state: dict[str, int]) -> None:
    data = ok(get(login("admin"), f"/pohon-kinerja?unit_id={cast.seksi.pk}&year={YEAR}"))
    assert (data["unit_id"], data["unit_name"], data["year"]) == (
        cast.seksi.pk,
        cast.seksi.name,
        YEAR,
    )
    assert data["counts"] == {"skp": 3, "rhk": 4, "orphans": 1, "uncovered": 1}
    [root, other] = data["roots"]
    assert (root["rhk_id"], root["owner_id"], root["uncovered"]) == (
        pohon_state["covered"],
        cast.kasi.pk,
        False,
    )
    [child] = root["children"]
    assert (child["rhk_id"], child["owner_id"], child["children"]) == (
        pohon_state["child"],
        cast.staf_a.pk,
        [],
    )
    assert (other["rhk_id"], other["uncovered"], other["orphan"]) == (
        pohon_state["lonely"],
        True,
        False,
    )
    [orphan] = data["orphans"]
    assert (orphan["rhk_id"], orphan["text"], orphan["orphan"]) == (
        pohon_state["orphan"],
        "Lepas",
        True,
    )
    # A pegawai sees the part of the tree they may read; the default year is this year.
    mine = ok(get(login("staf_a"), f"/pohon-kinerja?unit_id={cast.seksi.pk}"))
    assert mine["counts"]["skp"] == 1 and mine["year"] == YEAR
    assert_error(
        get(login("outsider"), f"/pohon-kinerja?unit_id={cast.seksi.pk}"), 404, "not_found"
    )
    assert_error(get(login("admin"), "/pohon-kinerja"), 422, "invalid")


def test_status_board(cast: Cast, login: Login, pohon_state: dict[str, int]) -> None:
    data = ok(get(login("admin"), f"/status-skp?unit_id={cast.bidang.pk}&year={YEAR}"))
    rows = {r["unit_id"]: r for r in data["rows"]}
    assert list(rows) == [cast.bidang.pk, cast.seksi.pk]
    assert rows[cast.seksi.pk] | {"unit_id": 0} == {
        "unit_id": 0,
        "unit_name": cast.seksi.name,
        "depth": 1,
        "pegawai": 3,
        "tanpa_skp": 0,
        "draf": 3,
        "diajukan": 0,
        "dikembalikan": 0,
        "disetujui": 0,
    }
    assert (rows[cast.bidang.pk]["pegawai"], rows[cast.bidang.pk]["tanpa_skp"]) == (1, 1)
    assert data["total"] == {
        "pegawai": 4,
        "tanpa_skp": 1,
        "draf": 3,
        "diajukan": 0,
        "dikembalikan": 0,
        "disetujui": 0,
    }


@pytest.mark.parametrize(
    ("who", "unit", "status"),
    [
        ("kasi", "seksi", 200),
        ("kabid", "seksi", 200),
        ("kadis", "seksi", 200),
        ("auditor", "dinkes", 200),
        ("superadmin", "seksi", 200),
        ("staf_a", "seksi", 403),
        ("kasi", "bidang", 403),
        ("kapus", "bidang", 403),
        ("outsider", "seksi", 404),
    ],
)
def test_who_may_see_the_status_board(
    cast: Cast, login: Login, who: str, unit: str, status: int
) -> None:
    response = get(login(who), f"/status-skp?unit_id={getattr(cast, unit).pk}")
    if status == 200:
        assert ok(response)["year"] == YEAR
    else:
        assert_error(response, status, {403: "forbidden", 404: "not_found"}[status])


# --- OpenAPI ------------------------------------------------------------------------------


def test_openapi_lists_every_skp_endpoint(client: Client) -> None:
    schema = ok(client.get(f"{API}/openapi.json"))
    paths = schema["paths"]
    expected = {
        "/tahun-kinerja/{instansi_id}/{year}": {"put"},
        "/tahun-kinerja/{instansi_id}/{year}/periode": {"get"},
        "/skp": {"get", "post"},
        "/skp/{skp_id}": {"get", "patch"},
        "/skp/{skp_id}/submit": {"post"},
        "/skp/{skp_id}/return": {"post"},
        "/skp/{skp_id}/approve": {"post"},
        "/skp/{skp_id}/revise": {"post"},
        "/skp/{skp_id}/rhk": {"post"},
        "/rhk/{rhk_id}": {"patch", "delete"},
        "/skp/{skp_id}/linkable-rhk": {"get"},
        "/rhk/{rhk_id}/iki": {"post"},
        "/iki/{iki_id}": {"patch", "delete"},
        "/skp/{skp_id}/ekspektasi/{core_value}": {"put"},
        "/skp/{skp_id}/lampiran": {"post"},
        "/lampiran/{lampiran_id}": {"delete"},
        "/rhk/{rhk_id}/cascade": {"post"},
        "/pohon-kinerja": {"get"},
        "/status-skp": {"get"},
    }
    for path, methods in expected.items():
        operations = paths[f"/api/v1{path}"]
        assert methods <= set(operations), path
        for method in methods:
            assert operations[method]["tags"] == ["SKP"], (path, method)
            assert operations[method]["summary"], (path, method)
    # …and nothing in the SKP routers is left out of this list.
    mounted = skp_router.path_operations | items_router.path_operations
    assert set(mounted) == set(expected)
    components = schema["components"]["schemas"]
    assert {"SkpDetail", "RhkIn", "IkiIn", "CascadeIn", "PohonNodeOut"} <= set(components)
    assert components["RhkIn"]["additionalProperties"] is False
