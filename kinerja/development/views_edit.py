"""Correcting what was recorded: a catalogue item (admins of its instansi; switching it off
removes it from new recommendations) and a bimbingan session (its pembimbing, until a form is
filled or the case is closed: corrected, or withdrawn with a reason; services_corrections says
why not). The services decide; a refusal is a 403, anything not visible a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.accounts.http import AuthedRequest
from kinerja.plans.views import call

from . import guards
from . import services_corrections as corrections
from . import services_training as training
from .forms import PelatihanEditForm, SesiEditForm, SesiWithdrawForm
from .models import Pelatihan, Sesi


@login_required
@require_http_methods(["GET", "POST"])
def pelatihan_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Pelatihan.objects.visible_to(request.user), pk=pk)
    if not guards.is_admin(request.user, item.instansi_id):
        raise PermissionDenied(_("Hanya admin instansi yang dapat mengelola katalog."))
    initial = {name: getattr(item, name) for name in PelatihanEditForm.base_fields}
    form = PelatihanEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = call(form, lambda: training.pelatihan_save(
            by=request.user, instansi_id=item.instansi_id, values=form.cleaned_data,
            pelatihan=item,
        ))  # fmt: skip
        if saved is not None:
            messages.success(request, _("Pelatihan diperbarui."))
            return redirect("development:pelatihan")
    return render(request, "development/pelatihan_edit.html", {"item": item, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def sesi_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    refusal = _("Hanya pembimbing yang mencatat sesi ini yang dapat mengubahnya.")
    sesi = _coached(request, pk, refusal)
    initial = {name: getattr(sesi, name) for name in SesiEditForm.base_fields}
    form = SesiEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = call(form, lambda: corrections.sesi_update(
            by=request.user, sesi=sesi, method=data["method"], day=data["date"],
            notes=data["notes"],
        ))  # fmt: skip
        if saved is not None:
            messages.success(request, _("Sesi bimbingan diperbarui."))
            return redirect("development:sesi", pk=sesi.pk)
    return render(request, "development/sesi_edit.html", {"sesi": sesi, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def sesi_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    refusal = _("Hanya pembimbing yang mencatat sesi ini yang dapat menghapusnya.")
    sesi = _coached(request, pk, refusal)
    form = SesiWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        kasus_id = sesi.kasus_id
        call(form, lambda: corrections.sesi_withdraw(
            by=request.user, sesi=sesi, reason=form.cleaned_data["reason"]
        ))  # fmt: skip
        if not form.errors:
            messages.success(request, _("Sesi bimbingan dihapus."))
            if kasus_id is not None:
                return redirect("development:kasus", pk=kasus_id)
            return redirect("development:kasus_list")
    blocked = corrections.sesi_withdraw_blocked(sesi)
    return render(
        request, "development/sesi_withdraw.html", {"sesi": sesi, "form": form, "blocked": blocked}
    )


def _coached(request: AuthedRequest, pk: int, refusal: str) -> Sesi:
    """The session, if visible, for its pembimbing only (a 403 for anyone else who sees it)."""
    found = Sesi.objects.visible_to(request.user).select_related("pegawai", "kasus")
    sesi = get_object_or_404(found, pk=pk)
    if not guards.is_self(request.user, sesi.pembimbing_id):
        raise PermissionDenied(refusal)
    return sesi
