"""The evaluation documents through the API: the same files as the download pages, and the
public verification lookup (no authentication; only the facts printed on the document)."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema

from kinerja.core.errors import NotFound, ServiceError, error_body
from kinerja.core.params import Id, Period, Year
from kinerja.org.access import access_for
from kinerja.org.models import UnitKerja

from . import documents_rekap, guards, services_documents
from .models import DokumenTerbit, Evaluasi
from .rekap_queries import rekap_data
from .views_documents import (
    KINDS,
    PDF,
    VERIFY_LOOKUPS,
    XLSX,
    attachment,
    request_base,
    throttled,
)

router = Router(tags=["Penilaian: dokumen"])
public = Router(tags=["Verifikasi dokumen"], auth=None)
router.add_router("", public)


def _binary(content_type: str, what: str) -> dict[str, Any]:
    return {
        "responses": {
            200: {
                "description": what,
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


@router.get(
    "/penilaian/evaluasi/{evaluasi_id}/dokumen/{jenis}",
    summary="Dokumen evaluasi (jenis: evaluasi | dokumen) sebagai PDF",
    description=(
        "Evaluasi final: dokumen terbit dengan kode QR verifikasi (diterbitkan bila belum ada "
        "atau datanya berubah; selain itu berkas yang sama). Evaluasi draf: salinan DRAF."
    ),
    openapi_extra=_binary(PDF, "Berkas PDF (lampiran unduhan)"),
)
def dokumen_pdf(request: HttpRequest, evaluasi_id: Id, jenis: str) -> HttpResponse:
    kind = KINDS.get(jenis)
    if kind is None:
        raise ServiceError(_("Jenis dokumen harus 'evaluasi' atau 'dokumen'."), field="jenis")
    evaluasi = Evaluasi.objects.visible_to(request.user).filter(pk=evaluasi_id).first()
    if evaluasi is None:
        raise NotFound(
            _("Evaluasi dengan id %(evaluasi_id)s tidak ditemukan.") % {"evaluasi_id": evaluasi_id}
        )
    data, name = services_documents.document_for(
        by=request.user,  # type: ignore[arg-type]
        evaluasi=evaluasi,
        kind=kind,
        base_url=request_base(request),
    )
    return attachment(data, PDF, name)


@router.get(
    "/penilaian/unit/{unit_id}/rekap",
    summary="Rekap evaluasi unit kerja dan sub-unitnya per periode sebagai XLSX",
    openapi_extra=_binary(XLSX, "Berkas XLSX (lampiran unduhan)"),
)
def rekap(request: HttpRequest, unit_id: Id, year: Year, period: Period) -> HttpResponse:
    unit = UnitKerja.objects.select_related("instansi").filter(pk=unit_id).first()
    if unit is None or not guards.may_read_unit(request.user, unit):
        raise NotFound(
            _("Unit kerja dengan id %(unit_id)s tidak ditemukan.") % {"unit_id": unit_id}
        )
    data = rekap_data(unit, year, period, reader=access_for(request.user).pegawai_id)
    return attachment(documents_rekap.rekap_xlsx_bytes(data), XLSX, documents_rekap.filename(data))


class VerifikasiOut(Schema):
    code: str
    jenis: str
    nama: str
    nip: str
    periode: str
    predikat: str
    tanggal_terbit: str
    sha256: str
    superseded: bool
    superseded_on: str | None


@public.get(
    "/verifikasi/{code}",
    response={200: VerifikasiOut},
    summary="Periksa kode verifikasi dokumen terbit (tanpa autentikasi)",
)
def verifikasi(request: HttpRequest, code: str) -> VerifikasiOut | HttpResponse:
    if throttled(request, "API", VERIFY_LOOKUPS):
        body = error_body("Terlalu banyak permintaan verifikasi; coba lagi nanti.", "throttled")
        return HttpResponse(json.dumps(body), status=429, content_type="application/json")
    dokumen = DokumenTerbit.objects.filter(code=code).first()
    if dokumen is None:
        raise NotFound(_("Kode verifikasi tidak dikenal."))
    newer = services_documents.superseded_by(dokumen)
    facts = dokumen.facts
    return VerifikasiOut(
        code=dokumen.code,
        jenis=facts.get("jenis", ""),
        nama=facts.get("nama", ""),
        nip=facts.get("nip", ""),
        periode=facts.get("periode", ""),
        predikat=facts.get("predikat", ""),
        tanggal_terbit=facts.get("tanggal_terbit", ""),
        sha256=dokumen.sha256,
        superseded=newer is not None,
        superseded_on=newer.facts.get("tanggal_terbit") if newer else None,
    )
