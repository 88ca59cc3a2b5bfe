"""Petugas service feedback (SKM) as evidence on the evaluation page of its period: shown to
the pegawai and their rater, aggregated and only from 3 responses, linked to the petugas page,
in a constant number of queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kinerja.org.testing import Cast
from kinerja.surveys import services as skm
from kinerja.surveys.models import SkmResponse, SurveyPeriod
from kinerja.surveys.periods import PeriodKey
from kinerja.surveys.tests.factories import add_answers

from ..models import ANNUAL, Evaluasi
from ..queries import skm_window_key
from ..testing import YEAR, evaluation

Login = Callable[[str], Client]


@pytest.fixture
def survey(cast: Cast) -> SurveyPeriod:
    layanan = skm.layanan_save(
        by=cast.admin, unit=cast.seksi, name="Loket Informasi", code="loket-info", population=50
    )
    return skm.period_open(by=cast.admin, layanan=layanan, key=PeriodKey("SEMESTER", YEAR, 1))


def named(survey: SurveyPeriod, cast: Cast, day: date, rows: list[tuple[int, ...]]) -> None:
    made = add_answers(survey, rows, petugas=cast.staf_a)
    moment = datetime.combine(day, time(10), tzinfo=timezone.get_current_timezone())
    SkmResponse.objects.filter(pk__in=[r.pk for r in made]).update(created_at=moment)


def url(evaluasi: Evaluasi) -> str:
    return f"/penilaian/{evaluasi.pk}/"


def test_feedback_of_the_period_is_evidence_for_pegawai_and_rater(
    cast: Cast, login: Login, survey: SurveyPeriod
) -> None:
    named(survey, cast, date(YEAR, 5, 2), [(4,) * 9, (4,) * 9, (3,) * 9])  # triwulan II
    named(survey, cast, date(YEAR, 2, 2), [(1,) * 9] * 3)  # triwulan I: not this period
    evaluasi = evaluation(cast, "staf_a", 2)
    for who in ("staf_a", "kasi"):
        page = login(who).get(url(evaluasi)).content.decode()
        assert 'id="umpan-balik-skm"' in page
        assert "menyebut pegawai ini sebagai petugas yang melayani, Triwulan II" in page
        assert '<td class="num">3</td><td class="num">3,6667</td>' in page
        assert "91,67 (A)" in page  # IKM konversi of (4, 4, 3); triwulan I is not counted
        assert f'href="/skm/petugas/{cast.staf_a.pk}/?tahun={YEAR}"' in page
    # Someone who may read the evaluation but is neither the pegawai nor the rater.
    assert 'id="umpan-balik-skm"' not in login("admin").get(url(evaluasi)).content.decode()


def test_under_three_responses_nothing_is_shown(
    cast: Cast, login: Login, survey: SurveyPeriod
) -> None:
    named(survey, cast, date(YEAR, 5, 2), [(4,) * 9, (2,) * 9])
    page = login("staf_a").get(url(evaluation(cast, "staf_a", 2))).content.decode()
    assert "Belum ada 3 responden yang menyebut pegawai ini pada periode ini." in page
    assert "U6 Kompetensi" not in page


def test_the_page_queries_do_not_grow_with_responses(
    cast: Cast, login: Login, survey: SurveyPeriod
) -> None:
    evaluasi = evaluation(cast, "staf_a", 2)
    client = login("kasi")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(evaluasi)).status_code == 200
        return len(captured)

    before = count()
    named(survey, cast, date(YEAR, 5, 2), [(4,) * 9] * 6)
    assert count() == before


@pytest.mark.parametrize(
    ("start", "end", "window"),
    [
        (date(2026, 4, 1), date(2026, 6, 30), "TRIWULAN-2026-2"),
        (date(2026, 7, 1), date(2026, 7, 31), "TRIWULAN-2026-3"),  # a month: its triwulan
        (date(2026, 1, 1), date(2026, 6, 30), "SEMESTER-2026-1"),
        (date(2026, 1, 1), date(2026, 12, 31), "TAHUN-2026-1"),
    ],
)
def test_the_window_holding_the_evaluation_period(start: date, end: date, window: str) -> None:
    assert skm_window_key(start, end).text == window


def test_the_annual_evaluation_shows_the_year(
    cast: Cast, login: Login, survey: SurveyPeriod
) -> None:
    named(survey, cast, date(YEAR, 5, 2), [(4,) * 9] * 3)
    page = login("staf_a").get(url(evaluation(cast, "staf_a", ANNUAL))).content.decode()
    assert f"yang melayani, Tahun {YEAR};" in page
    assert "100,00 (A)" in page
