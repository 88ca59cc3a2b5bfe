"""Every write of the evaluation itself: opening, rating, feedback in the evaluation, the
Capaian Kinerja Organisasi, finalisation (which locks the period's realisasi) and reopening.

Each service owns its transaction and its audit event. Rules: docs/evaluation.md.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts.models import User
from kinerja.audit import services as audit
from kinerja.core.errors import Conflict, Refused, ServiceError, clean_or_refuse, localize
from kinerja.org.access import access_for
from kinerja.org.models import UnitKerja
from kinerja.plans.berakhlak import BERAKHLAK
from kinerja.plans.guards import lock as lock_skp
from kinerja.plans.models import Rhk, Skp, StatusSkp
from kinerja.progress.models import PeriodeTerkunci
from kinerja.progress.services import lock_plan

from . import distribution, guards, rules
from .models import (
    CapaianOrganisasi,
    CatatanEvaluasi,
    Evaluasi,
    PredikatOrganisasi,
    Rating,
    StatusEvaluasi,
)
from .periods import annual_period as annual_period
from .periods import cadence_for as cadence_for
from .periods import evaluation_period as evaluation_period
from .periods import evaluation_periods as evaluation_periods
from .periods import opens_on as opens_on

# --- helpers ------------------------------------------------------------------------------


def _record(action: str, *, by: User, evaluasi: Evaluasi, **values: Any) -> None:
    audit.record(
        action,
        by=by,
        scope=evaluasi.instansi_id,
        target_type="evaluasi",
        target_id=evaluasi.pk,
        **values,
    )


def _locked(evaluasi: Evaluasi) -> Evaluasi:
    return Evaluasi.objects.select_for_update().get(pk=evaluasi.pk)


def _require_draft(evaluasi: Evaluasi) -> None:
    if evaluasi.status != StatusEvaluasi.DRAFT:
        raise Conflict(
            _("Evaluasi ini sudah final; pimpinan dapat membukanya kembali dengan alasan.")
        )


def _rating(value: str, field: str, label: str) -> str:
    if value not in Rating.values:
        raise ServiceError(
            _("Pilih %(label)s: Di Atas, Sesuai, atau Di Bawah Ekspektasi.") % {"label": label},
            field=field,
        )
    return value


def capaian_of(evaluasi: Evaluasi) -> CapaianOrganisasi | None:
    """The capaian of the evaluation's own unit for its period (a head's hasil comes from it)."""
    return CapaianOrganisasi.objects.filter(
        unit_id=evaluasi.unit_id, year=evaluasi.year, period=evaluasi.period
    ).first()


def _head_hasil(evaluasi: Evaluasi) -> str:
    found = capaian_of(evaluasi)
    return rules.head_rating(found.predikat) if found is not None else ""


def _apply_predikat(evaluasi: Evaluasi) -> None:
    if evaluasi.rating_hasil and evaluasi.rating_perilaku:
        evaluasi.predikat = rules.predikat(evaluasi.rating_hasil, evaluasi.rating_perilaku)
    else:
        evaluasi.predikat = ""
    evaluasi.predikat_penilai = evaluasi.predikat


def _state(evaluasi: Evaluasi) -> dict[str, Any]:
    return {
        "rating_hasil": evaluasi.rating_hasil,
        "rating_perilaku": evaluasi.rating_perilaku,
        "predikat": evaluasi.predikat,
        "status": evaluasi.status,
    }


# --- opening and rating ---------------------------------------------------------------------


def evaluasi_open(*, by: User, skp: Skp, period: int) -> Evaluasi:
    """The rater starts (or returns to) the evaluation of an approved SKP for a period. A period
    already evaluated on an earlier version of the SKP (before a perubahan SKP) is not evaluated
    again: that evaluation is returned."""
    return evaluasi_start(by=by, skp=skp, period=period)[0]


@transaction.atomic
def evaluasi_start(*, by: User, skp: Skp, period: int) -> tuple[Evaluasi, bool]:
    """evaluasi_open, and whether this call opened it (the API answers 201, else 200). The SKP's
    row is locked first: a second opening sent at once waits, then finds the first one's."""
    lock_skp(skp)
    existing = Evaluasi.objects.of_versions(skp).filter(period=period).first()
    if existing is not None:
        return existing, False
    if not skp.is_current or skp.status != StatusSkp.DISETUJUI:
        raise Conflict(_("Evaluasi hanya untuk SKP versi terbaru yang sudah disetujui."))
    if skp.rater_id is None or access_for(by).pegawai_id != skp.rater_id:
        raise Refused(_("Hanya Pejabat Penilai Kinerja pegawai ini yang boleh menilai."))
    span = evaluation_period(skp.instansi_id, skp.year, period)
    start = opens_on(skp.instansi_id, skp.year, period)
    if guards.today() < start:
        raise Conflict(
            _("Evaluasi %(label)s %(year)s baru dapat dimulai %(start)s.")
            % {"label": span.label, "year": skp.year, "start": format(start, "%d-%m-%Y")}
        )
    jabatan = skp.jabatan
    unit = UnitKerja.objects.get(pk=jabatan.unit_id)
    evaluasi = Evaluasi(
        instansi_id=skp.instansi_id,
        skp=skp,
        pegawai_id=skp.pegawai_id,
        rater_id=skp.rater_id,
        unit=unit,
        unit_path=unit.path,
        year=skp.year,
        period=period,
        is_unit_head=jabatan.is_unit_head,
    )
    if evaluasi.is_unit_head:
        evaluasi.rating_hasil = _head_hasil(evaluasi)
    clean_or_refuse(
        evaluasi, exclude=["skp", "pegawai", "rater", "unit", "instansi", "finalized_by"]
    )
    evaluasi.save()
    _record(
        "evaluasi_open",
        by=by,
        evaluasi=evaluasi,
        new={"skp_id": skp.pk, "period": period, "is_unit_head": evaluasi.is_unit_head},
    )
    return evaluasi, True


@transaction.atomic
def evaluasi_rate(
    *,
    by: User,
    evaluasi: Evaluasi,
    rating_hasil: str = "",
    rating_perilaku: str,
    catatan: str | None = None,
) -> Evaluasi:
    """The rater sets both ratings (a unit head's hasil follows their unit's capaian); the
    predikat follows from the matrix. `catatan` (rekomendasi) is kept unless given."""
    evaluasi = _locked(evaluasi)
    guards.require_rater(by, evaluasi)
    _require_draft(evaluasi)
    old = _state(evaluasi)
    perilaku = _rating(rating_perilaku, "rating_perilaku", _("rating perilaku kerja"))
    if evaluasi.is_unit_head:
        derived = _head_hasil(evaluasi)
        if rating_hasil and rating_hasil != derived:
            raise ServiceError(
                _(
                    "Rating hasil kerja kepala unit mengikuti capaian kinerja organisasi "
                    "unit yang dipimpinnya; tidak diisi oleh pejabat penilai."
                ),
                field="rating_hasil",
            )
        hasil = derived
    else:
        hasil = _rating(rating_hasil, "rating_hasil", _("rating hasil kerja"))
    evaluasi.rating_hasil, evaluasi.rating_perilaku = hasil, perilaku
    _apply_predikat(evaluasi)
    fields = ["rating_hasil", "rating_perilaku", "predikat", "predikat_penilai", "updated_at"]
    if catatan is not None:
        evaluasi.catatan = catatan.strip()
        fields.append("catatan")
    evaluasi.save(update_fields=fields)
    _record(
        "evaluasi_rate",
        by=by,
        evaluasi=evaluasi,
        old=old,
        new=_state(evaluasi) | ({"catatan": evaluasi.catatan} if catatan is not None else {}),
    )
    return evaluasi


@transaction.atomic
def catatan_set(
    *,
    by: User,
    evaluasi: Evaluasi,
    text: str,
    rhk: Rhk | None = None,
    core_value: int | None = None,
) -> CatatanEvaluasi | None:
    """The rater's feedback in the evaluation on one RHK or one BerAKHLAK value (1–7); an empty
    text removes it. Returns the note, or None when removed."""
    evaluasi = _locked(evaluasi)
    guards.require_rater(by, evaluasi)
    _require_draft(evaluasi)
    if (rhk is None) == (core_value is None):
        raise ServiceError(_("Pilih satu RHK atau satu nilai dasar BerAKHLAK."), field="target")
    if rhk is not None and rhk.skp_id != evaluasi.skp_id:
        raise ServiceError(_("RHK itu bukan bagian dari SKP yang dievaluasi."), field="rhk")
    if core_value is not None and core_value not in {v.code for v in BERAKHLAK}:
        raise ServiceError(_("Nilai dasar BerAKHLAK harus 1 sampai 7."), field="core_value")
    target = {"rhk": rhk} if rhk is not None else {"core_value": core_value}
    existing = CatatanEvaluasi.objects.filter(evaluasi=evaluasi, **target).first()
    old = {"text": existing.text} if existing else None
    where = {"rhk_id": rhk.pk} if rhk is not None else {"core_value": core_value}
    body = text.strip()
    if not body:
        if existing is not None:
            existing.delete()
            _record("catatan_delete", by=by, evaluasi=evaluasi, old=old | where if old else None)
        return None
    note = existing or CatatanEvaluasi(evaluasi=evaluasi, **target)
    note.text = body
    clean_or_refuse(note, exclude=["evaluasi", "rhk"])
    note.save()
    _record("catatan_set", by=by, evaluasi=evaluasi, old=old, new={"text": body} | where)
    return note


# --- Capaian Kinerja Organisasi -------------------------------------------------------------


@transaction.atomic
def capaian_set(
    *, by: User, unit: UnitKerja, year: int, period: int, predikat: str, reason: str
) -> CapaianOrganisasi:
    """The leader above sets a unit's organisation result for a period, with a reason. The
    draft evaluations of the unit's head follow it (their Rating Hasil Kerja)."""
    guards.require_capaian_setter(by, unit)
    if predikat not in PredikatOrganisasi.values:
        raise ServiceError(
            _("Pilih capaian: Istimewa, Baik, Butuh Perbaikan, Kurang, atau Sangat Kurang."),
            field="predikat",
        )
    if not reason.strip():
        raise ServiceError(
            _("Alasan penetapan capaian kinerja organisasi wajib diisi."), field="reason"
        )
    span = evaluation_period(unit.instansi_id, year, period)
    heads = Evaluasi.objects.select_for_update().filter(
        unit=unit, year=year, period=period, is_unit_head=True
    )
    heads_list = list(heads)
    if any(e.status == StatusEvaluasi.FINAL for e in heads_list):
        raise Conflict(
            _(
                "Evaluasi kepala %(name)s %(label)s sudah final; buka kembali "
                "evaluasinya sebelum mengubah capaian kinerja organisasi."
            )
            % {"name": unit.name, "label": span.label}
        )
    found = (
        CapaianOrganisasi.objects.select_for_update()
        .filter(unit=unit, year=year, period=period)
        .first()
    )
    old = {"predikat": found.predikat, "reason": found.reason} if found else None
    item = found or CapaianOrganisasi(instansi_id=unit.instansi_id, unit=unit, year=year,
                                      period=period)  # fmt: skip
    item.predikat, item.reason, item.set_by = predikat, reason.strip(), by
    clean_or_refuse(item, exclude=["instansi", "unit", "set_by"])
    item.save()
    audit.record(
        "capaian_set",
        by=by,
        scope=unit.instansi_id,
        target_type="unit",
        target_id=unit.pk,
        old=old,
        new={"year": year, "period": period, "predikat": predikat, "reason": item.reason},
    )
    for evaluasi in heads_list:
        before = _state(evaluasi)
        evaluasi.rating_hasil = rules.head_rating(predikat)
        _apply_predikat(evaluasi)
        evaluasi.save(update_fields=["rating_hasil", "predikat", "predikat_penilai", "updated_at"])
        _record("evaluasi_follow_capaian", by=by, evaluasi=evaluasi, old=before,
                new=_state(evaluasi))  # fmt: skip
    return item


# --- finalisation and reopening -------------------------------------------------------------


def group_breaches(evaluasi: Evaluasi) -> list[rules.Violation]:
    """The pattern breaches of the distribution group this evaluation belongs to, counting it
    with its current predikat (docs/evaluation.md, "Distribusi"); see
    distribution.group_violations_for."""
    return distribution.group_violations_for(evaluasi)


def _missing_ratings(evaluasi: Evaluasi) -> None:
    if evaluasi.is_unit_head and not evaluasi.rating_hasil:
        span = evaluation_period(evaluasi.instansi_id, evaluasi.year, evaluasi.period)
        raise Conflict(
            _(
                "Capaian kinerja organisasi %(name)s %(label)s %(year)s belum "
                "ditetapkan; rating hasil kerja kepala unit mengikutinya."
            )
            % {"name": evaluasi.unit.name, "label": span.label, "year": evaluasi.year}
        )
    if not evaluasi.predikat:
        raise ServiceError(
            _("Isi rating hasil kerja dan rating perilaku kerja sebelum finalisasi.")
        )


def mark_final(evaluasi: Evaluasi, *, by: User) -> None:
    """Set FINAL and lock the period's realisasi (no checks: callers check first; shared with
    the annual closing run)."""
    lock_plan(evaluasi.skp)  # writes that checked the period open commit first
    evaluasi.status = StatusEvaluasi.FINAL
    evaluasi.finalized_at = timezone.now()
    evaluasi.finalized_by = by
    evaluasi.save(update_fields=["status", "finalized_at", "finalized_by", "updated_at"])
    PeriodeTerkunci.objects.get_or_create(skp_id=evaluasi.skp_id, period=evaluasi.period)


@transaction.atomic
def evaluasi_finalize(*, by: User, evaluasi: Evaluasi) -> Evaluasi:
    """The rater finalises: the predicate is issued and the period's realisasi are locked.
    Refused, naming the breached rules, when the instansi blocks on the distribution pattern."""
    evaluasi = _locked(evaluasi)
    guards.require_rater(by, evaluasi)
    _require_draft(evaluasi)
    _missing_ratings(evaluasi)
    breaches = group_breaches(evaluasi)
    settings = guards.pengaturan_for(evaluasi.instansi_id)
    if rules.blocks_finalisation(breaches, settings.enforcement):
        raise Conflict(
            _("Finalisasi dicegah karena pola distribusi unit kerja: %(breaches)s")
            % {"breaches": " ".join(localize(v.message) for v in breaches if not v.advisory)}
        )
    mark_final(evaluasi, by=by)
    _record(
        "evaluasi_finalize",
        by=by,
        evaluasi=evaluasi,
        new=_state(evaluasi) | {"warnings": [v.message for v in breaches]},
    )
    return evaluasi


@transaction.atomic
def evaluasi_reopen(*, by: User, evaluasi: Evaluasi, reason: str) -> Evaluasi:
    """A pimpinan (or admin) reopens a final evaluation with a reason; the realisasi of the
    period may be recorded and corrected again."""
    evaluasi = _locked(evaluasi)
    guards.require_reopener(by, evaluasi)
    if evaluasi.status != StatusEvaluasi.FINAL:
        raise Conflict(_("Evaluasi ini belum final; tidak ada yang perlu dibuka kembali."))
    if hasattr(evaluasi, "keberatan"):
        raise Conflict(_("Evaluasi dengan keberatan tidak dapat dibuka kembali."))
    if not reason.strip():
        raise ServiceError(_("Alasan membuka kembali evaluasi wajib diisi."), field="reason")
    old = _state(evaluasi) | {"finalized_at": evaluasi.finalized_at.isoformat()
                              if evaluasi.finalized_at else None}  # fmt: skip
    evaluasi.status = StatusEvaluasi.DRAFT
    evaluasi.finalized_at = None
    evaluasi.finalized_by = None
    evaluasi.reopen_reason = reason.strip()
    evaluasi.save(
        update_fields=["status", "finalized_at", "finalized_by", "reopen_reason", "updated_at"]
    )
    PeriodeTerkunci.objects.filter(skp_id=evaluasi.skp_id, period=evaluasi.period).delete()
    _record("evaluasi_reopen", by=by, evaluasi=evaluasi, old=old,
            new=_state(evaluasi) | {"reason": evaluasi.reopen_reason})  # fmt: skip
    return evaluasi
