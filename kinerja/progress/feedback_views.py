"""The umpan balik and dialog kinerja forms of the realisasi page (POST, answered with a
redirect to the thread; a refused form comes back in place with its message). Who may write is
the services' decision (feedback_services); a reader who may not is answered 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinerja.accounts.http import AuthedRequest
from kinerja.core.errors import ServiceError
from kinerja.core.formkeys import key_of
from kinerja.plans.models import Rhk, Skp
from kinerja.plans.views import call, call_or_flash

from . import feedback_services as services
from .feedback_forms import BalasanForm, DialogForm, UmpanBalikForm
from .feedback_models import TindakLanjut, UmpanBalik
from .feedback_page import owner_choices
from .models import Realisasi
from .views import on_this_plan, page_url, readable_skp, render_page, skp_periods

KINDS = {"REALISASI", "RHK", "PERILAKU"}


def _periods(skp: Skp) -> list[tuple[int, str]]:
    all_periods, _current = skp_periods(skp)
    return [(p.number, p.label) for p in all_periods]


def _anchor(kind: str, target: int) -> str:
    return {"REALISASI": f"entri-{target}", "RHK": f"rhk-{target}"}.get(kind, "perilaku")


FOLLOW_UP_FIELDS = {"text": "text", "due_date": "due", "owner_id": "owner"}


def _field(form: DialogForm, name: str | None) -> str | None:
    """The form field of a service error: `follow_ups.N.due_date` is that part of the follow-up
    filled in at index N (from 0), which sits on the form's row of that place among the filled
    ones."""
    if name and name.startswith("follow_ups."):
        _list, index, part = [*name.split(".", 2), "text"][:3]
        rows = form.follow_ups()
        at = int(index)
        suffix = FOLLOW_UP_FIELDS.get(part, "text")
        name = f"follow_up_{rows[at][0]}_{suffix}" if 0 <= at < len(rows) else None
    return name if name in form.fields else None


@login_required
@require_POST
def umpan_balik_add(request: AuthedRequest, pk: int, kind: str, target: int) -> HttpResponse:
    """A new thread about one realisasi entry, one RHK or (target 0) a BerAKHLAK value."""
    skp = readable_skp(request, pk)
    if kind not in KINDS:
        raise Http404
    if not services.may_give_feedback(request.user, skp):
        raise PermissionDenied(_("Hanya pejabat penilai kinerja yang dapat memberi umpan balik."))
    realisasi = rhk = None
    if kind == "REALISASI":
        realisasi, skp = on_this_plan(request, Realisasi.objects.all(), skp, pk=target)
    elif kind == "RHK":
        rhk = get_object_or_404(Rhk, pk=target, skp=skp)
    form = UmpanBalikForm(
        request.POST, kind=kind, periods=_periods(skp), auto_id=f"ub-{kind.lower()}-{target}-%s"
    )
    if form.is_valid():
        data = form.cleaned_data
        done = call(
            form,
            lambda: services.umpan_balik_add(
                by=request.user, skp=skp, text=data["text"], target_kind=kind,
                period=realisasi.period if realisasi else data["period"],
                realisasi=realisasi, rhk=rhk, core_value=data.get("core_value"),
                form_key=key_of(request.POST),
            ),
        )  # fmt: skip
        if done is not None:
            messages.success(request, _("Umpan balik terkirim."))
            return redirect(page_url(skp, _anchor(kind, target)))
    return render_page(request, skp, status=400, feedback_bound={(kind, target): form})


@login_required
@require_POST
def balasan_add(request: AuthedRequest, pk: int, thread_id: int) -> HttpResponse:
    """A reply to a thread (the SKP owner or the rater)."""
    thread, skp = on_this_plan(
        request, UmpanBalik.objects.all(), readable_skp(request, pk), pk=thread_id,
        parent__isnull=True,
    )  # fmt: skip
    form = BalasanForm(request.POST, auto_id=f"bl-{thread.pk}-%s")
    if form.is_valid():
        text = form.cleaned_data["text"]
        done = call(
            form,
            lambda: services.umpan_balik_add(
                by=request.user, skp=skp, text=text, parent=thread, form_key=key_of(request.POST)
            ),
        )
        if done is not None:
            messages.success(request, _("Balasan terkirim."))
            target = thread.realisasi_id or thread.rhk_id or 0
            return redirect(page_url(skp, _anchor(thread.target_kind, target)))
    return render_page(request, skp, status=400, feedback_bound={("BALAS", thread.pk): form})


@login_required
@require_POST
def dialog_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Notes of a dialog kinerja with its follow-ups (the rater)."""
    skp = readable_skp(request, pk)
    form = DialogForm(
        request.POST,
        periods=_periods(skp),
        owners=owner_choices(request.user, skp),
        auto_id="dlg-%s",
    )
    if form.is_valid():
        data = form.cleaned_data
        rows = form.follow_ups()
        follow_ups = [
            services.FollowUp(text=text, due_date=due, owner_id=owner)
            for _n, text, due, owner in rows
        ]
        try:
            done = call(
                None,
                lambda: services.dialog_kinerja_add(
                    by=request.user, skp=skp, period=data["period"], held_on=data["held_on"],
                    notes=data["notes"], follow_ups=follow_ups, form_key=key_of(request.POST),
                ),
            )  # fmt: skip
        except ServiceError as exc:
            form.add_error(_field(form, exc.field), exc.message)
            done = None
        if done is not None:
            messages.success(request, _("Catatan dialog kinerja tersimpan."))
            return redirect(page_url(skp, "dialog"))
    return render_page(request, skp, status=400, feedback_bound={("DIALOG", 0): form})


@login_required
@require_POST
def tindak_lanjut_done(request: AuthedRequest, pk: int, item_id: int) -> HttpResponse:
    item, skp = on_this_plan(
        request, TindakLanjut.objects.all(), readable_skp(request, pk), via="dialog__skp",
        pk=item_id,
    )  # fmt: skip
    if call_or_flash(
        request, lambda: services.tindak_lanjut_done(by=request.user, tindak_lanjut=item)
    ):
        messages.success(request, _("Tindak lanjut ditandai selesai."))
    return redirect(page_url(skp, "dialog"))
