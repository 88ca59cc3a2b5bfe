"""Placements (definitif, Plt, Plh; mutasi keeps history) and delegated raters."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts.models import User
from kinerja.audit import services as audit
from kinerja.core.errors import Conflict, ServiceError, clean_or_refuse

from .access import forget_access
from .guards import require_admin
from .hierarchy import rater_chain_ids
from .models import DelegasiPenilai, Jabatan, JenisPenempatan, Pegawai, Penempatan

SINGLE_HOLDER_JENIS = frozenset({"JPT", "ADMINISTRATOR", "PENGAWAS"})


# --- penempatan (placements and mutasi) ---------------------------------------------------


@transaction.atomic
def penempatan_assign(
    *,
    by: User,
    pegawai: Pegawai,
    jabatan: Jabatan,
    start_date: date,
    kind: str = JenisPenempatan.DEFINITIF,
    reference: str = "",
) -> Penempatan:
    """Place a pegawai in a jabatan. A new definitif placement ends the previous one (mutasi)."""
    require_admin(by, pegawai.instansi_id)
    if jabatan.instansi_id != pegawai.instansi_id:
        raise ServiceError(_("Jabatan harus dari instansi pegawai."), field="jabatan")
    if start_date > timezone.localdate():
        raise ServiceError(_("TMT jabatan tidak boleh di masa depan."), field="start_date")
    if jabatan.jenis in SINGLE_HOLDER_JENIS or jabatan.is_unit_head:
        # The new placement is open-ended, so any holder not gone before its TMT overlaps it.
        taken = (
            Penempatan.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date))
            .filter(jabatan=jabatan, kind=kind)
            .exclude(pegawai=pegawai)
            .select_related("pegawai")
            .first()
        )
        if taken is not None:
            raise Conflict(
                _(
                    "Jabatan %(name)s sudah dipegang (%(kind)s) oleh "
                    "%(display_name)s; akhiri penempatan itu lebih dulu."
                )
                % {
                    "name": jabatan.name,
                    "kind": taken.get_kind_display(),
                    "display_name": taken.pegawai.display_name,
                }
            )
    old: dict[str, Any] = {}
    if kind == JenisPenempatan.DEFINITIF:
        current = (
            Penempatan.objects.select_for_update()
            .filter(pegawai=pegawai, kind=kind, end_date__isnull=True)
            .first()
        )
        if current is not None:
            if current.jabatan_id == jabatan.pk:
                raise Conflict(_("Pegawai sudah memegang jabatan ini."))
            if current.start_date >= start_date:
                raise ServiceError(
                    _("TMT jabatan baru harus sesudah TMT jabatan sebelumnya (%(start_date)s).")
                    % {"start_date": format(current.start_date, "%d-%m-%Y")},
                    field="start_date",
                )
            current.end_date = start_date - timedelta(days=1)
            current.save(update_fields=["end_date"])
            old = {"jabatan_id": current.jabatan_id, "penempatan_id": current.pk}
        ended = (
            Penempatan.objects.filter(pegawai=pegawai, kind=kind, end_date__gte=start_date)
            .order_by("-end_date")
            .first()
        )
        if ended is not None and ended.end_date is not None:
            raise ServiceError(
                _("TMT jabatan baru harus sesudah berakhirnya jabatan sebelumnya (%(end_date)s).")
                % {"end_date": format(ended.end_date, "%d-%m-%Y")},
                field="start_date",
            )
    placement = Penempatan(
        instansi_id=pegawai.instansi_id,
        pegawai=pegawai,
        jabatan=jabatan,
        kind=kind,
        start_date=start_date,
        reference=reference.strip(),
    )
    clean_or_refuse(placement)
    placement.save()
    if kind == JenisPenempatan.DEFINITIF:
        pegawai.jabatan = jabatan
        pegawai.save(update_fields=["jabatan"])
    if pegawai.user is not None:
        forget_access(pegawai.user)
    audit.record(
        "penempatan_assign",
        by=by,
        scope=pegawai.instansi_id,
        target_type="pegawai",
        target_id=pegawai.pk,
        old=old,
        new={"jabatan_id": jabatan.pk, "kind": kind, "start_date": start_date.isoformat()},
    )
    return placement


@transaction.atomic
def penempatan_end(*, by: User, penempatan: Penempatan, end_date: date) -> Penempatan:
    require_admin(by, penempatan.instansi_id)
    if penempatan.end_date is not None:
        raise Conflict(_("Penempatan ini sudah berakhir."))
    if end_date < penempatan.start_date:
        raise ServiceError(_("Tanggal berakhir tidak boleh sebelum TMT."), field="end_date")
    penempatan.end_date = end_date
    penempatan.save(update_fields=["end_date"])
    if penempatan.kind == JenisPenempatan.DEFINITIF:
        Pegawai.objects.filter(pk=penempatan.pegawai_id, jabatan_id=penempatan.jabatan_id).update(
            jabatan=None
        )
    audit.record(
        "penempatan_end",
        by=by,
        scope=penempatan.instansi_id,
        target_type="penempatan",
        target_id=penempatan.pk,
        new={"end_date": end_date.isoformat()},
    )
    return penempatan


# --- delegasi penilai ---------------------------------------------------------------------


@transaction.atomic
def delegasi_create(
    *,
    by: User,
    pegawai: Pegawai,
    rater: Pegawai,
    start_date: date,
    end_date: date | None,
    reason: str,
) -> DelegasiPenilai:
    require_admin(by, pegawai.instansi_id)
    if rater.pk == pegawai.pk:
        raise ServiceError(_("Pegawai tidak boleh menjadi pejabat penilai dirinya sendiri."))
    if rater.instansi_id != pegawai.instansi_id:
        raise ServiceError(_("Pejabat penilai harus dari instansi yang sama."), field="rater")
    if not reason.strip():
        raise ServiceError(_("Alasan atau dasar delegasi wajib diisi."), field="reason")
    if end_date is not None and end_date < start_date:
        raise ServiceError(
            _("Tanggal berakhir tidak boleh sebelum tanggal mulai."), field="end_date"
        )
    if pegawai.pk in rater_chain_ids(rater, start_date):
        raise ServiceError(
            _(
                "%(rater)s dinilai (langsung atau berjenjang) oleh "
                "%(pegawai)s; delegasi ini akan membuat rantai penilai melingkar."
            )
            % {"rater": rater.display_name, "pegawai": pegawai.display_name}
        )
    delegasi = DelegasiPenilai(
        instansi_id=pegawai.instansi_id,
        pegawai=pegawai,
        rater=rater,
        start_date=start_date,
        end_date=end_date,
        reason=reason.strip(),
    )
    clean_or_refuse(delegasi)
    overlapping = DelegasiPenilai.objects.filter(pegawai=pegawai).exclude(end_date__lt=start_date)
    if end_date is not None:
        overlapping = overlapping.exclude(start_date__gt=end_date)
    if overlapping.exists():
        raise Conflict(_("Sudah ada delegasi penilai untuk pegawai ini pada rentang tanggal itu."))
    delegasi.save()
    audit.record(
        "delegasi_create",
        by=by,
        scope=pegawai.instansi_id,
        target_type="pegawai",
        target_id=pegawai.pk,
        new={
            "rater_id": rater.pk,
            "start_date": start_date.isoformat(),
            "end_date": end_date.isoformat() if end_date else None,
            "reason": delegasi.reason,
        },
    )
    return delegasi
