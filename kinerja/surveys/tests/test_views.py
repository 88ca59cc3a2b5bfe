"""SKM pages: who sees what, query counts of the list pages, posters, report downloads, the
public transparency page's privacy, and the petugas feedback page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinerja.org.testing import Cast
from kinerja.surveys import queries, services
from kinerja.surveys.models import Layanan, RencanaTindakLanjut, SurveyPeriod
from kinerja.surveys.periods import PeriodKey

from .factories import add_answers

Login = Callable[[str], Client]


def ikm_url(period: SurveyPeriod) -> str:
    return f"/skm/layanan/{period.layanan_id}/ikm/{period.key}/"


def test_index_shows_ikm_and_short_sample(login: Login, period: SurveyPeriod) -> None:
    add_answers(period, [(4,) * 9, (3,) * 9])
    page = login("admin").get(f"/skm/?periode={period.key}").content.decode()
    assert "Poli Umum" in page and "87,50" in page and "⚠" in page  # 2 of the minimum 80
    assert "Tambah layanan" in page


@pytest.mark.parametrize("who", ["admin", "auditor", "kadis", "kapus"])
def test_readers_of_the_layanan(login: Login, period: SurveyPeriod, who: str) -> None:
    add_answers(period, [(4,) * 9])
    client = login(who)
    assert "Poli Umum" in client.get("/skm/").content.decode()
    assert client.get(ikm_url(period)).status_code == 200


@pytest.mark.parametrize("who", ["kasi", "kabid"])
def test_heads_of_other_subtrees_do_not_see_it(
    login: Login, period: SurveyPeriod, who: str
) -> None:
    client = login(who)
    assert "Poli Umum" not in client.get("/skm/").content.decode()
    assert client.get(ikm_url(period)).status_code == 404
    assert client.get(f"/skm/layanan/{period.layanan_id}/").status_code == 404


@pytest.mark.parametrize("who", ["staf_a", "outsider"])
def test_others_get_nothing(login: Login, period: SurveyPeriod, who: str) -> None:
    client = login(who)
    assert client.get("/skm/").status_code == 403
    assert client.get(ikm_url(period)).status_code == 404
    assert client.get(f"/skm/layanan/{period.layanan_id}/poster.png").status_code == 404


def test_index_query_count_does_not_grow(login: Login, cast: Cast, key: PeriodKey) -> None:
    client = login("admin")

    def count() -> int:
        with CaptureQueriesContext(connection) as q:
            assert client.get(f"/skm/?periode={key.text}").status_code == 200
        return len(q.captured_queries)

    def more(n: int) -> None:
        for i in range(n):
            item = services.layanan_save(
                by=cast.admin,
                unit=cast.puskesmas,
                name=f"L{i}",
                code=f"l{i}-{Layanan.objects.count()}",
            )
            add_answers(services.period_open(by=cast.admin, layanan=item, key=key), [(3,) * 9])

    more(1)
    first = count()
    more(5)
    assert count() == first
    assert first <= 12


def test_ikm_page_query_count(login: Login, period: SurveyPeriod) -> None:
    add_answers(period, [(4,) * 9, (2,) * 9], saran="Perbanyak kursi")
    client = login("admin")
    with CaptureQueriesContext(connection) as q:
        page = client.get(ikm_url(period)).content.decode()
    assert "Perbanyak kursi" in page and "75,00" in page
    assert len(q.captured_queries) <= 16


def test_ikm_page_change_is_the_exact_nrr_difference(
    login: Login, cast: Cast, period: SurveyPeriod, key: PeriodKey
) -> None:
    before = key.previous()
    assert before is not None
    earlier = services.period_open(by=cast.admin, layanan=period.layanan, key=before)
    add_answers(period, [(3, 4, 3, 3, 3, 3, 3, 3, 3)] * 2 + [(3,) * 9])  # U2: 11/3
    add_answers(earlier, [(3,) * 9] + [(3, 2, 3, 3, 3, 3, 3, 3, 3)] * 2)  # U2: 7/3
    unsur = queries.detail(period.layanan, key).unsur
    assert [u.change for u in unsur[:3]] == [Decimal("0.0000"), Decimal("1.3333"), Decimal(0)]
    page = login("admin").get(ikm_url(period)).content.decode()
    assert page.count('class="up"') == 1 and 'class="down"' not in page


def test_admin_creates_layanan_and_opens_period(login: Login, cast: Cast, key: PeriodKey) -> None:
    client = login("admin")
    answer = client.post(
        "/skm/layanan/baru/",
        {
            "unit": cast.seksi.pk,
            "name": "Imunisasi",
            "code": "imunisasi",
            "population": "500",
            "active": "on",
        },
    )
    item = Layanan.objects.get(code="imunisasi")
    assert answer["Location"] == f"/skm/layanan/{item.pk}/"
    answer = client.post(
        f"/skm/layanan/{item.pk}/",
        {"action": "period", "kind": key.kind, "year": key.year, "number": key.number},
    )
    assert answer.status_code == 302 and SurveyPeriod.objects.filter(layanan=item).count() == 1
    again = client.post(
        f"/skm/layanan/{item.pk}/",
        {"action": "period", "kind": key.kind, "year": key.year, "number": key.number},
    )
    assert f"Periode {key.label} sudah dibuka untuk layanan ini." in again.content.decode()
    bad = client.post(
        "/skm/layanan/baru/",
        {"unit": cast.seksi.pk, "name": "X", "code": "Ada Spasi", "population": "0"},
    )
    assert "huruf kecil" in bad.content.decode()


def test_pimpinan_cannot_manage_layanan(login: Login, layanan: Layanan) -> None:
    client = login("kapus")
    assert client.get("/skm/layanan/baru/").status_code == 403
    page = client.get(f"/skm/layanan/{layanan.pk}/").content.decode()
    assert "Buka periode" not in page
    answer = client.post(
        f"/skm/layanan/{layanan.pk}/",
        {"action": "period", "kind": "TAHUN", "year": 2026, "number": 1},
    )
    assert answer.status_code == 403


def test_poster_png_and_pdf(login: Login, layanan: Layanan) -> None:
    client = login("admin")
    png = client.get(f"/skm/layanan/{layanan.pk}/poster.png")
    assert png["Content-Type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    pdf = client.get(f"/skm/layanan/{layanan.pk}/poster.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    from io import BytesIO

    from pypdf import PdfReader

    text = PdfReader(BytesIO(pdf.content)).pages[0].extract_text()
    assert "Poli Umum" in text and "/s/poli-sukamaju/" in text
    assert client.get(f"/skm/layanan/{layanan.pk}/poster.gif").status_code == 404


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_report_downloads(login: Login, period: SurveyPeriod, fmt: str) -> None:
    add_answers(period, [(4,) * 9, (3,) * 9], saran="Ruang tunggu panas")
    answer = login("auditor").get(f"{ikm_url(period)}laporan.{fmt}")
    assert answer.status_code == 200
    assert answer.content[:4] in {b"%PDF", b"PK\x03\x04"}
    assert "attachment" in answer["Content-Disposition"]


def test_report_without_respondents_is_404(login: Login, period: SurveyPeriod) -> None:
    assert login("admin").get(f"{ikm_url(period)}laporan.pdf").status_code == 404


def test_rtl_from_the_page(login: Login, period: SurveyPeriod, cast: Cast) -> None:
    add_answers(period, [(4, 4, 4, 4, 4, 4, 4, 1, 4)])
    client = login("kapus")
    answer = client.post(
        f"{ikm_url(period)}rtl/",
        {
            "unsur": "8",
            "action": "Buka kanal pengaduan",
            "owner": cast.perawat.pk,
            "due_date": period.end.isoformat(),
        },
    )
    assert answer.status_code == 302
    page = client.get(ikm_url(period)).content.decode()
    assert "Buka kanal pengaduan" in page and "belum ada data" in page
    from kinerja.surveys.models import RencanaTindakLanjut

    item = RencanaTindakLanjut.objects.get()
    assert login("perawat").post(f"/skm/rtl/{item.pk}/selesai/").status_code == 302
    item.refresh_from_db()
    assert item.done_at is not None
    assert login("staf_a").post(f"/skm/rtl/{item.pk}/selesai/").status_code == 404


def test_a_refused_rtl_is_the_page_again_with_what_was_typed(
    login: Login, period: SurveyPeriod, cast: Cast
) -> None:
    add_answers(period, [(4, 4, 4, 4, 4, 4, 4, 1, 4)])
    client = login("kapus")
    early = (period.start - timedelta(days=1)).isoformat()
    data = {"unsur": "8", "action": "Buka kanal pengaduan", "owner": cast.perawat.pk}
    answer = client.post(f"{ikm_url(period)}rtl/", data | {"due_date": early})
    page = answer.content.decode()
    assert answer.status_code == 400 and '<details id="rtl-form" open>' in page
    assert "Buka kanal pengaduan</textarea>" in page and f'value="{early}"' in page
    assert f'<option value="{cast.perawat.pk}" selected>' in page
    assert '<option value="8" selected>' in page
    due = page[page.index('for="id_due_date"') : page.index('id="id_due_date"')]
    assert "Tenggat tidak boleh sebelum periode survei dimulai." in due  # next to its field
    empty = client.post(f"{ikm_url(period)}rtl/", data | {"action": "", "due_date": early})
    assert empty.status_code == 400 and f'value="{early}"' in empty.content.decode()
    assert not RencanaTindakLanjut.objects.exists()


def test_transparency_page_shows_aggregates_only(
    client: Client, period: SurveyPeriod, cast: Cast
) -> None:
    add_answers(period, [(4,) * 9] * 4 + [(3,) * 9], petugas=cast.perawat, saran="RAHASIA-SARAN")
    page = client.get("/transparansi/KAB/").content.decode()
    assert "Poli Umum" in page and "95,00" in page and "<svg" in page
    assert "RAHASIA-SARAN" not in page and "Yohanes" not in page
    api = client.get("/api/v1/publik/transparansi/KAB").json()
    assert api["total"]["ikm_konversi"] == "95.00"
    assert "RAHASIA-SARAN" not in str(api) and "Yohanes" not in str(api)


def test_transparency_hides_small_groups(client: Client, period: SurveyPeriod) -> None:
    add_answers(period, [(1, 2, 3, 4, 1, 2, 3, 4, 1)])  # one respondent: readable if shown
    page = client.get("/transparansi/KAB/").content.decode()
    assert "Poli Umum" in page and "&lt; 5" in page
    assert "58,33" not in page
    assert client.get("/api/v1/publik/transparansi/KAB").json()["layanan"][0]["result"] is None
    assert client.get("/transparansi/TIDAK-ADA/").status_code == 404


def _published_remainders(api: dict[str, Any]) -> list[int]:
    """What subtracting the shown figures gives away: for the instansi and each shown unit,
    its respondents minus those of the shown parts below it."""
    units = {u["name"]: u for u in api["units"]}
    out = [api["total"]["respondents"] - sum(u["respondents"] or 0 for u in api["units"])]
    for name, unit in units.items():
        if unit["respondents"] is not None:
            parts = [r["respondents"] or 0 for r in api["layanan"] if r["unit_name"] == name]
            out.append(unit["respondents"] - sum(parts))
    return out


def test_a_small_layanan_cannot_be_read_back_by_subtraction(
    client: Client, cast: Cast, period: SurveyPeriod, key: PeriodKey
) -> None:
    # Puskesmas: Poli Umum (one respondent) and KIA (10); Seksi: Imunisasi (10). Showing the
    # Puskesmas total and KIA would give the one citizen's answers as their difference.
    add_answers(period, [(1, 2, 3, 4, 1, 2, 3, 4, 1)])
    for unit, name, code in ((cast.puskesmas, "KIA", "kia"), (cast.seksi, "Imunisasi", "imun")):
        other = services.layanan_save(by=cast.admin, unit=unit, name=name, code=code)
        add_answers(services.period_open(by=cast.admin, layanan=other, key=key), [(4,) * 9] * 10)
    api = client.get("/api/v1/publik/transparansi/KAB").json()
    rows = {r["name"]: r for r in api["layanan"]}
    assert rows["Poli Umum"]["result"] is None and rows["Poli Umum"]["withheld"] == "below_minimum"
    assert rows["KIA"]["result"] is None and rows["KIA"]["withheld"] == "complementary"
    assert rows["KIA"]["respondents"] is None
    assert (
        rows["Imunisasi"]["result"]["respondents"] == 10 and rows["Imunisasi"]["withheld"] is None
    )
    assert {u["name"]: u["respondents"] for u in api["units"]} == {
        "Puskesmas Sukamaju": 11,
        "Seksi Pelayanan Primer": 10,
    }
    assert api["total"]["respondents"] == 21
    assert all(rest == 0 or rest >= 5 for rest in _published_remainders(api))
    page = client.get("/transparansi/KAB/").content.decode()
    assert "disembunyikan" in page and 'id="complementary-note"' in page
    assert "&lt; 5" in page and "58,33" not in page


def test_the_transparency_footnote_only_when_something_is_withheld_for_others(
    client: Client, period: SurveyPeriod
) -> None:
    add_answers(period, [(4,) * 9] * 5)
    page = client.get("/transparansi/KAB/").content.decode()
    assert "disembunyikan" not in page and "complementary-note" not in page
    assert client.get("/api/v1/publik/transparansi/KAB").json()["layanan"][0]["withheld"] is None


def test_petugas_page_for_self_rater_and_admin(
    login: Login, period: SurveyPeriod, cast: Cast
) -> None:
    add_answers(period, [(4,) * 9, (3,) * 9, (3,) * 9], petugas=cast.perawat)
    url = f"/skm/petugas/{cast.perawat.pk}/"
    for who in ("perawat", "kapus", "kadis", "admin", "auditor"):
        page = login(who).get(url).content.decode()
        assert "3,3333" in page, who
    for who in ("staf_a", "kasi", "outsider"):
        assert login(who).get(url).status_code == 404, who


def test_admin_lists_only_visible_layanan_read_only(period: SurveyPeriod, cast: Cast) -> None:
    from kinerja.accounts.models import User

    staff = User.objects.get(pk=cast.admin.pk)
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(staff)
    page = client.get("/admin/surveys/layanan/")
    assert page.status_code == 200 and "poli-sukamaju" in page.content.decode()
    assert client.get("/admin/surveys/layanan/add/").status_code == 403
    client.force_login(User.objects.get(pk=cast.superadmin.pk))
    assert client.get("/admin/surveys/surveyperiod/").status_code == 200
    assert client.get("/admin/surveys/rencanatindaklanjut/").status_code == 200


def test_admin_detail_pages_show_their_allow_list(period: SurveyPeriod, cast: Cast) -> None:
    client = Client()
    client.force_login(cast.user("admin"))
    page = client.get(f"/admin/surveys/surveyperiod/{period.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert period.label in body
    assert "<label>Tahun:</label>" in body
    page = client.get(f"/admin/surveys/layanan/{period.layanan_id}/change/")
    assert page.status_code == 200
    assert "poli-sukamaju" in page.content.decode()


def _rtl_for(cast: Cast, period: SurveyPeriod, key: PeriodKey, owner: Any, action: str) -> Any:
    return services.rtl_create(
        by=cast.admin,
        unit=period.layanan.unit,
        layanan=period.layanan,
        key=key,
        unsur=3,
        action=action,
        owner_id=owner.pk,
        due_date=period.end,
    )


def test_an_owner_finds_their_rtl_and_lands_on_a_page_they_can_see(
    login: Login, period: SurveyPeriod, key: PeriodKey, cast: Cast
) -> None:
    """staf_a is an ordinary pegawai of another unit: no SKM pages, but their own actions."""
    item = _rtl_for(cast, period, key, cast.staf_a, "Antrian daring")
    _rtl_for(cast, period, key, cast.perawat, "Bukan untuk staf_a")
    client = login("staf_a")
    assert client.get("/skm/").status_code == 403
    home = client.get("/", follow=True).content.decode()
    assert 'href="/skm/rtl/saya/"' in home
    page = client.get("/skm/rtl/saya/").content.decode()
    assert "Antrian daring" in page and "Bukan untuk staf_a" not in page
    assert "Poli Umum" in page and key.label in page and "Tandai selesai" in page
    done = client.post(f"/skm/rtl/{item.pk}/selesai/", {"note": "Sudah jalan"}, follow=True)
    assert done.status_code == 200
    assert done.redirect_chain == [("/skm/rtl/saya/", 302)]
    assert "Rencana tindak lanjut ditandai selesai." in done.content.decode()
    item.refresh_from_db()
    assert item.done_at is not None and item.done_note == "Sudah jalan"
    # The pimpinan still goes back to the IKM page.
    other = _rtl_for(cast, period, key, cast.staf_a, "Kursi tunggu")
    answer = login("kapus").post(f"/skm/rtl/{other.pk}/selesai/")
    assert answer["Location"] == f"{ikm_url(period)}#rtl"


def test_my_rtl_list_queries_do_not_grow(
    login: Login, period: SurveyPeriod, key: PeriodKey, cast: Cast
) -> None:
    client = login("staf_a")
    _rtl_for(cast, period, key, cast.staf_a, "Satu")
    with CaptureQueriesContext(connection) as one:
        client.get("/skm/rtl/saya/")
    for n in range(3):
        _rtl_for(cast, period, key, cast.staf_a, f"Lagi {n}")
    with CaptureQueriesContext(connection) as four:
        assert client.get("/skm/rtl/saya/").content.decode().count('/selesai/"') == 4
    assert len(four) == len(one)
    admin_page = login("admin").get("/skm/rtl/saya/").content.decode()
    assert "Akun ini tidak terhubung dengan data pegawai." in admin_page


@pytest.mark.parametrize("population", [str(2**31), "9000000000000000000"])
def test_the_page_caps_the_population_as_the_api_does(
    login: Login, cast: Cast, population: str
) -> None:
    data = {"unit": cast.seksi.pk, "name": "Imunisasi", "code": "imunisasi", "active": "on"}
    answer = login("admin").post("/skm/layanan/baru/", data | {"population": population})
    assert answer.status_code == 200
    assert "2147483647" in answer.content.decode().replace(".", "").replace(",", "")
    assert not Layanan.objects.filter(code="imunisasi").exists()
    accepted = login("admin").post("/skm/layanan/baru/", data | {"population": str(2**31 - 1)})
    assert accepted.status_code == 302
    assert Layanan.objects.get(code="imunisasi").population == 2**31 - 1
