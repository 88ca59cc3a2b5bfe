"""The Pejabat Penilai Kinerja's pages: SKP tim, cascading an RHK down (matriks peran hasil),
Ekspektasi Khusus Pimpinan, and returning or approving a submitted SKP."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinerja.accounts.http import AuthedRequest
from kinerja.core.errors import ServiceError
from kinerja.core.formkeys import key_of
from kinerja.org.hierarchy import subordinate_ids
from kinerja.org.models import Pegawai

from . import queries, services
from .forms import CascadeForm, EkspektasiForm, ReturnForm
from .models import Rhk, Skp, StatusSkp
from .views import (
    call,
    detail_context,
    detail_url,
    errors_text,
    part_response,
    require_owner,
    visible_skp,
    year_options,
    year_param,
)


@login_required
@require_GET
def team(request: AuthedRequest) -> HttpResponse:
    """Everyone the user rates, with their SKP of the year; those awaiting approval first."""
    year = year_param(request)
    rows = queries.team(request.user, year)
    rows.sort(key=lambda r: r.skp is None or r.skp.status != StatusSkp.DIAJUKAN)
    context = {
        "rows": rows,
        "year": year,
        "years": year_options(year),
        "waiting": sum(1 for r in rows if r.skp and r.skp.status == StatusSkp.DIAJUKAN),
    }
    template = "plans/team.html#rows" if request.htmx else "plans/team.html"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def cascade(request: AuthedRequest, pk: int, rhk_id: int) -> HttpResponse:
    """ "Turunkan ke bawahan": each ticked subordinate gets a linked RHK Utama in their SKP."""
    skp = visible_skp(request, pk)
    rhk = get_object_or_404(Rhk.objects.select_related("skp__pegawai"), pk=rhk_id, skp=skp)
    require_owner(request, skp)
    ids = subordinate_ids(rhk.skp.pegawai)
    subordinates = list(
        Pegawai.objects.filter(pk__in=ids).select_related("jabatan").order_by("name", "id")
    )
    statuses = {
        pegawai_id: str(StatusSkp(status).label)
        for pegawai_id, status in Skp.objects.filter(
            pegawai_id__in=ids, year=skp.year, is_current=True
        ).values_list("pegawai_id", "status")
    }
    data = request.POST if request.method == "POST" else None
    form = CascadeForm(data, subordinates=subordinates, rhk=rhk)
    if request.method == "POST" and form.is_valid():
        assignments = form.assignments()
        done = call(
            form,
            lambda: services.rhk_cascade(
                by=request.user,
                rhk=rhk,
                assignments=assignments,
                form_key=key_of(request.POST),
            ),
        )
        if done is not None:
            names = ", ".join(p.display_name for p, _text in assignments)
            notice = _("RHK diturunkan kepada %(names)s.") % {"names": names}
            return part_response(request, skp, "hasil", notice)
    context = {"skp": skp, "rhk": rhk, "form": form, "rows": form.rows(statuses)}
    template = "plans/cascade.html#form" if request.htmx else "plans/cascade.html"
    return render(request, template, context)


@login_required
@require_POST
def ekspektasi(request: AuthedRequest, pk: int, code: int) -> HttpResponse:
    skp = visible_skp(request, pk)
    form = EkspektasiForm(request.POST)
    if not form.is_valid():
        return part_response(request, skp, "perilaku", errors_text(form), error=True)
    try:
        call(
            None,
            lambda: services.ekspektasi_set(
                by=request.user, skp=skp, core_value=code, text=form.cleaned_data["text"]
            ),
        )
    except ServiceError as exc:
        return part_response(request, skp, "perilaku", exc.message, error=True)
    return part_response(request, skp, "perilaku", _("Ekspektasi khusus pimpinan disimpan."))


@login_required
@require_POST
def return_skp(request: AuthedRequest, pk: int) -> HttpResponse:
    """ "Kembalikan": back to the pegawai with a note (required)."""
    skp = visible_skp(request, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        note = form.cleaned_data["note"]
        done = call(form, lambda: services.skp_return(by=request.user, skp=skp, note=note))
        if done is not None:
            messages.success(request, _("SKP dikembalikan kepada pegawai dengan catatan."))
            return redirect(detail_url(skp))
    return render(request, "plans/skp_detail.html", detail_context(request, skp, return_form=form))


@login_required
@require_POST
def approve(request: AuthedRequest, pk: int) -> HttpResponse:
    skp = visible_skp(request, pk)
    try:
        call(None, lambda: services.skp_approve(by=request.user, skp=skp))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("SKP disetujui."))
    return redirect(detail_url(skp))
