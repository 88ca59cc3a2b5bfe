"""Team monitoring: every subordinate's progress this period, and the same rolled up per unit.

Both reads cost a fixed number of queries whatever the team or unit size: they choose the people
and `team_measure.measure_progress` measures them in bulk (its docstring has the queries, the
arithmetic and the project decisions on "tertinggal", "belum melapor" and "tanpa SKP"). The
measuring names stay importable from here, as they were before the split (`_measure` included).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.errors import NotFound, ServiceError
from kinerja.org.access import access_for
from kinerja.org.hierarchy import subordinate_ids
from kinerja.org.models import Pegawai, UnitKerja
from kinerja.plans.rules import Period, periods

from . import rules
from .feedback_models import TindakLanjut
from .feedback_services import check_period_among
from .team_measure import (
    BELUM_MELAPOR,
    DEFAULT_CADENCE,
    LAG_POINTS,
    PEOPLE_FIELDS,
    SESUAI,
    STATUS_LABELS,
    TANPA_SKP,
    TERTINGGAL,
    Evidence,
    MemberProgress,
    cadences_of,
    measure_progress,
    members_from_values,
    reference_day,
)
from .team_measure import measure_progress as _measure

__all__ = [
    "BELUM_MELAPOR",
    "DEFAULT_CADENCE",
    "LAG_POINTS",
    "PEOPLE_FIELDS",
    "SESUAI",
    "STATUS_LABELS",
    "TANPA_SKP",
    "TERTINGGAL",
    "Evidence",
    "MemberProgress",
    "TeamProgress",
    "UnitRow",
    "_measure",
    "rollup_total",
    "team_progress",
    "unit_rollup",
]


@dataclass
class TeamProgress:
    rows: list[MemberProgress]
    units: list[tuple[int, str]]  # the units the subordinates are in (for the filter)
    is_rater: bool
    year: int
    reference_day: date
    period: Period | None = None  # the period shown (of the first row with an approved SKP,
    # else of the reader's cadence)
    counts: dict[str, int] = field(default_factory=dict)  # per status, before the status filter
    unit_id: int | None = None  # the unit filter applied
    # Filters refused and left out (a period the year does not have, a unit not in `units`),
    # each with its field: the API answers with the first, the page shows them.
    refused: list[ServiceError] = field(default_factory=list)
    # The year's periods by the cadence of the reader's instansi (the period filter's choices).
    periods: list[Period] = field(default_factory=list)


# --- the team page ----------------------------------------------------------------------------


def team_progress(
    user: object,
    *,
    year: int,
    period: int | None = None,
    unit_id: int | None = None,
    status: str | None = None,
) -> TeamProgress:
    """Every pegawai the user rates today, with their progress this period (or `period`).
    `unit_id` keeps those in that unit's subtree; `status` those with that status.

    A `period` the year's cadence does not have, or a `unit_id` that is not one of `units`, is
    left out (the current period, all units) and listed in `refused` (`_unit_refused` says
    which answer). The filters are checked the same way for everyone: someone who rates nobody
    gets an empty team (`is_rater` false, no `units`), and their `period` and `unit_id` are
    refused as a rater's would be, so an API client learns of a bad filter whoever asks. The
    cadence is that of the reader's instansi (their pegawai's); an account without a pegawai
    (admin, auditor, superadmin: never a rater) is checked against the default quarterly one.

    One query reads the year's cadences of the reader's instansi and of the team's: the period
    filter's choices (`periods`), its check and the measuring share it."""
    access = access_for(user)
    today = timezone.localdate()
    home = access.home_instansi_id
    ids = (
        subordinate_ids(Pegawai(pk=access.pegawai_id))
        if access.pegawai_id is not None and home is not None
        else set()
    )
    found = (
        list(Pegawai.objects.filter(pk__in=ids).order_by("name", "id").values(*PEOPLE_FIELDS))
        if ids
        else []
    )
    instansi_ids = {r["instansi_id"] for r in found} | ({home} if home is not None else set())
    cadences = cadences_of(instansi_ids, year)
    year_periods = periods(year, cadences[home] if home is not None else DEFAULT_CADENCE)
    refused: list[ServiceError] = []
    if period is not None:
        try:
            check_period_among(year_periods, year, period)
        except ServiceError as problem:
            refused.append(problem)
            period = None
    people = members_from_values(found)
    seen: dict[int, tuple[str, str]] = {}
    for p in people:
        if p.unit_id is not None:
            seen[p.unit_id] = (p.unit_path, p.unit_name)
    units = [(uid, name) for uid, (_path, name) in sorted(seen.items(), key=lambda u: u[1][0])]
    if unit_id is not None and unit_id not in seen:
        refused.append(_unit_refused(user, unit_id))
        unit_id = None
    if not ids:
        day = reference_day(year, today)
        return TeamProgress([], [], False, year, day, refused=refused, periods=year_periods)
    if unit_id is not None:
        path = seen[unit_id][0]
        people = [p for p in people if p.unit_path.startswith(path)]
    chosen_ids = [p.pegawai_id for p in people]
    measure_progress(
        people,
        Q(pegawai_id__in=chosen_ids),
        year=year,
        period=period,
        today=today,
        details=True,
        cadences=cadences,
    )
    counts = dict.fromkeys(STATUS_LABELS, 0)
    for p in people:
        counts[p.status] += 1
    shown = next((p.period for p in people if p.period is not None), None)
    if shown is None:  # nobody with an approved SKP that year: the period asked for, or today's
        day = reference_day(year, today)
        shown = next(
            (
                p
                for p in year_periods
                if p.number == period or (period is None and p.start <= day <= p.end)
            ),
            None,
        )
    if status:
        people = [p for p in people if p.status == status]
    return TeamProgress(
        people, units, True, year, reference_day(year, today), shown, counts, unit_id, refused,
        year_periods,
    )  # fmt: skip


def _unit_refused(user: object, unit_id: int) -> ServiceError:
    """Why `unit_id` is not a filter of the team: no such unit (or one of an instansi the user
    may not see) is a 404, another unit (none of the team works in it) a 400; both name
    `unit_id`. Someone who rates nobody has no team units, so any unit is refused the same
    way: a unit of an instansi they may read is a 400, one they may not (or none) a 404 —
    the answer a rater gets, and no way to learn which ids exist in another instansi."""
    name = (
        UnitKerja.objects.visible_to(user).filter(pk=unit_id).values_list("name", flat=True).first()
    )
    if name is None:
        return NotFound(
            _("Unit kerja dengan id %(unit_id)s tidak ditemukan.") % {"unit_id": unit_id},
            field="unit_id",
        )
    return ServiceError(
        _("Unit kerja %(name)s tidak termasuk unit tim Anda.") % {"name": name},
        field="unit_id",
    )


# --- the unit roll-up -------------------------------------------------------------------------


@dataclass
class UnitRow:
    unit_id: int
    name: str
    is_self: bool  # the unit's own pegawai (not its sub-units)
    pegawai: int = 0
    approved: int = 0  # with an approved current SKP
    reported: int = 0  # of those, with an entry this period
    lagging: int = 0
    overdue: int = 0  # follow-ups of dialog kinerja of the year past their due date, not done
    progress: Decimal | None = None  # mean of the pegawai means
    _percents: list[Decimal] = field(default_factory=list, repr=False)


def unit_rollup(user: object, unit: UnitKerja, *, year: int) -> list[UnitRow]:
    """The unit's own pegawai, then each direct sub-unit with its whole subtree; the caller
    checks that the user may see the unit. A fixed number of queries whatever the unit size."""
    children = list(
        UnitKerja.objects.filter(parent_id=unit.pk).order_by("path").values("id", "name", "path")
    )
    own = UnitRow(unit.pk, unit.name, True)
    rows = [own] + [UnitRow(c["id"], c["name"], False) for c in children]
    paths = [(c["path"], rows[i + 1]) for i, c in enumerate(children)]
    in_unit = Q(instansi_id=unit.instansi_id, jabatan__unit__path__startswith=unit.path)
    people = members_from_values(Pegawai.objects.filter(in_unit).order_by().values(*PEOPLE_FIELDS))
    today = timezone.localdate()
    measure_progress(
        people,
        Q(
            pegawai__instansi_id=unit.instansi_id,
            pegawai__jabatan__unit__path__startswith=unit.path,
        ),
        year=year,
        period=None,
        today=today,
        details=False,
    )
    overdue = dict(
        TindakLanjut.objects.filter(
            dialog__instansi_id=unit.instansi_id,
            dialog__skp__year=year,
            dialog__skp__pegawai__jabatan__unit__path__startswith=unit.path,
            done_at__isnull=True,
            due_date__lt=today,
        )
        .values_list("dialog__skp__pegawai_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for p in people:
        target = next((r for path, r in paths if p.unit_path.startswith(path)), own)
        target.pegawai += 1
        target.overdue += overdue.get(p.pegawai_id, 0)
        if p.approved:
            target.approved += 1
            if p.iki_reported:
                target.reported += 1
            if p.status == TERTINGGAL:
                target.lagging += 1
            if p.progress is not None:
                target._percents.append(p.progress)
    for r in rows:
        r.progress = rules.mean_percent(r._percents)
    return rows


def rollup_total(rows: list[UnitRow]) -> UnitRow:
    total = UnitRow(0, "", False)
    for r in rows:
        total.pegawai += r.pegawai
        total.approved += r.approved
        total.reported += r.reported
        total.lagging += r.lagging
        total.overdue += r.overdue
        total._percents.extend(r._percents)
    total.progress = rules.mean_percent(total._percents)
    return total
