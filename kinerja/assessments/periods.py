"""The evaluation periods of an instansi's year (its cadence, then the annual one). Reads only;
re-exported by `services`."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from kinerja.core.errors import ServiceError
from kinerja.plans.rules import Period, periods
from kinerja.progress.services import year_cadence

from .models import ANNUAL


def cadence_for(instansi_id: int, year: int) -> str:
    return year_cadence(instansi_id, year)


def evaluation_periods(instansi_id: int, year: int) -> list[Period]:
    """The periodic periods of the year, then the annual one (number 0)."""
    return [*periods(year, cadence_for(instansi_id, year)), annual_period(year)]


def annual_period(year: int) -> Period:
    return Period(ANNUAL, "TAHUNAN", date(year, 1, 1), date(year, 12, 31))


def evaluation_period(instansi_id: int, year: int, period: int) -> Period:
    for candidate in evaluation_periods(instansi_id, year):
        if candidate.number == period:
            return candidate
    raise ServiceError(
        _("Periode %(period)s tidak dikenal untuk tahun %(year)s.")
        % {"period": period, "year": year},
        field="period",
    )


def opens_on(instansi_id: int, year: int, period: int) -> date:
    """The first day a period may be evaluated: its start; the annual evaluation from the start
    of the year's last period."""
    if period == ANNUAL:
        return periods(year, cadence_for(instansi_id, year))[-1].start
    return evaluation_period(instansi_id, year, period).start
