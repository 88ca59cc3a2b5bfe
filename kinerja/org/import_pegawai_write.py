"""Writing a planned pegawai import: accounts, pegawai, placements, with plain bulk statements.

Every row here has passed validation (import_pegawai). New accounts share one unusable password
hash (made once); derived fields come from `services.fill_derived`, as in `pegawai_save`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from kinerja.accounts.models import User
from kinerja.audit.services import Change

from .import_write import DateValues, db_datetime, ids_by, insert_rows, update_rows
from .models import Instansi, JenisPenempatan, Pegawai, Penempatan
from .rules import NipParts, display_name
from .services import PEGAWAI_FIELDS, fill_derived

# The pegawai's own data in a fixed order (nip is the key and never changes).
VALUE_FIELDS = [f for f in PEGAWAI_FIELDS if f != "nip"]
AT = {f: i for i, f in enumerate(VALUE_FIELDS)}


@dataclass(slots=True)
class OldPegawai:
    """A pegawai of the instansi as stored before the import."""

    id: int
    user_id: int | None
    jabatan_id: int | None
    values: tuple[str, ...]


@dataclass(slots=True)
class OpenPlacement:
    """The pegawai's current (open) definitif placement."""

    id: int
    jabatan_id: int
    start: date


@dataclass(slots=True)
class PegawaiRow:
    """One valid file row: the pegawai's data after the import and any jabatan change."""

    row: int
    nip: str
    values: tuple[str, ...]
    parts: NipParts
    old: OldPegawai | None
    jabatan_id: int | None = None  # set only when the definitif jabatan changes
    tmt: date | None = None
    current: OpenPlacement | None = None


def _snapshot(nip: str, values: tuple[str, ...], jabatan_id: int | None) -> dict[str, Any]:
    return {"nip": nip, **dict(zip(VALUE_FIELDS, values, strict=True)), "jabatan_id": jabatan_id}


@dataclass(slots=True)
class _Derived:
    """What `fill_derived` reads and sets, without building a model instance for every row."""

    name: str
    nip: str
    birth_date: date | None = None
    gender: str = ""
    search_text: str = ""


def _derived(r: PegawaiRow, dates: DateValues) -> tuple[Any, str, str]:
    shim = _Derived(r.values[AT["name"]], r.nip)
    fill_derived(cast(Pegawai, shim), r.parts)
    return dates[shim.birth_date], shim.gender, shim.search_text


def full_name_of(values: tuple[str, ...]) -> str:
    return display_name(values[AT["name"]], values[AT["front_title"]], values[AT["back_title"]])


def write_pegawai(instansi: Instansi, rows: list[PegawaiRow]) -> list[Change]:
    """Accounts, then pegawai, then placements, with plain bulk statements (see import_write)."""
    todo = [
        r
        for r in rows
        if r.old is None
        or r.values != r.old.values
        or r.jabatan_id is not None
        or r.old.user_id is None
    ]
    password = make_password(None)  # one unusable password for every new account
    joined = db_datetime(timezone.now())
    dates = DateValues()
    needs_user = [r for r in todo if r.old is None or r.old.user_id is None]
    insert_rows(
        User,
        ["username", "full_name", "email", "password", "date_joined"],
        (
            (r.nip, full_name_of(r.values), r.values[AT["email"]], password, joined)
            for r in needs_user
        ),
    )
    user_of = ids_by(User, "username", [r.nip for r in needs_user])
    columns = [*VALUE_FIELDS, "birth_date", "gender", "search_text", "user", "jabatan"]
    insert_rows(
        Pegawai,
        ["instansi", "nip", *columns],
        (
            (instansi.pk, r.nip, *r.values, *_derived(r, dates), user_of[r.nip], r.jabatan_id)
            for r in todo
            if r.old is None
        ),
    )
    updated = [r for r in todo if r.old is not None]
    update_rows(
        Pegawai,
        columns,
        (
            (
                *r.values,
                *_derived(r, dates),
                r.old.user_id or user_of[r.nip],
                r.jabatan_id or r.old.jabatan_id,
                r.old.id,
            )
            for r in updated
            if r.old is not None
        ),
    )
    update_rows(
        User,
        ["full_name", "email"],
        (
            (full_name_of(r.values), r.values[AT["email"]], r.old.user_id)
            for r in updated
            if r.old is not None and r.old.user_id is not None and r.values != r.old.values
        ),
    )
    id_of = {r.nip: r.old.id for r in updated if r.old is not None} | ids_by(
        Pegawai, "nip", [r.nip for r in todo if r.old is None]
    )
    _write_placements(instansi, todo, id_of, dates)
    return [_change(r, id_of[r.nip]) for r in todo]


def _change(r: PegawaiRow, pk: int) -> Change:
    jabatan_id = r.jabatan_id or (r.old.jabatan_id if r.old else None)
    after = _snapshot(r.nip, r.values, jabatan_id)
    if r.tmt is not None:
        after["tmt_jabatan"] = r.tmt.isoformat()
    if r.old is None:
        return Change("pegawai_create", "pegawai", pk, {}, after)
    before = _snapshot(r.nip, r.old.values, r.old.jabatan_id)
    return Change("pegawai_update", "pegawai", pk, before, after)


def _write_placements(
    instansi: Instansi, rows: list[PegawaiRow], id_of: dict[str, int], dates: DateValues
) -> None:
    """End the current definitif placements first: a pegawai has one open at a time."""
    moves = [r for r in rows if r.jabatan_id is not None and r.tmt is not None]
    update_rows(
        Penempatan,
        ["end_date"],
        (
            (dates[r.tmt - timedelta(days=1)], r.current.id)
            for r in moves
            if r.current is not None and r.tmt is not None
        ),
    )
    insert_rows(
        Penempatan,
        ["instansi", "pegawai", "jabatan", "kind", "start_date"],
        (
            (
                instansi.pk,
                id_of[r.nip],
                r.jabatan_id,
                JenisPenempatan.DEFINITIF.value,
                dates[r.tmt],
            )
            for r in moves
        ),
    )
