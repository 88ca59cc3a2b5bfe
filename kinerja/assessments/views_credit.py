"""The admin's page of angka kredit coefficients per Jabatan Fungsional (one form per row)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.accounts.http import AuthedRequest
from kinerja.core.errors import ServiceError
from kinerja.org.access import access_for
from kinerja.org.models import Instansi, Jabatan, JenisJabatan
from kinerja.plans.views import call

from . import credit, rules


def _instansi(request: AuthedRequest) -> Instansi:
    access = access_for(request.user)
    admin_of = sorted(access.admin_instansi_ids)
    if access.is_superuser and not admin_of:
        admin_of = list(Instansi.objects.order_by("pk").values_list("pk", flat=True))
    wanted = request.GET.get("instansi") or request.POST.get("instansi")
    chosen = int(wanted) if wanted and wanted.isdigit() else (admin_of[0] if admin_of else None)
    if chosen is None or not access.can_admin_instansi(chosen):
        raise PermissionDenied(_("Halaman ini untuk admin kepegawaian instansi."))
    return get_object_or_404(Instansi, pk=chosen)


@login_required
@require_http_methods(["GET", "POST"])
def koefisien(request: AuthedRequest) -> HttpResponse:
    instansi = _instansi(request)
    if request.method == "POST":
        raw = request.POST.get("jabatan", "")
        jabatan = get_object_or_404(
            Jabatan, pk=int(raw) if raw.isdigit() else 0, instansi=instansi,
            jenis=JenisJabatan.FUNGSIONAL,
        )  # fmt: skip
        try:
            if request.POST.get("hapus") == "1":
                call(None, lambda: credit.koefisien_delete(by=request.user, jabatan=jabatan))
                messages.success(request, _("Koefisien %(j)s dihapus.") % {"j": jabatan.name})
            else:
                call(
                    None,
                    lambda: credit.koefisien_set(
                        by=request.user, jabatan=jabatan,
                        jenjang=request.POST.get("jenjang", ""),
                        koefisien=request.POST.get("koefisien", "").strip() or None,
                    ),
                )  # fmt: skip
                messages.success(request, _("Koefisien %(j)s tersimpan.") % {"j": jabatan.name})
        except ServiceError as exc:
            messages.error(request, f"{jabatan.name}: {exc.message}")
        return redirect(f"{request.path}?instansi={instansi.pk}")
    context = {
        "instansi": instansi,
        "rows": credit.fungsional_rows(instansi.pk),
        "jenjang": [(k, credit.JENJANG_LABELS[k], v) for k, v in rules.KOEFISIEN_JENJANG.items()],
    }
    return render(request, "assessments/angka_kredit_koefisien.html", context)
