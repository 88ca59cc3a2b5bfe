"""Which periods the public transparency page and the staff SKM page show when layanan of one
instansi use different kinds: the kind most layanan use (one layanan opening four triwulan
does not outweigh the others' semesters), only active layanan on the public page, and every
period of every kind in the staff page's list."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.cache import cache
from django.test import Client

from kinerja.org.models import UnitKerja
from kinerja.org.testing import Cast
from kinerja.surveys import services
from kinerja.surveys.models import Layanan, SurveyPeriod
from kinerja.surveys.periods import PeriodKey, latest_keys, main_kind, newest_first

from .factories import add_answers

Login = Callable[[str], Client]
PUBLIC_API = "/api/v1/publik/transparansi/KAB"
SIX = [(3,) * 9] * 6
SEMESTERS = [PeriodKey("SEMESTER", 2025, n) for n in (1, 2)]
TRIWULAN = [PeriodKey("TRIWULAN", 2025, n) for n in (1, 2, 3, 4)]


def test_the_kind_most_layanan_use_wins_whatever_the_number_of_its_periods() -> None:
    uses = [(1, k) for k in TRIWULAN] + [(2, k) for k in SEMESTERS] + [(3, SEMESTERS[0])]
    assert main_kind(uses) == "SEMESTER"
    assert latest_keys(uses) == SEMESTERS
    assert latest_keys(uses, limit=1) == [SEMESTERS[1]]
    more = [*uses, (4, TRIWULAN[0]), (5, TRIWULAN[1])]
    assert main_kind(more) == "TRIWULAN" and latest_keys(more, limit=2) == TRIWULAN[2:]
    assert main_kind([]) is None and latest_keys([]) == []


def test_a_tie_goes_to_semester_then_triwulan_whatever_the_order() -> None:
    year = PeriodKey("TAHUN", 2025, 1)
    assert main_kind([(1, TRIWULAN[3]), (2, SEMESTERS[0])]) == "SEMESTER"
    assert main_kind([(2, SEMESTERS[0]), (1, TRIWULAN[3])]) == "SEMESTER"
    assert main_kind([(1, year), (2, TRIWULAN[0])]) == "TRIWULAN"
    assert main_kind([(1, year), (1, year), (2, year)]) == "TAHUN"


def test_every_kind_newest_first() -> None:
    year = PeriodKey("TAHUN", 2025, 1)
    keys = newest_first([*SEMESTERS, *TRIWULAN, year, TRIWULAN[0]])
    assert [k.text for k in keys] == [
        "TRIWULAN-2025-4",
        "SEMESTER-2025-2",
        "TRIWULAN-2025-3",
        "TRIWULAN-2025-2",
        "TAHUN-2025-1",
        "SEMESTER-2025-1",
        "TRIWULAN-2025-1",
    ]


def _with_periods(cast: Cast, layanan: Layanan, keys: list[PeriodKey]) -> SurveyPeriod:
    """Open these periods for the layanan, six answers in the last one."""
    opened = [services.period_open(by=cast.admin, layanan=layanan, key=k) for k in keys]
    add_answers(opened[-1], SIX)
    return opened[-1]


def _new(cast: Cast, unit: UnitKerja, code: str) -> Layanan:
    return services.layanan_save(by=cast.admin, unit=unit, name=f"Layanan {code}", code=code)


def _public() -> tuple[str, int, list[str]]:
    cache.clear()  # the page is cached for 5 minutes
    api = Client().get(PUBLIC_API).json()
    return api["period"], api["total"]["respondents"], [t["period"] for t in api["trend"]]


def test_one_layanan_of_four_triwulan_does_not_outweigh_two_of_semesters(
    cast: Cast, layanan: Layanan, login: Login
) -> None:
    _with_periods(cast, layanan, SEMESTERS)
    _with_periods(cast, _new(cast, cast.puskesmas, "kia"), SEMESTERS)
    triwulan = _new(cast, cast.seksi, "e-tw")
    _with_periods(cast, triwulan, TRIWULAN)

    semesters = ["SEMESTER-2025-1", "SEMESTER-2025-2"]
    assert _public() == ("SEMESTER-2025-2", 12, semesters)
    page = login("admin").get("/skm/").content.decode()
    assert re.search(r"<h2>(.*?)</h2>", page).group(1).endswith("· Semester II 2025")  # type: ignore[union-attr]
    # The list offers every period of every kind, newest first, the default chosen.
    options = re.findall(r'<option value="([A-Z]+-\d+-\d)"( selected)?', page)
    assert options == [
        ("TRIWULAN-2025-4", ""),
        ("SEMESTER-2025-2", " selected"),
        ("TRIWULAN-2025-3", ""),
        ("TRIWULAN-2025-2", ""),
        ("SEMESTER-2025-1", ""),
        ("TRIWULAN-2025-1", ""),
    ]
    assert "Layanan e-tw" in login("admin").get("/skm/?periode=TRIWULAN-2025-4").content.decode()

    Layanan.objects.filter(pk=triwulan.pk).update(active=False)
    assert _public() == ("SEMESTER-2025-2", 12, semesters)


def test_inactive_layanan_do_not_choose_the_public_period(
    cast: Cast, layanan: Layanan, login: Login
) -> None:
    _with_periods(cast, layanan, SEMESTERS)
    closed = [_new(cast, cast.seksi, code) for code in ("tw-a", "tw-b")]
    for item in closed:
        _with_periods(cast, item, TRIWULAN)
    Layanan.objects.filter(pk__in=[c.pk for c in closed]).update(active=False)

    assert _public() == ("SEMESTER-2025-2", 6, ["SEMESTER-2025-1", "SEMESTER-2025-2"])
    # Staff still see them: two triwulan layanan against one of semesters.
    page = login("admin").get("/skm/").content.decode()
    assert "· Triwulan IV 2025</h2>" in page and 'value="SEMESTER-2025-2"' in page
