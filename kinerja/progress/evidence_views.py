"""Download of uploaded evidence: only for people who may read the SKP, always as an attachment.

Evidence is user-supplied content. It is never rendered inline from the app's origin: the
response is an attachment, its type is the one decided by content at upload, the browser must
not sniff another, and `Content-Security-Policy: sandbox` disarms anything that is opened anyway.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kinerja.accounts.http import AuthedRequest
from kinerja.plans.models import Skp
from kinerja.plans.queries import can_read_chain

from .models import BuktiDukung


@login_required
@require_GET
def bukti_download(request: AuthedRequest, pk: int) -> FileResponse:
    bukti = get_object_or_404(BuktiDukung.objects.select_related("realisasi__skp__pegawai"), pk=pk)
    skp = bukti.realisasi.skp
    if not bukti.file or not (
        Skp.objects.visible_to(request.user).filter(pk=skp.pk).exists()
        or can_read_chain(request.user, skp)
    ):
        raise Http404(_("Bukti dukung tidak ditemukan."))
    try:
        handle = bukti.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Berkas bukti dukung tidak ditemukan.")) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=bukti.file_name or "bukti",
        content_type=bukti.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
