"""Survey period calendar (pure): semester, triwulan or year → dates, label, neighbours.

A period key reads "SEMESTER-2026-1", "TRIWULAN-2026-3" or "TAHUN-2026-1". Keys exist for the
years FIRST_YEAR–LAST_YEAR (2000–2100) only: the first period has no previous one and the last no
next one (None). Which kind an instansi's pages show by default: `main_kind`. No Django imports.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from kinerja.core.text import Text

ROMAN = ("I", "II", "III", "IV")
PER_YEAR = {"SEMESTER": 2, "TRIWULAN": 4, "TAHUN": 1}
MONTHS = {"SEMESTER": 6, "TRIWULAN": 3, "TAHUN": 12}
NAMES = {"SEMESTER": "Semester", "TRIWULAN": "Triwulan", "TAHUN": "Tahun"}
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True, order=True)
class PeriodKey:
    kind: str
    year: int
    number: int

    def __post_init__(self) -> None:
        if self.kind not in PER_YEAR:
            raise ValueError(Text("jenis periode '%(kind)s' tidak dikenal", kind=self.kind[:20]))
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise ValueError(
                Text(
                    "tahun %(year)s di luar rentang %(first)s–%(last)s",
                    year=self.year,
                    first=FIRST_YEAR,
                    last=LAST_YEAR,
                )
            )
        if not 1 <= self.number <= PER_YEAR[self.kind]:
            raise ValueError(
                Text("%(name)s ke-%(number)s tidak ada", name=NAMES[self.kind], number=self.number)
            )

    @property
    def text(self) -> str:
        return f"{self.kind}-{self.year}-{self.number}"

    @property
    def start(self) -> date:
        return date(self.year, (self.number - 1) * MONTHS[self.kind] + 1, 1)

    @property
    def end(self) -> date:
        month = self.number * MONTHS[self.kind]
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def label(self) -> str:
        if self.kind == "TAHUN":
            return f"Tahun {self.year}"
        return f"{NAMES[self.kind]} {ROMAN[self.number - 1]} {self.year}"

    def previous(self) -> PeriodKey | None:
        """The period before this one; None for the first period of FIRST_YEAR."""
        if self.number > 1:
            return PeriodKey(self.kind, self.year, self.number - 1)
        if self.year == FIRST_YEAR:
            return None
        return PeriodKey(self.kind, self.year - 1, PER_YEAR[self.kind])

    def next(self) -> PeriodKey | None:
        """The period after this one; None for the last period of LAST_YEAR."""
        if self.number < PER_YEAR[self.kind]:
            return PeriodKey(self.kind, self.year, self.number + 1)
        if self.year == LAST_YEAR:
            return None
        return PeriodKey(self.kind, self.year + 1, 1)


def parse_key(text: str) -> PeriodKey:
    """ "SEMESTER-2026-1" → PeriodKey; ValueError with an Indonesian reason otherwise."""
    parts = text.strip().upper().split("-")
    digits = all(p.isascii() and p.isdigit() and len(p) <= 4 for p in parts[1:])
    if len(parts) != 3 or not digits:
        shown = text.replace("\x00", "")[:40]
        raise ValueError(
            Text("periode '%(key)s' tidak dikenal; contoh: SEMESTER-2026-1", key=shown)
        )
    return PeriodKey(parts[0], int(parts[1]), int(parts[2]))


def key_on(kind: str, day: date) -> PeriodKey:
    """The period of this kind holding `day`."""
    return PeriodKey(kind, day.year, (day.month - 1) // MONTHS[kind] + 1)


def main_kind(uses: Iterable[tuple[int, PeriodKey]]) -> str | None:
    """The period kind used by the most layanan, from (layanan id, key) pairs: each layanan
    counts once per kind however many periods of it it opened (four triwulan are not two
    semesters' worth of votes). A tie goes to the first kind of PER_YEAR (semester, triwulan,
    year); None without any period."""
    users: Counter[str] = Counter(kind for _layanan, kind in {(i, k.kind) for i, k in uses})
    if not users:
        return None
    order = list(PER_YEAR)
    return min(users, key=lambda kind: (-users[kind], order.index(kind)))


def latest_keys(uses: Iterable[tuple[int, PeriodKey]], limit: int = 8) -> list[PeriodKey]:
    """The last `limit` keys of the `main_kind` among (layanan id, key) pairs, oldest first."""
    pairs = list(uses)
    kind = main_kind(pairs)
    keys = sorted({k for _layanan, k in pairs if k.kind == kind}, key=lambda k: k.start)
    return keys[-limit:] if limit > 0 else []


def newest_first(keys: Iterable[PeriodKey]) -> list[PeriodKey]:
    """Keys of every kind, the latest start first (a longer period first among those starting
    the same day: the year, its first semester, its first triwulan)."""
    return sorted(set(keys), key=lambda k: (k.start, k.end), reverse=True)
