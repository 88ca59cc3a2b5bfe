"""Who may do what in the evaluation, shared by every assessments module (services, views, API).

The rules (docs/evaluation.md):
- the rater of an evaluation is its snapshotted pejabat penilai (`Evaluasi.rater`);
- a *pimpinan* of an evaluation heads a unit whose path is a prefix of the evaluation's unit
  path (their own unit or one above it) and is not the rated pegawai; pimpinan and the
  instansi's admins may reopen and calibrate;
- the Capaian Kinerja Organisasi of a unit is set by "the leader above": the head of a unit that
  is a STRICT ancestor of it, or an admin of the instansi who does not head the unit;
- auditors read everything of their instansi and never write.

`today()` is the one clock of the assessments services; tests pin it with
`monkeypatch.setattr(guards, "today", lambda: day)` (or `testing.on_day`).
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.errors import Refused
from kinerja.org.access import access_for
from kinerja.org.models import UnitKerja

from .models import Evaluasi, PengaturanPenilaian


def today() -> date:
    return timezone.localdate()


def pengaturan_for(instansi_id: int) -> PengaturanPenilaian:
    """The instansi's evaluation settings; an absent row means the defaults (unsaved)."""
    found = PengaturanPenilaian.objects.filter(instansi_id=instansi_id).first()
    return found or PengaturanPenilaian(instansi_id=instansi_id)


def is_rater(by: object, evaluasi: Evaluasi) -> bool:
    pegawai_id = access_for(by).pegawai_id
    return pegawai_id is not None and pegawai_id == evaluasi.rater_id


def is_rated(by: object, evaluasi: Evaluasi) -> bool:
    pegawai_id = access_for(by).pegawai_id
    return pegawai_id is not None and pegawai_id == evaluasi.pegawai_id


def is_admin(by: object, instansi_id: int) -> bool:
    return access_for(by).can_admin_instansi(instansi_id)


def heads_above_or_at(by: object, instansi_id: int, unit_path: str) -> bool:
    """Whether `by` heads the unit at `unit_path` or one of its ancestors (same instansi)."""
    access = access_for(by)
    if access.home_instansi_id != instansi_id:
        return False
    return any(unit_path.startswith(path) for path in access.headed_unit_paths)


def heads_strictly_above(by: object, instansi_id: int, unit_path: str) -> bool:
    """Whether `by` heads a strict ancestor of the unit at `unit_path` (the leader above)."""
    access = access_for(by)
    if access.home_instansi_id != instansi_id:
        return False
    return any(
        unit_path.startswith(path) and unit_path != path for path in access.headed_unit_paths
    )


def is_pimpinan_of(by: object, evaluasi: Evaluasi) -> bool:
    """Heads the evaluation's unit or a unit above it, and is not the rated pegawai."""
    return not is_rated(by, evaluasi) and heads_above_or_at(
        by, evaluasi.instansi_id, evaluasi.unit_path
    )


def may_reopen(by: object, evaluasi: Evaluasi) -> bool:
    return is_pimpinan_of(by, evaluasi) or (
        is_admin(by, evaluasi.instansi_id) and not is_rated(by, evaluasi)
    )


def may_calibrate(by: object, evaluasi: Evaluasi) -> bool:
    """Calibration follows the reopening rule (pimpinan of the unit or above, or an admin)."""
    return may_reopen(by, evaluasi)


def may_set_capaian(by: object, unit: UnitKerja) -> bool:
    """The leader above, or an admin who does not head the unit: its head's rating hasil kerja
    follows the capaian, and nobody sets their own rating."""
    if heads_strictly_above(by, unit.instansi_id, unit.path):
        return True
    heads_it = unit.path in access_for(by).headed_unit_paths
    return is_admin(by, unit.instansi_id) and not heads_it


def may_read_unit(by: object, unit: UnitKerja) -> bool:
    """Unit-wide evaluation pages (team results, distribution): the unit's head or a leader
    above it, the instansi's admins and auditors."""
    return heads_above_or_at(by, unit.instansi_id, unit.path) or access_for(by).can_audit_instansi(
        unit.instansi_id
    )


def require_rater(by: object, evaluasi: Evaluasi) -> None:
    if not is_rater(by, evaluasi):
        raise Refused(_("Hanya Pejabat Penilai Kinerja pegawai ini yang boleh menilai."))


def require_reopener(by: object, evaluasi: Evaluasi) -> None:
    if not may_reopen(by, evaluasi):
        raise Refused(
            _(
                "Hanya pimpinan unit kerja pegawai ini (atau di atasnya) atau admin "
                "kepegawaian yang boleh membuka kembali evaluasi."
            )
        )


def require_calibrator(by: object, evaluasi: Evaluasi) -> None:
    if not may_calibrate(by, evaluasi):
        raise Refused(
            _(
                "Hanya pimpinan unit kerja pegawai ini (atau di atasnya) atau admin "
                "kepegawaian yang boleh mengkalibrasi predikat."
            )
        )


def require_capaian_setter(by: object, unit: UnitKerja) -> None:
    if not may_set_capaian(by, unit):
        raise Refused(
            _(
                "Capaian kinerja organisasi %(name)s ditetapkan oleh pimpinan unit di "
                "atasnya atau admin kepegawaian."
            )
            % {"name": unit.name}
        )
