"""The distribution pattern over the database: live predicate counts per distribution group of a
unit subtree and period against the allowed pattern, the group of one evaluation (for
finalisation), and rater consistency. Each costs a fixed number of queries.

Groups are built by distribution_rules (pure): a group is a unit with a Capaian Kinerja
Organisasi for the period; its members are the rated evaluations whose nearest unit-with-capaian
is that unit (unit heads count one level up). Counts include DRAFT and FINAL evaluations that
have a predikat: the pattern is a consideration while rating, not only at the end.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from kinerja.org.models import UnitKerja

from . import distribution_rules as dr
from . import guards, rules
from .models import CapaianOrganisasi, Evaluasi, PengaturanPenilaian


@dataclass(frozen=True)
class PatternLine:
    """One rule of the pattern, as the page's table shows it."""

    text: str
    holds: bool | None  # None: the group has nobody rated yet


@dataclass
class Group:
    unit_id: int
    unit_name: str
    path: str
    check: dr.GroupCheck
    capaian_id: int

    @property
    def org_label(self) -> str:
        return rules.ORG_LABELS[self.check.org_predikat]

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    @property
    def lines(self) -> list[PatternLine]:
        total = self.check.total
        return [
            PatternLine(b.describe(), b.holds(self.check.counts, total) if total else None)
            for b in rules.PATTERNS[self.check.org_predikat]
        ]

    @property
    def shares(self) -> dict[str, Decimal]:
        return rules.shares(self.check.counts)

    @property
    def rows(self) -> list[tuple[str, str, int, Decimal]]:
        """(predikat, label, count, share %) best first, for templates and the API."""
        shares = self.shares
        return [
            (p, rules.PREDIKAT_LABELS[p], self.check.counts[p], shares[p]) for p in rules.PREDIKAT
        ]


@dataclass
class UnitDistribution:
    unit: UnitKerja
    year: int
    period: int
    enforcement: str
    min_group_size: int
    groups: list[Group] = field(default_factory=list)
    ungrouped: dict[str, int] = field(default_factory=dict)  # rated, no capaian above them
    counted_above: int = 0  # rated here, but in a group above this unit (e.g. its head)
    unrated: int = 0  # evaluations of the subtree without a predikat yet

    @property
    def blocking(self) -> list[Group]:
        return [g for g in self.groups if g.check.blocks(self.enforcement)]

    @property
    def breached(self) -> list[Group]:
        return [g for g in self.groups if g.check.breached]

    @property
    def ungrouped_total(self) -> int:
        return sum(self.ungrouped.values())


def _capaian(instansi_id: int, year: int, period: int) -> dict[str, tuple[int, int, str, str]]:
    """path → (capaian id, unit id, unit name, org predikat) of the instansi's period."""
    rows = CapaianOrganisasi.objects.filter(
        instansi_id=instansi_id, year=year, period=period
    ).values_list("unit__path", "id", "unit_id", "unit__name", "predikat")
    return {path: (cid, uid, name, org) for path, cid, uid, name, org in rows}


def members_of(
    instansi_id: int, year: int, period: int, path: str, *, reader: int | None = None
) -> tuple[list[dr.Member], int]:
    """Aggregated rated evaluations under `path` (one query) and the count of unrated ones;
    `reader`'s own draft left out."""
    rows = (
        Evaluasi.objects.filter(
            instansi_id=instansi_id, year=year, period=period, unit_path__startswith=path
        )
        .without_own_draft(reader)
        .values_list("unit_path", "is_unit_head", "predikat")
        .annotate(n=Count("id"))
        .order_by()
    )
    members, unrated = [], 0
    for unit_path, head, predikat, n in rows:
        if predikat:
            members.append(dr.Member(unit_path, head, predikat, n))
        else:
            unrated += n
    return members, unrated


def unit_distribution(
    unit: UnitKerja, *, year: int, period: int, reader: int | None
) -> UnitDistribution:
    """The groups of `unit`'s subtree for the period against their patterns (three queries:
    settings, capaian, aggregated evaluations). The caller checks who may read the unit;
    `reader` (the reading pegawai's id) doesn't count his own draft."""
    settings = guards.pengaturan_for(unit.instansi_id)
    capaian = _capaian(unit.instansi_id, year, period)
    members, unrated = members_of(unit.instansi_id, year, period, unit.path, reader=reader)
    checks, ungrouped = dr.check_groups(
        members, {p: c[3] for p, c in capaian.items()}, min_group_size=settings.min_group_size
    )
    groups = [
        Group(capaian[path][1], capaian[path][2], path, check, capaian[path][0])
        for path, check in sorted(checks.items())
        if path.startswith(unit.path)
    ]
    above = sum(c.total for p, c in checks.items() if not p.startswith(unit.path))
    return UnitDistribution(
        unit=unit,
        year=year,
        period=period,
        enforcement=settings.enforcement,
        min_group_size=settings.min_group_size,
        groups=groups,
        ungrouped={p: ungrouped.get(p, 0) for p in rules.PREDIKAT},
        counted_above=above,
        unrated=unrated,
    )


def group_violations_for(
    evaluasi: Evaluasi, *, settings: PengaturanPenilaian | None = None
) -> list[rules.Violation]:
    """The pattern breaches of the group `evaluasi` belongs to, counting it with its current
    (possibly unsaved) predikat; [] when no unit on its way up has a capaian. Violations of
    groups below the minimum size are marked advisory; whether they block is
    `rules.blocks_finalisation(violations, settings.enforcement)`. Three queries at most."""
    capaian = dict(
        CapaianOrganisasi.objects.filter(
            instansi_id=evaluasi.instansi_id, year=evaluasi.year, period=evaluasi.period
        ).values_list("unit__path", "predikat")
    )
    target = dr.group_path(evaluasi.unit_path, evaluasi.is_unit_head, capaian)
    if target is None:
        return []
    rows = (
        Evaluasi.objects.filter(
            instansi_id=evaluasi.instansi_id,
            year=evaluasi.year,
            period=evaluasi.period,
            unit_path__startswith=target,
        )
        .exclude(predikat="")
        .exclude(pk=evaluasi.pk)
        .values_list("unit_path", "is_unit_head", "predikat")
        .annotate(n=Count("id"))
        .order_by()
    )
    members = [dr.Member(path, head, p, n) for path, head, p, n in rows]
    if evaluasi.predikat:
        members.append(dr.Member(evaluasi.unit_path, evaluasi.is_unit_head, evaluasi.predikat))
    settings = settings or guards.pengaturan_for(evaluasi.instansi_id)
    checks, _ = dr.check_groups(
        members, {target: capaian[target]}, min_group_size=settings.min_group_size
    )
    return checks[target].violations


# --- rater consistency ----------------------------------------------------------------------


@dataclass
class RaterRow:
    rater_id: int
    name: str
    counts: dict[str, int]
    flag: str  # distribution_rules.LENIENT / SEVERE / ""

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def shares(self) -> dict[str, Decimal]:
        return rules.shares(self.counts)

    @property
    def leniency(self) -> Decimal:
        return rules.leniency(self.counts)


@dataclass
class Consistency:
    unit: UnitKerja
    year: int
    period: int
    raters: list[RaterRow]
    unit_counts: dict[str, int]
    instansi_counts: dict[str, int]

    @property
    def unit_shares(self) -> dict[str, Decimal]:
        return rules.shares(self.unit_counts)

    @property
    def instansi_shares(self) -> dict[str, Decimal]:
        return rules.shares(self.instansi_counts)

    @property
    def unit_leniency(self) -> Decimal:
        return rules.leniency(self.unit_counts)

    @property
    def instansi_leniency(self) -> Decimal:
        return rules.leniency(self.instansi_counts)

    @property
    def table(self) -> list[tuple[RaterRow, list[tuple[str, int, Decimal, Decimal, Decimal]]]]:
        """Per rater: (predikat label, count, rater %, unit %, instansi %) best first."""
        unit, instansi = self.unit_shares, self.instansi_shares
        found = []
        for row in self.raters:
            mine = row.shares
            cells = [
                (rules.PREDIKAT_LABELS[p], row.counts[p], mine[p], unit[p], instansi[p])
                for p in rules.PREDIKAT
            ]
            found.append((row, cells))
        return found


def _full(counts: Counter[str]) -> dict[str, int]:
    return {p: counts.get(p, 0) for p in rules.PREDIKAT}


def consistency(unit: UnitKerja, *, year: int, period: int, reader: int | None) -> Consistency:
    """For each rater of evaluations in `unit`'s subtree: their predicate counts compared with
    the subtree and the whole instansi, flagged by distribution_rules.consistency_flag (two
    queries); `reader`'s own draft is not counted."""
    base = (
        Evaluasi.objects.filter(instansi_id=unit.instansi_id, year=year, period=period)
        .exclude(predikat="")
        .without_own_draft(reader)
    )
    instansi: Counter[str] = Counter(
        dict(base.values_list("predikat").annotate(n=Count("id")).order_by())
    )
    rows = (
        base.filter(unit_path__startswith=unit.path, rater__isnull=False)
        .values_list("rater_id", "rater__name", "predikat")
        .annotate(n=Count("id"))
        .order_by()
    )
    per_rater: dict[int, Counter[str]] = defaultdict(Counter)
    names: dict[int, str] = {}
    subtree: Counter[str] = Counter()
    for rater_id, name, predikat, n in rows:
        per_rater[rater_id][predikat] += n
        names[rater_id] = name
        subtree[predikat] += n
    raters = [
        RaterRow(rid, names[rid], _full(c), dr.consistency_flag(c, instansi))
        for rid, c in per_rater.items()
    ]
    raters.sort(key=lambda r: (-abs(r.leniency - rules.leniency(instansi)), r.name, r.rater_id))
    return Consistency(unit, year, period, raters, _full(subtree), _full(instansi))
