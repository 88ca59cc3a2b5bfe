"""Checks and the audit helper shared by the SKP services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from kinerja.accounts.models import User
from kinerja.audit import services as audit
from kinerja.core.errors import Conflict, Refused
from kinerja.org.access import access_for

from .models import Skp


def record(
    action: str,
    *,
    by: User,
    skp: Skp,
    new: dict[str, Any] | None = None,
    old: dict[str, Any] | None = None,
) -> None:
    audit.record(
        action, by=by, scope=skp.instansi_id, target_type="skp", target_id=skp.pk, old=old, new=new
    )


def lock(skp: Skp) -> None:
    """Lock the SKP's row and read it again inside the transaction, so that two requests on one
    SKP at once (two approvals, an approval and a return, two perubahan) take turns and the second
    one decides on what the first left (a wrong status is then the ordinary refusal). FOR NO KEY
    UPDATE, as progress.services.lock_version takes it; what the checks read is read again."""
    skp.refresh_from_db(
        fields=["status", "is_current", "rater"],
        from_queryset=Skp.objects.select_for_update(no_key=True),
    )


def require_owner(by: User, skp: Skp) -> None:
    if access_for(by).pegawai_id != skp.pegawai_id:
        raise Refused(_("Hanya pemilik SKP yang boleh mengubah atau mengajukannya."))


def require_editable(skp: Skp) -> None:
    if not skp.is_current:
        raise Conflict(_("Versi SKP ini sudah digantikan versi yang lebih baru."))
    if not skp.editable:
        raise Conflict(
            _(
                "SKP berstatus %(status)s tidak dapat diubah; ajukan "
                "perubahan SKP bila sudah disetujui."
            )
            % {"status": skp.get_status_display()}
        )


def require_rater(by: User, skp: Skp) -> None:
    if skp.rater_id is None or access_for(by).pegawai_id != skp.rater_id:
        raise Refused(_("Hanya Pejabat Penilai Kinerja pegawai ini yang boleh melakukannya."))
