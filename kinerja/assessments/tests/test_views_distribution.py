"""Pages: distribution per unit (htmx counts), calibration (inline change), rater consistency,
settings and the annual closing, with who may see them and their query counts."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinerja.org.testing import Cast

from .. import guards, rules
from ..models import ANNUAL, Evaluasi, Kalibrasi, PengaturanPenilaian, PenutupanTahunan
from ..testing import YEAR, approved_skp, capaian, evaluation, realisasi

Login = Callable[[str], Client]
Commit = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
DAY = date(YEAR, 6, 30)
HTMX = {"HX-Request": "true"}
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guards, "today", lambda: DAY)


def story(cast: Cast) -> dict[str, Evaluasi]:
    capaian(cast, cast.seksi, 2, rules.BAIK)
    realisasi(cast, approved_skp(cast, "staf_a"), 2, "4", links=["https://drive.example.go.id/a"])
    return {
        "staf_a": evaluation(cast, "staf_a", 2, "SESUAI", "SESUAI"),
        "staf_b": evaluation(cast, "staf_b", 2, "DI_ATAS", "DI_ATAS"),
    }


def url(name: str, unit_pk: int) -> str:
    return f"/penilaian/{name}/unit/{unit_pk}/?tahun={YEAR}&periode=2"


def count_queries(client: Client, path: str, **extra: Any) -> tuple[int, Any]:
    client.get(path, **extra)  # warm the session and access caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
    assert response.status_code == 200, response.status_code
    return len(queries), response


# --- distribution ---------------------------------------------------------------------------


def test_distribution_page_names_the_breached_rule(cast: Cast, login: Login) -> None:
    story(cast)
    page = login("kabid").get(url("distribusi", cast.bidang.pk)).content.decode()
    assert "Seksi Pelayanan Primer" in page and "Capaian kinerja organisasi" in page
    assert "harus ada pegawai berpredikat Butuh Perbaikan" in page
    assert "tidak terpenuhi" in page and "peringatan saja" in page
    assert f"/penilaian/unit/{cast.bidang.pk}/{YEAR}/" in page and "rekap.xlsx" in page


def test_distribution_counts_refresh_by_htmx_in_constant_queries(cast: Cast, login: Login) -> None:
    story(cast)
    client = login("kadis")
    small, response = count_queries(client, url("distribusi", cast.dinkes.pk), headers=HTMX)
    assert "<html" not in response.content.decode()
    assert 'data-predikat="SANGAT_BAIK"' in response.content.decode()
    evaluation(cast, "perawat", 2, "DI_BAWAH", "SESUAI")
    capaian(cast, cast.puskesmas, 2, rules.ISTIMEWA)
    more, _ = count_queries(client, url("distribusi", cast.dinkes.pk), headers=HTMX)
    assert small == more <= 10


def test_the_period_select_offers_the_annual_period_once(cast: Cast, login: Login) -> None:
    client = login("kabid")
    for name in ("distribusi", "kalibrasi", "konsistensi"):
        page = client.get(f"/penilaian/{name}/unit/{cast.bidang.pk}/?tahun={YEAR}&periode=0")
        html = page.content.decode()
        select = html[html.index('<select name="periode"') :]
        select = select[: select.index("</select>")]
        assert select.count(f'<option value="{ANNUAL}"') == 1 and "TAHUNAN" not in select
        assert select.count("<option") == 5  # Tahunan and the four triwulan
        assert f'<option value="{ANNUAL}" selected>Tahunan</option>' in select


def test_distribution_home_goes_to_the_readers_unit(cast: Cast, login: Login) -> None:
    response = login("kabid").get("/penilaian/distribusi/")
    assert response.status_code == 302 and response["Location"].endswith(
        f"/distribusi/unit/{cast.bidang.pk}/"
    )
    assert login("admin").get("/penilaian/distribusi/").status_code == 302


@pytest.mark.parametrize("who", ["staf_a", "kapus", "outsider"])
def test_unit_pages_are_for_leaders_admins_and_auditors(cast: Cast, login: Login, who: str) -> None:
    client = login(who)
    for name in ("distribusi", "kalibrasi", "konsistensi"):
        assert client.get(url(name, cast.seksi.pk)).status_code == 403


def test_auditor_reads_but_cannot_calibrate(cast: Cast, login: Login) -> None:
    story(cast)
    client = login("auditor")
    assert client.get(url("distribusi", cast.dinkes.pk)).status_code == 200
    page = client.get(url("kalibrasi", cast.dinkes.pk)).content.decode()
    assert "Dewi Lestari" in page and "Simpan kalibrasi" not in page


# --- calibration ----------------------------------------------------------------------------


def test_calibration_page_shows_evidence_side_by_side(cast: Cast, login: Login) -> None:
    story(cast)
    client = login("kabid")
    queries, response = count_queries(client, url("kalibrasi", cast.seksi.pk))
    page = response.content.decode()
    assert "Dewi Lestari" in page and "Bambang Pamungkas" in page
    assert "Simpan kalibrasi" in page
    assert queries <= 16
    evaluation(cast, "kasi", 2, perilaku="SESUAI")
    again, _ = count_queries(client, url("kalibrasi", cast.seksi.pk))
    assert again == queries


def test_calibration_posted_inline_by_htmx(cast: Cast, login: Login) -> None:
    found = story(cast)
    client = login("kabid")
    response = client.post(
        f"/penilaian/{found['staf_a'].pk}/kalibrasi/",
        {"rating_hasil": "DI_ATAS", "rating_perilaku": "DI_ATAS", "reason": "Bukti kuat"},
        headers=HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Sangat Baik" in html and "dari penilai" in html
    found["staf_a"].refresh_from_db()
    assert found["staf_a"].predikat == rules.SANGAT_BAIK
    assert Kalibrasi.objects.get().reason == "Bukti kuat"


def test_calibration_without_a_reason_shows_the_message(cast: Cast, login: Login) -> None:
    found = story(cast)
    response = login("kabid").post(
        f"/penilaian/{found['staf_a'].pk}/kalibrasi/",
        {"rating_hasil": "DI_ATAS", "rating_perilaku": "DI_ATAS", "reason": " "},
        headers=HTMX,
    )
    assert "Alasan kalibrasi wajib diisi." in response.content.decode()
    assert not Kalibrasi.objects.exists()


def test_calibration_by_a_stranger_is_refused(cast: Cast, login: Login) -> None:
    found = story(cast)
    response = login("staf_b").post(
        f"/penilaian/{found['staf_a'].pk}/kalibrasi/",
        {"rating_hasil": "DI_ATAS", "rating_perilaku": "DI_ATAS", "reason": "saya mau"},
    )
    assert response.status_code in {403, 404} and not Kalibrasi.objects.exists()


def test_calibration_without_htmx_redirects_back(cast: Cast, login: Login) -> None:
    found = story(cast)
    response = login("kadis").post(
        f"/penilaian/{found['staf_b'].pk}/kalibrasi/",
        {"rating_hasil": "SESUAI", "rating_perilaku": "SESUAI", "reason": "Disetarakan"},
    )
    assert response.status_code == 302 and "/kalibrasi/unit/" in response["Location"]
    assert Kalibrasi.objects.count() == 1


# --- consistency ----------------------------------------------------------------------------


def test_consistency_page_compares_each_rater(cast: Cast, login: Login) -> None:
    story(cast)
    queries, response = count_queries(login("kadis"), url("konsistensi", cast.dinkes.pk))
    page = response.content.decode()
    assert "Agus Salim" in page  # kasi, the rater
    assert "longgar" in page and ("0.50" in page or "0,50" in page)
    assert queries <= 10


# --- settings -------------------------------------------------------------------------------


def test_admin_changes_the_settings(cast: Cast, login: Login) -> None:
    client = login("admin")
    assert client.get("/penilaian/pengaturan/").status_code == 200
    response = client.post(
        "/penilaian/pengaturan/",
        {"instansi": cast.kab.pk, "enforcement": "BLOCK", "min_group_size": 3,
         "keberatan_days": 10},
    )  # fmt: skip
    assert response.status_code == 302
    saved = PengaturanPenilaian.objects.get(instansi=cast.kab)
    assert (saved.enforcement, saved.min_group_size, saved.keberatan_days) == ("BLOCK", 3, 10)


def test_bad_settings_show_their_message(cast: Cast, login: Login) -> None:
    response = login("admin").post(
        "/penilaian/pengaturan/",
        {"instansi": cast.kab.pk, "enforcement": "BLOCK", "min_group_size": 0,
         "keberatan_days": 10},
    )  # fmt: skip
    assert response.status_code == 200 and not PengaturanPenilaian.objects.exists()


@pytest.mark.parametrize("who", ["kadis", "auditor", "staf_a"])
def test_settings_are_for_admins(cast: Cast, login: Login, who: str) -> None:
    assert login(who).get("/penilaian/pengaturan/").status_code == 403


# --- closing --------------------------------------------------------------------------------


def test_admin_closes_the_year_and_sees_the_result(
    cast: Cast, login: Login, settings: Any, django_capture_on_commit_callbacks: Commit
) -> None:
    settings.TASKS = IMMEDIATE
    capaian(cast, cast.seksi, ANNUAL, rules.BAIK)
    evaluation(cast, "staf_a", ANNUAL, "SESUAI", "SESUAI")
    client = login("admin")
    assert "Mulai penutupan" in client.get("/penilaian/penutupan/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/penilaian/penutupan/", {"instansi": cast.kab.pk, "tahun": YEAR})
    run = PenutupanTahunan.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{run.pk}/")
    queries, page = count_queries(client, f"/penilaian/penutupan/{run.pk}/")
    html = page.content.decode()
    assert "Selesai" in html and "Rekap per unit" in html and "Seksi Pelayanan Primer" in html
    assert 'hx-trigger="every 2s"' not in html and queries <= 8


def test_a_running_closing_is_polled(cast: Cast, login: Login) -> None:
    run = PenutupanTahunan.objects.create(
        instansi=cast.kab, year=YEAR, requested_by=cast.user("admin"), total=10, done=4,
        status="BERJALAN",
    )  # fmt: skip
    response = login("admin").get(f"/penilaian/penutupan/{run.pk}/", headers=HTMX)
    html = response.content.decode()
    assert 'hx-trigger="every 2s"' in html and "4/10" in html and "<html" not in html
    again = login("admin").post("/penilaian/penutupan/", {"instansi": cast.kab.pk, "tahun": YEAR})
    assert "sedang berjalan" in again.content.decode()


@pytest.mark.parametrize("who", ["kadis", "staf_a"])
def test_closing_is_for_admins(cast: Cast, login: Login, who: str) -> None:
    assert login(who).get("/penilaian/penutupan/").status_code == 403
    run = PenutupanTahunan.objects.create(instansi=cast.kab, year=YEAR,
                                          requested_by=cast.user("admin"))  # fmt: skip
    assert login(who).get(f"/penilaian/penutupan/{run.pk}/").status_code == 404
