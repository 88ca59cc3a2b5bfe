"""Pages of the training catalogue, a pegawai's development (recommendations to accept into the
plan, the plan, JP against 20 JP with the certificate upload), unit views (below 20 JP,
penghargaan candidates with an XLSX export) and the follow-up records (admin and auditor)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from openpyxl import Workbook

from kinerja.accounts.http import AuthedRequest
from kinerja.assessments.guards import may_read_unit
from kinerja.assessments.models import Evaluasi, StatusEvaluasi
from kinerja.core.formkeys import key_of
from kinerja.core.xlsx import workbook_bytes
from kinerja.org.access import access_for
from kinerja.org.hierarchy import rater_id_for
from kinerja.org.models import Pegawai, UnitKerja
from kinerja.plans.views import call, call_or_flash
from kinerja.progress.services import Upload

from . import guards, queries, rules
from . import services_training as training
from .forms import JpForm, PelatihanForm, TindakLanjutForm
from .models import CatatanJp, CatatanTindakLanjut, Pelatihan, RencanaPengembangan


def _choice(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


def _year(request: AuthedRequest) -> int:
    """The `tahun` asked for, or this year when it is missing, not a number or not a plausible
    year (2000–2100)."""
    try:
        year = int(request.GET.get("tahun", ""))
    except ValueError:
        return guards.today().year
    return year if 2000 <= year <= 2100 else guards.today().year


@login_required
@require_http_methods(["GET", "POST"])
def pelatihan_list(request: AuthedRequest) -> HttpResponse:
    access = access_for(request.user)
    admin_of = sorted(access.admin_instansi_ids)
    form = PelatihanForm(request.POST or None)
    if request.method == "POST":
        if not admin_of:
            raise PermissionDenied(_("Hanya admin instansi yang dapat mengelola katalog."))
        saved = None
        if form.is_valid():
            saved = call(form, lambda: training.pelatihan_save(
                by=request.user, instansi_id=admin_of[0], values=form.cleaned_data,
                form_key=key_of(request.POST),
            ))  # fmt: skip
        if saved is not None:
            messages.success(request, _("Pelatihan ditambahkan ke katalog."))
            return redirect("development:pelatihan")
    rows = Pelatihan.objects.visible_to(request.user)
    return render(request, "development/pelatihan.html",
                  {"rows": rows, "form": form if admin_of else None,
                   "admin_of": set(admin_of)})  # fmt: skip


def _readable_pegawai(request: AuthedRequest, pk: int) -> Pegawai:
    pegawai = get_object_or_404(Pegawai.objects.select_related("jabatan__unit"), pk=pk)
    if not guards.may_read_person(request.user, pegawai):
        raise Http404
    return pegawai


@login_required
def mine(request: AuthedRequest) -> HttpResponse:
    own = access_for(request.user).pegawai_id
    if own is None:
        raise Http404
    return redirect("development:pegawai", pk=own)


@login_required
@require_http_methods(["GET", "POST"])
def pegawai_page(request: AuthedRequest, pk: int) -> HttpResponse:
    pegawai = _readable_pegawai(request, pk)
    year = _year(request)
    plans = list(RencanaPengembangan.objects.filter(pegawai=pegawai, year=year)
                 .select_related("pelatihan"))  # fmt: skip
    open_plans = [(p.pk, p.pelatihan.name) for p in plans if p.status == "DIRENCANAKAN"]
    jp_form = JpForm(None, initial={"date": guards.today()})
    _choice(jp_form, "rencana").choices = [("", "–"), *open_plans]
    action = request.POST.get("action")
    if request.method == "POST" and action == "terima":
        item = get_object_or_404(Pelatihan.objects.visible_to(request.user),
                                 pk=request.POST.get("pelatihan") or 0)  # fmt: skip
        if call_or_flash(request, lambda: training.rencana_accept(
            by=request.user, pegawai=pegawai, pelatihan=item, year=year,
            reason=request.POST.get("reason", ""), form_key=key_of(request.POST),
        )):  # fmt: skip
            name = {"name": item.name}
            messages.success(request, _("%(name)s masuk rencana pengembangan.") % name)
        return redirect(f"{request.path}?tahun={year}")
    if request.method == "POST" and action == "jp":
        jp_form = JpForm(request.POST, request.FILES)
        _choice(jp_form, "rencana").choices = [("", "–"), *open_plans]
        if jp_form.is_valid():
            data = jp_form.cleaned_data
            plan = next((p for p in plans if p.pk == data["rencana"]), None)
            upload = Upload(data["certificate"].name or "sertifikat", data["certificate"].read())
            if call(jp_form, lambda: training.jp_record(
                by=request.user, pegawai=pegawai, day=data["date"], certificate=upload,
                rencana=plan, title=data["title"], mode=data["mode"], jp=data["jp"] or None,
                form_key=key_of(request.POST),
            )):  # fmt: skip
                messages.success(request, _("JP tercatat."))
                return redirect(f"{request.path}?tahun={year}")
    elif request.method == "POST":
        raise Http404
    records = list(CatatanJp.objects.filter(pegawai=pegawai, year=year))
    may_record = guards.is_self(request.user, pegawai.pk) or guards.is_admin(
        request.user, pegawai.instansi_id
    )
    may_accept = may_record or guards.is_rater(request.user, _rater_id(pegawai))
    return render(request, "development/pegawai.html", {
        "pegawai": pegawai, "year": year, "plans": plans, "records": records,
        "summary": rules.jp_summary((r.mode, r.jp) for r in records),
        "recs": queries.recommendations(pegawai, year, guards.today()) if guards.may_read_person(
            request.user, pegawai, auditors=False) else None,
        "jp_form": jp_form if may_record else None, "may_accept": may_accept,
    })  # fmt: skip


def _rater_id(pegawai: Pegawai) -> int | None:
    return rater_id_for(pegawai)


def _unit(request: AuthedRequest, pk: int) -> UnitKerja:
    unit = get_object_or_404(UnitKerja, pk=pk)
    if not may_read_unit(request.user, unit):
        raise Http404
    return unit


@login_required
def unit_index(request: AuthedRequest) -> HttpResponse:
    access = access_for(request.user)
    units = UnitKerja.objects.filter(pk__in=access.headed_unit_ids) | UnitKerja.objects.filter(
        instansi_id__in=access.admin_instansi_ids | access.auditor_instansi_ids, parent__isnull=True
    )
    return render(request, "development/unit_index.html", {"units": units.order_by("path")})


@login_required
def unit_jp(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    year = _year(request)
    below = request.GET.get("semua") is None
    rows = queries.jp_unit(unit, year, below_only=below)
    return render(request, "development/unit_jp.html",
                  {"unit": unit, "year": year, "rows": rows, "below": below})  # fmt: skip


@login_required
def unit_penghargaan(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    year = _year(request)
    rows = queries.candidates(unit, year, guards.today())
    if request.GET.get("format") == "xlsx":
        return _candidates_xlsx(unit, year, rows)
    return render(request, "development/unit_penghargaan.html",
                  {"unit": unit, "year": year, "rows": rows})  # fmt: skip


def _candidates_xlsx(unit: UnitKerja, year: int, rows: list[queries.Candidate]) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Kandidat penghargaan"
    sheet.append([f"Kandidat penghargaan {unit.name} tahun {year}"])
    sheet.append(["No", "Nama", "NIP", "Unit", "Predikat tahunan", "Predikat periodik",
                  "IKM SKM petugas", "Alasan"])  # fmt: skip
    for i, c in enumerate(rows, start=1):
        sheet.append([i, c.name, c.nip, c.unit, c.annual or "-", ", ".join(c.periodic) or "-",
                      float(c.skm_konversi) if c.skm_konversi is not None else "-",
                      "; ".join(c.reason_labels)])  # fmt: skip
    response = HttpResponse(
        workbook_bytes(book),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="penghargaan-{unit.code}-{year}.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def tindak_lanjut(request: AuthedRequest) -> HttpResponse:
    access = access_for(request.user)
    if not (access.is_superuser or access.admin_instansi_ids or access.auditor_instansi_ids):
        raise Http404
    low = Evaluasi.objects.filter(
        instansi_id__in=access.admin_instansi_ids, status=StatusEvaluasi.FINAL,
        predikat__in=sorted(rules.FOLLOW_UP_PREDIKAT),
    ).select_related("pegawai")  # fmt: skip
    form = TindakLanjutForm(request.POST or None, initial={"date": guards.today()})
    _choice(form, "evaluasi").choices = [
        (e.pk, f"{e.pegawai.display_name} {e.year}/{e.period} {e.get_predikat_display()}")
        for e in low
    ]
    if request.method == "POST" and form.is_valid():
        evaluasi = get_object_or_404(low, pk=form.cleaned_data["evaluasi"])
        if call(form, lambda: training.tindak_lanjut_record(
            by=request.user, evaluasi=evaluasi, action=form.cleaned_data["action"],
            day=form.cleaned_data["date"], form_key=key_of(request.POST),
        )):  # fmt: skip
            messages.success(request, _("Tindak lanjut dicatat."))
            return redirect("development:tindak_lanjut")
    rows = CatatanTindakLanjut.objects.visible_to(request.user).select_related("pegawai")
    return render(request, "development/tindak_lanjut.html", {
        "rows": rows[:500], "form": form if access.admin_instansi_ids else None,
    })  # fmt: skip
