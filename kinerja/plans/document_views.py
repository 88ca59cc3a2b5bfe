"""Download the SKP document (PDF or XLSX) in the official layout."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kinerja.accounts.http import AuthedRequest

from . import documents, documents_xlsx, queries
from .models import Skp

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def readable_skp(user: object, pk: int) -> Skp:
    """The SKP if the user may read it: `visible_to`, or a superior of the rater. Otherwise 404."""
    skp = get_object_or_404(Skp.objects.select_related("pegawai"), pk=pk)
    if not Skp.objects.visible_to(user).filter(pk=pk).exists() and not queries.can_read_chain(
        user, skp
    ):
        raise Http404(_("SKP tidak ditemukan."))
    return skp


def attachment(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_GET
def skp_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    view = queries.skp_view(readable_skp(request.user, pk))
    data = documents.skp_pdf_bytes(view, printed_on=timezone.localdate(), place="")
    return attachment(data, PDF, documents.filename(view, "pdf"))


@login_required
@require_GET
def skp_xlsx(request: AuthedRequest, pk: int) -> HttpResponse:
    view = queries.skp_view(readable_skp(request.user, pk))
    data = documents_xlsx.skp_xlsx_bytes(view, printed_on=timezone.localdate())
    return attachment(data, XLSX, documents.filename(view, "xlsx"))
