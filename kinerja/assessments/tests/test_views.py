"""The evaluation pages as stories with the named cast: kasi evaluates staf_a and staf_b on
"Penilaian tim", rates with the predicate previewed live, gives feedback per RHK and value and
finalises; staf_a follows on "Penilaian saya"; kabid reopens and sets the seksi's capaian.
The clock is pinned to 30 June (the last day of TRIWULAN II)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinerja.org.testing import Cast
from kinerja.progress import feedback_services

from .. import guards, services
from ..models import ANNUAL, CatatanEvaluasi, Evaluasi, PengaturanPenilaian
from ..testing import YEAR, approved_skp, capaian, evaluation, on_day, realisasi

Login = Callable[[str], Client]
DAY = date(YEAR, 6, 30)
BASE = "/penilaian"


@pytest.fixture(autouse=True)
def _pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guards, "today", lambda: DAY)


def page(response: Any, status: int = 200) -> str:
    assert response.status_code == status, response.content[:2000]
    return str(response.content.decode())


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- Penilaian tim --------------------------------------------------------------------------


def test_team_page_lists_status_and_predikat_with_constant_queries(
    cast: Cast, login: Login
) -> None:
    approved_skp(cast, "staf_a")
    approved_skp(cast, "staf_b")
    client = login("kasi")
    url = f"{BASE}/tim/?tahun={YEAR}&periode=2"

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            page(client.get(url))
        return len(captured)

    before = count()
    evaluation(cast, "staf_a", 2, "DI_ATAS", "DI_ATAS", finalize=True)
    evaluation(cast, "staf_b", 2, "SESUAI", "SESUAI")
    assert count() == before  # opened and rated evaluations add no query
    html = text(page(client.get(url)))
    assert "Dewi Lestari" in html and "Bambang Pamungkas" in html
    assert "Sangat Baik: 1" in html and "Baik: 1" in html
    assert before <= 12, before


def test_the_rater_starts_an_evaluation_from_the_team_page(cast: Cast, login: Login) -> None:
    plan = approved_skp(cast, "staf_b")
    client = login("kasi")
    html = page(client.get(f"{BASE}/tim/?periode=2&tahun={YEAR}"))
    assert f"/penilaian/skp/{plan.skp.pk}/2/mulai/" in html and "Mulai evaluasi" in html
    response = client.post(f"{BASE}/skp/{plan.skp.pk}/2/mulai/")
    evaluasi = Evaluasi.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/penilaian/{evaluasi.pk}/"
    response = client.post(f"{BASE}/skp/{plan.skp.pk}/3/mulai/", follow=True)
    assert "baru dapat dimulai 01-07-" in text(page(response))
    assert Evaluasi.objects.count() == 1


def test_starting_someone_elses_evaluation_is_refused(cast: Cast, login: Login) -> None:
    plan = approved_skp(cast, "staf_b")
    assert login("outsider").post(f"{BASE}/skp/{plan.skp.pk}/2/mulai/").status_code == 404
    assert login("kabid").post(f"{BASE}/skp/{plan.skp.pk}/2/mulai/").status_code == 403
    assert not Evaluasi.objects.exists()


# --- the evaluation page --------------------------------------------------------------------


def test_the_page_shows_realisasi_evidence_feedback_and_the_forms(cast: Cast, login: Login) -> None:
    plan = approved_skp(cast, "staf_a")
    realisasi(cast, plan, 2, "5", links=["https://bukti.example.go.id/posyandu"])
    with on_day(date(YEAR, 5, 20)):
        feedback_services.umpan_balik_add(by=cast.user("kasi"), skp=plan.skp, period=2,
                                          target_kind="PERILAKU", core_value=2,
                                          text="Laporan keuangan rapi")  # fmt: skip
    evaluasi = evaluation(cast, "staf_a", 2, "SESUAI", "SESUAI")
    html = page(login("kasi").get(f"{BASE}/{evaluasi.pk}/"))
    flat = text(html)
    assert "Evaluasi kinerja TRIWULAN II" in flat and "Dewi Lestari" in flat
    assert "https://bukti.example.go.id/posyandu" in html and "Laporan keuangan rapi" in flat
    assert 'id="rating-form"' in html and f"/penilaian/{evaluasi.pk}/predikat/" in html
    # The preview listens to the ratings only: the note's change event (fired as "Simpan rating"
    # is clicked) must not send a request racing the submission.
    trigger = re.search(r'<div hx-get="[^"]*/predikat/".*?</div>', html, re.S)
    assert trigger is not None and 'name="rating_perilaku"' in trigger.group(0)
    assert 'name="catatan"' not in trigger.group(0) and 'name="catatan"' in html
    assert html.count('name="nilai"') == 7 and html.count('name="rhk"') == 1
    assert "Predikat kinerja pegawai: Baik" in flat
    assert "Finalisasi evaluasi" in flat and "reopen-form" not in html


def test_the_predicate_preview_follows_the_matrix(cast: Cast, login: Login) -> None:
    evaluasi = evaluation(cast, "staf_a", 2)
    client = login("kasi")
    url = f"{BASE}/{evaluasi.pk}/predikat/"
    cases = {("DI_ATAS", "DI_ATAS"): "Sangat Baik", ("DI_ATAS", "DI_BAWAH"): "Kurang/Misconduct",
             ("DI_BAWAH", "SESUAI"): "Butuh Perbaikan", ("", "SESUAI"): "–"}  # fmt: skip
    for (hasil, perilaku), label in cases.items():
        response = client.get(url, {"rating_hasil": hasil, "rating_perilaku": perilaku},
                              headers={"HX-Request": "true"})  # fmt: skip
        assert page(response).strip() == label
    assert login("staf_a").get(url, {"rating_hasil": "DI_ATAS"}).status_code == 403


def test_rating_saves_or_shows_the_error_in_place(cast: Cast, login: Login) -> None:
    evaluasi = evaluation(cast, "staf_a", 2)
    client = login("kasi")
    url = f"{BASE}/{evaluasi.pk}/rating/"
    html = text(page(client.post(url, {"rating_perilaku": "SESUAI"}), 400))
    assert "Pilih rating hasil kerja." in html
    response = client.post(url, {"rating_hasil": "DI_ATAS", "rating_perilaku": "DI_ATAS",
                                 "catatan": "Calon talenta"}, follow=True)  # fmt: skip
    assert "Rating disimpan: predikat Sangat Baik." in text(page(response))
    evaluasi.refresh_from_db()
    assert (evaluasi.predikat, evaluasi.catatan) == ("SANGAT_BAIK", "Calon talenta")
    forbidden = login("kabid").post(url, {"rating_hasil": "DI_BAWAH",
                                          "rating_perilaku": "DI_BAWAH"})  # fmt: skip
    assert forbidden.status_code == 403


def test_feedback_per_rhk_and_value(cast: Cast, login: Login) -> None:
    plan = approved_skp(cast, "staf_a")
    other = approved_skp(cast, "staf_b")
    evaluasi = evaluation(cast, "staf_a", 2)
    client = login("kasi")
    url = f"{BASE}/{evaluasi.pk}/catatan/"
    response = client.post(url, {"rhk": plan.rhk.pk, "text": "Target terlampaui"})
    assert response["Location"].endswith(f"#rhk-{plan.rhk.pk}")
    client.post(url, {"nilai": 4, "text": "Peduli rekan"})
    assert sorted(CatatanEvaluasi.objects.values_list("text", flat=True)) == [
        "Peduli rekan", "Target terlampaui"
    ]  # fmt: skip
    assert client.post(url, {"rhk": other.rhk.pk, "text": "x"}).status_code == 404
    response = client.post(url, {"text": "x"}, follow=True)
    assert "Pilih satu RHK" in text(page(response))
    html = page(client.get(f"{BASE}/{evaluasi.pk}/"))
    assert "Target terlampaui" in html and "Peduli rekan" in html


def test_a_note_over_5000_characters_is_refused_beside_its_field(cast: Cast, login: Login) -> None:
    plan = approved_skp(cast, "staf_a")
    evaluasi = evaluation(cast, "staf_a", 2)
    client = login("kasi")
    long = "panjang " * 626  # 5008 characters
    html = page(client.post(f"{BASE}/{evaluasi.pk}/catatan/", {"rhk": plan.rhk.pk, "text": long}),
                400)  # fmt: skip
    form = html[html.index(f'name="rhk" value="{plan.rhk.pk}"') :]
    form = form[: form.index("</form>")]
    assert "paling banyak 5000 karakter" in form and long.strip() in form
    assert html.count("paling banyak 5000 karakter") == 1  # not beside the other notes
    html = page(client.post(f"{BASE}/{evaluasi.pk}/catatan/", {"nilai": 3, "text": long}), 400)
    form = html[html.index('name="nilai" value="3"') :]
    assert "paling banyak 5000 karakter" in form[: form.index("</form>")]
    html = page(client.post(f"{BASE}/{evaluasi.pk}/rating/", {"rating_hasil": "DI_ATAS",
                                                              "rating_perilaku": "SESUAI",
                                                              "catatan": long}), 400)  # fmt: skip
    rating = html[html.index('id="rating-form"') :]
    rating = rating[: rating.index("</form>")]
    assert "paling banyak 5000 karakter" in rating and long.strip() in rating
    assert not CatatanEvaluasi.objects.exists()
    before = (evaluasi.rating_hasil, evaluasi.catatan)
    evaluasi.refresh_from_db()
    assert (evaluasi.rating_hasil, evaluasi.catatan) == before


def blocked_by_the_pattern(cast: Cast) -> Evaluasi:
    """The instansi blocks on the pattern; staf_a is final, staf_b's draft would breach it."""
    PengaturanPenilaian.objects.create(instansi=cast.kab, min_group_size=2, enforcement="BLOCK")
    capaian(cast, cast.seksi, 2, "BAIK")
    evaluation(cast, "staf_a", 2, finalize=True)
    return evaluation(cast, "staf_b", 2)


def test_finalising_and_the_blocked_pattern_message(cast: Cast, login: Login) -> None:
    staf_b = blocked_by_the_pattern(cast)
    client = login("kasi")
    html = text(page(client.get(f"{BASE}/{staf_b.pk}/")))
    assert "Pola distribusi dilanggar" in html and "paling banyak 70%" in html
    response = client.post(f"{BASE}/{staf_b.pk}/finalisasi/", follow=True)
    assert "Finalisasi dicegah karena pola distribusi" in text(page(response))
    services.evaluasi_rate(by=cast.user("kasi"), evaluasi=staf_b, rating_hasil="DI_BAWAH",
                           rating_perilaku="SESUAI")  # fmt: skip
    response = client.post(f"{BASE}/{staf_b.pk}/finalisasi/", follow=True)
    assert "Evaluasi final; realisasi periode ini terkunci." in text(page(response))


def test_the_pattern_and_its_breach_speak_english_when_asked(cast: Cast, login: Login) -> None:
    staf_b = blocked_by_the_pattern(cast)
    client = login("kasi")
    client.cookies["django_language"] = "en"
    html = text(page(client.get(f"{BASE}/{staf_b.pk}/")))
    rule = "at most 70% of employees with the predikat Baik"
    assert (
        rule in html and "there must be employees with the predikat Butuh Perbaikan and/or" in html
    )
    breach = f"Distribution pattern not met: {rule} (now 2 of 2)."
    assert breach in html
    refused = text(page(client.post(f"{BASE}/{staf_b.pk}/finalisasi/", follow=True)))
    assert breach in refused and "pola distribusi" not in refused


def test_the_pimpinan_reopens_with_a_reason(cast: Cast, login: Login) -> None:
    evaluasi = evaluation(cast, "staf_a", 2, finalize=True)
    client = login("kabid")
    html = page(client.get(f"{BASE}/{evaluasi.pk}/"))
    assert 'id="reopen-form"' in html and 'id="rating-form"' not in html
    assert 'id="link-kalibrasi"' in html and 'id="link-keberatan"' in html
    assert 'id="link-kalibrasi"' not in page(login("staf_a").get(f"{BASE}/{evaluasi.pk}/"))
    client = login("kabid")
    assert "Alasan wajib diisi." in text(page(client.post(f"{BASE}/{evaluasi.pk}/buka-kembali/",
                                                          {"reason": ""}), 400))  # fmt: skip
    response = client.post(f"{BASE}/{evaluasi.pk}/buka-kembali/", {"reason": "Bukti susulan"})
    assert response.status_code == 302
    evaluasi.refresh_from_db()
    assert (evaluasi.status, evaluasi.reopen_reason) == ("DRAFT", "Bukti susulan")
    assert 'id="reopen-form"' not in page(login("staf_b").get(f"{BASE}/{evaluasi.pk}/"), 404)


def test_the_rated_pegawai_sees_ratings_only_when_final(cast: Cast, login: Login) -> None:
    evaluasi = evaluation(cast, "staf_a", 2, "DI_ATAS", "DI_ATAS")
    client = login("staf_a")
    html = page(client.get(f"{BASE}/{evaluasi.pk}/"))
    assert 'id="sedang-dinilai"' in html and "Sangat Baik" not in html
    assert "rating-form" not in html
    mine = text(page(client.get(f"{BASE}/saya/?tahun={YEAR}")))
    assert "TRIWULAN II" in mine and "sedang dinilai" in mine and "Sangat Baik" not in mine
    services.evaluasi_finalize(by=cast.user("kasi"), evaluasi=evaluasi)
    assert "Sangat Baik" in text(page(client.get(f"{BASE}/saya/?tahun={YEAR}")))
    assert "Sangat Baik" in text(page(client.get(f"{BASE}/{evaluasi.pk}/")))


@pytest.mark.parametrize("who", ["staf_b", "perawat", "kapus", "outsider"])
def test_others_get_a_404(cast: Cast, login: Login, who: str) -> None:
    evaluasi = evaluation(cast, "staf_a", 2)
    assert login(who).get(f"{BASE}/{evaluasi.pk}/").status_code == 404
    assert login(who).post(f"{BASE}/{evaluasi.pk}/finalisasi/").status_code == 404


def test_the_annual_page_shows_the_periodic_results_side_by_side(cast: Cast, login: Login) -> None:
    evaluation(cast, "staf_a", 1, "DI_BAWAH", "SESUAI", finalize=True)
    evaluation(cast, "staf_a", 2, "DI_ATAS", "DI_ATAS", finalize=True)
    annual = evaluation(cast, "staf_a", ANNUAL)
    html = text(page(login("kasi").get(f"{BASE}/{annual.pk}/")))
    assert "Evaluasi kinerja tahunan" in html and "Hasil evaluasi periodik" in html
    assert "TRIWULAN I Di Bawah Ekspektasi / Sesuai Ekspektasi Butuh Perbaikan" in html
    assert "TRIWULAN II Di Atas Ekspektasi / Di Atas Ekspektasi Sangat Baik" in html
    assert "TRIWULAN III belum dievaluasi" in html


def test_a_unit_head_page_explains_the_hasil_rule(cast: Cast, login: Login) -> None:
    evaluasi = evaluation(cast, "kasi", 2)
    html = text(page(login("kabid").get(f"{BASE}/{evaluasi.pk}/")))
    assert "mengikuti capaian kinerja organisasi unit yang dipimpinnya" in html
    assert 'name="rating_hasil"' not in page(login("kabid").get(f"{BASE}/{evaluasi.pk}/"))


# --- capaian organisasi ---------------------------------------------------------------------


def test_the_leader_above_sets_a_capaian(cast: Cast, login: Login) -> None:
    client = login("kabid")
    url = f"{BASE}/capaian/?tahun={YEAR}&periode=2"
    html = text(page(client.get(url)))
    assert "Seksi Pelayanan Primer" in html and "Belum ditetapkan." in html
    bad = client.post(url, {"unit": cast.seksi.pk, "predikat": "BAIK", "reason": ""})
    assert "Alasan penetapan wajib diisi." in text(page(bad, 400))
    assert client.post(url, {"unit": cast.bidang.pk, "predikat": "BAIK",
                             "reason": "x"}).status_code == 404  # fmt: skip
    chosen = {"unit": cast.seksi.pk, "predikat": "ISTIMEWA", "reason": "Rencana aksi terlampaui"}
    response = client.post(url, chosen, follow=True)
    html = text(page(response))
    assert "Capaian Seksi Pelayanan Primer disimpan." in html and "Istimewa" in html


def test_capaian_page_for_other_roles(cast: Cast, login: Login) -> None:
    assert login("staf_a").get(f"{BASE}/capaian/").status_code == 403
    assert "Tidak ada unit di bawah" in text(page(login("kasi").get(f"{BASE}/capaian/")))
    assert "Puskesmas Sukamaju" in text(page(login("admin").get(f"{BASE}/capaian/")))


def test_menu_links(cast: Cast, login: Login) -> None:
    html = page(login("kasi").get("/org/saya/"))
    assert 'href="/penilaian/tim/"' in html and 'href="/penilaian/saya/"' in html
    staf = page(login("staf_a").get("/org/saya/"))
    assert 'href="/penilaian/saya/"' in staf and 'href="/penilaian/tim/"' not in staf


def test_the_pages_speak_english_when_asked(cast: Cast, login: Login) -> None:
    evaluasi = evaluation(cast, "staf_a", 2, "DI_ATAS", "SESUAI")
    client = login("kasi")
    client.cookies["django_language"] = "en"
    html = text(page(client.get(f"{BASE}/{evaluasi.pk}/")))
    assert "Work-results rating" in html and "Finalise evaluation" in html
    assert "Above expectations" in html
    assert "Team evaluation" in text(page(client.get(f"{BASE}/tim/?periode=2")))


def queries_of(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        page(client.get(url))
    return len(captured)


def test_own_and_capaian_pages_keep_their_query_counts(cast: Cast, login: Login) -> None:
    mine, units = f"{BASE}/saya/?tahun={YEAR}", f"{BASE}/capaian/?tahun={YEAR}&periode=2"
    evaluation(cast, "staf_a", 1)
    one = queries_of(login("staf_a"), mine)
    evaluation(cast, "staf_a", 2, finalize=True)
    evaluation(cast, "staf_a", ANNUAL)
    assert queries_of(login("staf_a"), mine) == one <= 10
    empty = queries_of(login("admin"), units)
    for unit in (cast.seksi, cast.bidang, cast.puskesmas):
        capaian(cast, unit, 2, "BAIK")
    assert queries_of(login("admin"), units) == empty <= 10
