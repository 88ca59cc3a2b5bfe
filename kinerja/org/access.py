"""Who may see what: computed once per request and cached on the user object.

`visible_to(user)` on every org QuerySet reads from here, so this is the one place where
row-level access is decided.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

_CACHE_ATTR = "_kinerja_access"


@dataclass(frozen=True)
class Access:
    user_id: int | None
    is_superuser: bool
    pegawai_id: int | None
    home_instansi_id: int | None
    admin_instansi_ids: frozenset[int]
    auditor_instansi_ids: frozenset[int]
    headed_unit_ids: frozenset[int]
    headed_unit_paths: frozenset[str] = frozenset()

    @property
    def instansi_ids(self) -> frozenset[int]:
        home = {self.home_instansi_id} if self.home_instansi_id else set()
        return frozenset(home) | self.admin_instansi_ids | self.auditor_instansi_ids

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def can_read_instansi(self, instansi_id: int) -> bool:
        return self.is_superuser or instansi_id in self.instansi_ids

    def can_admin_instansi(self, instansi_id: int) -> bool:
        return self.is_superuser or instansi_id in self.admin_instansi_ids

    def can_audit_instansi(self, instansi_id: int) -> bool:
        return self.can_admin_instansi(instansi_id) or instansi_id in self.auditor_instansi_ids

    @property
    def role_labels(self) -> list[str]:
        roles = ["superadmin"] if self.is_superuser else []
        if self.pegawai_id:
            roles.append("pegawai")
        if self.headed_unit_ids:
            roles.append("pimpinan_unit")
        if self.admin_instansi_ids:
            roles.append("admin_instansi")
        if self.auditor_instansi_ids:
            roles.append("auditor")
        return roles


ANONYMOUS = Access(None, False, None, None, frozenset(), frozenset(), frozenset())


def access_for(user: Any) -> Access:
    """The access facts of a user (cached on the instance for the rest of the request)."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, _CACHE_ATTR, None)
    if isinstance(cached, Access):
        return cached
    from .models import JenisPenempatan, Pegawai, Penempatan, Peran, PeranAkses

    pegawai = Pegawai.objects.filter(user_id=user.pk).values("id", "instansi_id").first()
    grants = list(PeranAkses.objects.filter(user_id=user.pk).values_list("instansi_id", "role"))
    headed_rows: list[tuple[int, str]] = []
    if pegawai:
        headed_rows = list(
            Penempatan.objects.active_on(timezone.localdate())
            .filter(pegawai_id=pegawai["id"], jabatan__is_unit_head=True)
            .filter(kind__in=[k.value for k in JenisPenempatan])
            .values_list("jabatan__unit_id", "jabatan__unit__path")
        )
    access = Access(
        user_id=user.pk,
        is_superuser=bool(user.is_superuser),
        pegawai_id=pegawai["id"] if pegawai else None,
        home_instansi_id=pegawai["instansi_id"] if pegawai else None,
        admin_instansi_ids=frozenset(i for i, r in grants if r == Peran.ADMIN),
        auditor_instansi_ids=frozenset(i for i, r in grants if r == Peran.AUDITOR),
        headed_unit_ids=frozenset(unit_id for unit_id, _ in headed_rows),
        headed_unit_paths=frozenset(path for _, path in headed_rows),
    )
    setattr(user, _CACHE_ATTR, access)
    return access


def forget_access(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
