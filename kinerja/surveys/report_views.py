"""SKM report downloads (PDF/XLSX, rendered by `reports`) and the petugas feedback page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kinerja.accounts.http import AuthedRequest
from kinerja.org.access import access_for
from kinerja.org.hierarchy import rater_chain_ids
from kinerja.org.models import Pegawai

from . import queries
from .periods import FIRST_YEAR, LAST_YEAR
from .petugas_queries import petugas_year
from .views import pick_key, visible_layanan

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
@require_GET
def layanan_report(request: AuthedRequest, pk: int, key: str, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    layanan = visible_layanan(request, pk)
    period_key = pick_key(request, key)
    detail = queries.detail(layanan, period_key, saran_limit=1000)
    if detail.row.result is None:
        raise Http404(_("Belum ada responden pada periode ini."))
    from . import reports  # the renderers load WeasyPrint/openpyxl: only when asked

    data = queries.report_data(detail)
    content = reports.render_report_pdf(data) if fmt == "pdf" else reports.render_report_xlsx(data)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    name = f"laporan-skm-{layanan.code}-{period_key.text.lower()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def may_see_feedback(user: object, pegawai: Pegawai) -> bool:
    """The pegawai, their raters up the chain, and admin or auditor of the instansi."""
    access = access_for(user)
    if access.pegawai_id == pegawai.pk or access.can_audit_instansi(pegawai.instansi_id):
        return True
    return access.pegawai_id is not None and access.pegawai_id in rater_chain_ids(pegawai)


@login_required
@require_GET
def petugas_page(request: AuthedRequest, pk: int) -> HttpResponse:
    pegawai = get_object_or_404(Pegawai.objects.select_related("jabatan"), pk=pk)
    if not may_see_feedback(request.user, pegawai):
        raise Http404
    raw = request.GET.get("tahun", "")
    year = timezone.localdate().year
    if len(raw) == 4 and raw.isascii() and raw.isdigit() and FIRST_YEAR <= int(raw) <= LAST_YEAR:
        year = int(raw)
    windows = petugas_year(pegawai.pk, year)
    shown = [w for w in windows if w.key.kind != "SEMESTER"]  # the triwulan and the year
    context = {
        "pegawai": pegawai,
        "year": year,
        "rows": shown[1:],
        "whole": shown[0],
        "note": any(w.withheld == "complementary" for w in shown),
        "minimum": queries.PETUGAS_MIN_RESPONDENTS,
    }
    return render(request, "surveys/petugas.html", context)
