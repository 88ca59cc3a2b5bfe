"""Masks for personal data in audit values, for display only.

The stored values and their hash chain are never touched: these functions build a copy to show.
Personal fields are those the snapshots write (a pegawai's and a login's `email` and `phone`, see
`PEGAWAI_FIELDS` in kinerja.org.services and the account fields in kinerja.org.guards), plus the
other usual names for a phone number, so a snapshot added later under such a name is masked too.
Any other string that looks like an email address is masked as one.
"""

from __future__ import annotations

import re
from typing import Any

EMAIL_FIELDS = frozenset({"email", "surel", "e_mail"})
PHONE_FIELDS = frozenset(
    {"phone", "telepon", "telp", "no_telp", "no_telepon", "no_hp", "nomor_hp", "hp", "handphone"}
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


def mask_email(value: str) -> str:
    """`budi@example.go.id` → `b***@example.go.id`."""
    local, at, domain = value.rpartition("@")
    if not at:
        return mask_text(value)
    return f"{local[:1]}***@{domain}"


def mask_phone(value: str) -> str:
    """`081234567878` → `0812****78`; a number too short to keep ends shows only stars."""
    value = value.strip()
    if len(value) < 8:
        return "****" if value else ""
    return f"{value[:4]}****{value[-2:]}"


def mask_text(value: str) -> str:
    return "***" if value else ""


def mask_values(values: Any) -> Any:
    """A copy of an audit event's old or new values with personal data masked."""
    if isinstance(values, dict):
        return {key: _mask_field(str(key), value) for key, value in values.items()}
    if isinstance(values, list):
        return [mask_values(item) for item in values]
    if isinstance(values, str) and _EMAIL.match(values):
        return mask_email(values)
    return values


def _mask_field(name: str, value: Any) -> Any:
    if isinstance(value, str):
        if name.lower() in EMAIL_FIELDS:
            return mask_email(value) if "@" in value else mask_text(value)
        if name.lower() in PHONE_FIELDS:
            return mask_phone(value)
    elif value is not None and name.lower() in EMAIL_FIELDS | PHONE_FIELDS:
        return mask_text(str(value))
    return mask_values(value)
