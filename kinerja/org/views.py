"""Organisation pages: profile, pegawai directory, unit tree. Each reads via `visible_to`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from kinerja.accounts.http import AuthedRequest

from . import queries
from .access import access_for
from .models import UnitKerja


def _page_number(request: HttpRequest) -> int:
    try:
        return max(int(request.GET.get("hal", "1")), 1)
    except ValueError:
        return 1


@login_required
@require_GET
def me(request: AuthedRequest) -> HttpResponse:
    access = access_for(request.user)
    if access.pegawai_id is None:
        return render(request, "org/me_no_pegawai.html", {"access": access})
    return pegawai_detail(request, access.pegawai_id)


@login_required
@require_GET
def pegawai_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    pegawai = get_object_or_404(queries.pegawai_detail_qs(request.user), pk=pk)
    return render(request, "org/pegawai_detail.html", {"p": queries.profile(request.user, pegawai)})


@login_required
@require_GET
def directory(request: AuthedRequest) -> HttpResponse:
    unit = None
    unit_id = request.GET.get("unit", "")
    if unit_id.isdigit():
        unit = get_object_or_404(UnitKerja.objects.visible_to(request.user), pk=int(unit_id))
    page = queries.directory_page(
        request.user, query=request.GET.get("q", "")[:100], unit=unit, page=_page_number(request)
    )
    template = "org/directory.html#results" if request.htmx else "org/directory.html"
    return render(request, template, {"page": page})


@login_required
@require_GET
def tree(request: AuthedRequest) -> HttpResponse:
    roots = queries.unit_children(request.user, None)
    return render(request, "org/tree.html", {"units": roots})


@login_required
@require_GET
def unit_children_fragment(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(UnitKerja.objects.visible_to(request.user), pk=pk)
    return render(
        request, "org/tree.html#branch", {"units": queries.unit_children(request.user, unit)}
    )


@login_required
@require_GET
def unit_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(
        UnitKerja.objects.visible_to(request.user).select_related("parent", "instansi"), pk=pk
    )
    context = {
        "unit": unit,
        "breadcrumbs": queries.unit_breadcrumbs(unit),
        "children": queries.unit_children(request.user, unit),
        "jabatan": queries.unit_jabatan(unit),
        "members": queries.directory_page(request.user, unit=unit, page=_page_number(request)),
    }
    return render(request, "org/unit_detail.html", context)
