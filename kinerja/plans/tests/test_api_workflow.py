"""The SKP JSON API (/api/v1/): the whole planning workflow, then every refusal of a workflow
step with its status and error body.

Stories use the named cast from kinerja/org/testing.py: kasi rates staf_a and staf_b, kabid
rates kasi, the outsider works in another instansi.
"""

from __future__ import annotations

import pytest

from kinerja.org.testing import Cast
from kinerja.plans import services
from kinerja.plans.models import Iki, Rhk, Skp, StatusSkp

from .api_helpers import (
    IKI,
    YEAR,
    Login,
    Plan,
    assert_error,
    delete,
    get,
    ok,
    patch,
    post,
    submitted,
)

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


def test_the_problems_speak_english_when_asked(cast: Cast, login: Login) -> None:
    skp = services.skp_create(by=cast.user("staf_b"), pegawai=cast.staf_b, year=YEAR)
    services.rhk_save(by=cast.user("staf_b"), skp=skp, jenis="UTAMA", text="Lepas")
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    data = assert_error(post(login("staf_b"), f"/skp/{skp.pk}/submit", **english), 400, "invalid")
    problems = [
        "RHK Utama 1 has no individual performance indicator (IKI) yet.",
        "RHK Utama 1 must be linked to the leader's work result it contributes to.",
    ]
    assert data["detail"] == "SKP incomplete: " + " ".join(problems)
    assert ok(get(login("staf_b"), f"/skp/{skp.pk}", **english))["problems"] == problems


def test_return_needs_a_note(cast: Cast, login: Login, plan: Plan) -> None:
    submitted(cast, plan)
    kasi = login("kasi")
    missing = assert_error(post(kasi, f"/skp/{plan.staf_skp.pk}/return", {}), 422, "invalid")
    assert missing["errors"][0]["field"] == "note"
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
