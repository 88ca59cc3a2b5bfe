"""Downloads of the evaluation documents and the unit recap, and the public verification page
/verifikasi/<code>/ (no login: it shows only the facts printed on the document and its
SHA-256, and compares an uploaded PDF's hash)."""

from __future__ import annotations

import hashlib

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from kinerja.accounts.http import AuthedRequest
from kinerja.core.errors import ServiceError
from kinerja.org.access import access_for
from kinerja.org.models import UnitKerja

from . import documents_rekap, guards, services_documents
from .models import DokumenTerbit, Evaluasi, JenisDokumen
from .rekap_queries import rekap_data

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KINDS = {"evaluasi": JenisDokumen.EVALUASI, "dokumen": JenisDokumen.DOKUMEN_EVALUASI}
MAX_VERIFY_BYTES = 20 * 1024 * 1024
VERIFY_WINDOW = 600  # seconds
VERIFY_LOOKUPS = 120  # page views per client and window
VERIFY_UPLOADS = 20  # hash comparisons per client and window


def attachment(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response


def readable_evaluasi(user: object, pk: int) -> Evaluasi:
    """The evaluation if the user may see it (Evaluasi.objects.visible_to), else 404."""
    return get_object_or_404(Evaluasi.objects.visible_to(user), pk=pk)


def request_base(request: HttpRequest) -> str:
    """The requesting host as a base URL, the fallback of KINERJA_PUBLIC_URL."""
    return f"{request.scheme}://{request.get_host()}"


@login_required
@require_GET
def evaluasi_pdf(request: AuthedRequest, pk: int, jenis: str) -> HttpResponse:
    kind = KINDS.get(jenis)
    if kind is None:
        raise Http404(_("Jenis dokumen tidak dikenal."))
    evaluasi = readable_evaluasi(request.user, pk)
    try:
        data, name = services_documents.document_for(
            by=request.user, evaluasi=evaluasi, kind=kind, base_url=request_base(request)
        )
    except ServiceError as exc:
        return HttpResponse(exc.message, status=exc.status, content_type="text/plain")
    return attachment(data, PDF, name)


@login_required
@require_GET
def rekap_xlsx(request: AuthedRequest, unit_pk: int, year: int, period: int) -> HttpResponse:
    unit = get_object_or_404(UnitKerja.objects.select_related("instansi"), pk=unit_pk)
    if not guards.may_read_unit(request.user, unit):
        raise Http404(_("Unit kerja tidak ditemukan."))
    try:
        data = rekap_data(unit, year, period, reader=access_for(request.user).pegawai_id)
    except ServiceError as exc:
        raise Http404(exc.message) from None
    return attachment(documents_rekap.rekap_xlsx_bytes(data), XLSX, documents_rekap.filename(data))


# --- public verification ------------------------------------------------------------------


class VerifyForm(forms.Form):
    berkas = forms.FileField(label=gettext_lazy("Berkas PDF dokumen"))

    def clean_berkas(self) -> object:
        upload = self.cleaned_data["berkas"]
        if upload.size > MAX_VERIFY_BYTES:
            raise forms.ValidationError(
                _("Berkas terlalu besar (maksimal %(mb)s MB).")
                % {"mb": MAX_VERIFY_BYTES // (1024 * 1024)}
            )
        return upload


def client_key(request: HttpRequest) -> str:
    header = str(getattr(settings, "KINERJA_CLIENT_IP_HEADER", "") or "")
    raw = (request.META.get(header, "") if header else "") or request.META.get("REMOTE_ADDR", "")
    return str(raw).split(",")[0].strip() or "unknown"


def throttled(request: HttpRequest, bucket: str, limit: int) -> bool:
    """A fixed-window counter in the cache: True once the client exceeded `limit`."""
    key = f"verifikasi:{bucket}:{client_key(request)}"
    if cache.add(key, 1, VERIFY_WINDOW):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, VERIFY_WINDOW)
        return False
    return count > limit


def _page(request: HttpRequest, context: dict[str, object], status: int = 200) -> HttpResponse:
    response = render(request, "assessments/dokumen_verify.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_http_methods(["GET", "POST"])
def dokumen_verify(request: HttpRequest, code: str) -> HttpResponse:
    limit = VERIFY_UPLOADS if request.method == "POST" else VERIFY_LOOKUPS
    if throttled(request, request.method or "GET", limit):
        return _page(request, {"throttled": True, "code": code}, status=429)
    dokumen = DokumenTerbit.objects.filter(code=code).first()
    if dokumen is None:
        return _page(request, {"unknown": True, "code": code}, status=404)
    newer = services_documents.superseded_by(dokumen)
    context: dict[str, object] = {
        "dokumen": dokumen,
        "facts": dokumen.facts,
        "superseded_on": newer.facts.get("tanggal_terbit") if newer else None,
        "form": VerifyForm(),
    }
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            digest = hashlib.sha256()
            for chunk in form.cleaned_data["berkas"].chunks():
                digest.update(chunk)
            context["uploaded_sha256"] = digest.hexdigest()
            context["match"] = digest.hexdigest() == dokumen.sha256
        else:
            return _page(request, context, status=400)
    return _page(request, context)
