"""Rencana tindak lanjut with the NRR of their unsur in their period and in the next one, for
any number of them in one query (the RTL lists, the layanan page, the API)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Q, Sum

from . import rules
from .models import UNSUR_FIELDS, RencanaTindakLanjut, SkmResponse
from .periods import PeriodKey

# ("layanan" or "unit", its id, period key) → (respondents, the sum of each unsur); a unit's
# entry adds up the layanan in it now, as the overview's unit rows count them.
Scope = tuple[str, int, PeriodKey]
Totals = dict[Scope, tuple[int, tuple[int, ...]]]


@dataclass(frozen=True)
class FollowUp:
    item: RencanaTindakLanjut
    unsur_label: str
    nrr_then: Decimal | None
    nrr_next: Decimal | None

    @property
    def improved(self) -> bool | None:
        if self.nrr_then is None or self.nrr_next is None:
            return None
        return self.nrr_next > self.nrr_then


def _key(item: RencanaTindakLanjut) -> PeriodKey:
    return PeriodKey(item.kind, item.year, item.number)


def _totals(items: list[RencanaTindakLanjut]) -> Totals:
    """The answers of every layanan the actions concern (a layanan's own, or every layanan in
    a unit now, as the overview's unit rows count them) in their periods and the next ones:
    one GROUP BY query."""
    keys = {k for item in items for k in (_key(item), _key(item).next()) if k is not None}
    if not items or not keys:
        return {}
    periods = reduce(
        or_, (Q(period__kind=k.kind, period__year=k.year, period__number=k.number) for k in keys)
    )
    layanan = {i.layanan_id for i in items if i.layanan_id}
    units = {i.unit_id for i in items if not i.layanan_id}
    concerned = Q(layanan_id__in=layanan) | Q(layanan__unit_id__in=units)
    rows = (
        SkmResponse.objects.filter(
            periods, concerned, instansi_id__in={i.instansi_id for i in items}
        )
        .values("layanan_id", "layanan__unit_id", "period__kind", "period__year", "period__number")
        .annotate(n=Count("*"), **{name: Sum(name) for name in UNSUR_FIELDS})
        .order_by()
    )
    totals: Totals = {}
    for found in rows:
        row: dict[str, Any] = dict(found)
        key = PeriodKey(row["period__kind"], row["period__year"], row["period__number"])
        sums = tuple(int(row[name]) for name in UNSUR_FIELDS)
        scopes: list[Scope] = [
            ("layanan", row["layanan_id"], key),
            ("unit", row["layanan__unit_id"], key),
        ]
        for scope in scopes:
            n, before = totals.get(scope, (0, (0,) * len(UNSUR_FIELDS)))
            totals[scope] = (n + row["n"], tuple(a + b for a, b in zip(before, sums, strict=True)))
    return totals


def _nrr(totals: Totals, item: RencanaTindakLanjut, key: PeriodKey | None) -> Decimal | None:
    """NRR of the action's unsur over its scope's answers in period `key` (None: no answers)."""
    if key is None:
        return None
    scope: Scope = (
        ("layanan", item.layanan_id, key) if item.layanan_id else ("unit", item.unit_id, key)
    )
    n, sums = totals.get(scope, (0, ()))
    return rules.round_half_up(Fraction(sums[item.unsur - 1], n), 4) if n else None


def follow_ups(items: Iterable[RencanaTindakLanjut]) -> list[FollowUp]:
    """Each action with the NRR of its unsur in its period and in the next one."""
    listed = list(items)
    totals = _totals(listed)
    return [
        FollowUp(
            item,
            rules.UNSUR[item.unsur - 1][1],
            _nrr(totals, item, _key(item)),
            _nrr(totals, item, _key(item).next()),
        )
        for item in listed
    ]
