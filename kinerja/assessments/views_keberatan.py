"""Pages of keberatan: the evaluation's keberatan page (the rated pegawai's appeal form on their
final evaluation while the window is open; everyone who may read the evaluation sees the status
and the decision), the decider's inbox and decision page.

An evaluation is read through `Evaluasi.objects.visible_to`; a decision page only by its
decider (anyone else: 404). Refused is a 403; other refusals show on the form (status 400).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinerja.accounts.http import AuthedRequest
from kinerja.core.formkeys import key_of
from kinerja.org.access import access_for
from kinerja.plans.views import call

from . import services_keberatan as services
from .models import Evaluasi, Keberatan, Rating, StatusKeberatan
from .queries import shown_to_pegawai
from .views_360 import period_label, readable_evaluasi

MAX = services.TEXT_MAX


class KeberatanForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Alasan keberatan"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX,
    )


class PenjelasanForm(forms.Form):
    penjelasan_pegawai = forms.CharField(
        label=gettext_lazy("Penjelasan pegawai"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}), max_length=MAX,
    )  # fmt: skip
    penjelasan_penilai = forms.CharField(
        label=gettext_lazy("Penjelasan pejabat penilai kinerja"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}), max_length=MAX,
    )  # fmt: skip


class PutusanForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Keputusan"),
        choices=[(StatusKeberatan.DIPERTAHANKAN, StatusKeberatan.DIPERTAHANKAN.label),
                 (StatusKeberatan.DIUBAH, StatusKeberatan.DIUBAH.label)],
        widget=forms.RadioSelect,
    )  # fmt: skip
    rating_hasil = forms.ChoiceField(
        label=gettext_lazy("Rating hasil kerja baru"), required=False,
        choices=[("", "–"), *Rating.choices],
    )  # fmt: skip
    rating_perilaku = forms.ChoiceField(
        label=gettext_lazy("Rating perilaku kerja baru"), required=False,
        choices=[("", "–"), *Rating.choices],
    )  # fmt: skip
    reason = forms.CharField(
        label=gettext_lazy("Alasan keputusan"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX,
    )


def _evaluasi_context(request: AuthedRequest, evaluasi: Evaluasi) -> dict[str, Any]:
    is_rated = access_for(request.user).pegawai_id == evaluasi.pegawai_id
    return {
        "evaluasi": evaluasi,
        "period_label": period_label(evaluasi),
        "keberatan": Keberatan.objects.filter(evaluasi=evaluasi).first(),
        "issued_on": services.issued_on(evaluasi),
        "deadline": services.deadline_of(evaluasi),
        "is_rated": is_rated,
        # The rated pegawai sees no predicate of a draft (docs/evaluation.md §2).
        "predikat_hidden": is_rated and not shown_to_pegawai(evaluasi),
    }


@login_required
@require_http_methods(["GET", "POST"])
def file_page(request: AuthedRequest, pk: int) -> HttpResponse:
    evaluasi = readable_evaluasi(request, pk)
    form = KeberatanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = call(
            form,
            lambda: services.keberatan_file(
                by=request.user,
                evaluasi=evaluasi,
                reason=form.cleaned_data["reason"],
                form_key=key_of(request.POST),
            ),
        )
        if done is not None:
            messages.success(request, _("Keberatan diajukan kepada atasan pejabat penilai."))
            return redirect("assessments:keberatan_file", pk=evaluasi.pk)
    context = _evaluasi_context(request, evaluasi) | {
        "form": form,
        "may_file": services.may_file(request.user, evaluasi),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "assessments/keberatan_evaluasi.html", context, status=status)


@login_required
@require_GET
def inbox(request: AuthedRequest) -> HttpResponse:
    me = access_for(request.user).pegawai_id
    rows = (
        Keberatan.objects.filter(decider_id=me)
        .select_related("evaluasi__pegawai", "evaluasi__unit")
        .annotate(
            open_first=Case(
                When(status=StatusKeberatan.DIAJUKAN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("open_first", "-filed_at", "-id")
    )
    return render(request, "assessments/keberatan_inbox.html", {"items": list(rows)})


def _decided(request: AuthedRequest, pk: int) -> Keberatan:
    me = access_for(request.user).pegawai_id
    return get_object_or_404(
        Keberatan.objects.select_related("evaluasi__pegawai", "evaluasi__unit", "evaluasi__rater"),
        pk=pk,
        decider_id=me,
    )


def _render_detail(
    request: AuthedRequest,
    item: Keberatan,
    explain: PenjelasanForm | None = None,
    decide: PutusanForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "keberatan": item,
        "evaluasi": item.evaluasi,
        "period_label": period_label(item.evaluasi),
        "explain_form": explain
        or PenjelasanForm(
            initial={
                "penjelasan_pegawai": item.penjelasan_pegawai,
                "penjelasan_penilai": item.penjelasan_penilai,
            }
        ),
        "decide_form": decide or PutusanForm(),
        "open": item.status == StatusKeberatan.DIAJUKAN,
    }
    return render(request, "assessments/keberatan_detail.html", context, status=status)


@login_required
@require_GET
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _decided(request, pk))


@login_required
@require_POST
def explain(request: AuthedRequest, pk: int) -> HttpResponse:
    item = _decided(request, pk)
    form = PenjelasanForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        done = call(
            form,
            lambda: services.keberatan_explain(
                by=request.user, keberatan=item,
                penjelasan_pegawai=data["penjelasan_pegawai"],
                penjelasan_penilai=data["penjelasan_penilai"],
            ),
        )  # fmt: skip
        if done is not None:
            messages.success(request, _("Penjelasan tercatat."))
            return redirect("assessments:keberatan_detail", pk=item.pk)
    return _render_detail(request, item, explain=form, status=400)


@login_required
@require_POST
def decide(request: AuthedRequest, pk: int) -> HttpResponse:
    item = _decided(request, pk)
    form = PutusanForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        done = call(
            form,
            lambda: services.keberatan_decide(
                by=request.user, keberatan=item, outcome=data["outcome"],
                reason=data["reason"], rating_hasil=data["rating_hasil"],
                rating_perilaku=data["rating_perilaku"],
            ),
        )  # fmt: skip
        if done is not None:
            messages.success(request, _("Keputusan keberatan tercatat dan bersifat final."))
            return redirect("assessments:keberatan_detail", pk=item.pk)
    return _render_detail(request, item, decide=form, status=400)
