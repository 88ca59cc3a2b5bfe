"""Paper questionnaire import page: choose layanan and period, upload, preview (dry run), save.

"Pratinjau" checks the file and writes nothing; "Simpan" checks it again and writes all rows
or none (the house pattern of kinerja/org/importing.py, without the stash: these files are
small, so the admin uploads the same file again to save). Both warn of rows that repeat paper
answers already stored (import_overlap.py): the preview that saving would count them again,
the save that it did.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.accounts.http import AuthedRequest
from kinerja.core.errors import ServiceError, localize
from kinerja.org.access import access_for

from .forms import ImportForm
from .import_overlap import saved_warning, warning
from .importing import COLUMNS, SkmImportResult, skm_import
from .models import Layanan, SurveyPeriod
from .periods import parse_key

SHOWN_ERRORS = 200


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: AuthedRequest) -> HttpResponse:
    access = access_for(request.user)
    rows = Layanan.objects.select_related("unit").order_by("unit__path", "name")
    if not access.is_superuser:
        rows = rows.filter(instansi_id__in=access.admin_instansi_ids)
    layanan = list(rows)
    if not layanan:
        raise PermissionDenied(_("Hanya admin instansi yang dapat mengimpor kuesioner kertas."))
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        layanan=[(item.pk, f"{item.name} · {item.unit.name}") for item in layanan],
    )
    result: SkmImportResult | None = None
    if request.method == "POST" and form.is_valid():
        chosen = next(item for item in layanan if item.pk == form.cleaned_data["layanan"])
        period = _period(form, chosen)
        upload = form.cleaned_data["file"]
        if period is not None:
            try:
                result = skm_import(
                    by=request.user,
                    layanan=chosen,
                    period=period,
                    file_name=upload.name or "",
                    content=upload.read(settings.KINERJA_IMPORT_MAX_BYTES + 1),
                    dry_run=request.POST.get("action") != "save",
                )
            except ServiceError as exc:
                form.add_error("file" if exc.field == "file" else None, exc.message)
            else:
                if result.ok and not result.dry_run:
                    messages.success(
                        request, _("Impor tersimpan: %(n)d kuesioner.") % {"n": result.rows}
                    )
                    if result.already_stored.count:
                        messages.warning(request, saved_warning(result.already_stored))
                    return redirect("surveys:import")
    context = {
        "form": form,
        "result": result,
        "shown_errors": result.errors[:SHOWN_ERRORS] if result else [],
        "hidden_errors": max(len(result.errors) - SHOWN_ERRORS, 0) if result else 0,
        "already_stored": warning(result.already_stored) if result else "",
        "columns": COLUMNS,
    }
    return render(request, "surveys/import.html", context)


def _period(form: ImportForm, layanan: Layanan) -> SurveyPeriod | None:
    try:
        key = parse_key(form.cleaned_data["period"])
    except ValueError as exc:
        form.add_error("period", localize(exc))
        return None
    period = SurveyPeriod.objects.filter(
        layanan=layanan, kind=key.kind, year=key.year, number=key.number
    ).first()
    if period is None:
        form.add_error(
            "period", _("Periode %(p)s belum dibuka untuk layanan ini.") % {"p": key.label}
        )
    return period
