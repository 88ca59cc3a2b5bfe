"""Petugas feedback only in fixed windows (triwulan, semester, year), never below 3
responses, and never so that a smaller window can be read as a difference of the shown ones."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kinerja.org.testing import Cast
from kinerja.surveys.models import SkmResponse, SurveyPeriod
from kinerja.surveys.periods import PeriodKey
from kinerja.surveys.petugas_queries import petugas_year

from .factories import add_answers

Login = Callable[[str], Client]
API = "/api/v1/skm/petugas"
ONE = (1, 2, 3, 4, 1, 2, 3, 4, 1)  # one citizen's answers: never readable


def _answers_in(
    period: SurveyPeriod, cast: Cast, key: PeriodKey, rows: list[tuple[int, ...]]
) -> None:
    made = add_answers(period, rows, petugas=cast.perawat)
    moment = datetime.combine(key.start, time(10), tzinfo=timezone.get_current_timezone())
    SkmResponse.objects.filter(pk__in=[r.pk for r in made]).update(created_at=moment)


@pytest.fixture
def year_2025(cast: Cast, period: SurveyPeriod) -> int:
    """Responses naming the perawat: triwulan I one, II four, III and IV six each."""
    _answers_in(period, cast, PeriodKey("TRIWULAN", 2025, 1), [ONE])
    _answers_in(period, cast, PeriodKey("TRIWULAN", 2025, 2), [(4,) * 9] * 4)
    _answers_in(period, cast, PeriodKey("TRIWULAN", 2025, 3), [(3,) * 9] * 6)
    _answers_in(period, cast, PeriodKey("TRIWULAN", 2025, 4), [(3,) * 9] * 6)
    return 2025


def _remainders(windows: dict[str, dict[str, object]]) -> list[int]:
    """Respondents the shown windows give away by subtraction: each shown window minus its
    nearest shown parts (year → semester → triwulan)."""

    def n(key: str) -> int | None:
        f = windows[key]["feedback"]
        return f["respondents"] if isinstance(f, dict) else None

    out = []
    for s in (1, 2):
        parts = [n(f"TRIWULAN-2025-{q}") for q in (2 * s - 1, 2 * s)]
        if (total := n(f"SEMESTER-2025-{s}")) is not None:
            out.append(total - sum(p or 0 for p in parts))
    year = n("TAHUN-2025-1")
    if year is not None:
        halves = [n(f"SEMESTER-2025-{s}") for s in (1, 2)]
        subtract = 0
        for s, half in enumerate(halves, 1):
            if half is not None:
                subtract += half
            else:
                subtract += sum(n(f"TRIWULAN-2025-{q}") or 0 for q in (2 * s - 1, 2 * s))
        out.append(year - subtract)
    return out


def test_a_small_triwulan_is_not_the_semester_minus_the_other(
    login: Login, cast: Cast, year_2025: int
) -> None:
    client = login("kapus")
    keys = ["TAHUN-2025-1", "SEMESTER-2025-1", "SEMESTER-2025-2"]
    keys += [f"TRIWULAN-2025-{q}" for q in range(1, 5)]
    windows = {k: client.get(f"{API}/{cast.perawat.pk}", {"period": k}).json() for k in keys}
    assert windows["TRIWULAN-2025-1"]["withheld"] == "below_minimum"
    # 4 respondents is enough on its own, but semester I (5) minus it would be the one citizen
    assert windows["TRIWULAN-2025-2"]["withheld"] == "complementary"
    assert windows["TRIWULAN-2025-2"]["feedback"] is None
    assert windows["SEMESTER-2025-1"]["feedback"]["respondents"] == 5
    assert windows["TAHUN-2025-1"]["feedback"]["respondents"] == 17
    assert windows["TRIWULAN-2025-3"]["feedback"]["respondents"] == 6
    assert all(rest == 0 or rest >= 3 for rest in _remainders(windows))
    page = client.get(f"/skm/petugas/{cast.perawat.pk}/?tahun=2025").content.decode()
    assert "disembunyikan" in page and 'id="complementary-note"' in page
    assert page.count('class="muted">kurang dari 3 responden') == 1  # triwulan I only


def test_the_year_is_one_query(cast: Cast, year_2025: int) -> None:
    with CaptureQueriesContext(connection) as queries:
        windows = petugas_year(cast.perawat.pk, 2025)
    assert len(queries) == 1 and len(windows) == 7
    assert [w.key.text for w in windows][:3] == [
        "TAHUN-2025-1",
        "SEMESTER-2025-1",
        "SEMESTER-2025-2",
    ]


@pytest.mark.parametrize(
    "query",
    [{"start": "2025-01-01", "end": "2025-03-31"}, {"start": "2025-01-01"},
     {"end": "2025-03-31", "period": "TAHUN-2025-1"}],
)  # fmt: skip
def test_free_date_windows_are_refused(login: Login, cast: Cast, query: dict[str, str]) -> None:
    answer = login("kapus").get(f"{API}/{cast.perawat.pk}", query)
    body = answer.json()
    assert answer.status_code == 400 and body["code"] == "invalid"
    assert "Rentang tanggal bebas" in body["detail"] and "TRIWULAN-2026-1" in body["detail"]
    assert body["errors"][0]["field"] in {"start", "end"}


def test_the_free_window_refusal_speaks_english_when_asked(login: Login, cast: Cast) -> None:
    answer = login("kapus").get(
        f"{API}/{cast.perawat.pk}", {"start": "2025-01-01"}, headers={"Accept-Language": "en"}
    )
    assert answer.status_code == 400
    assert answer.json()["detail"].startswith(
        "Free date ranges (start/end) are not accepted: two ranges one day apart would reveal"
    )


@pytest.mark.parametrize(
    ("period", "field_message"),
    [(None, "Pilih periode"), ("TAHUN-1999-1", "2000–2100"), ("TAHUN-9999999-1", "tidak dikenal"),
     ("TRIWULAN-2025-5", "ke-5 tidak ada"),
     ("BULAN-2025-1", "tidak dikenal")],
)  # fmt: skip
def test_bad_periods_are_refused(
    login: Login, cast: Cast, period: str | None, field_message: str
) -> None:
    answer = login("kapus").get(f"{API}/{cast.perawat.pk}", {"period": period} if period else {})
    assert answer.status_code == 400, answer.content
    assert field_message in answer.json()["detail"]
    assert answer.json()["errors"][0]["field"] == "period"


@pytest.mark.parametrize("tahun", ["1999", "2101", "99999", "²⁰²⁵", "9" * 5000, "-2025"])
def test_an_implausible_year_on_the_page_shows_this_year(
    login: Login, cast: Cast, tahun: str
) -> None:
    answer = login("perawat").get(f"/skm/petugas/{cast.perawat.pk}/", {"tahun": tahun})
    assert answer.status_code == 200
    assert f"· {timezone.localdate().year}</p>" in answer.content.decode()


def test_the_edges_of_the_calendar(login: Login, cast: Cast) -> None:
    client = login("perawat")
    for period in ("TRIWULAN-2000-1", "TAHUN-2100-1"):
        answer = client.get(f"{API}/{cast.perawat.pk}", {"period": period})
        assert answer.status_code == 200 and answer.json()["withheld"] == "below_minimum"
    assert client.get(f"/skm/petugas/{cast.perawat.pk}/", {"tahun": "2100"}).status_code == 200


def test_the_internal_window_is_bounded(cast: Cast, period: SurveyPeriod) -> None:
    from datetime import date

    from kinerja.surveys.queries import petugas_feedback

    add_answers(period, [(4,) * 9] * 3, petugas=cast.perawat)
    found = petugas_feedback(cast.perawat.pk, date.min, date.max)  # was an OverflowError
    assert found is not None and found.respondents == 3
    assert petugas_feedback(cast.perawat.pk, date(1990, 1, 1), date(1999, 12, 31)) is None
