"""Checks shared by the organisation services."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kinerja.accounts.models import User
from kinerja.core.errors import Refused

from .access import access_for


def require_admin(by: User, instansi_id: int) -> None:
    if not access_for(by).can_admin_instansi(instansi_id):
        raise Refused(_("Hanya admin kepegawaian instansi ini yang boleh mengubah data ini."))


def snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


# --- who may re-address an account --------------------------------------------------------
#
# An account's email receives its password reset, so whoever sets the email (or the login
# name) can take the account over with all its rights. An admin kepegawaian may therefore
# change the email, login name or full name of an account only when everything that account
# holds lies in instansi the admin administers: a superadmin, a Django-admin account given by
# hand (staff without any peran), an account with a peran in another instansi or linked to a
# pegawai of another instansi is changed by a superadmin only. See docs/operator.md.

ACCOUNT_FIELD_LABELS = {
    "email": gettext_noop("email"),
    "username": gettext_noop("NIP (nama akun)"),
    "full_name": gettext_noop("nama"),
}
# The pegawai field each account field comes from (where a refusal is shown).
ACCOUNT_FIELD_SOURCE = {"email": "email", "username": "nip", "full_name": "name"}


def elevated_beyond(by: User) -> QuerySet[User]:
    """Accounts holding something outside the instansi `by` administers, apart from a pegawai
    link: superadmins, staff without a peran, and accounts with a peran elsewhere (few rows).
    Empty for a superadmin."""
    from .models import PeranAkses

    access = access_for(by)
    if access.is_superuser:
        return User.objects.none()
    with_peran = PeranAkses.objects.values("user_id")
    peran_elsewhere = PeranAkses.objects.exclude(instansi_id__in=access.admin_instansi_ids).values(
        "user_id"
    )
    return User.objects.filter(
        Q(is_superuser=True)
        | (Q(is_staff=True) & ~Q(pk__in=with_peran))
        | Q(pk__in=peran_elsewhere)
    )


def account_beyond_reach(by: User, user_id: int) -> str | None:
    """Why `by` may not re-address the account, or None when it may."""
    from .models import Pegawai, PeranAkses

    access = access_for(by)
    if access.is_superuser:
        return None
    user = User.objects.filter(pk=user_id).values("is_superuser", "is_staff").first()
    if user is None:
        return None
    mine = access.admin_instansi_ids
    grants = PeranAkses.objects.filter(user_id=user_id)
    if user["is_superuser"]:
        return _("akun ini akun superadmin")
    if grants.exclude(instansi_id__in=mine).exists():
        return _("akun ini juga memegang peran di instansi lain")
    if Pegawai.objects.filter(user_id=user_id).exclude(instansi_id__in=mine).exists():
        return _("akun ini tertaut ke pegawai instansi lain")
    if user["is_staff"] and not grants.exists():
        return _("akun ini punya akses halaman admin yang tidak berasal dari peran instansi")
    return None


def account_change_refused(reason: str, changed: list[str], *, whose: str = "") -> str:
    """The message refusing a change of the `changed` account fields (ACCOUNT_FIELD_LABELS)."""
    names = [_(ACCOUNT_FIELD_LABELS[name]) for name in changed]
    labels = names[0]
    for name in names[1:]:
        labels = _("%(labels)s dan %(label)s") % {"labels": labels, "label": name}
    return _(
        "%(labels)s akun%(whose)s tidak dapat diubah oleh admin instansi: %(reason)s. "
        "Perubahan ini hanya dapat dilakukan superadmin."
    ) % {"labels": labels[0].upper() + labels[1:], "whose": whose, "reason": reason}


def require_account_in_reach(by: User, user_id: int, new: dict[str, str]) -> None:
    """Refuse (nothing written) when `new` changes an account field of an account `by` may not
    re-address; `new` maps account fields (username, email, full_name) to their new values."""
    old = User.objects.filter(pk=user_id).values(*ACCOUNT_FIELD_LABELS).first()
    if old is None:
        return
    changed = [name for name in ACCOUNT_FIELD_LABELS if name in new and new[name] != old[name]]
    if not changed:
        return
    reason = account_beyond_reach(by, user_id)
    if reason is not None:
        raise Refused(
            account_change_refused(reason, changed), field=ACCOUNT_FIELD_SOURCE[changed[0]]
        )
