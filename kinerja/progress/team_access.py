"""Who may read the unit roll-up (pemantauan unit), and which unit a reader starts from; the
page and the API share them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from kinerja.org.access import Access
from kinerja.org.models import UnitKerja


def may_see_unit(access: Access, unit: UnitKerja) -> bool:
    """Heads of the unit or of an ancestor, admins and auditors of its instansi, the superuser."""
    if access.can_audit_instansi(unit.instansi_id):
        return True
    return access.home_instansi_id == unit.instansi_id and any(
        unit.path.startswith(path) for path in access.headed_unit_paths
    )


def default_unit(access: Access) -> UnitKerja:
    if access.headed_unit_paths and access.home_instansi_id is not None:
        top = min(access.headed_unit_paths, key=len)
        found = UnitKerja.objects.filter(instansi_id=access.home_instansi_id, path=top).first()
        if found is not None:
            return found
    readable = access.admin_instansi_ids | access.auditor_instansi_ids
    if readable or access.is_superuser:
        roots = UnitKerja.objects.filter(parent__isnull=True).order_by("instansi_id", "path")
        if not access.is_superuser:
            roots = roots.filter(instansi_id__in=readable)
        root = roots.first()
        if root is not None:
            return root
        raise Http404(_("Belum ada unit kerja."))
    raise PermissionDenied(
        _("Pemantauan unit hanya untuk pimpinan unit, admin kepegawaian dan auditor.")
    )
