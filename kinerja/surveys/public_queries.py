"""The public transparency page's figures: the instansi's IKM per unit and layanan in its latest
period and the trend over periods, aggregates only, and none below PUBLIC_MIN_RESPONDENTS
(one answer would be readable). Built on the shaped reads of queries.py.

The instansi total is the sum of its units and a unit's the sum of its layanan, so a withheld
small group could be read back by subtraction (total minus the figures shown). The figures
published are therefore chosen by `rules.publishable` over the tree instansi → unit →
layanan: next to a small group, the next-smallest figures are withheld too ("complementary")
until what the shown figures leave over is either nothing or at least the minimum. The NRR
per unsur belong to the same respondents as their row's IKM and go with it. Trend points are
the instansi total of other periods, each with nothing published below it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from kinerja.org.models import Instansi

from . import rules
from .models import Layanan, SkmResponse
from .periods import PeriodKey
from .queries import IkmRow, Totals, grouped, latest_keys, overview, period_ids

PUBLIC_MIN_RESPONDENTS = 5
Withheld = Literal["below_minimum", "complementary"]


@dataclass(frozen=True)
class PublicRow:
    """One published line; `result` is None when its figures are withheld, and why."""

    name: str
    unit_name: str
    result: rules.IkmResult | None
    withheld: Withheld | None


@dataclass
class PublicPage:
    """Aggregates only: no answer, saran or petugas leaves through this."""

    key: PeriodKey | None
    total: PublicRow | None
    units: list[PublicRow]
    layanan: list[PublicRow]
    trend: list[tuple[PeriodKey, rules.IkmResult | None]]

    @property
    def withheld_some(self) -> bool:
        """Whether any figure is withheld only to protect a small group (the footnote)."""
        return any(r.withheld == "complementary" for r in (*self.units, *self.layanan))


def instansi_by_code(code: str) -> Instansi | None:
    """The instansi of a transparency address; None for an unknown code or one holding NUL
    (PostgreSQL refuses NUL even in a lookup)."""
    if "\x00" in code:
        return None
    return Instansi.objects.filter(code=code).first()


def public_page(instansi_id: int) -> PublicPage:
    layanan = Layanan.objects.filter(instansi_id=instansi_id, active=True)
    keys = latest_keys(layanan)  # an inactive layanan's periods choose nothing either
    if not keys:
        return PublicPage(None, None, [], [], [])
    ids = period_ids(layanan, keys)
    per_key: dict[PeriodKey, Totals] = defaultdict(Totals)
    if ids:
        qs = SkmResponse.objects.filter(instansi_id=instansi_id, period_id__in=list(ids))
        for (period_id,), totals in grouped(qs, "period_id"):
            per_key[ids[period_id]].add(totals.n, totals.sums)
    trend = [(k, _public(per_key[k].result())) for k in keys]
    view = overview(layanan, instansi_id, keys[-1])
    rows = [view.total, *view.units, *view.layanan]
    unit_node = {row.id: 1 + i for i, row in enumerate(view.units)}
    parents: list[int | None] = [None] + [0] * len(view.units)
    parents += [unit_node[row.unit_id] for row in view.layanan]
    shown = rules.publishable([r.respondents for r in rows], parents, PUBLIC_MIN_RESPONDENTS)
    public = [_public_row(row, node in shown) for node, row in enumerate(rows)]
    units = public[1 : 1 + len(view.units)]
    return PublicPage(keys[-1], public[0], units, public[1 + len(view.units) :], trend)


def _public_row(row: IkmRow, shown: bool) -> PublicRow:
    if shown:
        return PublicRow(row.name, row.unit_name, row.result, None)
    small = row.respondents < PUBLIC_MIN_RESPONDENTS
    return PublicRow(row.name, row.unit_name, None, "below_minimum" if small else "complementary")


def _public(result: rules.IkmResult | None) -> rules.IkmResult | None:
    if result is None or result.respondents < PUBLIC_MIN_RESPONDENTS:
        return None
    return result
