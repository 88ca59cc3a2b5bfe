"""Pages without login: the questionnaire at /s/<kode>/, its thanks page, and the transparency
page at /transparansi/<kode instansi>/ (aggregates only)."""

from __future__ import annotations

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from kinerja.org.models import Instansi

from . import public, queries
from .charts import trend_svg
from .forms import QuestionnaireForm
from .services import current_period_id

PUBLIC_CACHE_SECONDS = 300


# The form is anonymous and carries its own signed one-time token, which does what a CSRF
# token would (a forged cross-site post has no valid token); without a session cookie the
# page works on phones that block cookies.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def questionnaire(request: HttpRequest, code: str) -> HttpResponse:
    ticket: public.Ticket | None = None
    refused: public.Rejected | None = None
    if request.method == "POST":
        # An accepted answer costs one query: the layanan (by the code of this address), its
        # running period and the petugas are checked inside the INSERT. The lookups below are
        # made only for a page that has to be shown again.
        client = public.client_key(request)
        form = QuestionnaireForm(request.POST, petugas=None)
        try:
            public.check_rate(client)
            public.check_honeypot(request.POST.get("website", ""))
            ticket = public.read_token(request.POST.get("token", ""))
            if form.is_valid():
                public.response_submit(
                    ticket=ticket, client=client, submission=form.submission(), code=code
                )
                return redirect("skm_thanks", code=code)
        except public.TokenUsed:
            return redirect("skm_thanks", code=code)
        except public.Rejected as exc:
            refused = exc
    layanan = public.layanan_for_form(code)
    if layanan is None:
        raise Http404("Layanan tidak ditemukan atau survei tidak aktif.")
    period_id = current_period_id(layanan.pk)
    if period_id is None:
        return render(request, "surveys/closed.html", {"layanan": layanan}, status=200)
    petugas = public.petugas_choices(layanan.unit_id)
    rejection, status = "", 200
    if request.method == "POST":
        if ticket is not None:
            try:  # a token of another layanan: refused like a bad token (a fresh one below)
                public.check_ticket_layanan(ticket, layanan.pk)
            except public.TokenInvalid as exc:
                refused = exc
        rejection, status = (refused.message, refused.status) if refused else ("", 400)
        if isinstance(refused, public.TokenInvalid):  # a fresh form; answers stay filled in
            data = request.POST.copy()
            data["token"] = public.issue_token(layanan.pk, period_id)
            form = QuestionnaireForm(data, petugas=petugas)
        else:
            form = QuestionnaireForm(request.POST, petugas=petugas)
        form.is_valid()
    else:
        form = QuestionnaireForm(
            initial={"token": public.issue_token(layanan.pk, period_id)}, petugas=petugas
        )
    context = {
        "layanan": layanan,
        "form": form,
        "rejection": rejection,
        "has_petugas": bool(petugas),
    }
    return render(request, "surveys/questionnaire.html", context, status=status)


@require_GET
def thanks(request: HttpRequest, code: str) -> HttpResponse:
    layanan = public.layanan_for_form(code)
    if layanan is None:
        raise Http404
    return render(request, "surveys/thanks.html", {"layanan": layanan})


@require_GET
def transparency(request: HttpRequest, code: str) -> HttpResponse:
    instansi = get_object_or_404(Instansi, code=code)
    key = f"skm:public:{instansi.pk}"
    page = cache.get(key)
    if page is None:
        page = queries.public_page(instansi.pk)
        cache.set(key, page, PUBLIC_CACHE_SECONDS)
    context = {
        "instansi": instansi,
        "page": page,
        "minimum": queries.PUBLIC_MIN_RESPONDENTS,
        "chart": trend_svg(page.trend),
    }
    return render(request, "surveys/transparency.html", context)
