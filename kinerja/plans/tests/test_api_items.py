"""The SKP JSON API (/api/v1/): RHK, IKI and their links, cascading, ekspektasi and lampiran.

Stories use the named cast from kinerja/org/testing.py: kasi rates staf_a and staf_b, kabid
rates kasi, the outsider works in another instansi.
"""

from __future__ import annotations

from kinerja.org.testing import Cast
from kinerja.plans import services
from kinerja.plans.models import Lampiran, Rhk, Skp

from .api_helpers import (
    YEAR,
    Login,
    Plan,
    assert_error,
    delete,
    get,
    ok,
    patch,
    post,
    put,
    submitted,
)

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


def test_a_negative_target_or_baseline_is_400_on_its_field(
    cast: Cast, login: Login, plan: Plan
) -> None:
    staf = login("staf_a")
    for sent, field in (
        ({"target_value": -3}, "target_value"),
        ({"target_value": "0"}, "target_value"),
        ({"baseline": "-0.5"}, "baseline"),
    ):
        data = assert_error(patch(staf, f"/iki/{plan.iki.pk}", sent), 400, "invalid")
        assert data["errors"][0]["field"] == field
    created = post(
        staf,
        f"/rhk/{plan.staf_rhk.pk}/iki",
        {"aspek": "KUANTITAS", "text": "x", "target_value": -1, "target_unit": "dok"},
    )
    assert "lebih dari 0" in assert_error(created, 400, "invalid")["detail"]
    plan.iki.refresh_from_db()
    assert plan.iki.target_value is not None and plan.iki.target_value > 0
    assert plan.iki.baseline is None


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
    assert assert_error(wrong, 422, "invalid")["errors"][0]["field"] == "core_value"
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
