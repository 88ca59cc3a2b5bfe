"""Pages of umpan balik 360: the reviewer's inbox ("Umpan balik 360 yang diminta") and answer
form; an evaluation's 360 panel (the rater's aggregate, comments, completeness and request
forms; the rated pegawai's aggregate of at least 3 answers, nothing else).

An evaluation is read through `Evaluasi.objects.visible_to`; a request only by its reviewer
(anyone else: 404). Refused is a 403; any other refusal re-renders the form with its message.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinerja.accounts.http import AuthedRequest
from kinerja.core.errors import ServiceError
from kinerja.core.formkeys import key_of
from kinerja.plans.berakhlak import BERAKHLAK
from kinerja.plans.views import call

from . import guards, queries_360, services, services_360
from .models import ANNUAL, Evaluasi, Penilai360, Rating, StatusEvaluasi

# --- forms --------------------------------------------------------------------------------


class AnswerForm(forms.Form):
    """One radio group per BerAKHLAK value (field `nilai_<code>`) and an optional comment."""

    comment = forms.CharField(
        label=gettext_lazy("Komentar (tidak wajib)"),
        required=False,
        max_length=services_360.COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value in BERAKHLAK:
            self.fields[f"nilai_{value.code}"] = forms.ChoiceField(
                label=value.name,
                choices=Rating.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Pilih penilaian untuk nilai ini.")},
            )
        self.order_fields([f"nilai_{v.code}" for v in BERAKHLAK] + ["comment"])

    def ratings(self) -> dict[int, str]:
        return {v.code: self.cleaned_data[f"nilai_{v.code}"] for v in BERAKHLAK}

    def value_fields(self) -> list[tuple[Any, forms.BoundField]]:
        return [(v, self[f"nilai_{v.code}"]) for v in BERAKHLAK]


# --- helpers ------------------------------------------------------------------------------


def period_label(evaluasi: Evaluasi) -> str:
    if evaluasi.period == ANNUAL:
        return _("Tahunan")
    return services.evaluation_period(evaluasi.instansi_id, evaluasi.year, evaluasi.period).label


def readable_evaluasi(request: AuthedRequest, pk: int) -> Evaluasi:
    found = (
        Evaluasi.objects.visible_to(request.user)
        .select_related("pegawai", "unit", "rater")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def _mine(request: AuthedRequest, pk: int) -> Penilai360:
    return get_object_or_404(queries_360.requests_for(request.user), pk=pk)


def panel_url(evaluasi: Evaluasi) -> str:
    return reverse("assessments:360_panel", args=[evaluasi.pk])


def panel_context(request: AuthedRequest, evaluasi: Evaluasi) -> dict[str, Any]:
    """What the 360 panel shows; also used by the evaluation page's include."""
    summary = queries_360.summary_360(request.user, evaluasi)
    can_request = guards.is_rater(request.user, evaluasi) and (
        evaluasi.status == StatusEvaluasi.DRAFT
    )
    asked = {r.pegawai_id for r in summary.reviewers}
    choices = []
    if can_request:
        choices = [c for c in services_360.candidates(evaluasi) if c.pegawai.pk not in asked]
    return {
        "evaluasi": evaluasi,
        "summary": summary,
        "can_request": can_request,
        "candidates": choices,
        "minimum": 3,
    }


# --- the reviewer -------------------------------------------------------------------------


@login_required
@require_GET
def inbox(request: AuthedRequest) -> HttpResponse:
    rows = list(queries_360.requests_for(request.user))
    labels: dict[tuple[int, int, int], str] = {}
    items = []
    for p in rows:
        ev = p.evaluasi
        key = (ev.instansi_id, ev.year, ev.period)
        if key not in labels:
            labels[key] = period_label(ev)
        items.append(
            {
                "penilai": p,
                "evaluasi": ev,
                "period_label": labels[key],
                "closed": ev.status != StatusEvaluasi.DRAFT,
            }
        )
    return render(request, "assessments/360_inbox.html", {"items": items})


@login_required
@require_http_methods(["GET", "POST"])
def answer(request: AuthedRequest, pk: int) -> HttpResponse:
    item = _mine(request, pk)
    evaluasi = item.evaluasi
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = call(
            form,
            lambda: services_360.penilai360_answer(
                by=request.user,
                penilai=item,
                ratings=form.ratings(),
                comment=form.cleaned_data["comment"],
            ),
        )
        if done is not None:
            messages.success(
                request,
                _("Terima kasih, umpan balik 360 untuk %(name)s tersimpan.")
                % {"name": evaluasi.pegawai.display_name},
            )
            return redirect("assessments:360_inbox")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "assessments/360_answer.html",
        {
            "penilai": item,
            "evaluasi": evaluasi,
            "period_label": period_label(evaluasi),
            "form": form,
            "closed": evaluasi.status != StatusEvaluasi.DRAFT,
        },
        status=status,
    )


# --- the evaluation's panel ---------------------------------------------------------------


@login_required
@require_GET
def panel(request: AuthedRequest, pk: int) -> HttpResponse:
    evaluasi = readable_evaluasi(request, pk)
    context = panel_context(request, evaluasi) | {"period_label": period_label(evaluasi)}
    return render(request, "assessments/360_panel.html", context)


@login_required
@require_POST
def request_reviewers(request: AuthedRequest, pk: int) -> HttpResponse:
    """ "Terapkan aturan" (rule=1) or the ticked reviewers."""
    evaluasi = readable_evaluasi(request, pk)
    reviewers = None
    if request.POST.get("rule") != "1":
        ids = [int(v) for v in request.POST.getlist("reviewer") if v.isdigit()]
        allowed = {c.pegawai.pk: c.pegawai for c in services_360.candidates(evaluasi)}
        reviewers = [allowed[i] for i in ids if i in allowed]
        if len(reviewers) != len(ids) or not ids:
            messages.error(
                request,
                _("Pilih penilai 360 dari daftar rekan kerja satu unit dan bawahan langsung."),
            )
            return redirect(panel_url(evaluasi))
    try:
        created = call(
            None,
            lambda: services_360.penilai360_request(
                by=request.user,
                evaluasi=evaluasi,
                reviewers=reviewers,
                form_key=key_of(request.POST),
            ),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(panel_url(evaluasi))
    count = len(created or [])
    if count:
        messages.success(request, _("Umpan balik 360 diminta dari %(n)s pegawai.") % {"n": count})
    else:
        messages.info(request, _("Semua yang dipilih sudah dimintai umpan balik 360."))
    return redirect(panel_url(evaluasi))


@login_required
@require_POST
def withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Penilai360.objects.select_related("reviewer"), pk=pk)
    evaluasi = readable_evaluasi(request, item.evaluasi_id)
    try:
        call(None, lambda: services_360.penilai360_withdraw(by=request.user, penilai=item))
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(panel_url(evaluasi))
    messages.success(
        request,
        _("Permintaan kepada %(name)s dibatalkan.") % {"name": item.reviewer.display_name},
    )
    return redirect(panel_url(evaluasi))
