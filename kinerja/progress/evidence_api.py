"""Evidence files through the JSON API: the same download as the page `/realisasi/bukti/<id>/`
(`evidence_views.bukti_file`: the same readers, the same headers), for a bearer token as well
as a session. The evidence listed by the API carries this address as `download_url`."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest
from django.urls import reverse
from ninja import Router

from kinerja.core.params import Id

from .evidence_views import bukti_file

router = Router(tags=["Realisasi"])

URL_NAME = "realisasi_bukti_download"

_BINARY: dict[str, Any] = {
    "responses": {
        200: {
            "description": (
                "Isi berkas (byte apa adanya) sebagai lampiran: `Content-Type` jenis yang "
                "ditetapkan saat unggah, `Content-Disposition: attachment` dengan nama berkas."
            ),
            "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


def download_url(bukti_id: int) -> str:
    """The API address of an uploaded evidence file (`download_url` in the outputs)."""
    return reverse(f"api:{URL_NAME}", kwargs={"bukti_id": bukti_id})


@router.get(
    "/realisasi/bukti/{bukti_id}",
    url_name=URL_NAME,
    summary="Unduh berkas bukti dukung (yang boleh membaca SKP-nya)",
    description=(
        "Mengembalikan isi berkas bukti dukung (byte berkas, bukan JSON) sebagai lampiran, "
        "dengan jenis isi yang ditetapkan saat unggah, `X-Content-Type-Options: nosniff`, "
        "`Content-Security-Policy: sandbox` dan `Cache-Control: private, no-store`. Alamat "
        "ini ada di `download_url` setiap bukti berkas. Sama dengan halaman unduh: hanya yang "
        "boleh membaca SKP-nya (pemilik, pejabat penilai dan atasannya, pimpinan unit, admin, "
        "auditor). Selain itu, id yang tidak ada, bukti berupa tautan, atau berkas yang sudah "
        "tidak ada di penyimpanan: 404."
    ),
    openapi_extra=_BINARY,
)
def bukti_download(request: HttpRequest, bukti_id: Id) -> FileResponse:
    return bukti_file(request.user, bukti_id)
