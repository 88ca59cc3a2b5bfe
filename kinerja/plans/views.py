"""SKP pages of the pegawai: "SKP saya", one SKP, and the owner's edits and workflow actions.

Every view fetches through `Skp.objects.visible_to` (another instansi's or a peer's SKP is a 404),
validates with a form, calls one service and answers with a redirect or, for htmx, the
re-rendered part of the page. Service errors become Indonesian messages; Refused is a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from kinerja.accounts.http import AuthedRequest
from kinerja.core.errors import NotFound, Refused, ServiceError
from kinerja.core.formkeys import key_of
from kinerja.org.access import access_for
from kinerja.org.hierarchy import subordinate_ids
from kinerja.org.models import RATER_JENIS, Pegawai
from kinerja.org.rules import display_name

from . import queries, services
from .forms import (
    EkspektasiForm,
    IkiForm,
    LampiranForm,
    PendekatanForm,
    ReturnForm,
    RhkForm,
    SkpCreateForm,
)
from .models import JenisLampiran, Rhk, Skp, StatusSkp

# --- helpers shared by the plans views --------------------------------------------------


def call[T](form: forms.Form | None, service: Callable[[], T]) -> T | None:
    """Run one service; its refusal is a 403, any other error lands on the form (or raises)."""
    try:
        return service()
    except Refused as exc:
        raise PermissionDenied(exc.message) from exc
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except ServiceError as exc:
        if form is None:
            raise
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None


def call_or_flash[T](request: AuthedRequest, service: Callable[[], T]) -> T | None:
    """`call` for a button without a form: a rule's refusal (a double tap, a stale page) is an
    error message on the page the view redirects to, never a 500."""
    try:
        return call(None, service)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return None


def visible_skp(request: AuthedRequest, pk: int) -> Skp:
    return get_object_or_404(Skp.objects.visible_to(request.user), pk=pk)


def errors_text(form: forms.Form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def require_owner(request: AuthedRequest, skp: Skp) -> None:
    """Edit forms are shown to the owner only (the services refuse everyone else anyway)."""
    if access_for(request.user).pegawai_id != skp.pegawai_id:
        raise PermissionDenied(_("Hanya pemilik SKP yang boleh mengubahnya."))


def detail_url(skp: Skp, anchor: str = "") -> str:
    url = reverse("plans:detail", args=[skp.pk])
    return f"{url}#{anchor}" if anchor else url


@dataclass
class RhkRow:
    view: queries.RhkView
    turunan: list[str]
    iki_form: IkiForm | None


def _turunan(rhk_ids: list[int]) -> dict[int, list[str]]:
    """Who each RHK was handed down to (current SKPs of the subordinates), in one query."""
    found: dict[int, list[str]] = {}
    rows = (
        Rhk.objects.filter(parent_id__in=rhk_ids, skp__is_current=True)
        .order_by("skp__pegawai__name", "id")
        .values_list(
            "parent_id",
            "skp__pegawai__name",
            "skp__pegawai__front_title",
            "skp__pegawai__back_title",
        )
    )
    for parent_id, name, front, back in rows:
        found.setdefault(parent_id, []).append(display_name(name, front, back))
    return found


def detail_context(request: AuthedRequest, skp: Skp, **extra: Any) -> dict[str, Any]:
    """Everything the SKP page and its parts (hasil, perilaku, lampiran) show."""
    view = queries.skp_view(skp)
    skp = view.skp
    access = access_for(request.user)
    is_owner = access.pegawai_id == skp.pegawai_id
    is_rater = skp.is_current and queries.can_act_as_rater(request.user, skp)
    can_edit = is_owner and skp.is_current and skp.editable
    is_jpt = view.is_jpt
    linkable = queries.linkable_rhks(skp) if can_edit else []
    turunan = _turunan([r.rhk.pk for r in view.utama])

    def rows(items: list[queries.RhkView]) -> list[RhkRow]:
        return [
            RhkRow(
                view=r,
                turunan=turunan.get(r.rhk.pk, []),
                iki_form=IkiForm(
                    pendekatan=skp.pendekatan, is_jpt=is_jpt, auto_id=f"iki{r.rhk.pk}-%s"
                )
                if can_edit
                else None,
            )
            for r in items
        ]

    can_set_ekspektasi = is_rater and skp.status != StatusSkp.DISETUJUI
    can_decide = is_rater and skp.status == StatusSkp.DIAJUKAN
    items = list(skp.lampiran.all())
    context = {
        "v": view,
        "skp": skp,
        "is_owner": is_owner,
        "is_rater": is_rater,
        "can_edit": can_edit,
        "can_cascade": is_owner and skp.is_current and skp.jabatan.jenis in RATER_JENIS,
        "can_set_ekspektasi": can_set_ekspektasi,
        "can_decide": can_decide,
        "can_revise": is_owner and skp.is_current and skp.status == StatusSkp.DISETUJUI,
        "utama": rows(view.utama),
        "tambahan": rows(view.tambahan),
        "linkable": linkable,
        "rhk_form": RhkForm(linkable=linkable, auto_id="rhk-new-%s") if can_edit else None,
        "perilaku": [
            (
                p,
                EkspektasiForm(initial={"text": p.ekspektasi}, auto_id=f"eks{p.value.code}-%s")
                if can_set_ekspektasi
                else None,
            )
            for p in view.perilaku
        ],
        "lampiran": [
            (label, [i for i in items if i.kind == kind]) for kind, label in JenisLampiran.choices
        ],
        "lampiran_form": LampiranForm(auto_id="lampiran-%s") if can_edit else None,
        "pendekatan_form": PendekatanForm(initial={"pendekatan": skp.pendekatan})
        if can_edit
        else None,
        "return_form": ReturnForm(auto_id="kembali-%s") if can_decide else None,
        "problems": [],
    }
    context.update(extra)
    return context


PARTS = ("hasil", "perilaku", "lampiran")


def part_response(
    request: AuthedRequest, skp: Skp, part: str, notice: str, *, error: bool = False
) -> HttpResponse:
    """After an edit: htmx gets the re-rendered part of the page, a plain POST a redirect."""
    assert part in PARTS
    if request.htmx:
        context = detail_context(request, skp, notice=notice, notice_error=error)
        response = render(request, f"plans/skp_detail.html#{part}", context)
        return reswap(retarget(response, f"#{part}"), "outerHTML")
    (messages.error if error else messages.success)(request, notice)
    return redirect(detail_url(skp, part))


def form_response(
    request: AuthedRequest, skp: Skp, form: forms.Form, *, title: str, action: str, submit: str
) -> HttpResponse:
    """A form to fill in (an edit) or to correct: the form alone for htmx, else a page."""
    context = {
        "skp": skp,
        "form": form,
        "title": title,
        "action": action,
        "submit": submit,
        "cancel": detail_url(skp),
    }
    template = "plans/skp_form.html#form" if request.htmx else "plans/skp_form.html"
    return render(request, template, context)


# --- SKP saya -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def mine(request: AuthedRequest) -> HttpResponse:
    access = access_for(request.user)
    year = queries.current_year()
    pegawai = (
        Pegawai.objects.select_related("jabatan").filter(pk=access.pegawai_id).first()
        if access.pegawai_id
        else None
    )
    form = SkpCreateForm(request.POST if request.method == "POST" else None, current_year=year)
    if request.method == "POST":
        if pegawai is None:
            raise PermissionDenied(_("Akun ini bukan akun pegawai."))
        if form.is_valid():
            skp = call(
                form,
                lambda: services.skp_create(
                    by=request.user,
                    pegawai=pegawai,
                    year=form.cleaned_data["year"],
                    pendekatan=form.cleaned_data["pendekatan"],
                    form_key=key_of(request.POST),
                ),
            )
            if skp is not None:
                messages.success(request, _("SKP tahun %(year)s dibuat.") % {"year": skp.year})
                return redirect(detail_url(skp))
    rates = pegawai is not None and (bool(access.headed_unit_ids) or bool(subordinate_ids(pegawai)))
    context = {
        "form": form,
        "pegawai": pegawai,
        "skps": queries.my_skps(request.user),
        "rates": rates,
    }
    return render(request, "plans/skp_list.html", context)


# --- one SKP ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    skp = visible_skp(request, pk)
    part = request.GET.get("bagian", "")
    if request.htmx and part in PARTS:
        return render(request, f"plans/skp_detail.html#{part}", detail_context(request, skp))
    return render(request, "plans/skp_detail.html", detail_context(request, skp))


@login_required
@require_POST
def set_pendekatan(request: AuthedRequest, pk: int) -> HttpResponse:
    skp = visible_skp(request, pk)
    form = PendekatanForm(request.POST)
    if form.is_valid():
        done = call(
            form,
            lambda: services.skp_set_pendekatan(
                by=request.user, skp=skp, pendekatan=form.cleaned_data["pendekatan"]
            ),
        )
        if done is not None:
            messages.success(request, _("Pendekatan hasil kerja diubah."))
            return redirect(detail_url(skp))
    messages.error(request, errors_text(form))
    return redirect(detail_url(skp))


@login_required
@require_POST
def submit(request: AuthedRequest, pk: int) -> HttpResponse:
    skp = visible_skp(request, pk)
    try:
        call(None, lambda: services.skp_submit(by=request.user, skp=skp))
    except ServiceError as exc:
        problems = services.skp_problems(skp)
        context = detail_context(
            request, skp, problems=problems, action_error="" if problems else exc.message
        )
        return render(request, "plans/skp_detail.html", context)
    messages.success(request, _("SKP diajukan kepada Pejabat Penilai Kinerja."))
    return redirect(detail_url(skp))


@login_required
@require_POST
def revise(request: AuthedRequest, pk: int) -> HttpResponse:
    skp = visible_skp(request, pk)
    try:
        new = call(
            None,
            lambda: services.skp_revise(by=request.user, skp=skp, form_key=key_of(request.POST)),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(detail_url(skp))
    assert new is not None
    messages.success(
        request, _("Perubahan SKP dibuat sebagai versi %(v)s (draf).") % {"v": new.version}
    )
    return redirect(detail_url(new))


def year_param(request: AuthedRequest) -> int:
    """?tahun=2026, else the current year."""
    value = request.GET.get("tahun", "")
    if value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return queries.current_year()


def year_options(selected: int) -> list[int]:
    current = queries.current_year()
    return sorted({current + 1, current, current - 1, current - 2, selected}, reverse=True)
