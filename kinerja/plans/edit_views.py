"""The owner's edits of a draft SKP: RHK, IKI and lampiran. Each answers a plain POST with a
redirect and an htmx request with the re-rendered part of the SKP page (or the form again)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kinerja.accounts.http import AuthedRequest
from kinerja.core.errors import ServiceError
from kinerja.core.formkeys import key_of

from . import queries, services
from .forms import IkiForm, LampiranForm, RhkForm
from .models import Iki, Lampiran, Rhk, Skp
from .views import call, form_response, part_response, require_owner, visible_skp

# --- RHK ----------------------------------------------------------------------------------


def _rhk_parent(skp: Skp, form: RhkForm) -> tuple[bool, Rhk | None]:
    """The chosen parent RHK (any RHK of the instansi; the service judges it)."""
    parent_id = form.cleaned_data.get("parent")
    if parent_id is None:
        return True, None
    parent = (
        Rhk.objects.select_related("skp")
        .filter(pk=parent_id, skp__instansi_id=skp.instansi_id)
        .first()
    )
    if parent is None:
        form.add_error("parent", _("RHK pimpinan tidak ditemukan."))
        return False, None
    return True, parent


def _rhk_form_submit(request: AuthedRequest, skp: Skp, rhk: Rhk | None) -> HttpResponse:
    linkable = queries.linkable_rhks(skp)
    if rhk is None:
        action = reverse("plans:rhk_add", args=[skp.pk])
        title, submit_label = _("Tambah rencana hasil kerja"), _("Simpan RHK")
    else:
        action = reverse("plans:rhk_edit", args=[skp.pk, rhk.pk])
        title, submit_label = _("Ubah rencana hasil kerja"), _("Simpan perubahan")
    if request.method == "GET":
        assert rhk is not None
        require_owner(request, skp)
        form = RhkForm(initial=RhkForm.initial_for(rhk), linkable=linkable)
        return form_response(request, skp, form, title=title, action=action, submit=submit_label)
    form = RhkForm(request.POST, linkable=linkable)
    if form.is_valid():
        ok, parent = _rhk_parent(skp, form)
        data = form.cleaned_data
        if ok:
            saved = call(
                form,
                lambda: services.rhk_save(
                    by=request.user,
                    skp=skp,
                    jenis=data["jenis"],
                    text=data["text"],
                    parent=parent,
                    source=data["source"],
                    rhk=rhk,
                    form_key=key_of(request.POST) if rhk is None else "",
                ),
            )
            if saved is not None:
                return part_response(request, skp, "hasil", _("RHK disimpan."))
    return form_response(request, skp, form, title=title, action=action, submit=submit_label)


@login_required
@require_POST
def rhk_add(request: AuthedRequest, pk: int) -> HttpResponse:
    return _rhk_form_submit(request, visible_skp(request, pk), None)


@login_required
@require_http_methods(["GET", "POST"])
def rhk_edit(request: AuthedRequest, pk: int, rhk_id: int) -> HttpResponse:
    skp = visible_skp(request, pk)
    return _rhk_form_submit(request, skp, get_object_or_404(Rhk, pk=rhk_id, skp=skp))


@login_required
@require_POST
def rhk_delete(request: AuthedRequest, pk: int, rhk_id: int) -> HttpResponse:
    skp = visible_skp(request, pk)
    rhk = get_object_or_404(Rhk.objects.select_related("skp"), pk=rhk_id, skp=skp)
    try:
        call(None, lambda: services.rhk_delete(by=request.user, rhk=rhk))
    except ServiceError as exc:
        return part_response(request, skp, "hasil", exc.message, error=True)
    return part_response(request, skp, "hasil", _("RHK dihapus."))


# --- IKI ----------------------------------------------------------------------------------


def _iki_form_submit(request: AuthedRequest, skp: Skp, rhk: Rhk, iki: Iki | None) -> HttpResponse:
    is_jpt = skp.jabatan.jenis == "JPT"
    if iki is None:
        action = reverse("plans:iki_add", args=[skp.pk, rhk.pk])
        title, submit_label = _("Tambah indikator kinerja individu"), _("Simpan IKI")
    else:
        action = reverse("plans:iki_edit", args=[skp.pk, iki.pk])
        title, submit_label = _("Ubah indikator kinerja individu"), _("Simpan perubahan")
    if request.method == "GET":
        assert iki is not None
        require_owner(request, skp)
        initial = {name: getattr(iki, name) for name in services.IKI_FIELDS}
        form = IkiForm(initial=initial, pendekatan=skp.pendekatan, is_jpt=is_jpt)
        return form_response(request, skp, form, title=title, action=action, submit=submit_label)
    form = IkiForm(request.POST, pendekatan=skp.pendekatan, is_jpt=is_jpt)
    if form.is_valid():
        saved = call(
            form,
            lambda: services.iki_save(
                by=request.user,
                rhk=rhk,
                values=form.values(),
                iki=iki,
                form_key=key_of(request.POST) if iki is None else "",
            ),
        )
        if saved is not None:
            return part_response(request, skp, "hasil", _("IKI disimpan."))
    return form_response(request, skp, form, title=title, action=action, submit=submit_label)


@login_required
@require_POST
def iki_add(request: AuthedRequest, pk: int, rhk_id: int) -> HttpResponse:
    skp = visible_skp(request, pk)
    rhk = get_object_or_404(Rhk.objects.select_related("skp__jabatan"), pk=rhk_id, skp=skp)
    return _iki_form_submit(request, rhk.skp, rhk, None)


@login_required
@require_http_methods(["GET", "POST"])
def iki_edit(request: AuthedRequest, pk: int, iki_id: int) -> HttpResponse:
    skp = visible_skp(request, pk)
    iki = get_object_or_404(
        Iki.objects.select_related("rhk__skp__jabatan"), pk=iki_id, rhk__skp=skp
    )
    return _iki_form_submit(request, iki.rhk.skp, iki.rhk, iki)


@login_required
@require_POST
def iki_delete(request: AuthedRequest, pk: int, iki_id: int) -> HttpResponse:
    skp = visible_skp(request, pk)
    iki = get_object_or_404(Iki.objects.select_related("rhk__skp"), pk=iki_id, rhk__skp=skp)
    try:
        call(None, lambda: services.iki_delete(by=request.user, iki=iki))
    except ServiceError as exc:
        return part_response(request, skp, "hasil", exc.message, error=True)
    return part_response(request, skp, "hasil", _("IKI dihapus."))


# --- lampiran -----------------------------------------------------------------------------


@login_required
@require_POST
def lampiran_add(request: AuthedRequest, pk: int) -> HttpResponse:
    skp = visible_skp(request, pk)
    form = LampiranForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        added = call(
            form,
            lambda: services.lampiran_add(
                by=request.user,
                skp=skp,
                kind=data["kind"],
                text=data["text"],
                form_key=key_of(request.POST),
            ),
        )
        if added is not None:
            return part_response(request, skp, "lampiran", _("Lampiran ditambahkan."))
    return form_response(
        request,
        skp,
        form,
        title=_("Tambah lampiran"),
        action=reverse("plans:lampiran_add", args=[skp.pk]),
        submit=_("Tambah"),
    )


@login_required
@require_POST
def lampiran_delete(request: AuthedRequest, pk: int, lampiran_id: int) -> HttpResponse:
    skp = visible_skp(request, pk)
    item = get_object_or_404(Lampiran.objects.select_related("skp"), pk=lampiran_id, skp=skp)
    try:
        call(None, lambda: services.lampiran_delete(by=request.user, lampiran=item))
    except ServiceError as exc:
        return part_response(request, skp, "lampiran", exc.message, error=True)
    return part_response(request, skp, "lampiran", _("Lampiran dihapus."))
