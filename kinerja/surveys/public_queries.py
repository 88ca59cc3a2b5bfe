"""The public transparency page's figures: the instansi's IKM per unit and layanan in its latest
period and the trend over periods, aggregates only, and none below PUBLIC_MIN_RESPONDENTS
(one answer would be readable). Built on the shaped reads of queries.py."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from . import rules
from .models import Layanan, SkmResponse
from .periods import PeriodKey
from .queries import IkmRow, Overview, Totals, grouped, latest_keys, overview, period_ids

PUBLIC_MIN_RESPONDENTS = 5


@dataclass
class PublicPage:
    """Aggregates only: no answer, saran or petugas leaves through this."""

    key: PeriodKey | None
    overview: Overview | None
    trend: list[tuple[PeriodKey, rules.IkmResult | None]]


def public_page(instansi_id: int) -> PublicPage:
    keys = latest_keys(instansi_id)
    if not keys:
        return PublicPage(None, None, [])
    layanan = Layanan.objects.filter(instansi_id=instansi_id, active=True)
    ids = period_ids(layanan, keys)
    per_key: dict[PeriodKey, Totals] = defaultdict(Totals)
    if ids:
        qs = SkmResponse.objects.filter(instansi_id=instansi_id, period_id__in=list(ids))
        for (period_id,), totals in grouped(qs, "period_id"):
            per_key[ids[period_id]].add(totals.n, totals.sums)
    trend = [(k, _public(per_key[k].result())) for k in keys]
    view = overview(layanan, instansi_id, keys[-1])
    view.layanan = [_public_row(r) for r in view.layanan]
    view.units = [_public_row(r) for r in view.units]
    view.total = _public_row(view.total)
    return PublicPage(keys[-1], view, trend)


def _public_row(row: IkmRow) -> IkmRow:
    return replace(row, result=_public(row.result), previous=_public(row.previous))


def _public(result: rules.IkmResult | None) -> rules.IkmResult | None:
    if result is None or result.respondents < PUBLIC_MIN_RESPONDENTS:
        return None
    return result
