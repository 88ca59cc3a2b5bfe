"""Pemantauan tim and unit, as stories with the named cast: kasi rates staf_a and staf_b (both
with an approved SKP of three IKIs cascaded from kasi), kabid heads the bidang, kadis the dinas.

The clock is fixed at 15 May (TRIWULAN II) for the progress services and the team queries.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.org import services as org
from kinerja.org.models import Pegawai, UnitKerja
from kinerja.org.testing import START, Cast, make_nip
from kinerja.plans import services as plans
from kinerja.plans.models import Skp
from kinerja.progress import feedback_services, rules, services, team_queries
from kinerja.progress.feedback_models import TindakLanjut
from kinerja.progress.services import Upload
from kinerja.progress.tests.test_rules import PNG
from kinerja.progress.tests.test_services import (
    IKI_KUANTITAS,
    TODAY,
    YEAR,
    Plan,
    fix_clock,
    make_plan,
)

Login = Callable[[str], Client]
TEAM = "/realisasi/tim/"
UNIT = "/realisasi/unit/"
HTMX = {"HX-Request": "true"}
FORM = {**HTMX, "HX-Trigger": "team-filters"}  # the filter form's request
REFRESH = {**HTMX, "HX-Trigger": "team-list"}  # the list's refresh every 60 s


def expected_now() -> Decimal:
    start, end = date(YEAR, 1, 1), date(YEAR, 12, 31)
    return rules.prorated_expectation((TODAY - start).days + 1, (end - start).days + 1)


@pytest.fixture
def team(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> tuple[Plan, Plan]:
    fix_clock(monkeypatch)
    monkeypatch.setattr(team_queries, "timezone", SimpleNamespace(localdate=lambda: TODAY))
    return make_plan(cast, "staf_a"), make_plan(cast, "staf_b")


def staf_a_reports(cast: Cast, plan: Plan) -> None:
    """Kuantitas 3 + (30 corrected to 3) = 6 of 12; kualitas latest 72 of 90; waktu 4 (5 → 3)."""
    staf = cast.user("staf_a")

    def rec(iki: Any, day: date, value: str, **kw: Any) -> Any:
        entry, _ = services.realisasi_record(by=staf, iki=iki, day=day, value=value, **kw)
        return entry

    rec(plan.iki, date(YEAR, 4, 10), "3", links=["https://drive.example.go.id/undangan"])
    wrong = rec(plan.iki, date(YEAR, 5, 2), "30", links=["https://drive.example.go.id/salah"])
    services.realisasi_correct(
        by=staf, realisasi=wrong, value="3", reason="salah ketik",
        uploads=[Upload("daftar hadir.png", PNG)],
    )  # fmt: skip
    rec(plan.iki_kualitas, date(YEAR, 4, 30), "95")
    rec(plan.iki_kualitas, date(YEAR, 5, 10), "72")
    rec(plan.iki_waktu, date(YEAR, 4, 3), "6")
    rec(plan.iki_waktu, date(YEAR, 5, 1), "4")


def rows_by_name(data: team_queries.TeamProgress) -> dict[str, team_queries.MemberProgress]:
    return {r.name: r for r in data.rows}


# --- the team rows ----------------------------------------------------------------------------


def test_kasi_sees_each_subordinate_with_exact_progress(
    cast: Cast, team: tuple[Plan, Plan]
) -> None:
    plan_a, _plan_b = team
    staf_a_reports(cast, plan_a)
    data = team_queries.team_progress(cast.user("kasi"), year=YEAR)
    assert data.is_rater and [r.pegawai_id for r in data.rows] == [cast.staf_b.pk, cast.staf_a.pk]
    assert data.period is not None and data.period.label == "TRIWULAN II"
    a, b = rows_by_name(data)["Dewi Lestari"], rows_by_name(data)["Bambang Pamungkas"]
    assert (a.nip, a.jabatan, a.unit_name) == (
        cast.staf_a.nip, "Pengelola Layanan Kesehatan", "Seksi Pelayanan Primer"
    )  # fmt: skip
    assert a.skp_id == plan_a.skp.pk and a.approved
    # 50 % + 80 % + 50 %: the corrected 30 does not count, only the correcting 3
    assert (a.iki_count, a.iki_reported, a.progress) == (3, 3, Decimal("60.00"))
    assert a.expected == expected_now()
    assert a.last_report == date(YEAR, 5, 10)
    # the newest entry with evidence is the correction of 2 May (its photo), not the link of
    # the entry it replaced
    assert a.evidence is not None
    assert (a.evidence.name, a.evidence.date, a.evidence.is_file) == (
        "daftar hadir.png", date(YEAR, 5, 2), True
    )  # fmt: skip
    assert a.status == team_queries.SESUAI and a.overdue == 0
    # staf_b has reported nothing: every quantitative IKI counts as 0 %
    assert (b.iki_count, b.iki_reported, b.progress) == (3, 0, Decimal("0.00"))
    assert b.last_report is None and b.evidence is None
    assert b.status == team_queries.BELUM_MELAPOR
    assert data.counts == {"belum_melapor": 1, "tertinggal": 0, "sesuai": 1, "tanpa_skp": 0}


def test_a_report_far_below_the_expectation_is_lagging(cast: Cast, team: tuple[Plan, Plan]) -> None:
    _plan_a, plan_b = team
    services.realisasi_record(by=cast.user("staf_b"), iki=plan_b.iki, day=TODAY, value="1")
    b = rows_by_name(team_queries.team_progress(cast.user("kasi"), year=YEAR))["Bambang Pamungkas"]
    # 1 of 12 = 8.33 %, the other two 0 %: a mean of 2.78 %, well below 37 % − 10
    assert (b.iki_reported, b.progress) == (1, Decimal("2.78"))
    assert b.progress is not None and b.progress < expected_now() - 10
    assert b.status == team_queries.TERTINGGAL


def test_entries_of_an_earlier_period_are_progress_but_not_a_report_this_period(
    cast: Cast, team: tuple[Plan, Plan], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan_a, _plan_b = team
    fix_clock(monkeypatch, date(YEAR, 3, 20))
    services.realisasi_record(
        by=cast.user("staf_a"), iki=plan_a.iki, day=date(YEAR, 3, 20), value="12"
    )
    a = rows_by_name(team_queries.team_progress(cast.user("kasi"), year=YEAR))["Dewi Lestari"]
    assert (a.iki_reported, a.progress, a.status) == (0, Decimal("33.33"), "belum_melapor")
    earlier = team_queries.team_progress(cast.user("kasi"), year=YEAR, period=1)
    a = rows_by_name(earlier)["Dewi Lestari"]
    assert (a.iki_reported, a.progress, a.status) == (1, Decimal("33.33"), "sesuai")


def test_a_subordinate_without_an_approved_skp(cast: Cast, team: tuple[Plan, Plan]) -> None:
    kasi = cast.user("kasi")
    perawat_like = add_staf(cast, 1)[0]
    data = team_queries.team_progress(kasi, year=YEAR)
    row = next(r for r in data.rows if r.pegawai_id == perawat_like.pk)
    assert (row.skp_id, row.status, row.status_label) == (None, "tanpa_skp", "SKP belum disetujui")


def test_while_a_perubahan_waits_the_team_sees_the_version_in_force(
    cast: Cast, team: tuple[Plan, Plan]
) -> None:
    plan_a, _plan_b = team
    staf_a_reports(cast, plan_a)
    kasi, staf = cast.user("kasi"), cast.user("staf_a")
    before = rows_by_name(team_queries.team_progress(kasi, year=YEAR))["Dewi Lestari"]
    waiting = plans.skp_revise(by=staf, skp=plan_a.skp)
    plans.skp_submit(by=staf, skp=waiting)
    a = rows_by_name(team_queries.team_progress(kasi, year=YEAR))["Dewi Lestari"]
    assert (a.skp_id, a.approved, a.status) == (plan_a.skp.pk, True, team_queries.SESUAI)
    assert (a.iki_count, a.iki_reported, a.progress) == (
        before.iki_count, before.iki_reported, before.progress
    )  # fmt: skip
    plans.skp_approve(by=kasi, skp=waiting)
    a = rows_by_name(team_queries.team_progress(kasi, year=YEAR))["Dewi Lestari"]
    assert (a.skp_id, a.approved, a.progress) == (waiting.pk, True, before.progress)


def test_a_year_without_approved_skps_still_names_its_period(
    cast: Cast, team: tuple[Plan, Plan]
) -> None:
    kasi = cast.user("kasi")
    past = team_queries.team_progress(kasi, year=YEAR - 1, period=3)
    assert [r.status for r in past.rows] == ["tanpa_skp", "tanpa_skp"]
    assert past.period is not None and (past.period.label, past.period.number) == (
        "TRIWULAN III", 3
    )  # fmt: skip
    assert past.period.start == date(YEAR - 1, 7, 1)
    latest = team_queries.team_progress(kasi, year=YEAR - 1)  # a past year: its last period
    assert latest.period is not None and latest.period.number == 4


def test_overdue_follow_ups_are_counted(cast: Cast, team: tuple[Plan, Plan]) -> None:
    plan_a, _ = team
    kasi = cast.user("kasi")
    fu = feedback_services.FollowUp
    feedback_services.dialog_kinerja_add(
        by=kasi, skp=plan_a.skp, period=2, held_on=date(YEAR, 5, 1), notes="Dialog bulanan",
        follow_ups=[fu("Rekap posyandu", date(YEAR, 5, 10)), fu("Pelatihan", date(YEAR, 5, 14)),
                    fu("Evaluasi", date(YEAR, 6, 1)), fu("Selesai", date(YEAR, 5, 2))],
    )  # fmt: skip
    done = TindakLanjut.objects.get(text="Selesai")
    feedback_services.tindak_lanjut_done(by=kasi, tindak_lanjut=done)
    rows = rows_by_name(team_queries.team_progress(kasi, year=YEAR))
    assert rows["Dewi Lestari"].overdue == 2 and rows["Bambang Pamungkas"].overdue == 0
    # Rolled up: the seksi holds both follow-ups, the bidang above counts them in its subtree.
    bidang = team_queries.unit_rollup(cast.user("kabid"), cast.bidang, year=YEAR)
    assert [(r.name, r.overdue) for r in bidang] == [
        ("Bidang Pelayanan Kesehatan", 0),
        ("Seksi Pelayanan Primer", 2),
    ]
    assert team_queries.rollup_total(bidang).overdue == 2
    assert team_queries.unit_rollup(cast.user("kabid"), cast.bidang, year=YEAR - 1)[1].overdue == 0


def test_filters_by_status_and_unit(cast: Cast, team: tuple[Plan, Plan]) -> None:
    staf_a_reports(cast, team[0])
    kasi = cast.user("kasi")
    only = team_queries.team_progress(kasi, year=YEAR, status="belum_melapor")
    assert [r.name for r in only.rows] == ["Bambang Pamungkas"]
    assert only.counts["sesuai"] == 1  # the summary counts before the status filter
    seksi = team_queries.team_progress(kasi, year=YEAR, unit_id=cast.seksi.pk)
    assert seksi.units == [(cast.seksi.pk, "Seksi Pelayanan Primer")]
    assert len(seksi.rows) == 2
    assert seksi.unit_id == cast.seksi.pk and seksi.refused == []
    # A unit the filter does not offer is left out (all units) and said to be refused.
    elsewhere = team_queries.team_progress(kasi, year=YEAR, unit_id=cast.puskesmas.pk)
    assert len(elsewhere.rows) == 2 and elsewhere.unit_id is None
    [problem] = elsewhere.refused
    assert (problem.status, problem.field) == (400, "unit_id")
    [unknown] = team_queries.team_progress(kasi, year=YEAR, unit_id=999_999).refused
    assert (unknown.status, unknown.field) == (404, "unit_id")


def test_a_period_the_year_does_not_have_is_left_out(cast: Cast, team: tuple[Plan, Plan]) -> None:
    data = team_queries.team_progress(cast.user("kasi"), year=YEAR, period=7)  # quarterly year
    assert data.period is not None and data.period.label == "TRIWULAN II"  # the current one
    [problem] = data.refused
    assert (problem.status, problem.field) == (400, "period")
    assert problem.message == f"Periode 7 tidak dikenal untuk tahun SKP {YEAR}."
    earlier = team_queries.team_progress(cast.user("kasi"), year=YEAR, period=1)
    assert earlier.period is not None and earlier.period.number == 1 and earlier.refused == []


def test_a_peer_has_no_team(cast: Cast, team: tuple[Plan, Plan]) -> None:
    data = team_queries.team_progress(cast.user("staf_a"), year=YEAR)
    assert not data.is_rater and data.rows == [] and data.refused == []
    assert not team_queries.team_progress(cast.user("admin"), year=YEAR).is_rater


def test_a_peer_s_filters_are_refused_as_a_rater_s(cast: Cast, team: tuple[Plan, Plan]) -> None:
    staf_a, kasi = cast.user("staf_a"), cast.user("kasi")
    puskesmas = cast.puskesmas.pk
    cases: list[tuple[int | None, int | None, list[tuple[int, str]]]] = [
        (7, None, [(400, "period")]),
        (None, 999_999, [(404, "unit_id")]),
        (None, puskesmas, [(400, "unit_id")]),
        (7, puskesmas, [(400, "period"), (400, "unit_id")]),
    ]
    for period, unit_id, expected in cases:
        peer = team_queries.team_progress(staf_a, year=YEAR, period=period, unit_id=unit_id)
        rater = team_queries.team_progress(kasi, year=YEAR, period=period, unit_id=unit_id)
        assert not peer.is_rater and peer.rows == [] and peer.unit_id is None
        assert [(p.status, p.field) for p in peer.refused] == expected, (period, unit_id)
        assert [p.message for p in peer.refused] == [p.message for p in rater.refused]
    valid = team_queries.team_progress(staf_a, year=YEAR, period=1)
    assert valid.refused == [] and [p.label for p in valid.periods][:2] == [
        "TRIWULAN I", "TRIWULAN II"
    ]  # fmt: skip


# --- the team page ----------------------------------------------------------------------------


def test_team_page_for_kasi(cast: Cast, team: tuple[Plan, Plan], login: Login) -> None:
    plan_a, plan_b = team
    staf_a_reports(cast, plan_a)
    html = login("kasi").get(TEAM).content.decode()
    assert reverse("progress:team") == TEAM
    assert "Pemantauan tim" in html and 'id="team-list"' in html
    assert 'hx-trigger="every 60s"' in html and 'hx-trigger="change"' in html
    assert f'href="/realisasi/skp/{plan_a.skp.pk}/"' in html
    assert f'href="/realisasi/skp/{plan_b.skp.pk}/"' in html
    assert "60 %" in html and "3/3" in html and "0/3" in html and "daftar hadir.png" in html
    assert "belum melapor" in html
    assert f'<option value="{cast.seksi.pk}">Seksi Pelayanan Primer</option>' in html
    assert 'href="/realisasi/tim/"' in html  # the menu link
    assert """<meta name="htmx-config" content='{"refreshOnHistoryMiss": true}'>""" in html
    client = login("kasi")
    client.cookies["django_language"] = "en"  # pages: the chosen language (core.middleware)
    english = client.get(TEAM).content.decode()
    assert "belum melapor" not in english and "not reported" in english


def test_htmx_partial_with_filters(cast: Cast, team: tuple[Plan, Plan], login: Login) -> None:
    staf_a_reports(cast, team[0])
    response = login("kasi").get(TEAM, {"status": "belum_melapor"}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<form" not in html and 'class="team-table"' in html
    assert "Bambang Pamungkas" in html and "Dewi Lestari" not in html


def test_team_page_leaves_out_a_filter_it_cannot_apply_and_says_so(
    cast: Cast, team: tuple[Plan, Plan], login: Login
) -> None:
    client = login("kasi")
    seksi_option = f'<option value="{cast.seksi.pk}">Seksi Pelayanan Primer</option>'
    beside = client.get(TEAM, {"unit": cast.puskesmas.pk})
    html = beside.content.decode()
    assert beside.status_code == 200
    assert (
        "Unit kerja Puskesmas Sukamaju tidak termasuk unit tim Anda. Ditampilkan semua unit."
        in html
    )
    assert "Dewi Lestari" in html and "Bambang Pamungkas" in html
    assert seksi_option in html  # "Semua unit" stays selected: it is what is shown
    unknown = client.get(TEAM, {"unit": 999_999}, headers=HTMX).content.decode()
    assert "Unit kerja dengan id 999999 tidak ditemukan. Ditampilkan semua unit." in unknown
    assert "<form" not in unknown and "Bambang Pamungkas" in unknown
    late = client.get(TEAM, {"periode": 7}).content.decode()
    assert f"Periode 7 tidak dikenal untuk tahun SKP {YEAR}. Ditampilkan periode berjalan." in late
    assert f"TRIWULAN II {YEAR}" in late
    chosen = client.get(TEAM, {"unit": cast.seksi.pk, "periode": 1}).content.decode()
    assert 'class="notice"' not in chosen and f"TRIWULAN I {YEAR}" in chosen
    assert f'<option value="{cast.seksi.pk}" selected>Seksi Pelayanan Primer</option>' in chosen
    # The period is a filter of the form, so the 60-second refresh (hx-include) keeps it.
    assert '<select name="periode" id="team-periode">' in chosen
    assert '<option value="1" selected>TRIWULAN I</option>' in chosen
    assert '<option value="2">TRIWULAN II</option>' in chosen
    assert 'option value="7"' not in late and " selected>TRIWULAN" not in late


def test_the_period_select_follows_the_year_chosen_in_the_form(
    cast: Cast, team: tuple[Plan, Plan], login: Login
) -> None:
    """Kabupaten reports quarterly this year and monthly next year: the period select must list
    the periods of the year the filters ask for, whether the form is sent by htmx or not."""
    plans.tahun_set_cadence(
        by=cast.user("admin"), instansi=cast.kab, year=YEAR + 1, cadence="BULANAN"
    )
    client = login("kasi")
    quarters = client.get(TEAM).content.decode()
    assert '<option value="2">TRIWULAN II</option>' in quarters and "JULI" not in quarters
    # htmx: the form (HX-Trigger: its id) asks for next year; the list comes with the period
    # select of that year, swapped out of band in place of the old one.
    next_year = client.get(TEAM, {"tahun": str(YEAR + 1), "periode": ""}, headers=FORM)
    html = next_year.content.decode()
    assert "<form" not in html and 'class="team-table"' in html
    assert '<label id="team-period" hx-swap-oob="true">' in html
    assert html.count('<select name="periode" id="team-periode">') == 1
    assert '<option value="7">JULI</option>' in html and "TRIWULAN" not in html
    assert " selected>JULI" not in html and 'class="notice"' not in html
    july = client.get(TEAM, {"tahun": YEAR + 1, "periode": 7}, headers=FORM).content.decode()
    assert '<option value="7" selected>JULI</option>' in july and 'class="notice"' not in july
    # Back to this year with JULI still chosen: refused with a notice, the quarters again.
    back = client.get(TEAM, {"tahun": YEAR, "periode": 7}, headers=FORM).content.decode()
    assert f"Periode 7 tidak dikenal untuk tahun SKP {YEAR}. Ditampilkan periode berjalan." in back
    assert '<option value="2">TRIWULAN II</option>' in back and "JULI" not in back
    assert " selected>" not in back.split('id="team-period"')[1].split("</label>")[0]
    # The minute refresh (the list's own request) keeps the filters: no select to redraw.
    refresh = client.get(TEAM, {"tahun": YEAR + 1, "periode": 7}, headers=REFRESH)
    assert "team-period" not in refresh.content.decode()
    assert 'class="team-table"' in refresh.content.decode()
    # Without JavaScript the form is sent whole: the page draws the select for the year asked.
    plain = client.get(TEAM, {"tahun": YEAR + 1, "periode": 7}).content.decode()
    assert plain.count('<select name="periode" id="team-periode">') == 1
    assert '<option value="7" selected>JULI</option>' in plain and "TRIWULAN" not in plain
    assert "hx-swap-oob" not in plain


def test_a_peer_reads_an_explanation(cast: Cast, team: tuple[Plan, Plan], login: Login) -> None:
    response = login("staf_a").get(TEAM)
    html = response.content.decode()
    assert response.status_code == 200
    assert "tidak menilai pegawai mana pun" in html and "team-table" not in html
    assert "Bambang Pamungkas" not in html
    assert 'href="/realisasi/tim/"' not in html  # no menu link for a staf
    assert 'class="notice" role="status">Unit' not in html and "Periode 7" not in html


def test_a_peer_reads_which_filter_the_page_cannot_apply(
    cast: Cast, team: tuple[Plan, Plan], login: Login
) -> None:
    """As for kasi: a notice, then the fallback (here still the explanation, not a team)."""
    client = login("staf_a")
    late = client.get(TEAM, {"periode": 7}).content.decode()
    assert f"Periode 7 tidak dikenal untuk tahun SKP {YEAR}. Ditampilkan periode berjalan." in late
    assert "tidak menilai pegawai mana pun" in late and "team-table" not in late
    beside = client.get(TEAM, {"unit": cast.puskesmas.pk}).content.decode()
    assert (
        "Unit kerja Puskesmas Sukamaju tidak termasuk unit tim Anda. Ditampilkan semua unit."
        in beside
    )
    unknown = client.get(TEAM, {"unit": 999_999}).content.decode()
    assert "Unit kerja dengan id 999999 tidak ditemukan. Ditampilkan semua unit." in unknown
    assert "tidak menilai pegawai mana pun" in unknown and "Bambang Pamungkas" not in unknown


def test_team_queries_do_not_grow_with_the_team(
    cast: Cast, team: tuple[Plan, Plan], login: Login
) -> None:
    staf_a_reports(cast, team[0])
    kasi = cast.user("kasi")
    team_queries.team_progress(kasi, year=YEAR)  # access facts cached on the user
    small = count(lambda: team_queries.team_progress(kasi, year=YEAR))
    client = login("kasi")
    page_small = count(lambda: client.get(TEAM))
    partial_small = count(lambda: client.get(TEAM, headers=HTMX))
    # Redrawing the period select costs nothing: the query that checks the period lists it.
    assert count(lambda: client.get(TEAM, headers=FORM)) == partial_small
    for pegawai in add_staf(cast, 4):
        approved_skp_with_entry(cast, pegawai)
    assert len(team_queries.team_progress(kasi, year=YEAR).rows) == 6
    assert count(lambda: team_queries.team_progress(kasi, year=YEAR)) == small
    assert count(lambda: client.get(TEAM)) == page_small
    assert count(lambda: client.get(TEAM, headers=HTMX)) == partial_small
    assert count(lambda: client.get(TEAM, headers=FORM)) == partial_small
    print(f"team: {small} queries, page {page_small}, partial {partial_small}")
    assert small <= 14, small


# --- the unit roll-up -------------------------------------------------------------------------


def test_unit_rollup_numbers(cast: Cast, team: tuple[Plan, Plan]) -> None:
    staf_a_reports(cast, team[0])
    rows = team_queries.unit_rollup(cast.user("kadis"), cast.dinkes, year=YEAR)
    by_unit = {r.unit_id: r for r in rows}
    assert [r.unit_id for r in rows] == [cast.dinkes.pk, cast.bidang.pk, cast.puskesmas.pk]
    assert rows[0].is_self and (rows[0].pegawai, rows[0].approved) == (1, 0)
    bidang = by_unit[cast.bidang.pk]
    # kabid, kasi (kasi's SKP is a draft), staf_a (60 %), staf_b (0 %)
    assert (bidang.pegawai, bidang.approved, bidang.reported) == (4, 2, 1)
    assert bidang.progress == Decimal("30.00")
    assert (by_unit[cast.puskesmas.pk].pegawai, by_unit[cast.puskesmas.pk].progress) == (2, None)
    total = team_queries.rollup_total(rows)
    assert (total.pegawai, total.approved, total.reported, total.progress) == (
        7, 2, 1, Decimal("30.00")
    )  # fmt: skip
    seksi = team_queries.unit_rollup(cast.user("kabid"), cast.bidang, year=YEAR)
    assert [(r.name, r.pegawai, r.approved) for r in seksi] == [
        ("Bidang Pelayanan Kesehatan", 1, 0),
        ("Seksi Pelayanan Primer", 3, 2),
    ]


def test_unit_rollup_queries_do_not_grow(cast: Cast, team: tuple[Plan, Plan]) -> None:
    staf_a_reports(cast, team[0])
    kadis = cast.user("kadis")
    small = count(lambda: team_queries.unit_rollup(kadis, cast.dinkes, year=YEAR))
    for pegawai in add_staf(cast, 4):
        approved_skp_with_entry(cast, pegawai)
    assert count(lambda: team_queries.unit_rollup(kadis, cast.dinkes, year=YEAR)) == small
    print(f"unit roll-up: {small} queries")
    assert small <= 7, small  # 6 for the progress, 1 for the overdue follow-ups


@pytest.mark.parametrize(
    ("who", "unit", "code"),
    [
        ("kadis", "dinkes", 200),
        ("kabid", "bidang", 200),
        ("kabid", "seksi", 200),  # a head sees the units below
        ("kabid", "dinkes", 403),  # not above
        ("kapus", "bidang", 403),  # nor beside
        ("kasi", "seksi", 200),
        ("staf_a", "seksi", 403),
        ("admin", "dinkes", 200),
        ("auditor", "seksi", 200),
        ("outsider", "seksi", 404),  # another instansi's unit: as an unknown one
    ],
)
def test_who_may_read_the_unit_page(
    cast: Cast, team: tuple[Plan, Plan], login: Login, who: str, unit: str, code: int
) -> None:
    target = getattr(cast, unit)
    response = login(who).get(UNIT, {"unit": target.pk})
    assert response.status_code == code
    if code == 200:
        assert target.name in response.content.decode()


def test_unit_page_defaults_and_drills_down(
    cast: Cast, team: tuple[Plan, Plan], login: Login
) -> None:
    staf_a_reports(cast, team[0])
    client = login("kabid")
    html = client.get(UNIT).content.decode()
    assert "Bidang Pelayanan Kesehatan · " in html
    assert f'href="/realisasi/unit/?unit={cast.seksi.pk}&amp;tahun={YEAR}"' in html
    assert "30 %" in html
    # The minute refresh asks with the filters as they are now, not the year of the first load.
    assert 'hx-get="/realisasi/unit/" hx-include="#unit-filters" hx-trigger="every 60s"' in html
    partial = client.get(UNIT, {"unit": cast.seksi.pk}, headers=HTMX).content.decode()
    assert "<html" not in partial and "Seksi Pelayanan Primer" in partial
    assert f"?unit={cast.bidang.pk}" in partial  # up to the bidang, which kabid heads
    assert login("staf_b").get(UNIT).status_code == 403
    assert login("admin").get(UNIT).status_code == 200
    assert login("kabid").get(UNIT, {"unit": "x"}).status_code == 404


def test_unit_page_says_why_a_unit_is_refused(
    cast: Cast, team: tuple[Plan, Plan], login: Login
) -> None:
    """As the API (team_access.chosen_unit): a unit above the kabid's is outside what he heads;
    the kota's unit is not found, for the admin as for an unknown id."""
    above = login("kabid").get(UNIT, {"unit": cast.dinkes.pk})
    assert above.status_code == 403
    assert "Unit kerja Dinas Kesehatan berada di luar unit yang Anda pimpin." in (
        above.content.decode()
    )
    staf = login("staf_a").get(UNIT, {"unit": cast.seksi.pk})
    assert staf.status_code == 403 and "hanya untuk pimpinan unit" in staf.content.decode()
    kota_unit = UnitKerja.objects.get(instansi=cast.kota).pk
    assert login("admin").get(UNIT, {"unit": kota_unit}).status_code == 404


# --- helpers ----------------------------------------------------------------------------------


def count(action: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        action()
    return len(ctx.captured_queries)


def add_staf(cast: Cast, n: int) -> list[Pegawai]:
    """More pelaksana in kasi's seksi (rated by kasi), each with a login."""
    made = []
    for seq in range(20, 20 + n):
        pegawai = org.pegawai_save(
            by=cast.superadmin, instansi=cast.kab,
            values={"nip": make_nip("19900101", "201501", "1", seq), "jenis_asn": "PNS",
                    "name": f"Staf Tambahan {seq}", "pangkat_golongan": "Pengatur (II/c)"},
        )  # fmt: skip
        org.penempatan_assign(
            by=cast.superadmin, pegawai=pegawai, jabatan=cast.j_staf, start_date=START
        )
        made.append(pegawai)
    return made


def approved_skp_with_entry(cast: Cast, pegawai: Pegawai) -> Skp:
    kasi = cast.user("kasi")
    assert pegawai.user is not None
    user = pegawai.user
    kasi_skp = Skp.objects.get(pegawai=cast.kasi, year=YEAR)
    top = plans.rhk_save(by=kasi, skp=kasi_skp, jenis="UTAMA", text=f"Layanan {pegawai.name}")
    [rhk] = plans.rhk_cascade(by=kasi, rhk=top, assignments=[(pegawai, "Posyandu")])
    iki = plans.iki_save(by=user, rhk=rhk, values=IKI_KUANTITAS)
    plans.skp_submit(by=user, skp=rhk.skp)
    plans.skp_approve(by=kasi, skp=rhk.skp)
    services.realisasi_record(
        by=user, iki=iki, day=TODAY, value="2", links=["https://drive.example.go.id/b"]
    )
    feedback_services.dialog_kinerja_add(
        by=kasi, skp=rhk.skp, period=2, held_on=date(YEAR, 5, 1), notes="Dialog",
        follow_ups=[feedback_services.FollowUp("Rekap", date(YEAR, 5, 3))],
    )  # fmt: skip
    return Skp.objects.get(pk=rhk.skp_id)


def test_the_latest_evidence_of_an_earlier_period_is_the_newest_up_to_it(
    cast: Cast, team: tuple[Plan, Plan], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan_a, _plan_b = team
    staf = cast.user("staf_a")
    fix_clock(monkeypatch, date(YEAR, 3, 20))
    services.realisasi_record(
        by=staf, iki=plan_a.iki, day=date(YEAR, 3, 20), value="2",
        links=["https://drive.example.go.id/triwulan-1"],
    )  # fmt: skip
    fix_clock(monkeypatch)
    services.realisasi_record(
        by=staf, iki=plan_a.iki, day=TODAY, value="3", links=["https://drive.example.go.id/tw-2"]
    )
    kasi = cast.user("kasi")
    now = rows_by_name(team_queries.team_progress(kasi, year=YEAR))["Dewi Lestari"]
    assert now.evidence is not None and now.evidence.url == "https://drive.example.go.id/tw-2"
    # TRIWULAN I chosen: its own newest evidence, not nothing because a later one ranks first
    earlier = rows_by_name(team_queries.team_progress(kasi, year=YEAR, period=1))["Dewi Lestari"]
    assert earlier.evidence is not None
    assert (earlier.evidence.url, earlier.evidence.date) == (
        "https://drive.example.go.id/triwulan-1", date(YEAR, 3, 20)
    )  # fmt: skip
    assert earlier.last_report == date(YEAR, 3, 20)
