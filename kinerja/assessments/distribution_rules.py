"""Pure helpers for the distribution groups (no Django imports).

A distribution group belongs to a unit that has a Capaian Kinerja Organisasi for the period. Its
members are the rated evaluations whose nearest unit-with-capaian is that unit: the evaluation's
own unit or the closest ancestor, found on the materialised unit paths ('/1/5/17/'). A unit
head is rated by the leader above, so they count in the group of the nearest capaian strictly
ABOVE their own unit (docs/evaluation.md, "Distribusi").

Rater consistency (leniency) lives here too: `consistency_flag` defines when a rater's mean
predicate score is far enough from the instansi's to be shown as lenient or severe.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from . import rules


def ancestor_paths(path: str) -> list[str]:
    """The path itself and each ancestor's path, nearest first: '/1/5/17/' → ['/1/5/17/',
    '/1/5/', '/1/']."""
    if not (path.startswith("/") and path.endswith("/")) or path == "/":
        raise ValueError(f"not a unit path: {path!r}")
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[:n]) + "/" for n in range(len(parts), 0, -1)]


def group_path(unit_path: str, is_unit_head: bool, capaian_paths: Collection[str]) -> str | None:
    """The path of the unit whose capaian governs this evaluation, or None when no unit on the
    way up has one. Unit heads skip their own unit."""
    candidates = ancestor_paths(unit_path)
    if is_unit_head:
        candidates = candidates[1:]
    for candidate in candidates:
        if candidate in capaian_paths:
            return candidate
    return None


@dataclass(frozen=True)
class Member:
    """Aggregated rated evaluations: `count` of them in `unit_path` with this predikat."""

    unit_path: str
    is_unit_head: bool
    predikat: str
    count: int = 1


def group_counts(
    members: Iterable[Member], capaian_paths: Collection[str]
) -> tuple[dict[str, Counter[str]], Counter[str]]:
    """Predicate counts per group path, and the counts of evaluations that belong to no group
    (no capaian above them)."""
    groups: dict[str, Counter[str]] = {path: Counter() for path in capaian_paths}
    ungrouped: Counter[str] = Counter()
    cache: dict[tuple[str, bool], str | None] = {}
    for member in members:
        if member.predikat not in rules.PREDIKAT:
            raise ValueError(f"unknown predikat {member.predikat!r}")
        key = (member.unit_path, member.is_unit_head)
        if key not in cache:
            cache[key] = group_path(member.unit_path, member.is_unit_head, capaian_paths)
        target = cache[key]
        if target is None:
            ungrouped[member.predikat] += member.count
        else:
            groups[target][member.predikat] += member.count
    return groups, ungrouped


@dataclass(frozen=True)
class GroupCheck:
    """One group against the pattern of its unit's capaian."""

    path: str
    org_predikat: str
    counts: dict[str, int]
    violations: list[rules.Violation] = field(default_factory=list)
    min_group_size: int = 5

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def advisory(self) -> bool:
        """Below the minimum size: any breach is a warning only."""
        return self.total < self.min_group_size

    @property
    def breached(self) -> bool:
        return bool(self.violations)

    def blocks(self, enforcement: str) -> bool:
        return rules.blocks_finalisation(self.violations, enforcement)


def check_group(
    path: str, org_predikat: str, counts: Mapping[str, int], *, min_group_size: int
) -> GroupCheck:
    full = {p: int(counts.get(p, 0)) for p in rules.PREDIKAT}
    found = rules.distribution_violations(org_predikat, full, min_group_size=min_group_size)
    return GroupCheck(path, org_predikat, full, found, min_group_size)


def check_groups(
    members: Iterable[Member], capaian: Mapping[str, str], *, min_group_size: int
) -> tuple[dict[str, GroupCheck], Counter[str]]:
    """Every group (path → its org predikat in `capaian`) checked against its pattern, and the
    ungrouped counts."""
    groups, ungrouped = group_counts(members, capaian.keys())
    checks = {
        path: check_group(path, capaian[path], counts, min_group_size=min_group_size)
        for path, counts in groups.items()
    }
    return checks, ungrouped


# --- rater consistency ----------------------------------------------------------------------

# A rater is flagged when they rated at least CONSISTENCY_MIN_RATED evaluations and their mean
# predicate score (rules.leniency: Sangat Baik 5 … Sangat Kurang 1) differs from the instansi's
# by at least CONSISTENCY_THRESHOLD points: "lenient" above, "severe" below. Half a point is
# the distance between, e.g., a team that is half Baik/half Sangat Baik and one that is all Baik.
CONSISTENCY_THRESHOLD = Decimal("0.50")
CONSISTENCY_MIN_RATED = 3
LENIENT, SEVERE = "LENIENT", "SEVERE"


def consistency_flag(rater_counts: Mapping[str, int], instansi_counts: Mapping[str, int]) -> str:
    """ "LENIENT", "SEVERE" or "" for a rater compared with the whole instansi."""
    if sum(rater_counts.values()) < CONSISTENCY_MIN_RATED or not sum(instansi_counts.values()):
        return ""
    delta = rules.leniency(rater_counts) - rules.leniency(instansi_counts)
    if delta >= CONSISTENCY_THRESHOLD:
        return LENIENT
    if delta <= -CONSISTENCY_THRESHOLD:
        return SEVERE
    return ""
