"""Corrections of a bimbingan session by its pembimbing: change its method, date or notes, or
withdraw it when it was recorded by mistake. Both are refused once its case is closed or a
form (B.1.8, B.1.9) is filled; each owns its transaction and its audit event, which keeps what
the session said before."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kinerja.accounts.models import User
from kinerja.assessments.services import cadence_for
from kinerja.audit import services as audit
from kinerja.core.errors import Conflict, Refused, ServiceError, clean_or_refuse
from kinerja.org.access import access_for
from kinerja.plans.rules import periods

from . import guards
from .models import EvaluasiB19, Metode, Sesi, StatusKasus, UmpanBalikB18
from .services import latest_predikat


def sesi_correction_blocked(sesi: Sesi, *, action: str = gettext_noop("diubah")) -> str | None:
    """Why the session can no longer be corrected (its case is closed, or a form is filled),
    or None. The session page asks it before offering "Ubah sesi" and "Hapus sesi"; `action`
    words the answer ("diubah", "dihapus")."""
    if sesi.kasus is not None and sesi.kasus.status == StatusKasus.SELESAI:
        return _("Kasus sesi ini sudah selesai; sesi tidak dapat %(action)s lagi.") % {
            "action": _(action)
        }
    if UmpanBalikB18.objects.filter(sesi=sesi).exists() or (
        EvaluasiB19.objects.filter(sesi=sesi).exists()
    ):
        return _("Format B.1.8 atau B.1.9 sesi ini sudah diisi; sesi tidak dapat %(action)s.") % {
            "action": _(action)
        }
    return None


@transaction.atomic
def sesi_update(*, by: User, sesi: Sesi, method: str, day: date, notes: str) -> Sesi:
    """Correct a session's method, date or notes, with the rules of `sesi_record`. Only its
    pembimbing may, while its case is not closed and before either form is filled (Format
    B.1.8 rates the session as it was written). The date stays in the session's year and not
    after an agreed action's due date; a session without a case moves to the period of its new
    date, as if recorded so. The audit event keeps the old and the new values."""
    sesi = _locked_for_pembimbing(
        by,
        sesi,
        _("Hanya pembimbing yang mencatat sesi ini yang dapat mengubahnya."),
        sesi_correction_blocked,
    )
    if method not in Metode.values:
        raise ServiceError(_("Pilih metode: coaching, konseling atau mentoring."), field="method")
    if day > guards.today():
        raise ServiceError(_("Tanggal bimbingan tidak boleh di masa depan."), field="date")
    if day.year != sesi.year:
        raise ServiceError(
            _("Tanggal bimbingan harus dalam tahun %(year)s.") % {"year": sesi.year}, field="date"
        )
    if not notes.strip():
        raise ServiceError(_("Tulis catatan bimbingan."), field="notes")
    first_due = sesi.aksi.order_by("due_date").values_list("due_date", flat=True).first()
    if first_due is not None and day > first_due:
        raise ServiceError(
            _("Tanggal bimbingan tidak boleh setelah tenggat aksi (%(first_due)s).")
            % {"first_due": format(first_due, "%d-%m-%Y")},
            field="date",
        )
    fields = ("method", "date", "notes", "period", "predikat_before")
    old = {f: getattr(sesi, f) for f in fields}
    sesi.method, sesi.date, sesi.notes = method, day, notes.strip()
    if sesi.kasus is None:
        cadence = cadence_for(sesi.instansi_id, sesi.year)
        sesi.period = next(p.number for p in periods(sesi.year, cadence) if p.start <= day <= p.end)
        sesi.predikat_before = latest_predikat(sesi.pegawai_id, sesi.year, sesi.period)
    changed = [f for f in fields if getattr(sesi, f) != old[f]]
    if not changed:
        return sesi
    clean_or_refuse(sesi, exclude=["instansi", "pegawai", "rater", "pembimbing", "created_by"])
    sesi.save(update_fields=changed)
    audit.record(
        "sesi_update", by=by, scope=sesi.instansi_id, target_type="sesi", target_id=sesi.pk,
        old={f: old[f] for f in changed}, new={f: getattr(sesi, f) for f in changed},
    )  # fmt: skip
    return sesi


def sesi_withdraw_blocked(sesi: Sesi) -> str | None:
    """Why the session can no longer be withdrawn, or None: as for a correction, and also once
    the pegawai marked one of its agreed actions done (that record is theirs)."""
    blocked = sesi_correction_blocked(sesi, action=gettext_noop("dihapus"))
    if blocked is None and sesi.aksi.filter(done_on__isnull=False).exists():
        return _("Aksi sesi ini sudah ditandai selesai; sesi tidak dapat dihapus.")
    return blocked


@transaction.atomic
def sesi_withdraw(*, by: User, sesi: Sesi, reason: str) -> None:
    """Withdraw a session recorded by mistake (wrong pegawai, never held). Only its pembimbing,
    with a reason, while it could still be corrected and before the pegawai marked one of its
    actions done. The audit event keeps the whole session; a case left without sessions goes
    back from "dalam bimbingan" to "terbuka"."""
    sesi = _locked_for_pembimbing(
        by,
        sesi,
        _("Hanya pembimbing yang mencatat sesi ini yang dapat menghapusnya."),
        sesi_withdraw_blocked,
    )
    if not reason.strip():
        raise ServiceError(_("Tulis alasan penghapusan sesi."), field="reason")
    actions = list(sesi.aksi.order_by("due_date", "id"))
    old = {
        "pegawai_id": sesi.pegawai_id, "kasus_id": sesi.kasus_id, "method": sesi.method,
        "date": sesi.date, "period": sesi.period, "notes": sesi.notes,
        "actions": [{"text": a.text, "due_date": a.due_date} for a in actions],
    }  # fmt: skip
    kasus, target_id = sesi.kasus, sesi.pk
    sesi.delete()
    if kasus is not None and kasus.status == StatusKasus.DIBIMBING and not kasus.sesi.exists():
        kasus.status = StatusKasus.TERBUKA
        kasus.save(update_fields=["status"])
    audit.record(
        "sesi_withdraw", by=by, scope=sesi.instansi_id, target_type="sesi", target_id=target_id,
        old=old, new={"reason": reason.strip()},
    )  # fmt: skip


def _locked_for_pembimbing(
    by: User, sesi: Sesi, refusal: str, blocked_by: Callable[[Sesi], str | None]
) -> Sesi:
    """The session locked for a change by its pembimbing: refused for anyone else (403), and
    while `blocked_by` says why not (409)."""
    if access_for(by).pegawai_id != sesi.pembimbing_id:
        raise Refused(refusal)
    sesi = Sesi.objects.select_for_update(of=("self",)).select_related("kasus").get(pk=sesi.pk)
    blocked = blocked_by(sesi)
    if blocked is not None:
        raise Conflict(blocked)
    return sesi
