"""SKM pages for staff: layanan and periods (admin), IKM per layanan, unit and instansi per
period (admin, pimpinan of the subtree, auditor), reports, rencana tindak lanjut, posters.

Every layanan is read through `Layanan.objects.visible_to`; anything else is a 404. The services
decide who may write (a refusal is a 403).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinerja.accounts.http import AuthedRequest
from kinerja.core.errors import NotFound, Refused, ServiceError, localize
from kinerja.core.formkeys import key_of
from kinerja.org.access import access_for
from kinerja.org.models import Instansi, Pegawai, UnitKerja

from . import periods, poster, queries, services
from .forms import LayananForm, PeriodForm, RtlForm
from .models import Layanan, RencanaTindakLanjut, SurveyPeriod
from .periods import PeriodKey, key_on, parse_key

# A service names a field as the API does; where the form calls it otherwise.
FORM_FIELDS = {"unit_id": "unit", "owner_id": "owner"}


def call[T](form: forms.Form | None, service: Callable[[], T]) -> T | None:
    """Run one service; its refusal is a 403, any other error lands on the form (or raises)."""
    try:
        return service()
    except Refused as exc:
        raise PermissionDenied(exc.message) from exc
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except ServiceError as exc:
        if form is None:
            raise
        field = FORM_FIELDS.get(exc.field or "", exc.field)
        form.add_error(field if field in form.fields else None, exc.message)
        return None


def readable_instansi(request: AuthedRequest) -> list[Instansi]:
    access = access_for(request.user)
    if access.is_superuser:
        return list(Instansi.objects.all())
    ids = set(access.admin_instansi_ids | access.auditor_instansi_ids)
    if access.headed_unit_ids and access.home_instansi_id:
        ids.add(access.home_instansi_id)
    return list(Instansi.objects.filter(pk__in=ids))


def pick_instansi(request: AuthedRequest) -> tuple[Instansi, list[Instansi]]:
    choices = readable_instansi(request)
    if not choices:
        raise PermissionDenied(_("Halaman SKM untuk admin instansi, pimpinan unit dan auditor."))
    wanted = request.GET.get("instansi", "")
    chosen = next((i for i in choices if str(i.pk) == wanted), choices[0])
    return chosen, choices


def pick_key(
    request: AuthedRequest, raw: str | None = None, latest: Sequence[PeriodKey] = ()
) -> PeriodKey:
    """The period asked for (`raw`, else ?periode=; a bad key is a 404), else the newest of
    `latest` (`queries.latest_keys`), else the running semester."""
    text = raw if raw is not None else request.GET.get("periode", "")
    if text:
        try:
            return parse_key(text)
        except ValueError as exc:
            raise Http404(localize(exc)) from exc
    return latest[-1] if latest else key_on("SEMESTER", timezone.localdate())


def visible_layanan(request: AuthedRequest, pk: int) -> Layanan:
    return get_object_or_404(
        Layanan.objects.visible_to(request.user).select_related("unit", "instansi"), pk=pk
    )


def public_url(request: AuthedRequest, layanan: Layanan) -> str:
    return request.build_absolute_uri(reverse("skm_form", kwargs={"code": layanan.code}))


def unit_choices(instansi_id: int) -> list[tuple[int, str]]:
    units = UnitKerja.objects.filter(instansi_id=instansi_id).order_by("path")
    return [(u.pk, ("· " * u.depth) + u.name) for u in units.only("id", "name", "depth")]


@login_required
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    instansi, choices = pick_instansi(request)
    rows = Layanan.objects.visible_to(request.user).filter(instansi=instansi)
    uses = queries.period_uses(rows)
    key = pick_key(request, latest=periods.latest_keys(uses))
    view = queries.overview(rows, instansi.pk, key)
    access = access_for(request.user)
    context = {
        "instansi": instansi,
        "choices": choices,
        "view": view,
        "key": key,
        # Every kind the layanan listed use, not only the default's, and the period shown.
        "keys": periods.newest_first([*(k for _layanan, k in uses), key]),
        "can_admin": access.can_admin_instansi(instansi.pk),
        # A unit head's total covers only the layanan of their subtree, not the instansi
        # (unless they head its root unit).
        "whole_instansi": queries.sees_whole_instansi(access, instansi.pk),
    }
    return render(request, "surveys/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def layanan_new(request: AuthedRequest) -> HttpResponse:
    instansi, _choices = pick_instansi(request)
    if not access_for(request.user).can_admin_instansi(instansi.pk):
        raise PermissionDenied(_("Hanya admin instansi yang dapat menambah layanan."))
    form = LayananForm(request.POST or None, units=unit_choices(instansi.pk))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = get_object_or_404(UnitKerja, pk=data["unit"], instansi=instansi)
        saved = call(
            form,
            lambda: services.layanan_save(
                by=request.user,
                unit=unit,
                name=data["name"],
                code=data["code"],
                population=data["population"],
                active=data["active"],
                form_key=key_of(request.POST),
            ),
        )
        if saved is not None:
            messages.success(request, _("Layanan tersimpan."))
            return redirect("surveys:layanan", pk=saved.pk)
    return render(request, "surveys/layanan_form.html", {"form": form, "instansi": instansi})


@login_required
@require_http_methods(["GET", "POST"])
def layanan_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    layanan = visible_layanan(request, pk)
    can_admin = access_for(request.user).can_admin_instansi(layanan.instansi_id)
    initial = {
        "unit": layanan.unit_id,
        "name": layanan.name,
        "code": layanan.code,
        "population": layanan.population,
        "active": layanan.active,
    }
    action = request.POST.get("action", "")
    form = LayananForm(
        request.POST if action == "edit" else None,
        initial=initial,
        units=unit_choices(layanan.instansi_id),
    )
    today = timezone.localdate()
    period_form = PeriodForm(
        request.POST if action == "period" else None,
        initial={
            "kind": "SEMESTER",
            "year": today.year,
            "number": key_on("SEMESTER", today).number,
        },
    )
    if action == "edit" and form.is_valid():
        data = form.cleaned_data
        unit = get_object_or_404(UnitKerja, pk=data["unit"], instansi_id=layanan.instansi_id)
        saved = call(
            form,
            lambda: services.layanan_save(
                by=request.user,
                unit=unit,
                name=data["name"],
                code=data["code"],
                population=data["population"],
                active=data["active"],
                layanan=layanan,
            ),
        )
        if saved is not None:
            messages.success(request, _("Layanan tersimpan."))
            return redirect("surveys:layanan", pk=layanan.pk)
    if action == "period" and period_form.is_valid():
        data = period_form.cleaned_data
        try:
            key = PeriodKey(data["kind"], data["year"], data["number"])
        except ValueError as exc:
            period_form.add_error("number", localize(exc))
        else:
            if call(
                period_form, lambda: services.period_open(by=request.user, layanan=layanan, key=key)
            ):
                messages.success(request, _("Periode %(p)s dibuka.") % {"p": key.label})
                return redirect("surveys:layanan", pk=layanan.pk)
    context = {
        "layanan": layanan,
        "form": form,
        "period_form": period_form,
        "periods": list(SurveyPeriod.objects.filter(layanan=layanan).order_by("-start")),
        "can_admin": can_admin,
        "public_url": public_url(request, layanan),
    }
    return render(request, "surveys/layanan.html", context)


@login_required
@require_GET
def poster_file(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    layanan = visible_layanan(request, pk)
    if fmt not in {"png", "pdf"}:
        raise Http404
    url = public_url(request, layanan)
    if fmt == "png":
        response = HttpResponse(poster.qr_png(url), content_type="image/png")
    else:
        response = HttpResponse(poster.poster_pdf(layanan, url), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="poster-skm-{layanan.code}.{fmt}"'
    return response


def _ikm_page(
    request: AuthedRequest,
    layanan: Layanan,
    period_key: PeriodKey,
    rtl_form: RtlForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The IKM page of a layanan and period, with a new RTL form or a refused one."""
    detail = queries.detail(layanan, period_key)
    owners = Pegawai.objects.filter(jabatan__unit__path__startswith=layanan.unit.path)
    owner_choices = [(p.pk, p.display_name) for p in owners.order_by("name")[:300]]
    if rtl_form is None:
        weakest = next((u.index + 1 for u in detail.unsur if u.weakest), 1)
        rtl_form = RtlForm(initial={"unsur": weakest}, owners=owner_choices)
    else:  # shown with the page's names (it was checked against every pegawai of the instansi)
        owner = rtl_form.fields["owner"]
        assert isinstance(owner, forms.TypedChoiceField)
        owner.choices = owner_choices
    context = {
        "d": detail,
        "key": period_key,
        "rtl_form": rtl_form,
        "can_follow_up": services.may_manage_unit(request.user, layanan.unit),
        "formats": ("pdf", "xlsx"),
    }
    return render(request, "surveys/ikm_layanan.html", context, status=status)


@login_required
@require_GET
def ikm_layanan(request: AuthedRequest, pk: int, key: str) -> HttpResponse:
    layanan = visible_layanan(request, pk)
    return _ikm_page(request, layanan, pick_key(request, key))


@login_required
@require_POST
def rtl_add(request: AuthedRequest, pk: int, key: str) -> HttpResponse:
    """Record an RTL; a refused form is the page again (400) with what was typed and the
    error next to its field."""
    layanan = visible_layanan(request, pk)
    period_key = pick_key(request, key)
    owners = Pegawai.objects.filter(instansi_id=layanan.instansi_id)
    form = RtlForm(request.POST, owners=[(o, "") for o in owners.values_list("pk", flat=True)])
    if form.is_valid():
        data = form.cleaned_data
        saved = call(
            form,
            lambda: services.rtl_create(
                by=request.user,
                unit=layanan.unit,
                layanan=layanan,
                key=period_key,
                unsur=data["unsur"],
                action=data["action"],
                owner_id=data["owner"],
                due_date=data["due_date"],
                form_key=key_of(request.POST),
            ),
        )
        if saved is not None:
            messages.success(request, _("Rencana tindak lanjut tercatat."))
            target = reverse("surveys:ikm_layanan", args=[layanan.pk, period_key.text])
            return redirect(target + "#rtl")
    return _ikm_page(request, layanan, period_key, rtl_form=form, status=400)


@login_required
@require_GET
def my_rtl(request: AuthedRequest) -> HttpResponse:
    """The rencana tindak lanjut the signed-in pegawai is responsible for."""
    owner = access_for(request.user).pegawai_id
    items = RencanaTindakLanjut.objects.owned_by(owner).select_related("layanan", "unit")
    return render(request, "surveys/my_rtl.html", {"items": items, "is_pegawai": bool(owner)})


@login_required
@require_POST
def rtl_done(request: AuthedRequest, pk: int) -> HttpResponse:
    item = RencanaTindakLanjut.objects.filter(pk=pk).first()
    visible = RencanaTindakLanjut.objects.visible_to(request.user).filter(pk=pk).exists()
    owner = item is not None and access_for(request.user).pegawai_id == item.owner_id
    if item is None or not (visible or owner):
        raise Http404
    try:
        call(
            None,
            lambda: services.rtl_mark_done(
                by=request.user, item=item, note=request.POST.get("note", "")
            ),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Rencana tindak lanjut ditandai selesai."))
    if not visible:  # an owner outside the pimpinan's view: back to their own list
        return redirect("surveys:my_rtl")
    if item.layanan_id:
        key = PeriodKey(item.kind, item.year, item.number)
        return redirect(reverse("surveys:ikm_layanan", args=[item.layanan_id, key.text]) + "#rtl")
    return redirect("surveys:index")
