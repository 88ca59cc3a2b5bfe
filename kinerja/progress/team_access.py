"""Who may read the unit roll-up (pemantauan unit), and which unit a reader starts from; the
page and the API share them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.core.errors import NotFound, Refused
from kinerja.org.access import Access, access_for
from kinerja.org.models import UnitKerja

NOT_FOR_YOU = gettext_lazy(
    "Pemantauan unit hanya untuk pimpinan unit, admin kepegawaian dan auditor."
)


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
    raise PermissionDenied(str(NOT_FOR_YOU))


def chosen_unit(user: object, unit_id: int) -> UnitKerja:
    """The unit `unit_id` if `user` may read its roll-up. No such unit, or one of an instansi
    the user may not see (`UnitKerja.objects.visible_to`), is a 404 naming `unit_id`: nothing
    tells which ids exist elsewhere. A unit they see but may not read is a 403: for someone who
    heads no unit and is no admin or auditor, the page's general refusal; for a pimpinan, that
    the unit is outside the units they head (an admin or auditor of another instansi only:
    outside the instansi they manage)."""
    found = UnitKerja.objects.visible_to(user).select_related("parent").filter(pk=unit_id).first()
    if found is None:
        raise NotFound(
            _("Unit kerja dengan id %(unit_id)s tidak ditemukan.") % {"unit_id": unit_id},
            field="unit_id",
        )
    access = access_for(user)
    if may_see_unit(access, found):
        return found
    if access.headed_unit_paths:
        raise Refused(
            _("Unit kerja %(name)s berada di luar unit yang Anda pimpin.") % {"name": found.name},
            field="unit_id",
        )
    if access.admin_instansi_ids or access.auditor_instansi_ids:
        raise Refused(
            _("Unit kerja %(name)s berada di luar instansi yang Anda kelola atau audit.")
            % {"name": found.name},
            field="unit_id",
        )
    raise Refused(str(NOT_FOR_YOU))
