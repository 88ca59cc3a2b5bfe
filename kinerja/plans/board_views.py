"""Overviews of a unit: pohon kinerja (how RHKs cascade) and the SKP status board.

Both cost a fixed number of queries whatever the size of the unit (see queries.py)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kinerja.accounts.http import AuthedRequest
from kinerja.org.access import Access, access_for
from kinerja.org.models import Pegawai, UnitKerja

from . import queries
from .views import year_options, year_param


def _choose_unit(request: AuthedRequest, units: list[dict[str, Any]], access: Access) -> UnitKerja:
    """?unit=<id> among `units`; else the highest unit the user heads, else their own unit,
    else the first one."""
    by_id = {u["id"]: u for u in units}
    wanted = request.GET.get("unit", "")
    if wanted:
        if not wanted.isdigit() or int(wanted) not in by_id:
            raise Http404(_("Unit kerja tidak ditemukan."))
        chosen = int(wanted)
    else:
        headed = [u for u in units if u["path"] in access.headed_unit_paths]
        own = None
        if not headed and access.pegawai_id is not None:
            own = (
                Pegawai.objects.filter(pk=access.pegawai_id)
                .values_list("jabatan__unit_id", flat=True)
                .first()
            )
        if headed:
            chosen = min(headed, key=lambda u: len(u["path"]))["id"]
        elif own is not None and own in by_id:
            chosen = own
        elif units:
            chosen = units[0]["id"]
        else:
            raise Http404(_("Belum ada unit kerja."))
    return UnitKerja.objects.get(pk=chosen)


def _units(queryset: Any) -> list[dict[str, Any]]:
    return list(queryset.order_by("instansi_id", "path").values("id", "name", "depth", "path"))


def _context(unit: UnitKerja, units: list[dict[str, Any]], year: int) -> dict[str, Any]:
    top = min((u["depth"] for u in units), default=0)
    options = [(u["id"], "\u00a0\u00a0" * (u["depth"] - top) + u["name"]) for u in units]
    return {"unit": unit, "units": options, "year": year, "years": year_options(year)}


@login_required
@require_GET
def pohon(request: AuthedRequest) -> HttpResponse:
    """Pohon kinerja of a unit and year: RHKs nested under the RHK they intervene."""
    access = access_for(request.user)
    units = _units(UnitKerja.objects.visible_to(request.user))
    unit = _choose_unit(request, units, access)
    year = year_param(request)
    context = _context(unit, units, year) | {
        "pohon": queries.pohon_kinerja(request.user, unit, year)
    }
    template = "plans/pohon.html#tree" if request.htmx else "plans/pohon.html"
    return render(request, template, context)


def board_units(access: Access) -> Any:
    """Admins, auditors and the superuser see every unit they may read; a head their subtrees."""
    units = UnitKerja.objects.all()
    if access.is_superuser:
        return units
    if access.admin_instansi_ids or access.auditor_instansi_ids:
        return units.filter(instansi_id__in=access.admin_instansi_ids | access.auditor_instansi_ids)
    if access.headed_unit_paths and access.home_instansi_id is not None:
        subtree = Q()
        for path in access.headed_unit_paths:
            subtree |= Q(path__startswith=path)
        return units.filter(subtree, instansi_id=access.home_instansi_id)
    raise PermissionDenied(
        _("Status SKP hanya untuk pimpinan unit, admin kepegawaian dan auditor.")
    )


@login_required
@require_GET
def status(request: AuthedRequest) -> HttpResponse:
    """How far each unit of the subtree is with its SKPs for the year."""
    access = access_for(request.user)
    units = _units(board_units(access))
    unit = _choose_unit(request, units, access)
    year = year_param(request)
    rows = queries.status_board(request.user, unit, year)
    totals = {
        name: sum(getattr(r, name) for r in rows)
        for name in ("pegawai", "tanpa_skp", "draf", "diajukan", "dikembalikan", "disetujui")
    }
    context = _context(unit, units, year) | {"rows": rows, "totals": totals}
    template = "plans/status.html#board" if request.htmx else "plans/status.html"
    return render(request, template, context)
