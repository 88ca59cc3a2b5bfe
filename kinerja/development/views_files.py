"""Download of JP certificates: only for people who may read the JP record, always as an
attachment with the type decided by content at upload (as evidence downloads)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kinerja.accounts.http import AuthedRequest

from .models import CatatanJp


@login_required
@require_GET
def sertifikat(request: AuthedRequest, pk: int) -> FileResponse:
    record = get_object_or_404(CatatanJp.objects.visible_to(request.user), pk=pk)
    try:
        handle = record.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Berkas sertifikat tidak ditemukan.")) from None
    response = FileResponse(
        handle, as_attachment=True, filename=record.file_name, content_type=record.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
