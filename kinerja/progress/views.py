"""The realisasi page of an SKP: progress per RHK and IKI with the entries trail, and for the
owner of an approved SKP the forms to report, correct and plan (rencana aksi).

The SKP is read through `Skp.objects.visible_to` (or the rater's chain of superiors); anyone else
gets a 404. Every form is a multipart POST answered with a redirect (works without JavaScript);
a form with errors re-renders the page with the messages in place. Refused is a 403.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kinerja.accounts.http import AuthedRequest
from kinerja.core.errors import ServiceError
from kinerja.core.formkeys import key_of
from kinerja.org.access import access_for
from kinerja.plans.models import Iki, Rhk, Skp, StatusSkp
from kinerja.plans.queries import can_read_chain, current_year
from kinerja.plans.rules import Period, periods
from kinerja.plans.views import call

from . import queries, services
from .feedback_page import Bound as FeedbackBound
from .feedback_page import feedback_for
from .forms import KoreksiForm, RealisasiForm, RencanaAksiForm
from .lineage import plan_ikis
from .models import Realisasi, RencanaAksi
from .page_rows import EntryRow, IkiRow, RhkRow

# --- reading ------------------------------------------------------------------------------


def readable_skp(request: AuthedRequest, pk: int) -> Skp:
    """The SKP if the user may read it (visible_to, or a superior of its rater), else 404."""
    rows = Skp.objects.select_related("pegawai", "jabatan")
    skp = rows.visible_to(request.user).filter(pk=pk).first()
    if skp is None:
        skp = rows.filter(pk=pk).first()
        if skp is None or not can_read_chain(request.user, skp):
            raise Http404
    return skp


def on_this_plan[M: models.Model](
    request: AuthedRequest, rows: QuerySet[M], skp: Skp, *, via: str = "skp", **lookup: object
) -> tuple[M, Skp]:
    """The row a form of `skp`'s page names, with the version of the plan that holds it now: a
    page loaded before a perubahan SKP was approved posts the old version's address, and its
    form then acts where the row has moved (saying so), rather than answering 404."""
    found = queries.on_plan(rows, skp, via=via, **lookup)
    if found is None:
        raise Http404
    row, holder_id = found
    if holder_id == skp.pk:
        return row, skp
    holder = readable_skp(request, holder_id)
    messages.info(
        request,
        _(
            "Catatan ini sudah pindah ke versi %(n)s SKP yang berlaku; kiriman Anda diproses "
            "pada versi itu."
        )
        % {"n": holder.version},
    )
    return row, holder


def skp_periods(skp: Skp) -> tuple[list[Period], Period | None]:
    """The periods of the SKP's year and the one running today (None outside the SKP)."""
    all_periods = periods(skp.year, services.cadence_of(skp))
    today = timezone.localdate()
    if not skp.start_date <= today <= skp.end_date:
        return all_periods, None
    return all_periods, next((p for p in all_periods if p.start <= today <= p.end), None)


Bound = dict[str, tuple[int, forms.Form]]


def page_context(
    request: AuthedRequest,
    skp: Skp,
    bound: Bound | None = None,
    feedback_bound: FeedbackBound | None = None,
) -> dict[str, Any]:
    """Everything the page shows, in a constant number of queries. `bound` puts a submitted
    form with its errors back in place: {"realisasi"|"rencana"|"koreksi": (pk, form)}, and
    `feedback_bound` an umpan balik or dialog form (feedback_page.Bound)."""
    bound = bound or {}
    is_owner = access_for(request.user).pegawai_id == skp.pegawai_id
    all_periods, current = skp_periods(skp)
    in_force = queries.version_in_force(skp)  # this version was replaced: read only
    can_report = (
        is_owner and skp.status == StatusSkp.DISETUJUI and current is not None and in_force is None
    )
    # A final evaluation locks the running period: its entry and correction forms are not
    # offered (the service would refuse them); rencana aksi stay open.
    locked = can_report and current is not None and queries.locked_by(skp, current) is not None
    # With the entries its IKIs' earlier copies keep on an earlier version (an evaluated period
    # before a perubahan SKP): they count in the progress, so they are listed, read only.
    plan_read = plan_ikis(skp)
    copies = plan_read[1]
    progress = queries.iki_progress(skp, plan=plan_read)
    rhk_percent = queries.rhk_progress(progress)
    entries = list(
        Realisasi.objects.filter(Q(skp=skp) | Q(iki_id__in=list(copies)))
        .select_related("rencana_aksi", "skp")
        .prefetch_related("bukti")
        .order_by("-date", "-id")
    )
    replaced_by = {e.corrects_id: e for e in entries if e.corrects_id}
    by_iki: dict[int, list[Realisasi]] = defaultdict(list)
    for e in entries:
        by_iki[copies.get(e.iki_id, e.iki_id)].append(e)
    plans: dict[int, list[RencanaAksi]] = defaultdict(list)
    for plan in RencanaAksi.objects.filter(skp=skp):
        plans[plan.iki_id].append(plan)
    period_choices = [(p.number, p.label) for p in all_periods]

    placed: list[forms.Form] = []

    def form_for(kind: str, pk: int, make: Any) -> Any:
        if not can_report or (locked and kind != "rencana"):
            return None
        if kind in bound and bound[kind][0] == pk:
            placed.append(bound[kind][1])
            return bound[kind][1]
        return make()

    def entry_row(e: Realisasi) -> EntryRow:
        correction = replaced_by.get(e.pk)
        correctable = (
            correction is None
            and current is not None
            and e.period == current.number
            and e.skp_id == skp.pk
        )
        return EntryRow(
            feedback=fb.by_realisasi.get(e.pk),
            entry=e,
            correction=correction,
            form=form_for("koreksi", e.pk, lambda: KoreksiForm(auto_id=f"k{e.pk}-%s"))
            if correctable
            else None,
        )

    def iki_row(item: queries.IkiProgress) -> IkiRow:
        iki = item.iki
        mine = plans[iki.pk]
        choices = [(r.pk, r.text) for r in mine if current and r.period == current.number]
        return IkiRow(
            iki=iki,
            progress=item,
            entries=[entry_row(e) for e in by_iki[iki.pk]],
            rencana_aksi=mine,
            form=form_for(
                "realisasi",
                iki.pk,
                lambda: RealisasiForm(rencana_aksi=choices, auto_id=f"r{iki.pk}-%s"),
            ),
            rencana_form=form_for(
                "rencana",
                iki.pk,
                lambda: RencanaAksiForm(
                    periods=period_choices,
                    initial={"period": current.number if current else None},
                    auto_id=f"ra{iki.pk}-%s",
                ),
            ),
        )

    rhks = {
        r.pk: RhkRow(r, 0, rhk_percent.get(r.pk))
        for r in Rhk.objects.filter(skp=skp).order_by("order", "id")
    }
    fb = feedback_for(
        request.user, skp, (all_periods, current), ([e.pk for e in entries], list(rhks)),
        feedback_bound or {}, replaced=in_force is not None,
    )  # fmt: skip
    for row in rhks.values():
        row.feedback = fb.by_rhk.get(row.rhk.pk)
    for item in progress.values():
        rhks[item.iki.rhk_id].ikis.append(iki_row(item))
    utama = [r for r in rhks.values() if r.rhk.jenis == "UTAMA"]
    tambahan = [r for r in rhks.values() if r.rhk.jenis != "UTAMA"]
    for group in (utama, tambahan):
        for number, row in enumerate(group, start=1):
            row.number = number
    # A refusal for a form the page no longer offers (say, an entry corrected meanwhile).
    submitted = [form for _pk, form in bound.values()] + list((feedback_bound or {}).values())
    unplaced = [
        str(error)
        for form in submitted
        if form not in placed and form not in fb.placed
        for errors in form.errors.values()
        for error in errors
    ]
    return {
        "skp": skp,
        "errors": unplaced,
        "refused_field": focus_first_error([f for f in submitted if f in placed or f in fb.placed]),
        "is_owner": is_owner,
        "can_report": can_report,
        "in_force": in_force,
        "locked": locked,
        "current": current,
        "period_names": dict(period_choices),
        "utama": utama,
        "tambahan": tambahan,
        "today": timezone.localdate(),
        "feedback": fb,
    }


def focus_first_error(submitted: list[forms.Form]) -> str:
    """On a refused post the page is long (a phone scrolls far to reach the form): the first
    field with an error gets `autofocus`, so the browser brings it into view, and its id is
    returned for the notice at the top of the page ("" when nothing was refused)."""
    for form in submitted:
        if not form.errors:
            continue
        visible = [name for name, f in form.fields.items() if not f.widget.is_hidden]
        name = next((n for n in form.errors if n in visible), visible[0] if visible else "")
        if not name:
            continue
        form.fields[name].widget.attrs["autofocus"] = True
        return form[name].id_for_label or ""
    return ""


def page_url(skp: Skp, anchor: str = "") -> str:
    url = reverse("progress:skp", args=[skp.pk])
    return f"{url}#{anchor}" if anchor else url


def render_page(
    request: AuthedRequest,
    skp: Skp,
    bound: Bound | None = None,
    status: int = 200,
    feedback_bound: FeedbackBound | None = None,
) -> HttpResponse:
    context = page_context(request, skp, bound, feedback_bound)
    return render(request, "progress/realisasi.html", context, status=status)


# --- pages --------------------------------------------------------------------------------


@login_required
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    """The menu's "Realisasi": the user's approved SKP of this year, else what to do first."""
    access = access_for(request.user)
    year = current_year()
    skp = None
    if access.pegawai_id is not None:
        skp = (
            Skp.objects.filter(pegawai_id=access.pegawai_id, year=year, status=StatusSkp.DISETUJUI)
            .order_by("-is_current", "-start_date", "-version")
            .first()
        )
    if skp is not None:
        return redirect(page_url(skp))
    return render(
        request, "progress/start.html", {"year": year, "is_pegawai": bool(access.pegawai_id)}
    )


@login_required
@require_GET
def skp_page(request: AuthedRequest, pk: int) -> HttpResponse:
    return render_page(request, readable_skp(request, pk))


# --- the owner's writes -------------------------------------------------------------------


FIELDS = {"files": "berkas", "key": "idempotency_key", "rencana_aksi_id": "rencana_aksi"}


def run[T](form: forms.Form, service: Callable[[], T]) -> T | None:
    """Run one service (Refused is a 403); its error lands on the matching field of the form."""
    try:
        return call(None, service)
    except ServiceError as exc:
        name = FIELDS.get(exc.field or "", exc.field)
        form.add_error(name if name in form.fields else None, exc.message)
        return None


def _links(data: dict[str, Any]) -> list[str]:
    return [data["links"]] if data.get("links") else []


@login_required
@require_POST
def record(request: AuthedRequest, pk: int, iki_id: int) -> HttpResponse:
    """ "Laporkan realisasi". A replay of the same form (same idempotency key) answers with the
    same success and records nothing new."""
    skp = readable_skp(request, pk)
    iki = get_object_or_404(Iki.objects.select_related("rhk__skp"), pk=iki_id, rhk__skp=skp)
    plans = list(RencanaAksi.objects.filter(iki=iki))
    choices = [(r.pk, r.text) for r in plans]
    form = RealisasiForm(request.POST, request.FILES, rencana_aksi=choices, auto_id=f"r{iki.pk}-%s")
    if form.is_valid():
        data = form.cleaned_data
        done = run(
            form,
            lambda: services.realisasi_record(
                by=request.user,
                iki=iki,
                day=data["date"],
                value=data["value"],
                narrative=data["narrative"],
                rencana_aksi_id=data["rencana_aksi"],
                uploads=services.uploads_from(data["berkas"]),
                links=_links(data),
                idempotency_key=data["idempotency_key"],
            ),
        )
        if done is not None:
            entry, _created = done
            messages.success(
                request,
                _("Realisasi %(date)s tercatat.") % {"date": entry.date.strftime("%d-%m-%Y")},
            )
            # A replay after a perubahan SKP finds the entry moved to the version in force.
            at = skp if entry.skp_id == skp.pk else Skp(pk=entry.skp_id)
            return redirect(page_url(at, f"iki-{entry.iki_id}"))
    return render_page(request, skp, {"realisasi": (iki.pk, form)})


@login_required
@require_POST
def correct(request: AuthedRequest, pk: int, entry_id: int) -> HttpResponse:
    """ "Koreksi": a new entry replaces this one; both stay in the trail."""
    entry, skp = on_this_plan(
        request, Realisasi.objects.select_related("skp", "iki"), readable_skp(request, pk),
        pk=entry_id,
    )  # fmt: skip
    form = KoreksiForm(request.POST, request.FILES, auto_id=f"k{entry.pk}-%s")
    if form.is_valid():
        data = form.cleaned_data
        done = run(
            form,
            lambda: services.realisasi_correct(
                by=request.user,
                realisasi=entry,
                value=data["value"],
                narrative=data["narrative"],
                reason=data["reason"],
                uploads=services.uploads_from(data["berkas"]),
                links=_links(data),
                form_key=key_of(request.POST),
            ),
        )
        if done is not None:
            messages.success(request, _("Koreksi realisasi tersimpan."))
            return redirect(page_url(skp, f"iki-{entry.iki_id}"))
    return render_page(request, skp, {"koreksi": (entry.pk, form)})


@login_required
@require_POST
def rencana_aksi_add(request: AuthedRequest, pk: int, iki_id: int) -> HttpResponse:
    skp = readable_skp(request, pk)
    iki = get_object_or_404(Iki.objects.select_related("rhk__skp"), pk=iki_id, rhk__skp=skp)
    all_periods, _current = skp_periods(skp)
    form = RencanaAksiForm(
        request.POST, periods=[(p.number, p.label) for p in all_periods], auto_id=f"ra{iki.pk}-%s"
    )
    if form.is_valid():
        data = form.cleaned_data
        done = run(
            form,
            lambda: services.rencana_aksi_add(
                by=request.user,
                iki=iki,
                period=data["period"],
                text=data["text"],
                form_key=key_of(request.POST),
            ),
        )
        if done is not None:
            messages.success(request, _("Rencana aksi ditambahkan."))
            return redirect(page_url(skp, f"iki-{iki.pk}"))
    return render_page(request, skp, {"rencana": (iki.pk, form)})
