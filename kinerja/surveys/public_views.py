"""Pages without login: the questionnaire at /s/<kode>/, its thanks page, and the transparency
page at /transparansi/<kode instansi>/ (aggregates only)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from . import public, public_queries
from .charts import trend_svg
from .forms import QuestionnaireForm
from .services import current_period_id

PUBLIC_CACHE_SECONDS = 300


@dataclass
class _Attempt:
    """What a POST of the questionnaire came to, when it was not accepted."""

    ticket: public.Ticket | None = None
    refused: public.Rejected | None = None


def _submit(request: HttpRequest, code: str) -> HttpResponse | _Attempt:
    """An accepted answer costs one query: the layanan (by the code of this address), its
    running period and the petugas are checked inside the INSERT. Lookups are made only for a
    page that has to be shown again (the `_Attempt`)."""
    attempt = _Attempt()
    client = public.client_key(request)
    form = QuestionnaireForm(request.POST, petugas=None)
    try:
        public.check_rate(client)
        public.check_honeypot(request.POST.get("website", ""))
        attempt.ticket = public.read_token(request.POST.get("token", ""))
        if form.is_valid():
            public.response_submit(
                ticket=attempt.ticket, client=client, submission=form.submission(), code=code
            )
            return redirect("skm_thanks", code=code)
    except public.TokenUsed:
        return redirect("skm_thanks", code=code)
    except public.Rejected as exc:
        attempt.refused = exc
    return attempt


def _form_again(
    request: HttpRequest,
    attempt: _Attempt,
    layanan_id: int,
    period_id: int,
    petugas: list[tuple[int, str]],
) -> tuple[QuestionnaireForm, str, int]:
    """The refused form with its answers, the reason and the status."""
    refused = attempt.refused
    if attempt.ticket is not None:
        try:  # a token of another layanan: refused like a bad token (a fresh one below)
            public.check_ticket_layanan(attempt.ticket, layanan_id)
        except public.TokenInvalid as exc:
            refused = exc
    if isinstance(refused, public.TokenExpired):  # the page below keeps the answers
        refused = public.TokenExpired(
            _("Formulir ini sudah kedaluwarsa. Jawaban Anda masih ada di bawah; kirim sekali lagi.")
        )
    stale = attempt.ticket is not None and attempt.ticket.period_id != period_id
    if isinstance(refused, public.NotRunning) and stale:
        # Loaded in a period that has ended while a new one runs: the running period's token.
        refused = public.NotRunning(
            _(
                "Periode survei saat formulir ini dibuka sudah berakhir, dan periode baru "
                "sedang berjalan. Jawaban Anda masih terisi: periksa lalu kirim sekali lagi."
            )
        )
    rejection, status = (refused.message, refused.status) if refused else ("", 400)
    data = request.POST.copy()
    if isinstance(refused, public.TokenInvalid) or (
        isinstance(refused, public.NotRunning) and stale
    ):
        data["token"] = public.issue_token(layanan_id, period_id)  # the answers stay filled in
    form = QuestionnaireForm(data, petugas=petugas)
    form.is_valid()
    return form, rejection, status


# The form is anonymous and carries its own signed one-time token, which does what a CSRF
# token would (a forged cross-site post has no valid token); without a session cookie the
# page works on phones that block cookies.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def questionnaire(request: HttpRequest, code: str) -> HttpResponse:
    if request.method == "GET" and code != code.lower():  # typed from a poster: codes are lower
        return redirect("skm_form", code=code.lower())
    attempt = None
    if request.method == "POST":
        submitted = _submit(request, code)
        if isinstance(submitted, HttpResponse):
            return submitted
        attempt = submitted
    layanan = public.layanan_by_code(code)
    if layanan is None:
        raise Http404(_("Layanan tidak ditemukan."))
    period_id = current_period_id(layanan.pk) if layanan.active else None
    if period_id is None:  # closed (no running period, or the layanan made inactive)
        context = {"layanan": layanan, "refused": attempt is not None}
        status = 200 if attempt is None else 400  # a refused POST: the answers are not stored
        return render(request, "surveys/closed.html", context, status=status)
    petugas = public.petugas_choices(layanan.unit_id)
    if attempt is None:
        form = QuestionnaireForm(
            initial={"token": public.issue_token(layanan.pk, period_id)}, petugas=petugas
        )
        rejection, status = "", 200
    else:
        form, rejection, status = _form_again(request, attempt, layanan.pk, period_id, petugas)
    context = {"layanan": layanan, "form": form, "rejection": rejection,
               "has_petugas": bool(petugas)}  # fmt: skip
    return render(request, "surveys/questionnaire.html", context, status=status)


@require_GET
def thanks(request: HttpRequest, code: str) -> HttpResponse:
    layanan = public.layanan_by_code(code)  # also when made inactive since the answer was sent
    if layanan is None:
        raise Http404
    return render(request, "surveys/thanks.html", {"layanan": layanan})


@require_GET
def transparency(request: HttpRequest, code: str) -> HttpResponse:
    instansi = public_queries.instansi_by_code(code)
    if instansi is None:
        raise Http404(_("Instansi tidak ditemukan."))
    key = f"skm:public:{instansi.pk}"
    page = cache.get(key)
    if page is None:
        page = public_queries.public_page(instansi.pk)
        cache.set(key, page, PUBLIC_CACHE_SECONDS)
    context = {
        "instansi": instansi,
        "page": page,
        "minimum": public_queries.PUBLIC_MIN_RESPONDENTS,
        "chart": trend_svg(page.trend),
    }
    return render(request, "surveys/transparency.html", context)
