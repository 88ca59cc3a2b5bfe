"""The SKM files through the API: the report (PDF or XLSX) of a layanan and period, and the QR
poster (PNG or PDF) of a layanan, the same files as the download links of the pages. Readers
are those who may see the layanan (`Layanan.objects.visible_to`); anyone else gets a 404."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router

from kinerja.core.errors import NotFound
from kinerja.core.params import Id

from . import poster, queries
from .api import _key, _layanan

router = Router(tags=["SKM: berkas"])

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG = "image/png"


def _binary(*content_types: str) -> dict[str, Any]:
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {
        "responses": {
            200: {
                "description": "Berkas (lampiran unduhan)",
                "content": dict.fromkeys(content_types, binary),
            }
        }
    }


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get(
    "/skm/layanan/{layanan_id}/ikm/{period}/laporan/{fmt}",
    summary="Laporan SKM sebuah layanan dan periode (fmt: pdf | xlsx)",
    description=(
        "Tabel NRR per unsur, IKM dan mutu, demografi responden, perbandingan dengan periode "
        "sebelumnya dan daftar saran. Periode tanpa responden: 404."
    ),
    openapi_extra=_binary(PDF, XLSX),
)
def report(
    request: HttpRequest, layanan_id: Id, period: str, fmt: Literal["pdf", "xlsx"]
) -> HttpResponse:
    layanan = _layanan(request, layanan_id)
    key = _key(period)
    detail = queries.detail(layanan, key, saran_limit=1000)
    if detail.row.result is None:
        raise NotFound(_("Belum ada responden pada periode ini."))
    from . import reports  # the renderers load WeasyPrint/openpyxl: only when asked

    data = queries.report_data(detail)
    if fmt == "pdf":
        content, content_type = reports.render_report_pdf(data), PDF
    else:
        content, content_type = reports.render_report_xlsx(data), XLSX
    return _attachment(
        content, content_type, f"laporan-skm-{layanan.code}-{key.text.lower()}.{fmt}"
    )


@router.get(
    "/skm/layanan/{layanan_id}/poster/{fmt}",
    summary="Poster QR kuesioner publik sebuah layanan (fmt: png | pdf)",
    description="PNG: kode QR alamat pendek kuesioner; PDF: poster siap cetak dengan kode QR.",
    openapi_extra=_binary(PNG, PDF),
)
def poster_file(request: HttpRequest, layanan_id: Id, fmt: Literal["png", "pdf"]) -> HttpResponse:
    layanan = _layanan(request, layanan_id)
    url = request.build_absolute_uri(reverse("skm_form", kwargs={"code": layanan.code}))
    if fmt == "png":
        return _attachment(poster.qr_png(url), PNG, f"poster-skm-{layanan.code}.png")
    return _attachment(poster.poster_pdf(layanan, url), PDF, f"poster-skm-{layanan.code}.pdf")
