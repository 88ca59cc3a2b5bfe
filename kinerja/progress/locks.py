"""The row locks every write on an SKP takes, so that a write, a perubahan SKP's approval and a
finalisation never cross (docs/progress.md §1 and §6). Re-exported by `services`."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kinerja.core.errors import Conflict
from kinerja.plans.models import Skp, StatusSkp


def lock_version(skp: Skp) -> bool:
    """Lock the SKP's row and tell whether an approved perubahan SKP has replaced it: what it
    held of the open periods went to the new version (services_versions), so a new entry,
    thread or dialog left here would be missing there.

    The lock is FOR NO KEY UPDATE (which the foreign-key checks of other writes do not wait
    for), and `plans.services.skp_approve` locks the version it replaces the same way before it
    records anything, so a write and an approval never cross: either the write commits first
    and the approval moves it, or the approval commits first and the write sees it. Call it
    inside the write's transaction, before anything is written."""
    current = (
        Skp.objects.select_for_update(no_key=True)
        .filter(pk=skp.pk)
        .values_list("is_current", flat=True)
        .first()
    )
    return not current and Skp.objects.filter(previous=skp, status=StatusSkp.DISETUJUI).exists()


def lock_plan(skp: Skp) -> None:
    """Lock every version of the SKP's plan (same pegawai, year and jabatan) as `lock_version`
    locks the one a write goes to. A finalisation calls it before it locks the period: a write
    that checked the period open holds its version's lock until it commits, so the lock row is
    written after it; a write that comes later waits, then reads the lock row and is refused."""
    list(
        Skp.objects.select_for_update(no_key=True)
        .filter(pegawai_id=skp.pegawai_id, year=skp.year, jabatan_id=skp.jabatan_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def require_in_force(skp: Skp) -> None:
    """Refuse a write on a version that an approved perubahan SKP has replaced (lock_version)."""
    if lock_version(skp):
        raise Conflict(_("Versi SKP ini sudah digantikan versi yang lebih baru."))
