"""Pages of early warning and bimbingan kinerja: the case list (rater, pimpinan, admin with the
scan), a case with its sessions and the session form, a session with Format B.1.8 (the pegawai)
and B.1.9 (the pimpinan), both as PDF. Objects come from `visible_to`; anything else is a 404,
a refused service a 403. Training/JP/unit pages: views_training.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.accounts.http import AuthedRequest
from kinerja.core.formkeys import key_of
from kinerja.org.access import access_for
from kinerja.plans.views import call, call_or_flash

from . import documents, guards, rules, services
from . import services_corrections as corrections
from .forms import B18Form, B19Form, CloseForm, ScanForm, SesiForm
from .models import Kasus, Sesi, StatusKasus
from .scan import scan


@login_required
@require_http_methods(["GET", "POST"])
def kasus_list(request: AuthedRequest) -> HttpResponse:
    access = access_for(request.user)
    admin_of = sorted(access.admin_instansi_ids)
    form = ScanForm(request.POST or None, initial={"year": guards.today().year})
    if request.method == "POST":
        if not admin_of:
            raise Http404
        if form.is_valid():
            result = call(form, lambda: scan(instansi_id=admin_of[0], **form.cleaned_data))
            if result is not None:
                text = _("%(checked)s SKP diperiksa, %(opened)s kasus baru.")
                messages.success(request, text % {"checked": result.checked,
                                                  "opened": result.opened})  # fmt: skip
                return redirect("development:kasus_list")
    show = request.GET.get("status", "aktif")
    rows = Kasus.objects.visible_to(request.user).select_related("pegawai")
    if show == "aktif":
        rows = rows.exclude(status=StatusKasus.SELESAI)
    elif show in StatusKasus.values:
        rows = rows.filter(status=show)
    return render(request, "development/kasus_list.html", {
        "rows": rows[:200], "show": show, "form": form if admin_of else None,
        "statuses": StatusKasus.choices,
    })  # fmt: skip


def _kasus(request: AuthedRequest, pk: int) -> Kasus:
    found = Kasus.objects.visible_to(request.user).select_related("pegawai", "skp")
    return get_object_or_404(found, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def kasus_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    kasus = _kasus(request, pk)
    form = SesiForm(None, initial={"date": guards.today(), "method": "COACHING"})
    close = CloseForm(None)
    if request.method == "POST" and request.POST.get("action") == "tutup":
        close = CloseForm(request.POST)
        closed = None
        if close.is_valid():
            closed = call(close, lambda: services.kasus_close(
                by=request.user, kasus=kasus, note=close.cleaned_data["note"]
            ))  # fmt: skip
        if closed is not None:
            messages.success(request, _("Kasus ditutup."))
            return redirect("development:kasus", pk=kasus.pk)
    elif request.method == "POST":
        form = SesiForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            sesi = call(form, lambda: services.sesi_record(
                by=request.user, pegawai=kasus.pegawai, kasus=kasus, method=data["method"],
                day=data["date"], notes=data["notes"], actions=form.actions(),  # type: ignore[arg-type]
                form_key=key_of(request.POST),
            ))  # fmt: skip
            if sesi is not None:
                messages.success(request, _("Sesi bimbingan dicatat."))
                return redirect("development:sesi", pk=sesi.pk)
    may_coach = guards.may_coach(request.user, kasus.instansi_id, kasus.pegawai_id,
                                 kasus.rater_id, kasus.unit_path)  # fmt: skip
    may_close = kasus.status != StatusKasus.SELESAI and (
        guards.is_rater(request.user, kasus.rater_id)
        or guards.is_admin(request.user, kasus.instansi_id)
    )
    return render(request, "development/kasus_detail.html", {
        "kasus": kasus, "sessions": Sesi.objects.filter(kasus=kasus).select_related("pembimbing"),
        "form": form if may_coach and kasus.status != StatusKasus.SELESAI else None,
        "close": close if may_close else None,
        "data": sorted(kasus.data.items()),
    })  # fmt: skip


def _sesi(request: AuthedRequest, pk: int) -> Sesi:
    found = Sesi.objects.visible_to(request.user).select_related("pegawai", "pembimbing", "kasus")
    return get_object_or_404(found, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def sesi_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    sesi = _sesi(request, pk)
    b18 = getattr(sesi, "b18", None)
    b19 = getattr(sesi, "b19", None)
    today = guards.today()
    b18_form = B18Form(None, initial={"date": today}) if b18 is None and guards.is_self(
        request.user, sesi.pegawai_id) else None  # fmt: skip
    b19_form = B19Form(None, initial={"date": today}) if b19 is None and guards.may_coach(
        request.user, sesi.instansi_id, sesi.pegawai_id, sesi.rater_id, sesi.unit_path
    ) else None  # fmt: skip
    if request.method == "POST" and request.POST.get("form") == "b18" and b18_form is not None:
        b18_form = B18Form(request.POST)
        if b18_form.is_valid():
            form = b18_form
            if call(form, lambda: services.b18_submit(
                by=request.user, sesi=sesi, answers=form.answers(),
                place=form.cleaned_data["place"], day=form.cleaned_data["date"],
                form_key=key_of(request.POST),
            )):  # fmt: skip
                messages.success(request, _("Format B.1.8 tersimpan."))
                return redirect("development:sesi", pk=sesi.pk)
    elif request.method == "POST" and request.POST.get("form") == "b19" and b19_form is not None:
        b19_form = B19Form(request.POST)
        if b19_form.is_valid():
            form19 = b19_form
            if call(form19, lambda: services.b19_submit(
                by=request.user, sesi=sesi, items=form19.items(),
                place=form19.cleaned_data["place"], day=form19.cleaned_data["date"],
                form_key=key_of(request.POST),
            )):  # fmt: skip
                messages.success(request, _("Format B.1.9 tersimpan."))
                return redirect("development:sesi", pk=sesi.pk)
    elif request.method == "POST" and request.POST.get("form") == "aksi":
        aksi = get_object_or_404(sesi.aksi.all(), pk=request.POST.get("aksi") or 0)
        if call_or_flash(
            request, lambda: services.aksi_done(by=request.user, aksi=aksi, day=today)
        ):
            messages.success(request, _("Aksi ditandai selesai."))
        return redirect("development:sesi", pk=sesi.pk)
    elif request.method == "POST":
        raise Http404
    may_mark = guards.is_self(request.user, sesi.pegawai_id) or guards.is_rater(
        request.user, sesi.rater_id
    )
    answers = list(zip(rules.B18_STATEMENTS, b18.answers, strict=True)) if b18 else []
    may_edit = guards.is_self(request.user, sesi.pembimbing_id) and (
        corrections.sesi_correction_blocked(sesi) is None
    )
    return render(request, "development/sesi_detail.html", {
        "sesi": sesi, "actions": sesi.aksi.all(), "b18": b18, "b19": b19,
        "answers": answers, "scale": rules.B18_SCALE, "groups": rules.B18_GROUPS,
        "b18_form": b18_form, "b19_form": b19_form, "outcome": services.sesi_outcome(sesi),
        "nilai": b19.nilai.all() if b19 else [], "may_mark": may_mark, "may_edit": may_edit,
    })  # fmt: skip


@login_required
def b18_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    sesi = _sesi(request, pk)
    if getattr(sesi, "b18", None) is None:
        raise Http404(_("Format B.1.8 belum diisi."))
    return _pdf(documents.b18_pdf_bytes(documents.b18_data(sesi)), f"B18-{sesi.pk}.pdf")


@login_required
def b19_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    sesi = _sesi(request, pk)
    if getattr(sesi, "b19", None) is None:
        raise Http404(_("Format B.1.9 belum diisi."))
    return _pdf(documents.b19_pdf_bytes(documents.b19_data(sesi)), f"B19-{sesi.pk}.pdf")


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
