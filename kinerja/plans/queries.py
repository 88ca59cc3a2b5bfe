"""Shaped reads of SKP data for pages, documents and the API. All start from `visible_to`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F
from django.utils import timezone

from kinerja.org.access import access_for
from kinerja.org.hierarchy import rater_chain_ids, subordinate_ids
from kinerja.org.models import Pegawai, UnitKerja

from .berakhlak import BERAKHLAK, CoreValue
from .models import Iki, Rhk, Skp, StatusSkp


def current_year() -> int:
    return timezone.localdate().year


# --- one SKP -----------------------------------------------------------------------------


@dataclass
class RhkView:
    rhk: Rhk
    number: int
    ikis: list[Iki]
    parent_text: str | None
    parent_owner: str | None


@dataclass
class PerilakuView:
    value: CoreValue
    ekspektasi: str


@dataclass
class PersonBlock:
    """Identity block of the official documents: NAMA, NIP, PANGKAT/GOL, JABATAN, UNIT KERJA."""

    name: str
    nip: str
    pangkat: str
    jabatan: str
    unit: str


@dataclass
class SkpView:
    skp: Skp
    pegawai: PersonBlock
    rater: PersonBlock | None
    instansi_name: str
    utama: list[RhkView]
    tambahan: list[RhkView]
    perilaku: list[PerilakuView]
    lampiran: dict[str, list[str]]
    versions: list[Skp]
    is_jpt: bool


def person_block(pegawai: Pegawai | None) -> PersonBlock | None:
    if pegawai is None:
        return None
    jabatan = pegawai.jabatan
    return PersonBlock(
        name=pegawai.display_name,
        nip=pegawai.nip,
        pangkat=pegawai.pangkat_golongan,
        jabatan=jabatan.name if jabatan else "",
        unit=jabatan.unit.name if jabatan else "",
    )


def skp_view(skp: Skp) -> SkpView:
    """Everything the SKP page and documents show, in a constant number of queries."""
    skp = Skp.objects.select_related(
        "pegawai__jabatan__unit", "rater__jabatan__unit", "jabatan__unit", "instansi"
    ).get(pk=skp.pk)
    rhks = list(
        skp.rhk.select_related("parent__skp__pegawai")
        .prefetch_related("iki")
        .order_by("jenis", "order", "id")
    )
    views: dict[str, list[RhkView]] = {"UTAMA": [], "TAMBAHAN": []}
    for rhk in rhks:
        bucket = views[rhk.jenis]
        parent = rhk.parent
        bucket.append(
            RhkView(
                rhk=rhk,
                number=len(bucket) + 1,
                ikis=list(rhk.iki.all()),
                parent_text=parent.text if parent else None,
                parent_owner=parent.skp.pegawai.display_name if parent else None,
            )
        )
    ekspektasi = {e.core_value: e.text for e in skp.ekspektasi.all()}
    lampiran: dict[str, list[str]] = defaultdict(list)
    for item in skp.lampiran.all():
        lampiran[item.kind].append(item.text)
    block = person_block(skp.pegawai)
    assert block is not None
    # The document shows the jabatan the SKP is for, not necessarily today's.
    block.jabatan, block.unit = skp.jabatan.name, skp.jabatan.unit.name
    versions = list(
        Skp.objects.filter(pegawai_id=skp.pegawai_id, year=skp.year, jabatan_id=skp.jabatan_id)
        .order_by("-version")
        .only("id", "version", "status", "is_current", "approved_at", "created_at")
    )
    return SkpView(
        skp=skp,
        pegawai=block,
        rater=person_block(skp.rater),
        instansi_name=skp.instansi.name,
        utama=views["UTAMA"],
        tambahan=views["TAMBAHAN"],
        perilaku=[PerilakuView(v, ekspektasi.get(v.code, "")) for v in BERAKHLAK],
        lampiran=dict(lampiran),
        versions=versions,
        is_jpt=skp.jabatan.jenis == "JPT",
    )


def linkable_rhks(skp: Skp) -> list[Rhk]:
    """RHKs this SKP may intervene: the rater's current SKP(s) of the same year."""
    if skp.rater_id is None:
        return []
    return list(
        Rhk.objects.filter(
            skp__pegawai_id=skp.rater_id, skp__year=skp.year, skp__is_current=True
        ).order_by("jenis", "order", "id")
    )


def my_skps(user: object) -> list[Skp]:
    access = access_for(user)
    if access.pegawai_id is None:
        return []
    return list(
        Skp.objects.filter(pegawai_id=access.pegawai_id)
        .select_related("jabatan", "rater")
        .order_by("-year", "-start_date", "-version")
    )


@dataclass
class TeamRow:
    pegawai: Pegawai
    skp: Skp | None


def team(user: object, year: int) -> list[TeamRow]:
    """The pegawai the user rates today, each with their current SKP of the year (or none)."""
    access = access_for(user)
    if access.pegawai_id is None:
        return []
    rater = Pegawai.objects.get(pk=access.pegawai_id)
    ids = subordinate_ids(rater)
    people = list(Pegawai.objects.filter(pk__in=ids).select_related("jabatan").order_by("name"))
    skps: dict[int, Skp] = {}
    for skp in Skp.objects.filter(pegawai_id__in=ids, year=year, is_current=True).order_by(
        "start_date"
    ):
        skps[skp.pegawai_id] = skp
    return [TeamRow(p, skps.get(p.pk)) for p in people]


def can_act_as_rater(user: object, skp: Skp) -> bool:
    access = access_for(user)
    return access.pegawai_id is not None and access.pegawai_id == skp.rater_id


def can_read_chain(user: object, skp: Skp) -> bool:
    """The rater's superiors may read (not change) an SKP too."""
    access = access_for(user)
    return access.pegawai_id is not None and access.pegawai_id in rater_chain_ids(skp.pegawai)


# --- pohon kinerja (alignment tree) ------------------------------------------------------


@dataclass
class PohonNode:
    rhk_id: int
    text: str
    jenis: str
    owner_id: int
    owner_name: str
    jabatan: str
    status: str
    children: list[PohonNode] = field(default_factory=list)
    orphan: bool = False  # an RHK Utama linked to nothing (below the unit head)
    uncovered: bool = False  # a leader's RHK nobody below contributes to


@dataclass
class PohonRow:
    """One node of the tree in display order; `closes` lists (for the template to loop over) the
    nested lists that end after it."""

    node: PohonNode
    closes: list[None]


@dataclass
class Pohon:
    unit: UnitKerja
    year: int
    roots: list[PohonNode]
    orphans: list[PohonNode]
    uncovered_count: int
    skp_count: int

    def rows(self) -> list[PohonRow]:
        """The tree flattened (pre-order), so the page renders it in one loop: an `{% include %}`
        per node costs ~0.05 ms, which thousands of RHKs add up to."""
        rows: list[PohonRow] = []

        def walk(nodes: list[PohonNode]) -> None:
            for node in nodes:
                rows.append(PohonRow(node, []))
                if node.children:
                    walk(node.children)
                    rows[-1].closes.append(None)

        walk(self.roots)
        return rows


def pohon_kinerja(user: object, unit: UnitKerja, year: int) -> Pohon:
    """The alignment tree of a unit for a year: three queries, whatever the unit's size.

    Roots are RHKs whose owner sits in the unit subtree and whose parent RHK is outside it (the
    head's own RHKs, normally). A leader's RHK nobody contributes to is marked `uncovered` when
    the leader rates someone; an RHK Utama below the head linked to nothing is an orphan.
    """
    skps = {
        s["id"]: s
        for s in Skp.objects.visible_to(user)
        .filter(
            instansi_id=unit.instansi_id,
            unit_path__startswith=unit.path,
            year=year,
            is_current=True,
        )
        .values(
            "id",
            "pegawai_id",
            "pegawai__name",
            "pegawai__front_title",
            "pegawai__back_title",
            "jabatan__name",
            "jabatan__is_unit_head",
            "status",
            "jabatan__unit_id",
        )
    }
    rows = list(
        Rhk.objects.filter(skp_id__in=list(skps))
        .order_by("jenis", "order", "id")
        .values("id", "text", "jenis", "parent_id", "skp_id")
    )
    raters = set(
        Skp.objects.filter(id__in=list(skps), rater_id__isnull=False).values_list(
            "rater_id", flat=True
        )
    )
    nodes: dict[int, PohonNode] = {}
    for row in rows:
        s = skps[row["skp_id"]]
        name = " ".join(p for p in (s["pegawai__front_title"], s["pegawai__name"]) if p)
        if s["pegawai__back_title"]:
            name = f"{name}, {s['pegawai__back_title']}"
        nodes[row["id"]] = PohonNode(
            rhk_id=row["id"],
            text=row["text"],
            jenis=row["jenis"],
            owner_id=s["pegawai_id"],
            owner_name=name,
            jabatan=s["jabatan__name"],
            status=s["status"],
        )
    roots: list[PohonNode] = []
    orphans: list[PohonNode] = []
    for row in rows:
        node = nodes[row["id"]]
        parent = nodes.get(row["parent_id"]) if row["parent_id"] else None
        if parent is not None:
            parent.children.append(node)
            continue
        s = skps[row["skp_id"]]
        is_top_head = s["jabatan__is_unit_head"] and s["jabatan__unit_id"] == unit.pk
        if row["parent_id"] is None and row["jenis"] == "UTAMA" and not is_top_head:
            node.orphan = True
            orphans.append(node)
        else:
            roots.append(node)
    uncovered = 0
    for node in nodes.values():
        if node.jenis == "UTAMA" and not node.children and node.owner_id in raters:
            node.uncovered = True
            uncovered += 1
    return Pohon(
        unit=unit,
        year=year,
        roots=roots,
        orphans=orphans,
        uncovered_count=uncovered,
        skp_count=len(skps),
    )


# --- status board ------------------------------------------------------------------------


@dataclass
class StatusRow:
    unit_id: int
    unit_name: str
    depth: int
    pegawai: int
    tanpa_skp: int
    draf: int
    diajukan: int
    dikembalikan: int
    disetujui: int


def status_board(user: object, unit: UnitKerja, year: int) -> list[StatusRow]:
    """Per unit of the subtree: how many pegawai have no SKP, a draft, a submitted, a returned
    or an approved SKP for the year. Three queries, whatever the head count."""
    units = list(
        UnitKerja.objects.visible_to(user)
        .subtree_of(unit)
        .order_by("path")
        .values("id", "name", "depth")
    )
    unit_ids = [u["id"] for u in units]
    headcount = dict(
        Pegawai.objects.visible_to(user)
        .filter(jabatan__unit_id__in=unit_ids)
        .values("jabatan__unit_id")
        .annotate(n=Count("id"))
        .values_list("jabatan__unit_id", "n")
    )
    by_status: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    counts = (
        Skp.objects.filter(
            instansi_id=unit.instansi_id,
            year=year,
            is_current=True,
            pegawai__jabatan__unit_id__in=unit_ids,
        )
        .filter(pegawai__jabatan_id=F("jabatan_id"))
        .values("pegawai__jabatan__unit_id", "status")
        .annotate(n=Count("pegawai_id", distinct=True))
    )
    for row in counts:
        by_status[row["pegawai__jabatan__unit_id"]][row["status"]] += row["n"]
    result = []
    for u in units:
        s = by_status[u["id"]]
        total = headcount.get(u["id"], 0)
        with_skp = sum(s.values())
        result.append(
            StatusRow(
                unit_id=u["id"],
                unit_name=u["name"],
                depth=u["depth"] - units[0]["depth"],
                pegawai=total,
                tanpa_skp=max(total - with_skp, 0),
                draf=s[StatusSkp.DRAFT],
                diajukan=s[StatusSkp.DIAJUKAN],
                dikembalikan=s[StatusSkp.DIKEMBALIKAN],
                disetujui=s[StatusSkp.DISETUJUI],
            )
        )
    return result
