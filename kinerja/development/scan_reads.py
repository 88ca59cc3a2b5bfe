"""The batched reads of the early-warning scan: for a batch of SKPs of one instansi and one
period, a fixed number of queries whatever the batch size (entries in force of the period per
SKP, the final predikat per SKP, the progress of the quantitative IKIs per SKP, the open cases
of the batch's pegawai). Each result is the same as the one-SKP read in `scan.triggers_for`.

Why not `progress.team_queries`: the team page averages only the IKIs whose percentage is
defined (an IKI whose target equals its baseline is left out) and rounds half-even; the early
warning counts such an IKI as 0 % and rounds half up. The numbers differ, so the scan keeps its
own definition (`scan.skp_progress`) and this module reads the same in bulk.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, OuterRef, Subquery, Sum, Window
from django.db.models.functions import RowNumber

from kinerja.assessments.models import Evaluasi, StatusEvaluasi
from kinerja.plans.models import Iki, Skp
from kinerja.progress import rules as progress_rules
from kinerja.progress.lineage import earlier_copies
from kinerja.progress.models import Realisasi

from . import rules
from .models import Kasus, StatusKasus


@dataclass(frozen=True)
class SkpFacts:
    """What the triggers need of one SKP and one period."""

    entries: int  # entries in force in the period
    predikat: str  # the period's final predikat, "" when not final
    progress: Decimal | None  # the mean of the quantitative IKIs up to the period


def batch_facts(skp_ids: Collection[int], *, instansi_id: int, period: int) -> dict[int, SkpFacts]:
    """Five queries for the whole batch (the SKPs belong to `instansi_id`)."""
    if not skp_ids:
        return {}
    versions = with_earlier_versions(skp_ids, instansi_id=instansi_id)
    entries = entry_counts(versions, instansi_id=instansi_id, period=period)
    predikat = final_predikat(versions, instansi_id=instansi_id, period=period)
    progress = batch_progress(skp_ids, instansi_id=instansi_id, period=period, versions=versions)
    return {
        skp_id: SkpFacts(entries.get(skp_id, 0), predikat.get(skp_id, ""), progress[skp_id])
        for skp_id in skp_ids
    }


def with_earlier_versions(skp_ids: Collection[int], *, instansi_id: int) -> dict[int, int]:
    """Each SKP of the batch → itself, and each earlier version of it (same pegawai, year and
    jabatan, replaced by a perubahan SKP) → it; one query.

    A period evaluated before a perubahan keeps its entries and its evaluation on the version
    it was evaluated on (progress.services_versions), while the scan reads the current version:
    the period's entries and predikat are read over every version (a row of a period is on one
    version only: the move is an UPDATE, never a copy)."""
    ids = list(skp_ids)
    same_plan = Skp.objects.filter(
        pk__in=ids, pegawai_id=OuterRef("pegawai_id"), year=OuterRef("year"),
        jabatan_id=OuterRef("jabatan_id"),
    ).values("pk")[:1]  # fmt: skip
    earlier = (
        Skp.objects.filter(
            instansi_id=instansi_id,
            is_current=False,
            pegawai_id__in=Skp.objects.filter(pk__in=ids).values("pegawai_id"),
        )
        .exclude(pk__in=ids)
        .annotate(current=Subquery(same_plan))
        .filter(current__isnull=False)
        .order_by()
        .values_list("pk", "current")
    )
    return {skp_id: skp_id for skp_id in ids} | dict(earlier)


def entry_counts(versions: dict[int, int], *, instansi_id: int, period: int) -> dict[int, int]:
    """Entries in force (`Realisasi.objects.in_force()`) of the period, per SKP of the batch
    over its versions (`with_earlier_versions`); one query."""
    rows = (
        Realisasi.objects.in_force()
        .filter(instansi_id=instansi_id, skp_id__in=list(versions), period=period)
        .values("skp_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("skp_id", "n")
    )
    counts: dict[int, int] = defaultdict(int)
    for skp_id, n in rows:
        counts[versions[skp_id]] += n
    return dict(counts)


def final_predikat(versions: dict[int, int], *, instansi_id: int, period: int) -> dict[int, str]:
    """The predikat of the period's final evaluation, per SKP of the batch over its versions
    (`with_earlier_versions`): at most one per version (evaluasi_unique), and the newest
    version's if a period was evaluated on two."""
    rows = (
        Evaluasi.objects.filter(
            instansi_id=instansi_id,
            skp_id__in=list(versions),
            period=period,
            status=StatusEvaluasi.FINAL,
        )
        .order_by("skp__version")
        .values_list("skp_id", "predikat")
    )
    return {versions[skp_id]: predikat for skp_id, predikat in rows}


def batch_progress(
    skp_ids: Collection[int], *, instansi_id: int, period: int, versions: Mapping[int, int]
) -> dict[int, Decimal | None]:
    """`scan.skp_progress` of every SKP in two queries: the quantitative IKIs, and per IKI its
    newest value and the sum of its values among the entries in force up to the period (the
    arithmetic of `progress.queries.iki_progress`: Kuantitas and Biaya add up, the others take
    the newest value by (date, id); an entry without a value does not count). An IKI's earlier
    copies on the SKP's earlier versions (`versions`, from `with_earlier_versions`) count with
    it, as in `iki_progress` (`progress.lineage`)."""
    ids, measured = list(skp_ids), set(skp_ids)
    rows = list(
        Iki.objects.filter(rhk__skp_id__in=list(versions))
        .order_by()
        .values_list(
            "id", "rhk__skp_id", "aspek", "target_unit", "target_value", "baseline", "direction",
            "copied_from_id",
        )
    )  # fmt: skip
    own = [r for r in rows if r[1] in measured and r[4] is not None]
    copies = earlier_copies([r[0] for r in rows if r[1] in measured], {r[0]: r[7] for r in rows})
    group = [F("iki_id")]
    newest = (
        Realisasi.objects.in_force()
        .filter(
            instansi_id=instansi_id, skp_id__in=list(versions), period__lte=period,
            value__isnull=False,
        )
        .annotate(
            rank=Window(
                RowNumber(), partition_by=group, order_by=[F("date").desc(), F("id").desc()]
            ),
            total=Window(Sum("value"), partition_by=group),
        )
        .filter(rank=1)
        .order_by()
        .values_list("iki_id", "date", "id", "value", "total")
    )  # fmt: skip
    # IKI → ((date, id) of its newest value, that value, the sum), over its earlier copies too
    realised: dict[int, tuple[tuple[Any, int], Decimal | None, Decimal]] = {}
    for iki_id, day, entry_id, latest, total in newest:
        into = copies.get(iki_id, iki_id)
        before = realised.get(into)
        if before is None:
            realised[into] = ((day, entry_id), latest, total)
        else:
            newer = max(before[0], (day, entry_id))
            kept = latest if newer == (day, entry_id) else before[1]
            realised[into] = (newer, kept, before[2] + total)
    percents: dict[int, list[Decimal | None]] = defaultdict(list)
    for iki_id, skp_id, aspek, unit, target, baseline, direction, _copied in own:
        found = realised.get(iki_id)
        value = None
        if found is not None:
            value = found[2] if progress_rules.accumulates(aspek, unit) else found[1]
        percent = None
        if target is not None and value is not None:
            percent = progress_rules.progress_percent(
                target=target,
                realised=value,
                baseline=baseline,
                lower_is_better=direction == "TURUN",
            )
        percents[skp_id].append(percent)
    return {skp_id: rules.mean_progress(percents.get(skp_id, [])) for skp_id in ids}


def known_cases(
    pegawai_ids: Collection[int], *, year: int, period: int
) -> dict[tuple[int, str], bool]:
    """(pegawai, reason) → closed? for the cases there are: the ones `services.kasus_open`
    returns to the scan instead of opening (an open one before a closed one); one query."""
    known: dict[tuple[int, str], bool] = {}
    rows = (
        Kasus.objects.filter(pegawai_id__in=list(pegawai_ids), year=year, period=period)
        .order_by()
        .values_list("pegawai_id", "reason", "status")
    )
    for pegawai_id, reason, status in rows:
        closed = status == StatusKasus.SELESAI
        known[(pegawai_id, reason)] = known.get((pegawai_id, reason), True) and closed
    return known
