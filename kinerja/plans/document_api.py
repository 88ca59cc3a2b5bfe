"""The SKP document through the API: the same files as the download pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from kinerja.core.errors import NotFound
from kinerja.core.params import Id

from . import documents, documents_xlsx, queries
from .document_views import PDF, XLSX, attachment, readable_skp

router = Router(tags=["SKP"])


def _binary(content_type: str) -> dict[str, Any]:
    return {
        "responses": {
            200: {
                "description": "Berkas dokumen SKP (lampiran unduhan)",
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


def _view(request: HttpRequest, skp_id: int) -> queries.SkpView:
    try:
        skp = readable_skp(request.user, skp_id)
    except Http404:
        raise NotFound(
            _("SKP dengan id %(skp_id)s tidak ditemukan.") % {"skp_id": skp_id}
        ) from None
    return queries.skp_view(skp)


@router.get(
    "/skp/{skp_id}/pdf",
    summary="Dokumen SKP (format resmi) sebagai PDF",
    openapi_extra=_binary(PDF),
)
def skp_pdf(request: HttpRequest, skp_id: Id) -> HttpResponse:
    view = _view(request, skp_id)
    data = documents.skp_pdf_bytes(view, printed_on=timezone.localdate(), place="")
    return attachment(data, PDF, documents.filename(view, "pdf"))


@router.get(
    "/skp/{skp_id}/xlsx",
    summary="Dokumen SKP (format resmi) sebagai XLSX",
    openapi_extra=_binary(XLSX),
)
def skp_xlsx(request: HttpRequest, skp_id: Id) -> HttpResponse:
    view = _view(request, skp_id)
    data = documents_xlsx.skp_xlsx_bytes(view, printed_on=timezone.localdate())
    return attachment(data, XLSX, documents.filename(view, "xlsx"))
