"""Progress per indicator and per RHK, from the entries in force. Reads only."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import F

from kinerja.plans.models import Iki, Skp, StatusSkp
from kinerja.plans.rules import Period

from . import rules
from .lineage import PlanIkis, plan_ikis
from .models import PeriodeTerkunci, Realisasi

# Project decision (rules.accumulates): Kuantitas and Biaya accumulate (the sum of the entries);
# Kualitas, Waktu and any IKI measured as a rate ("%", "persen", …) take the latest value.
SUMMED_ASPEK = rules.SUMMED_ASPEK


@dataclass
class IkiProgress:
    iki: Iki
    realised: Decimal | None
    percent: Decimal | None
    entries: list[Realisasi] = field(default_factory=list)

    @property
    def narrative_only(self) -> bool:
        return self.iki.target_value is None


def realised_value(iki: Iki, entries: list[Realisasi]) -> Decimal | None:
    """`entries` are the entries in force, newest first."""
    values = [e.value for e in entries if e.value is not None]
    if not values:
        return None
    if rules.accumulates(iki.aspek, iki.target_unit):
        return sum(values, Decimal(0))
    return values[0]


def iki_progress(
    skp: Skp, *, period: int | None = None, plan: PlanIkis | None = None
) -> dict[int, IkiProgress]:
    """Progress of every IKI of an SKP (for the year, or up to a period): two queries (one when
    the caller passes `plan`, what `lineage.plan_ikis(skp)` gave it). After a perubahan SKP an
    IKI's entries left on an earlier version (a period evaluated there) count with its own,
    newest first among them all."""
    ikis, copies = plan if plan is not None else plan_ikis(skp)
    entries = (
        Realisasi.objects.in_force()
        .filter(iki_id__in=[iki.pk for iki in ikis] + list(copies))
        .order_by("-date", "-id")
    )
    if period is not None:
        entries = entries.filter(period__lte=period)
    by_iki: dict[int, list[Realisasi]] = defaultdict(list)
    for entry in entries.prefetch_related("bukti"):
        by_iki[copies.get(entry.iki_id, entry.iki_id)].append(entry)
    result = {}
    for iki in ikis:
        mine = by_iki.get(iki.pk, [])
        realised = realised_value(iki, mine)
        percent = None
        if iki.target_value is not None and realised is not None:
            percent = rules.progress_percent(
                target=iki.target_value,
                realised=realised,
                baseline=iki.baseline,
                lower_is_better=iki.direction == "TURUN",
            )
        result[iki.pk] = IkiProgress(iki, realised, percent, mine)
    return result


def rhk_progress(progress: dict[int, IkiProgress]) -> dict[int, Decimal | None]:
    """The mean progress of each RHK's quantitative IKIs (None when none has a percentage)."""
    grouped: dict[int, list[Decimal]] = defaultdict(list)
    seen: set[int] = set()
    for item in progress.values():
        seen.add(item.iki.rhk_id)
        if item.percent is not None:
            grouped[item.iki.rhk_id].append(item.percent)
    return {rhk_id: rules.mean_percent(grouped[rhk_id]) for rhk_id in seen}


def locked_by(skp: Skp, period: Period) -> int | None:
    """The evaluation that locks the period's realisasi: the period's own number, 0 for the
    annual one, or None when the period is open. The assessments app writes a PeriodeTerkunci
    row on finalisation and removes it on reopening. A lock on an earlier version of the SKP
    (before a perubahan SKP) holds for its copy too."""
    versions = Skp.objects.filter(
        pegawai_id=skp.pegawai_id, year=skp.year, jabatan_id=skp.jabatan_id
    ).values("id")
    locked: int | None = (
        PeriodeTerkunci.objects.filter(skp_id__in=versions, period__in=[period.number, 0])
        .values_list("period", flat=True)
        .first()
    )
    return locked


def version_in_force(skp: Skp) -> Skp | None:
    """The approved version that has replaced `skp` by a perubahan SKP (the newest of the
    chain), or None while `skp` is in force: current, or not current while its perubahan waits
    for approval. No query for a current version."""
    if skp.is_current:
        return None
    return (
        Skp.objects.filter(
            pegawai_id=skp.pegawai_id, year=skp.year, jabatan_id=skp.jabatan_id,
            version__gt=skp.version, status=StatusSkp.DISETUJUI,
        )
        .order_by("-version")
        .first()
    )  # fmt: skip


def on_plan[M: models.Model](
    rows: models.QuerySet[M], skp: Skp, *, via: str = "skp", **lookup: object
) -> tuple[M, int] | None:
    """The row `lookup` finds on any version of `skp`'s plan (same pegawai, year and jabatan),
    with the id of the version that holds it now (`via`: the path to that SKP), or None. A
    perubahan SKP moves the running periods' rows to the approved version (an UPDATE), so a
    page or a client that read them before names the old version (docs/progress.md §6)."""
    plan = {f"{via}__pegawai_id": skp.pegawai_id, f"{via}__year": skp.year,
            f"{via}__jabatan_id": skp.jabatan_id}  # fmt: skip
    found = rows.filter(**lookup, **plan).annotate(holder_skp=F(via)).first()
    if found is None:
        return None
    return found, int(getattr(found, "holder_skp"))  # noqa: B009 - the annotation
