"""Pages of the distribution pattern, calibration, rater consistency, the instansi's settings and
the annual closing.

Unit pages (distribusi, kalibrasi, konsistensi) are for the unit's head or a leader above it and
the instansi's admins and auditors (guards.may_read_unit; others 403). The distribution counts
refresh by htmx every 30 s; a calibration is posted inline (htmx swaps the row). Settings and
closing are for the instansi's admins; the closing page polls the run's progress every 2 s while
it is queued or running. Each page costs a fixed number of queries.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinerja.accounts.http import AuthedRequest
from kinerja.core.errors import Conflict
from kinerja.org.access import access_for
from kinerja.org.models import Instansi, UnitKerja
from kinerja.plans.views import call, year_options, year_param

from . import calibration_queries, closing, distribution, guards, rules, services
from . import distribution_rules as dr
from .models import ANNUAL, Enforcement, Evaluasi, PenutupanTahunan, Rating
from .services_calibration import (
    MAX_KEBERATAN_DAYS,
    MAX_MIN_GROUP_SIZE,
    kalibrasi_apply,
    pengaturan_save,
)

# --- helpers --------------------------------------------------------------------------------


def _readable_unit(request: AuthedRequest, pk: int) -> UnitKerja:
    unit = get_object_or_404(UnitKerja, pk=pk)
    if not guards.may_read_unit(request.user, unit):
        raise PermissionDenied(_("Halaman ini untuk pimpinan unit kerja, admin, dan auditor."))
    return unit


def _period_param(request: AuthedRequest) -> int:
    value = request.GET.get("periode", "")
    return int(value) if value.isdigit() and int(value) <= 12 else ANNUAL


def _unit_context(request: AuthedRequest, unit: UnitKerja) -> dict[str, Any]:
    year, period = year_param(request), _period_param(request)
    choices = [(ANNUAL, _("Tahunan"))] + [
        (p.number, p.label)
        for p in services.evaluation_periods(unit.instansi_id, year)
        if p.number != ANNUAL  # the list ends with the annual period, offered first here
    ]
    if period not in {c[0] for c in choices}:
        period = ANNUAL
    return {"unit": unit, "year": year, "years": year_options(year), "period": period,
            "periods": choices, "period_label": dict(choices)[period]}  # fmt: skip


def _home_unit(request: AuthedRequest) -> UnitKerja:
    access = access_for(request.user)
    if access.headed_unit_paths and access.home_instansi_id is not None:
        top = min(access.headed_unit_paths, key=len)
        found = UnitKerja.objects.filter(instansi_id=access.home_instansi_id, path=top).first()
        if found is not None:
            return found
    readable = access.admin_instansi_ids | access.auditor_instansi_ids
    roots = UnitKerja.objects.filter(parent__isnull=True).order_by("instansi_id", "path")
    if not access.is_superuser:
        roots = roots.filter(instansi_id__in=readable)
    root = roots.first()
    if root is None:
        raise PermissionDenied(_("Halaman ini untuk pimpinan unit kerja, admin, dan auditor."))
    return root


def _admin_instansi(request: AuthedRequest) -> Instansi:
    access = access_for(request.user)
    wanted = request.GET.get("instansi") or request.POST.get("instansi") or ""
    ids = sorted(access.admin_instansi_ids)
    if wanted.isdigit() and access.can_admin_instansi(int(wanted)):
        return get_object_or_404(Instansi, pk=int(wanted))
    if not ids:
        raise PermissionDenied(_("Halaman ini untuk admin kepegawaian instansi."))
    return get_object_or_404(Instansi, pk=ids[0])


# --- distribution ---------------------------------------------------------------------------


@login_required
@require_GET
def distribusi_home(request: AuthedRequest) -> HttpResponse:
    return redirect("assessments:distribusi", _home_unit(request).pk)


@login_required
@require_GET
def distribusi(request: AuthedRequest, unit_pk: int) -> HttpResponse:
    unit = _readable_unit(request, unit_pk)
    context = _unit_context(request, unit)
    context["data"] = distribution.unit_distribution(
        unit, year=context["year"], period=context["period"],
        reader=access_for(request.user).pegawai_id,
    )  # fmt: skip
    context["labels"] = rules.PREDIKAT_LABELS
    template = "assessments/distribusi_unit.html"
    return render(request, f"{template}#counts" if request.htmx else template, context)


# --- calibration ----------------------------------------------------------------------------


class KalibrasiForm(forms.Form):
    rating_hasil = forms.ChoiceField(label=gettext_lazy("Rating hasil kerja"),
                                     choices=Rating.choices)  # fmt: skip
    rating_perilaku = forms.ChoiceField(label=gettext_lazy("Rating perilaku kerja"),
                                        choices=Rating.choices)  # fmt: skip
    reason = forms.CharField(label=gettext_lazy("Alasan kalibrasi"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": gettext_lazy(
                                 "Alasan kalibrasi wajib diisi.")})  # fmt: skip


def _row_context(request: AuthedRequest, row: calibration_queries.CalibrationRow,
                 form: KalibrasiForm | None = None) -> dict[str, Any]:  # fmt: skip
    return {"row": row, "form": form, "labels": rules.PREDIKAT_LABELS,
            "ratings": dict(Rating.choices)}  # fmt: skip


def _may(request: AuthedRequest, unit: UnitKerja, row: calibration_queries.CalibrationRow) -> None:
    """guards.may_calibrate on the row's facts (no query: the reader's access is cached)."""
    access = access_for(request.user)
    leader = access.can_admin_instansi(unit.instansi_id) or guards.heads_above_or_at(
        request.user, unit.instansi_id, row.unit_path
    )
    row.may_calibrate = (
        leader and access.pegawai_id != row.pegawai_id and row.rated and not row.has_keberatan
    )


@login_required
@require_GET
def kalibrasi(request: AuthedRequest, unit_pk: int) -> HttpResponse:
    unit = _readable_unit(request, unit_pk)
    context = _unit_context(request, unit)
    rows = calibration_queries.calibration_rows(
        unit, year=context["year"], period=context["period"],
        reader=access_for(request.user).pegawai_id,
    )  # fmt: skip
    for row in rows:
        _may(request, unit, row)
    context |= {"rows": rows, "labels": rules.PREDIKAT_LABELS, "ratings": dict(Rating.choices),
                "form": KalibrasiForm()}  # fmt: skip
    return render(request, "assessments/kalibrasi_unit.html", context)


@login_required
@require_POST
def kalibrasi_post(request: AuthedRequest, pk: int) -> HttpResponse:
    evaluasi = get_object_or_404(Evaluasi.objects.visible_to(request.user), pk=pk)
    form = KalibrasiForm(request.POST)
    if form.is_valid():
        done = call(form, lambda: kalibrasi_apply(
            by=request.user, evaluasi=evaluasi, rating_hasil=form.cleaned_data["rating_hasil"],
            rating_perilaku=form.cleaned_data["rating_perilaku"],
            reason=form.cleaned_data["reason"]))  # fmt: skip
        if done is not None and not request.htmx:
            messages.success(request, _("Kalibrasi disimpan."))
    unit = get_object_or_404(UnitKerja, pk=evaluasi.unit_id)
    back = reverse("assessments:kalibrasi", args=[unit.pk])
    back += f"?tahun={evaluasi.year}&periode={evaluasi.period}"
    if not request.htmx:
        if form.errors:
            messages.error(request, " ".join(str(e) for es in form.errors.values() for e in es))
        return redirect(back)
    [row] = calibration_queries.calibration_rows(
        unit, year=evaluasi.year, period=evaluasi.period, only=evaluasi.pk,
        reader=access_for(request.user).pegawai_id,
    )  # fmt: skip
    _may(request, unit, row)
    context = _row_context(request, row, form if form.errors else KalibrasiForm())
    return render(request, "assessments/kalibrasi_unit.html#row", context)


# --- rater consistency ----------------------------------------------------------------------


@login_required
@require_GET
def konsistensi(request: AuthedRequest, unit_pk: int) -> HttpResponse:
    unit = _readable_unit(request, unit_pk)
    context = _unit_context(request, unit)
    context["data"] = distribution.consistency(
        unit, year=context["year"], period=context["period"],
        reader=access_for(request.user).pegawai_id,
    )  # fmt: skip
    context |= {"labels": rules.PREDIKAT_LABELS, "threshold": dr.CONSISTENCY_THRESHOLD,
                "min_rated": dr.CONSISTENCY_MIN_RATED}  # fmt: skip
    return render(request, "assessments/distribusi_konsistensi.html", context)


# --- settings -------------------------------------------------------------------------------


class PengaturanForm(forms.Form):
    enforcement = forms.ChoiceField(label=gettext_lazy("Penegakan pola distribusi"),
                                    choices=Enforcement.choices)  # fmt: skip
    min_group_size = forms.IntegerField(
        label=gettext_lazy("Ukuran kelompok minimum"), min_value=1, max_value=MAX_MIN_GROUP_SIZE
    )
    keberatan_days = forms.IntegerField(
        label=gettext_lazy("Batas waktu keberatan (hari)"), min_value=1,
        max_value=MAX_KEBERATAN_DAYS,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def pengaturan(request: AuthedRequest) -> HttpResponse:
    instansi = _admin_instansi(request)
    current = guards.pengaturan_for(instansi.pk)
    initial = {"enforcement": current.enforcement, "min_group_size": current.min_group_size,
               "keberatan_days": current.keberatan_days}  # fmt: skip
    form = PengaturanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = call(form, lambda: pengaturan_save(by=request.user, instansi=instansi,
                                                   **form.cleaned_data))  # fmt: skip
        if saved is not None:
            messages.success(request, _("Pengaturan penilaian disimpan."))
            return redirect(f"{reverse('assessments:pengaturan')}?instansi={instansi.pk}")
    return render(request, "assessments/distribusi_pengaturan.html",
                  {"form": form, "instansi": instansi})  # fmt: skip


# --- annual closing -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def penutupan(request: AuthedRequest) -> HttpResponse:
    instansi = _admin_instansi(request)
    year = year_param(request)
    if request.method == "POST":
        posted = request.POST.get("tahun", "")
        year = int(posted) if posted.isdigit() and 2000 <= int(posted) <= 2100 else year
        try:
            run = closing.penutupan_request(by=request.user, instansi=instansi, year=year)
        except Conflict as exc:
            messages.error(request, exc.message)
        else:
            return redirect("assessments:penutupan_detail", run.pk)
    runs = PenutupanTahunan.objects.filter(instansi=instansi).order_by("-created_at")[:10]
    return render(request, "assessments/penutupan_index.html",
                  {"instansi": instansi, "runs": list(runs), "year": year,
                   "years": year_options(year)})  # fmt: skip


@login_required
@require_GET
def penutupan_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(PenutupanTahunan.objects.select_related("instansi"), pk=pk)
    if not access_for(request.user).can_audit_instansi(run.instansi_id):
        raise Http404
    context = {"run": run, "running": run.status in closing.RUNNING,
               "percent": int(100 * run.done / run.total) if run.total else 0}  # fmt: skip
    template = "assessments/penutupan_detail.html"
    return render(request, f"{template}#status" if request.htmx else template, context)
