"""Writes of the early-warning cases and bimbingan kinerja: open/close a case, record a session
with its agreed actions, Format B.1.8 (the pegawai) and Format B.1.9 (the pimpinan). Each owns
its transaction and its audit event. Training, plans, JP and follow-up: services_training.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts.models import User
from kinerja.assessments.models import Evaluasi, StatusEvaluasi
from kinerja.audit import services as audit
from kinerja.core.errors import Conflict, Refused, ServiceError, clean_or_refuse, localize
from kinerja.core.formkeys import creates
from kinerja.org.access import access_for
from kinerja.org.models import Pegawai
from kinerja.plans.models import Skp
from kinerja.progress import services as progress

from . import guards, rules
from .models import (
    AksiSesi,
    EvaluasiB19,
    Kasus,
    Metode,
    NilaiB19,
    PengaturanPengembangan,
    Reason,
    Sesi,
    StatusKasus,
    UmpanBalikB18,
)


def pengaturan_for(instansi_id: int) -> PengaturanPengembangan:
    found = PengaturanPengembangan.objects.filter(instansi_id=instansi_id).first()
    return found or PengaturanPengembangan(instansi_id=instansi_id)


@transaction.atomic
def pengaturan_save(
    *, by: User, instansi_id: int, progress_threshold: int
) -> PengaturanPengembangan:
    if not guards.is_admin(by, instansi_id):
        raise Refused(_("Hanya admin instansi yang dapat mengubah pengaturan peringatan dini."))
    settings = pengaturan_for(instansi_id)
    old = settings.progress_threshold
    settings.progress_threshold = progress_threshold
    if not 1 <= progress_threshold <= 100:
        raise ServiceError(_("Ambang progres harus 1 sampai 100 %."), field="progress_threshold")
    clean_or_refuse(settings, exclude=["instansi"])
    settings.save()
    audit.record(
        "pengembangan_pengaturan_save", by=by, scope=instansi_id, target_type="instansi",
        target_id=instansi_id, old={"progress_threshold": old},
        new={"progress_threshold": progress_threshold},
    )  # fmt: skip
    return settings


# --- cases -----------------------------------------------------------------------------------


@transaction.atomic
def kasus_open(
    *, by: User | None, skp: Skp, period: int, reason: str, data: dict[str, Any]
) -> tuple[Kasus, bool]:
    """Open an early-warning case on the rater's list (idempotent: the open case of the same
    pegawai, period and reason is returned, with created=False). `by=None` is the scan: it does
    not raise again a case that a rater or admin closed (it returns that one); a person may."""
    if reason not in Reason.values:
        raise ServiceError(_("Alasan peringatan dini tidak dikenal."), field="reason")
    if by is not None and not (
        guards.is_rater(by, skp.rater_id) or guards.is_admin(by, skp.instansi_id)
    ):
        raise Refused(_("Hanya pejabat penilai atau admin yang dapat membuka kasus."))
    found = _open_case(skp.pegawai_id, skp.year, period, reason)
    if found is None and by is None:
        found = _closed_case(skp.pegawai_id, skp.year, period, reason)
    if found is not None:
        return found, False
    kasus = Kasus(
        instansi_id=skp.instansi_id, pegawai_id=skp.pegawai_id, rater_id=skp.rater_id, skp=skp,
        unit_path=skp.unit_path, year=skp.year, period=period, reason=reason, data=data,
    )  # fmt: skip
    clean_or_refuse(kasus, exclude=["instansi", "pegawai", "rater", "skp"])
    try:
        with transaction.atomic():
            kasus.save()
    except IntegrityError:  # a concurrent scan opened it first
        again = _open_case(skp.pegawai_id, skp.year, period, reason)
        if again is None:
            raise
        return again, False
    audit.record(
        "kasus_open", by=by, scope=skp.instansi_id, target_type="kasus", target_id=kasus.pk,
        new={"pegawai_id": skp.pegawai_id, "period": period, "reason": reason, "data": data},
    )  # fmt: skip
    return kasus, True


def _open_case(pegawai_id: int, year: int, period: int, reason: str) -> Kasus | None:
    return (
        Kasus.objects.filter(pegawai_id=pegawai_id, year=year, period=period, reason=reason)
        .exclude(status=StatusKasus.SELESAI)
        .first()
    )


def _closed_case(pegawai_id: int, year: int, period: int, reason: str) -> Kasus | None:
    return (
        Kasus.objects.filter(
            pegawai_id=pegawai_id, year=year, period=period, reason=reason,
            status=StatusKasus.SELESAI,
        )
        .order_by("-id")
        .first()
    )  # fmt: skip


@transaction.atomic
def kasus_close(*, by: User, kasus: Kasus, note: str) -> Kasus:
    if not (guards.is_rater(by, kasus.rater_id) or guards.is_admin(by, kasus.instansi_id)):
        raise Refused(_("Hanya pejabat penilai atau admin yang dapat menutup kasus."))
    if kasus.status == StatusKasus.SELESAI:
        raise Conflict(_("Kasus ini sudah selesai."))
    if not note.strip():
        raise ServiceError(_("Tulis catatan penutupan kasus."), field="note")
    old = kasus.status
    kasus.status, kasus.closing_note, kasus.closed_at = (
        StatusKasus.SELESAI,
        note.strip(),
        timezone.now(),
    )
    kasus.save(update_fields=["status", "closing_note", "closed_at"])
    audit.record(
        "kasus_close", by=by, scope=kasus.instansi_id, target_type="kasus", target_id=kasus.pk,
        old={"status": old}, new={"status": kasus.status},
    )  # fmt: skip
    return kasus


# --- sessions --------------------------------------------------------------------------------


def latest_predikat(pegawai_id: int, year: int, before_period: int | None = None) -> str:
    """The predikat of the pegawai's latest final periodic evaluation of the year."""
    qs = Evaluasi.objects.filter(
        pegawai_id=pegawai_id, year=year, status=StatusEvaluasi.FINAL, period__gt=0
    )
    if before_period is not None:
        qs = qs.filter(period__lte=before_period)
    return qs.order_by("-period").values_list("predikat", flat=True).first() or ""


@creates(Sesi)
@transaction.atomic
def sesi_record(
    *,
    by: User,
    pegawai: Pegawai,
    method: str,
    day: date,
    notes: str,
    actions: Sequence[tuple[str, date]] = (),
    kasus: Kasus | None = None,
    skp: Skp | None = None,
    form_key: str = "",
) -> Sesi:
    """Record a coaching/konseling/mentoring session by the rater or a pimpinan. With a case,
    the case moves to "dalam bimbingan"; the session takes its SKP and period."""
    if kasus is not None:
        if kasus.pegawai_id != pegawai.pk:
            raise ServiceError(_("Kasus ini milik pegawai lain."), field="kasus")
        if kasus.status == StatusKasus.SELESAI:
            raise Conflict(_("Kasus ini sudah selesai; buka kasus baru bila perlu."))
        skp = kasus.skp
    if skp is None:
        skp = Skp.objects.filter(pegawai=pegawai, year=day.year, is_current=True).first()
    if skp is None:
        raise ServiceError(
            _("Pegawai ini belum memiliki SKP %(year)s.") % {"year": day.year}, field="pegawai"
        )
    if not guards.may_coach(by, skp.instansi_id, pegawai.pk, skp.rater_id, skp.unit_path):
        raise Refused(
            _("Hanya pejabat penilai atau pimpinan pegawai yang dapat mencatat bimbingan.")
        )
    coach = access_for(by).pegawai_id
    assert coach is not None  # may_coach holds only for a pegawai
    if method not in Metode.values:
        raise ServiceError(_("Pilih metode: coaching, konseling atau mentoring."), field="method")
    if day > guards.today():
        raise ServiceError(_("Tanggal bimbingan tidak boleh di masa depan."), field="date")
    if not notes.strip():
        raise ServiceError(_("Tulis catatan bimbingan."), field="notes")
    if kasus is not None:
        period = kasus.period
    else:
        try:
            period = progress.period_of(skp, day).number
        except ServiceError:
            raise ServiceError(
                _("Tanggal bimbingan di luar tahun SKP %(year)s.") % {"year": skp.year},
                field="date",
            ) from None
    sesi = Sesi(
        instansi_id=skp.instansi_id, kasus=kasus, pegawai=pegawai, rater_id=skp.rater_id,
        pembimbing_id=coach, unit_path=skp.unit_path, year=skp.year, period=period,
        method=method, date=day, notes=notes.strip(), created_by=by,
        predikat_before=latest_predikat(pegawai.pk, skp.year, period),
    )  # fmt: skip
    clean_or_refuse(sesi, exclude=["instansi", "pegawai", "rater", "pembimbing", "created_by"])
    sesi.save()
    rows = []
    for number, (text, due) in enumerate(actions, start=1):
        if not text.strip():
            raise ServiceError(
                _("Aksi %(number)s: tulis aksi yang disepakati.") % {"number": number},
                field="actions",
            )
        if due < day:
            raise ServiceError(
                _("Aksi %(number)s: tenggat sebelum tanggal bimbingan.") % {"number": number},
                field="actions",
            )
        rows.append(AksiSesi(sesi=sesi, text=text.strip()[:300], due_date=due))
    AksiSesi.objects.bulk_create(rows)
    if kasus is not None and kasus.status == StatusKasus.TERBUKA:
        kasus.status = StatusKasus.DIBIMBING
        kasus.save(update_fields=["status"])
    audit.record(
        "sesi_record", by=by, scope=skp.instansi_id, target_type="sesi", target_id=sesi.pk,
        new={"pegawai_id": pegawai.pk, "kasus_id": kasus.pk if kasus else None,
             "method": method, "date": day, "actions": len(rows)},
    )  # fmt: skip
    return sesi


@transaction.atomic
def aksi_done(*, by: User, aksi: AksiSesi, day: date) -> AksiSesi:
    sesi = aksi.sesi
    if not (guards.is_self(by, sesi.pegawai_id) or guards.is_rater(by, sesi.rater_id)):
        raise Refused(_("Hanya pegawai atau pejabat penilainya yang dapat menandai aksi selesai."))
    if aksi.done_on is not None:
        raise Conflict(_("Aksi ini sudah ditandai selesai."))
    if day > guards.today() or day < sesi.date:
        raise ServiceError(
            _("Tanggal selesai harus antara tanggal bimbingan dan hari ini."), field="date"
        )
    aksi.done_on = day
    aksi.save(update_fields=["done_on"])
    audit.record(
        "aksi_done", by=by, scope=sesi.instansi_id, target_type="aksi_sesi", target_id=aksi.pk,
        new={"done_on": day},
    )  # fmt: skip
    return aksi


# --- Format B.1.8 and B.1.9 -----------------------------------------------------------------


def _check_form_day(sesi: Sesi, day: date) -> None:
    if day < sesi.date or day > guards.today():
        raise ServiceError(
            _("Tanggal formulir harus antara tanggal bimbingan dan hari ini."), field="date"
        )


@creates(UmpanBalikB18)
@transaction.atomic
def b18_submit(
    *, by: User, sesi: Sesi, answers: Sequence[int], place: str, day: date, form_key: str = ""
) -> UmpanBalikB18:
    """The pegawai's Format B.1.8, once per session."""
    if not guards.is_self(by, sesi.pegawai_id):
        raise Refused(_("Format B.1.8 diisi oleh pegawai yang dibimbing."))
    if UmpanBalikB18.objects.filter(sesi=sesi).exists():
        raise Conflict(_("Format B.1.8 untuk sesi ini sudah diisi."))
    try:
        checked = rules.check_b18(list(answers))
    except ValueError as exc:
        raise ServiceError(localize(exc), field="answers") from exc
    if not place.strip():
        raise ServiceError(_("Isi tempat penandatanganan."), field="place")
    _check_form_day(sesi, day)
    form = UmpanBalikB18(sesi=sesi, answers=checked, place=place.strip(), date=day)
    clean_or_refuse(form, exclude=["sesi"])
    form.save()
    audit.record(
        "b18_submit", by=by, scope=sesi.instansi_id, target_type="sesi", target_id=sesi.pk,
        new={"answers": checked},
    )  # fmt: skip
    return form


@creates(EvaluasiB19)
@transaction.atomic
def b19_submit(
    *,
    by: User,
    sesi: Sesi,
    items: Sequence[rules.NilaiKompetensi],
    place: str,
    day: date,
    form_key: str = "",
) -> EvaluasiB19:
    """The pimpinan's (or the rater's, as the assigned party) Format B.1.9, once per session."""
    if not guards.may_coach(by, sesi.instansi_id, sesi.pegawai_id, sesi.rater_id, sesi.unit_path):
        raise Refused(_("Format B.1.9 diisi oleh pimpinan atau pejabat penilai pegawai."))
    if EvaluasiB19.objects.filter(sesi=sesi).exists():
        raise Conflict(_("Format B.1.9 untuk sesi ini sudah diisi."))
    try:
        rows = rules.check_b19(items)
    except ValueError as exc:
        raise ServiceError(localize(exc), field="items") from exc
    if not place.strip():
        raise ServiceError(_("Isi tempat penandatanganan."), field="place")
    _check_form_day(sesi, day)
    evaluator = access_for(by).pegawai_id
    assert evaluator is not None
    form = EvaluasiB19.objects.create(
        sesi=sesi, evaluator_id=evaluator, place=place.strip(), date=day
    )
    NilaiB19.objects.bulk_create(
        NilaiB19(b19=form, order=i, kompetensi=r.kompetensi.strip()[:200], nilai=r.nilai,
                 alasan=r.alasan.strip())
        for i, r in enumerate(rows, start=1)
    )  # fmt: skip
    audit.record(
        "b19_submit", by=by, scope=sesi.instansi_id, target_type="sesi", target_id=sesi.pk,
        new={"items": [[r.kompetensi, r.nilai] for r in rows]},
    )  # fmt: skip
    return form


def sesi_outcome(sesi: Sesi) -> str | None:
    """Did the predikat of the period after the session improve? (None until it is final)."""
    after = (
        Evaluasi.objects.filter(
            pegawai_id=sesi.pegawai_id,
            year=sesi.year,
            status=StatusEvaluasi.FINAL,
            period__gt=sesi.period,
        )
        .order_by("period")
        .values_list("predikat", flat=True)
        .first()
    )
    return rules.outcome(sesi.predikat_before, after or "")
