"""Download of uploaded evidence: only for people who may read the SKP, always as an attachment.

Evidence is user-supplied content. It is never rendered inline from the app's origin: the
response is an attachment, its type is the one decided by content at upload, the browser must
not sniff another, and `Content-Security-Policy: sandbox` disarms anything that is opened anyway.

`bukti_file` is the one place that decides who may download and how the file is served: the
page below and the API (`evidence_api.bukti_download`) both answer with it.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kinerja.accounts.http import AuthedRequest
from kinerja.core.errors import NotFound
from kinerja.plans.api_items import can_read, not_found

from .models import BuktiDukung


def bukti_file(user: object, pk: int) -> FileResponse:
    """The uploaded file of evidence `pk` as an attachment, for whoever may read its SKP
    (`can_read`, the SKP API's rule: `Skp.objects.visible_to`, or a superior in the rater's
    chain). NotFound otherwise, saying why: an unknown id and an SKP the user may not read say
    the same (existence is not revealed); a link has no file; a file gone from the storage."""
    bukti = BuktiDukung.objects.select_related("realisasi__skp__pegawai").filter(pk=pk).first()
    if bukti is None or not can_read(user, bukti.realisasi.skp):
        raise not_found(_("Bukti dukung"), pk)
    if not bukti.file:
        raise NotFound(
            _("Bukti dukung %(pk)s berupa tautan, bukan berkas: tidak ada yang dapat diunduh.")
            % {"pk": pk}
        )
    try:
        handle = bukti.file.open("rb")
    except FileNotFoundError:
        raise NotFound(
            _("Berkas bukti dukung %(name)r tidak ada lagi di penyimpanan.")
            % {"name": bukti.file_name or str(pk)}
        ) from None
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


@login_required
@require_GET
def bukti_download(request: AuthedRequest, pk: int) -> FileResponse:
    try:
        return bukti_file(request.user, pk)
    except NotFound as refused:
        raise Http404(refused.message) from None
