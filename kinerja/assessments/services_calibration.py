"""Calibration by the pimpinan and the instansi's evaluation settings; every write audited.

kalibrasi_apply: the pimpinan of the evaluation's unit (its head or a head above, not the rated
pegawai) or an admin of the instansi (guards.may_calibrate) changes the ratings of a rated
evaluation with a reason. A Kalibrasi row keeps the old and new ratings and predicates; the
evaluation's predikat follows the matrix, predikat_penilai (the rater's) is untouched. Once a
keberatan was filed the predicate is the decider's to change, so calibration is refused.

pengaturan_save: an admin of the instansi sets the enforcement (WARN/BLOCK), the minimum group
size of the pattern and the keberatan window.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.accounts.models import User
from kinerja.audit import services as audit
from kinerja.core.errors import Conflict, Refused, ServiceError, clean_or_refuse
from kinerja.org.access import access_for
from kinerja.org.models import Instansi

from . import guards, rules
from .models import Enforcement, Evaluasi, Kalibrasi, Keberatan, PengaturanPenilaian, Rating

MAX_MIN_GROUP_SIZE = 100
MAX_KEBERATAN_DAYS = 90


def _rating(value: str, field: str, label: str) -> str:
    if value not in Rating.values:
        raise ServiceError(
            _("Pilih %(label)s: Di Atas, Sesuai, atau Di Bawah Ekspektasi.") % {"label": label},
            field=field,
        )
    return value


@transaction.atomic
def kalibrasi_apply(
    *, by: User, evaluasi: Evaluasi, rating_hasil: str, rating_perilaku: str, reason: str
) -> Kalibrasi:
    evaluasi = Evaluasi.objects.select_for_update().get(pk=evaluasi.pk)
    guards.require_calibrator(by, evaluasi)
    if Keberatan.objects.filter(evaluasi_id=evaluasi.pk).exists():
        raise Conflict(
            _(
                "Keberatan atas predikat ini sudah diajukan; perubahan predikat menjadi "
                "keputusan atasan pejabat penilai kinerja."
            )
        )
    if not (evaluasi.rating_hasil and evaluasi.rating_perilaku and evaluasi.predikat):
        raise Conflict(_("Evaluasi ini belum dinilai pejabat penilai; belum ada yang dikalibrasi."))
    hasil = _rating(rating_hasil, "rating_hasil", _("rating hasil kerja"))
    perilaku = _rating(rating_perilaku, "rating_perilaku", _("rating perilaku kerja"))
    if evaluasi.is_unit_head and hasil != evaluasi.rating_hasil:
        raise ServiceError(
            _(
                "Rating hasil kerja kepala unit mengikuti capaian kinerja organisasi "
                "unitnya dan tidak dapat dikalibrasi."
            ),
            field="rating_hasil",
        )
    if (hasil, perilaku) == (evaluasi.rating_hasil, evaluasi.rating_perilaku):
        raise ServiceError(_("Tidak ada rating yang berubah."), field="rating_perilaku")
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("Alasan kalibrasi wajib diisi."), field="reason")
    item = Kalibrasi(
        evaluasi=evaluasi,
        old_rating_hasil=evaluasi.rating_hasil,
        old_rating_perilaku=evaluasi.rating_perilaku,
        old_predikat=evaluasi.predikat,
        new_rating_hasil=hasil,
        new_rating_perilaku=perilaku,
        new_predikat=rules.predikat(hasil, perilaku),
        reason=reason,
        by=by,
    )
    clean_or_refuse(item, exclude=["evaluasi", "by"])
    item.save()
    evaluasi.rating_hasil, evaluasi.rating_perilaku = hasil, perilaku
    evaluasi.predikat = item.new_predikat
    evaluasi.save(update_fields=["rating_hasil", "rating_perilaku", "predikat", "updated_at"])
    audit.record(
        "kalibrasi_apply",
        by=by,
        scope=evaluasi.instansi_id,
        target_type="evaluasi",
        target_id=evaluasi.pk,
        old={
            "rating_hasil": item.old_rating_hasil,
            "rating_perilaku": item.old_rating_perilaku,
            "predikat": item.old_predikat,
        },
        new={
            "rating_hasil": hasil,
            "rating_perilaku": perilaku,
            "predikat": item.new_predikat,
            "reason": reason,
            "kalibrasi_id": item.pk,
        },
    )
    return item


def _settings_state(found: PengaturanPenilaian) -> dict[str, Any]:
    return {
        "enforcement": found.enforcement,
        "min_group_size": found.min_group_size,
        "keberatan_days": found.keberatan_days,
    }


@transaction.atomic
def pengaturan_save(
    *,
    by: User,
    instansi: Instansi,
    enforcement: str,
    min_group_size: int,
    keberatan_days: int,
) -> PengaturanPenilaian:
    if not access_for(by).can_admin_instansi(instansi.pk):
        raise Refused(_("Hanya admin kepegawaian instansi ini yang boleh mengubah pengaturan."))
    if enforcement not in Enforcement.values:
        raise ServiceError(
            _("Pilih penegakan pola distribusi: peringatan saja atau cegah finalisasi."),
            field="enforcement",
        )
    if not 1 <= min_group_size <= MAX_MIN_GROUP_SIZE:
        raise ServiceError(
            _("Ukuran kelompok minimum harus 1 sampai %(max_min_group_size)s pegawai.")
            % {"max_min_group_size": MAX_MIN_GROUP_SIZE},
            field="min_group_size",
        )
    if not 1 <= keberatan_days <= MAX_KEBERATAN_DAYS:
        raise ServiceError(
            _("Batas waktu keberatan harus 1 sampai %(max_keberatan_days)s hari.")
            % {"max_keberatan_days": MAX_KEBERATAN_DAYS},
            field="keberatan_days",
        )
    found = PengaturanPenilaian.objects.select_for_update().filter(
        instansi_id=instansi.pk
    ).first() or PengaturanPenilaian(instansi=instansi)
    before = _settings_state(found)
    found.enforcement, found.min_group_size = enforcement, min_group_size
    found.keberatan_days = keberatan_days
    clean_or_refuse(found, exclude=["instansi"])
    found.save()
    audit.record(
        "pengaturan_penilaian_save",
        by=by,
        scope=instansi.pk,
        target_type="pengaturan_penilaian",
        target_id=found.pk,
        old=before,
        new=_settings_state(found),
    )
    return found
