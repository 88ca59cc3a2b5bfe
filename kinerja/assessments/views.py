"""Pages of the evaluation: the rater's "Penilaian tim" per period, the evaluation page (what the
rater reads, feedback per RHK and value, the two ratings with the predicate shown live from the
matrix, finalisation; the periodic results beside the annual one; reopening for pimpinan), the
pegawai's "Penilaian saya" and the Capaian Kinerja Organisasi page for leaders.

An evaluation is read through `Evaluasi.objects.visible_to` (anyone else: 404); the services
decide who may write (403) and which rule refuses (the message lands on the page). Every form is
a POST answered with a redirect, so the pages work without JavaScript; htmx only refreshes the
predicate preview.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinerja.accounts.http import AuthedRequest
from kinerja.core.errors import ServiceError
from kinerja.org.access import access_for
from kinerja.plans.models import Rhk, Skp
from kinerja.plans.rules import Period
from kinerja.plans.views import call, year_options, year_param
from kinerja.surveys.queries import PETUGAS_MIN_RESPONDENTS

from . import guards, queries, rules, services
from .forms import CapaianForm, CatatanForm, RatingForm, ReasonForm
from .models import ANNUAL, Evaluasi, Predikat, Rating, StatusEvaluasi

# --- periods --------------------------------------------------------------------------------


def _instansi_id(request: AuthedRequest) -> int | None:
    access = access_for(request.user)
    return access.home_instansi_id or min(access.instansi_ids, default=None)


def _period(request: AuthedRequest, instansi_id: int, year: int) -> tuple[Period, list[Period]]:
    """?periode=N (0 = tahunan), else the period running today (the last one for a past year)."""
    choices = services.evaluation_periods(instansi_id, year)
    raw = request.GET.get("periode", "")
    for p in choices:
        if raw.isdigit() and int(raw) == p.number:
            return p, choices
    today = guards.today()
    periodic = [p for p in choices if p.number != ANNUAL]
    running = [p for p in periodic if p.start <= today]
    return (running[-1] if running else periodic[0]), choices


def _query(year: int, period: int) -> str:
    return f"?tahun={year}&periode={period}"


# --- the rater's team -----------------------------------------------------------------------


@login_required
@require_GET
def team(request: AuthedRequest) -> HttpResponse:
    instansi_id = _instansi_id(request)
    if instansi_id is None:
        raise PermissionDenied(_("Halaman ini untuk pegawai yang menilai pegawai lain."))
    year = year_param(request)
    period, choices = _period(request, instansi_id, year)
    rows = queries.team(request.user, year, period.number)
    context = {
        "rows": rows,
        "counts": [(Predikat(p).label, n) for p, n in queries.team_counts(rows).items()],
        "period": period,
        "periods": choices,
        "year": year,
        "years": year_options(year),
        "opens_on": services.opens_on(instansi_id, year, period.number),
        "today": guards.today(),
    }
    return render(request, "assessments/evaluasi_tim.html", context)


@login_required
@require_POST
def open_evaluation(request: AuthedRequest, skp_pk: int, period: int) -> HttpResponse:
    skp = get_object_or_404(Skp.objects.visible_to(request.user), pk=skp_pk)
    try:
        evaluasi = call(None, lambda: services.evaluasi_open(by=request.user, skp=skp,
                                                             period=period))  # fmt: skip
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("assessments:tim") + _query(skp.year, period))
    assert evaluasi is not None
    return redirect("assessments:evaluasi", evaluasi.pk)


# --- the evaluation page --------------------------------------------------------------------


def _readable(request: AuthedRequest, pk: int) -> Evaluasi:
    found = queries.readable(request.user, pk)
    if found is None:
        raise Http404(_("Evaluasi tidak ditemukan."))
    return found


def _page(request: AuthedRequest, evaluasi: Evaluasi, status: int = 200, **forms: Any) -> Any:
    rater = guards.is_rater(request.user, evaluasi)
    # SKM feedback as petugas: evidence for the rater and the pegawai (docs/skm.md).
    with_skm = rater or guards.is_rated(request.user, evaluasi)
    view = queries.evaluation_view(evaluasi, with_skm=with_skm)
    draft = evaluasi.status == StatusEvaluasi.DRAFT
    hidden = guards.is_rated(request.user, evaluasi) and not queries.shown_to_pegawai(evaluasi)
    can_rate = rater and draft
    initial = {"rating_hasil": evaluasi.rating_hasil, "rating_perilaku": evaluasi.rating_perilaku,
               "catatan": evaluasi.catatan}  # fmt: skip
    context = {
        "view": view,
        "evaluasi": evaluasi,
        "hidden": hidden,
        "can_rate": can_rate,
        "rating_form": forms.get("rating_form")
        or RatingForm(initial=initial, head=evaluasi.is_unit_head),
        "reopen_form": forms.get("reopen_form") or ReasonForm(),
        "catatan_form": forms.get("catatan_form"),
        "can_reopen": not draft and guards.may_reopen(request.user, evaluasi),
        "can_calibrate": bool(evaluasi.predikat) and guards.may_calibrate(request.user, evaluasi),
        "breaches": services.group_breaches(evaluasi) if evaluasi.predikat and not hidden else [],
        "pengaturan": guards.pengaturan_for(evaluasi.instansi_id),
        "unit_reader": guards.may_read_unit(request.user, evaluasi.unit),
        "ratings": Rating.choices,
        "preview": _preview(evaluasi.rating_hasil, evaluasi.rating_perilaku),
        "skm_minimum": PETUGAS_MIN_RESPONDENTS,
    }
    return render(request, "assessments/evaluasi_detail.html", context, status=status)


def _preview(hasil: str, perilaku: str) -> str:
    if hasil in Rating.values and perilaku in Rating.values:
        return rules.PREDIKAT_LABELS[rules.predikat(hasil, perilaku)]
    return ""


@login_required
@require_GET
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _page(request, _readable(request, pk))  # type: ignore[no-any-return]


@login_required
@require_GET
def predikat_preview(request: AuthedRequest, pk: int) -> HttpResponse:
    """The predicate the chosen ratings give (htmx, while the rater picks)."""
    evaluasi = _readable(request, pk)
    if not guards.is_rater(request.user, evaluasi):
        raise PermissionDenied(_("Hanya Pejabat Penilai Kinerja pegawai ini yang boleh menilai."))
    hasil = evaluasi.rating_hasil if evaluasi.is_unit_head else request.GET.get("rating_hasil", "")
    preview = _preview(hasil, request.GET.get("rating_perilaku", ""))
    return render(request, "assessments/evaluasi_detail.html#predikat", {"preview": preview})


@login_required
@require_POST
def rate(request: AuthedRequest, pk: int) -> HttpResponse:
    evaluasi = _readable(request, pk)
    form = RatingForm(request.POST, head=evaluasi.is_unit_head)
    if form.is_valid():
        data = form.cleaned_data
        done = call(form, lambda: services.evaluasi_rate(
            by=request.user, evaluasi=evaluasi, rating_hasil=data.get("rating_hasil", ""),
            rating_perilaku=data["rating_perilaku"], catatan=data["catatan"],
        ))  # fmt: skip
        if done is not None:
            messages.success(request, _("Rating disimpan: predikat %(p)s.")
                             % {"p": done.get_predikat_display() or "–"})  # fmt: skip
            return redirect("assessments:evaluasi", pk)
    return _page(request, evaluasi, 400, rating_form=form)  # type: ignore[no-any-return]


@login_required
@require_POST
def catatan(request: AuthedRequest, pk: int) -> HttpResponse:
    evaluasi = _readable(request, pk)
    form = CatatanForm(request.POST)
    if not form.is_valid():
        if set(form.errors) != {"text"}:
            raise Http404  # a tampered rhk or nilai
        # The text (too long) is refused beside its field, with what was typed.
        return _page(request, evaluasi, 400, catatan_form=form)  # type: ignore[no-any-return]
    data = form.cleaned_data
    rhk = None
    if data["rhk"] is not None:
        rhk = get_object_or_404(Rhk, pk=data["rhk"], skp_id=evaluasi.skp_id)
    try:
        call(None, lambda: services.catatan_set(
            by=request.user, evaluasi=evaluasi, rhk=rhk, core_value=data["nilai"],
            text=data["text"],
        ))  # fmt: skip
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Umpan balik disimpan."))
    anchor = f"#rhk-{rhk.pk}" if rhk is not None else f"#nilai-{data['nilai']}"
    return redirect(reverse("assessments:evaluasi", args=[pk]) + anchor)


@login_required
@require_POST
def finalize(request: AuthedRequest, pk: int) -> HttpResponse:
    evaluasi = _readable(request, pk)
    try:
        call(None, lambda: services.evaluasi_finalize(by=request.user, evaluasi=evaluasi))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Evaluasi final; realisasi periode ini terkunci."))
    return redirect("assessments:evaluasi", pk)


@login_required
@require_POST
def reopen(request: AuthedRequest, pk: int) -> HttpResponse:
    evaluasi = _readable(request, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        done = call(form, lambda: services.evaluasi_reopen(
            by=request.user, evaluasi=evaluasi, reason=form.cleaned_data["reason"]
        ))  # fmt: skip
        if done is not None:
            messages.success(request, _("Evaluasi dibuka kembali."))
            return redirect("assessments:evaluasi", pk)
    return _page(request, evaluasi, 400, reopen_form=form)  # type: ignore[no-any-return]


# --- the pegawai's own ----------------------------------------------------------------------


@login_required
@require_GET
def mine(request: AuthedRequest) -> HttpResponse:
    year = year_param(request)
    rows = queries.my_evaluations(request.user, year)
    labels = {}
    if rows:
        labels = {p.number: p.label for p in services.evaluation_periods(rows[0].instansi_id, year)}
    context = {
        "rows": [(e, labels.get(e.period, ""), queries.shown_to_pegawai(e)) for e in rows],
        "year": year,
        "years": year_options(year),
    }
    return render(request, "assessments/evaluasi_saya.html", context)


# --- capaian kinerja organisasi -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def capaian(request: AuthedRequest) -> HttpResponse:
    instansi_id = _instansi_id(request)
    access = access_for(request.user)
    if instansi_id is None or not (access.headed_unit_ids or access.admin_instansi_ids):
        raise PermissionDenied(
            _("Capaian kinerja organisasi ditetapkan oleh pimpinan unit dan admin kepegawaian.")
        )
    year = year_param(request)
    period, choices = _period(request, instansi_id, year)
    rows = queries.capaian_units(request.user, year, period.number)
    form = None
    if request.method == "POST":
        form = CapaianForm(request.POST)
        if form.is_valid():
            unit = next((r.unit for r in rows if r.unit.pk == form.cleaned_data["unit"]), None)
            if unit is None:
                raise Http404(_("Unit kerja tidak ditemukan."))
            data = form.cleaned_data
            done = call(form, lambda: services.capaian_set(
                by=request.user, unit=unit, year=year, period=period.number,
                predikat=data["predikat"], reason=data["reason"],
            ))  # fmt: skip
            if done is not None:
                messages.success(request, _("Capaian %(u)s disimpan.") % {"u": unit.name})
                return redirect(reverse("assessments:capaian") + _query(year, period.number))
    failed = form.data.get("unit") if form is not None else None
    context = {
        "rows": [(r, form if failed == str(r.unit.pk) else None) for r in rows],
        "period": period,
        "periods": choices,
        "year": year,
        "years": year_options(year),
        "choices": CapaianForm.base_fields["predikat"].choices,  # type: ignore[attr-defined]
        "patterns": {p: rules.pattern_rules(p) for p in rules.ORG_PREDIKAT},
    }
    status = 400 if form is not None else 200
    return render(request, "assessments/evaluasi_capaian.html", context, status=status)
