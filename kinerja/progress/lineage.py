"""The records of a plan's earlier versions that count on a later one.

A perubahan SKP moves the records of the periods not yet evaluated to the new version; those of
an evaluated period stay on the version they were evaluated on (services_versions.py). The year's
progress of an IKI is still the whole year's: on a later version, the entries of its earlier
copies (`Iki.copied_from`, over every perubahan since) count with its own. A row is on one
version only (the move is an UPDATE), so nothing counts twice; an IKI removed in the new version
has no copy there, and its entries count only on the version that holds them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from kinerja.plans.models import Iki, Skp


def plan_of(skp: Skp, prefix: str = "") -> Q:
    """The SKP's versions up to it: same pegawai, year and jabatan, version ≤ its own."""
    return Q(
        **{
            f"{prefix}pegawai_id": skp.pegawai_id,
            f"{prefix}year": skp.year,
            f"{prefix}jabatan_id": skp.jabatan_id,
            f"{prefix}version__lte": skp.version,
        }
    )


def earlier_copies(own: Iterable[int], copied_from: Mapping[int, int | None]) -> dict[int, int]:
    """Each earlier IKI whose copy chain ends in one of `own` → that IKI. `copied_from` holds
    the IKIs of the plan's versions read (IKI → the IKI it was copied from); a chain stops at an
    IKI outside it. Pure."""
    found: dict[int, int] = {}
    for iki_id in own:
        seen = {iki_id}
        parent = copied_from.get(iki_id)
        while parent is not None and parent in copied_from and parent not in seen:
            found[parent] = iki_id
            seen.add(parent)
            parent = copied_from[parent]
    return found


PlanIkis = tuple[list[Iki], dict[int, int]]  # an SKP's IKIs, and its earlier copies → them


def plan_ikis(skp: Skp) -> PlanIkis:
    """The SKP's IKIs (with their RHK) and its earlier copies (`earlier_copies`): one query."""
    rows = list(Iki.objects.filter(plan_of(skp, "rhk__skp__")).select_related("rhk"))
    own = [iki for iki in rows if iki.rhk.skp_id == skp.pk]
    copies = earlier_copies([iki.pk for iki in own], {i.pk: i.copied_from_id for i in rows})
    return own, copies


@dataclass(frozen=True)
class MeasuredIkis:
    own: list[dict[str, Any]]  # the IKIs of the SKPs measured, as `values()` rows
    copies: dict[int, int]  # an earlier copy → the measured IKI it became
    skp_of: dict[int, int]  # IKI (own or earlier copy) → the SKP version holding it


def measured_ikis(
    versions: QuerySet[Skp], in_force: Mapping[int, Mapping[str, Any]]
) -> MeasuredIkis:
    """For bulk reads (the team page): the IKIs of the SKPs measured (`in_force`: SKP id → its
    row with pegawai_id, jabatan_id and version) and their earlier copies on the versions before
    them, among `versions` (the year's SKPs of those pegawai): one query."""
    plan = {(s["pegawai_id"], s["jabatan_id"]): (pk, s["version"]) for pk, s in in_force.items()}
    rows = (
        Iki.objects.filter(rhk__skp__in=versions)
        .order_by("rhk__skp_id", "order", "id")
        .values(
            "id", "rhk__skp_id", "aspek", "target_unit", "target_value", "baseline", "direction",
            "copied_from_id", "rhk__skp__pegawai_id", "rhk__skp__jabatan_id", "rhk__skp__version",
        )
    )  # fmt: skip
    own: list[dict[str, Any]] = []
    links: dict[int, int | None] = {}
    skp_of: dict[int, int] = {}
    for iki in rows:
        found = plan.get((iki["rhk__skp__pegawai_id"], iki["rhk__skp__jabatan_id"]))
        if found is None or iki["rhk__skp__version"] > found[1]:
            continue
        if iki["rhk__skp_id"] == found[0]:
            own.append(dict(iki))
        links[iki["id"]] = iki["copied_from_id"]
        skp_of[iki["id"]] = iki["rhk__skp_id"]
    copies = earlier_copies([iki["id"] for iki in own], links)
    kept = [*copies, *(iki["id"] for iki in own)]
    return MeasuredIkis(own, copies, {iki_id: skp_of[iki_id] for iki_id in kept})
