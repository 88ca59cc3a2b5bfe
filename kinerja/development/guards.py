"""Who may do what in the tindak lanjut area (services, views and API share these).

- the rater of a pegawai is the pejabat penilai snapshotted on the case/session/plan, or the
  current one (`kinerja.org.hierarchy.rater_id_for`) for new records;
- a pimpinan heads the pegawai's unit or a unit above it and is not the pegawai;
- admins of the instansi manage the catalogue and record follow-up; auditors only read.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from kinerja.assessments.guards import heads_above_or_at
from kinerja.org.access import access_for
from kinerja.org.hierarchy import rater_id_for
from kinerja.org.models import Pegawai


def today() -> date:
    return timezone.localdate()


def is_self(by: object, pegawai_id: int) -> bool:
    return access_for(by).pegawai_id == pegawai_id


def is_rater(by: object, rater_id: int | None) -> bool:
    own = access_for(by).pegawai_id
    return own is not None and own == rater_id


def is_pimpinan(by: object, instansi_id: int, pegawai_id: int, unit_path: str) -> bool:
    return not is_self(by, pegawai_id) and heads_above_or_at(by, instansi_id, unit_path)


def is_admin(by: object, instansi_id: int) -> bool:
    return access_for(by).can_admin_instansi(instansi_id)


def may_coach(
    by: object, instansi_id: int, pegawai_id: int, rater_id: int | None, path: str
) -> bool:
    """The rater or a pimpinan of the pegawai (never the pegawai themselves)."""
    if is_self(by, pegawai_id):
        return False
    return is_rater(by, rater_id) or is_pimpinan(by, instansi_id, pegawai_id, path)


def may_read_person(by: object, pegawai: Pegawai, *, auditors: bool = True) -> bool:
    """Plans, JP and recommendations of a pegawai: themselves, their current rater, a pimpinan
    of their unit, the instansi's admins (and auditors)."""
    access = access_for(by)
    if access.is_superuser or is_self(by, pegawai.pk) or is_admin(by, pegawai.instansi_id):
        return True
    if auditors and access.can_audit_instansi(pegawai.instansi_id):
        return True
    jabatan = pegawai.jabatan
    path = jabatan.unit.path if jabatan is not None else None
    if path is not None and heads_above_or_at(by, pegawai.instansi_id, path):
        return True
    return access.pegawai_id is not None and rater_id_for(pegawai) == access.pegawai_id
