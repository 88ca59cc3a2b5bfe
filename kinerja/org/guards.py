"""Checks shared by the organisation services."""

from __future__ import annotations

from typing import Any

from kinerja.accounts.models import User
from kinerja.core.errors import Refused

from .access import access_for


def require_admin(by: User, instansi_id: int) -> None:
    if not access_for(by).can_admin_instansi(instansi_id):
        raise Refused("Hanya admin kepegawaian instansi ini yang boleh mengubah data ini.")


def snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}
