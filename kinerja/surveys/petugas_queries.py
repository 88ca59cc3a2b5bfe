"""Petugas feedback in fixed windows: what respondents who named a pegawai as the petugas who
served them said, per triwulan, semester and year of the calendar (local time).

Only these windows are offered: any two free date windows differing by a day would give back
one citizen's answers as their difference. The windows nest (year = 2 semesters = 4
triwulan), so a window under PETUGAS_MIN_RESPONDENTS could still be read as, say, the year
minus the other three triwulan; the figures published are chosen by `rules.publishable` over
year → semester → triwulan, for the whole year at once whichever window is asked for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any, Literal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from . import rules
from .models import UNSUR_FIELDS, SkmResponse
from .periods import PER_YEAR, PeriodKey
from .queries import PETUGAS_MIN_RESPONDENTS, PetugasFeedback

Withheld = Literal["below_minimum", "complementary"]


@dataclass(frozen=True)
class PetugasWindow:
    key: PeriodKey
    feedback: PetugasFeedback | None  # None: withheld (or nobody named the petugas)
    withheld: Withheld | None


def year_windows(year: int) -> list[PeriodKey]:
    """The year, its semesters, its triwulan: a tree in this order (see `_PARENTS`)."""
    keys = [PeriodKey("TAHUN", year, 1)]
    keys += [PeriodKey("SEMESTER", year, n) for n in range(1, PER_YEAR["SEMESTER"] + 1)]
    keys += [PeriodKey("TRIWULAN", year, n) for n in range(1, PER_YEAR["TRIWULAN"] + 1)]
    return keys


_PARENTS: list[int | None] = [None, 0, 0, 1, 1, 2, 2]


def _local(key: PeriodKey) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    since = datetime.combine(key.start, time.min, tzinfo=zone)
    return since, datetime.combine(key.end + timedelta(days=1), time.min, tzinfo=zone)


def petugas_year(pegawai_id: int, year: int) -> list[PetugasWindow]:
    """Every fixed window of the year (year, semesters, triwulan; one query): the figures, or
    why they are withheld."""
    keys = year_windows(year)
    quarters = keys[3:]
    sums: dict[str, Any] = {}
    for q, key in enumerate(quarters):
        since, until = _local(key)
        inside = Q(created_at__gte=since, created_at__lt=until)
        sums[f"n{q}"] = Count("pk", filter=inside)
        sums |= {f"q{q}s{i}": Sum(name, filter=inside) for i, name in enumerate(UNSUR_FIELDS)}
    since, until = _local(keys[0])
    found = SkmResponse.objects.filter(
        petugas_id=pegawai_id, created_at__gte=since, created_at__lt=until
    ).aggregate(**sums)
    cells = [
        (int(found[f"n{q}"] or 0), [int(found[f"q{q}s{i}"] or 0) for i in range(9)])
        for q in range(len(quarters))
    ]
    totals = [_add(cells), _add(cells[:2]), _add(cells[2:]), *cells]
    shown = rules.publishable([n for n, _ in totals], _PARENTS, PETUGAS_MIN_RESPONDENTS)
    return [
        _window(pegawai_id, key, n, s, node in shown)
        for node, (key, (n, s)) in enumerate(zip(keys, totals, strict=True))
    ]


def petugas_window(pegawai_id: int, key: PeriodKey) -> PetugasWindow:
    """One fixed window, decided together with the rest of its year."""
    return next(w for w in petugas_year(pegawai_id, key.year) if w.key == key)


def _add(cells: list[tuple[int, list[int]]]) -> tuple[int, list[int]]:
    return sum(n for n, _ in cells), [sum(s[i] for _, s in cells) for i in range(9)]


def _window(pegawai_id: int, key: PeriodKey, n: int, sums: list[int], shown: bool) -> PetugasWindow:
    if not shown:
        small = n < PETUGAS_MIN_RESPONDENTS
        return PetugasWindow(key, None, "below_minimum" if small else "complementary")
    result = rules.ikm_from_sums(n, sums, [n] * 9)
    feedback = PetugasFeedback(
        pegawai_id, key.start, key.end, n, result.nrr[5], result.nrr[6], result
    )
    return PetugasWindow(key, feedback, None)
