"""Shaped reads for pages and the API. Each starts from `visible_to(user)`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from kinerja.core.params import PAGE_MAX

from .access import access_for
from .hierarchy import rater_chain_ids, rater_for, subordinate_ids
from .models import Jabatan, JenisUnit, Pegawai, Penempatan, UnitKerja

DIRECTORY_PAGE_SIZE = 25


@dataclass(frozen=True)
class DirectoryPage:
    rows: list[dict[str, Any]]
    page: int
    has_next: bool
    query: str
    unit: UnitKerja | None


def directory_page(
    user: object,
    *,
    query: str = "",
    unit: UnitKerja | None = None,
    page: int = 1,
    page_size: int = DIRECTORY_PAGE_SIZE,
) -> DirectoryPage:
    """One page of the pegawai directory: one query, whatever the head count.

    No total count: counting 100,000 matches costs more than the page itself, so the page
    asks for one row more than it shows to know whether a next page exists. The page's ids
    are picked first by walking `pegawai_directory_idx` in name order, which holds the search
    text and the jabatan too: a name that matches nobody, or a unit with few people, costs
    one index scan rather than 100,000 row reads. Only the page's rows are then read, with
    their jabatan and unit.
    """
    page = min(max(page, 1), PAGE_MAX)  # ?hal=10**20 would overflow the OFFSET
    matches = Pegawai.objects.visible_to(user).search(query)
    if unit is not None:
        subtree = Jabatan.objects.filter(
            unit__instansi_id=unit.instansi_id, unit__path__startswith=unit.path
        )
        matches = matches.filter(jabatan_id__in=subtree.values("id"))
    start = (page - 1) * page_size
    window = matches.order_by("name", "id").values("id")[start : start + page_size + 1]
    rows = list(
        Pegawai.objects.filter(id__in=window)
        .order_by("name", "id")
        .values(
            "id",
            "nip",
            "name",
            "front_title",
            "back_title",
            "jenis_asn",
            "pangkat_golongan",
            "jabatan__name",
            "jabatan__unit__name",
            "jabatan__unit_id",
        )
    )
    shown: list[dict[str, Any]] = [dict(row) for row in rows[:page_size]]
    return DirectoryPage(shown, page, len(rows) > page_size, query, unit)


def unit_children(
    user: object, parent: UnitKerja | None, instansi_id: int | None = None
) -> list[UnitKerja]:
    """Children of a unit (or the roots), each with its direct child count and head count.

    One query: counts are correlated subqueries, so the cost does not grow with the number of
    children shown.
    """
    units = UnitKerja.objects.visible_to(user)
    if parent is None:
        units = units.roots()
        if instansi_id is not None:
            units = units.filter(instansi_id=instansi_id)
    else:
        units = units.filter(parent=parent)
    child_count = (
        UnitKerja.objects.filter(parent=OuterRef("pk"))
        .order_by()
        .values("parent")
        .annotate(n=Count("id"))
        .values("n")
    )
    direct_pegawai = (
        Pegawai.objects.filter(jabatan__unit=OuterRef("pk"))
        .order_by()
        .values("jabatan__unit")
        .annotate(n=Count("id"))
        .values("n")
    )
    head = Pegawai.objects.filter(jabatan__unit=OuterRef("pk"), jabatan__is_unit_head=True)
    # The label in SQL: get_kind_display() per row re-translates every choice (~0.4 ms a row).
    kind_label = Case(
        *(When(kind=value, then=Value(str(label))) for value, label in JenisUnit.choices),
        default=F("kind"),
        output_field=CharField(),
    )
    return list(
        units.annotate(
            kind_label=kind_label,
            child_count=Coalesce(Subquery(child_count, output_field=IntegerField()), 0),
            pegawai_count=Coalesce(Subquery(direct_pegawai, output_field=IntegerField()), 0),
            head_name=Subquery(head.values("name")[:1]),
        ).order_by("name")
    )


def unit_breadcrumbs(unit: UnitKerja) -> list[UnitKerja]:
    ids = unit.ancestor_ids()
    by_id = {u.pk: u for u in UnitKerja.objects.filter(pk__in=ids)}
    return [by_id[i] for i in ids if i in by_id]


def unit_jabatan(unit: UnitKerja) -> list[Jabatan]:
    return list(
        Jabatan.objects.filter(unit=unit)
        .select_related("parent")
        .order_by("-is_unit_head", "jenis", "name")
    )


def can_view_private(user: object, pegawai: Pegawai) -> bool:
    """Contact details and history: the pegawai, their raters up the chain, the pimpinan of
    a unit above them, admins and auditors of the instansi."""
    access = access_for(user)
    if access.can_audit_instansi(pegawai.instansi_id) or access.pegawai_id == pegawai.pk:
        return True
    if access.pegawai_id is None or access.home_instansi_id != pegawai.instansi_id:
        return False
    if access.headed_unit_ids and pegawai.jabatan_id is not None:
        unit_path = pegawai.jabatan.unit.path if pegawai.jabatan else ""
        if any(f"/{uid}/" in unit_path for uid in access.headed_unit_ids):
            return True
    return access.pegawai_id in rater_chain_ids(pegawai)


@dataclass(frozen=True)
class Profile:
    pegawai: Pegawai
    rater: Pegawai | None
    private: bool
    history: list[Penempatan]
    subordinate_count: int


def profile(user: object, pegawai: Pegawai) -> Profile:
    private = can_view_private(user, pegawai)
    history = (
        list(Penempatan.objects.filter(pegawai=pegawai).select_related("jabatan", "jabatan__unit"))
        if private
        else []
    )
    today = timezone.localdate()
    return Profile(
        pegawai=pegawai,
        rater=rater_for(pegawai, today),
        private=private,
        history=history,
        subordinate_count=len(subordinate_ids(pegawai, today)),
    )


def pegawai_detail_qs(user: object) -> Any:
    return Pegawai.objects.visible_to(user).select_related("jabatan", "jabatan__unit", "instansi")
