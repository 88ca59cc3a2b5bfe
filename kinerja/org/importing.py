"""Importing organisation data (units, jabatan, pegawai) from CSV or XLSX.

`org_import` is the one service. It reads the file, plans every row against the instansi's
current data (a few queries, then pure Python), and writes only when no row has an error: all
rows in one transaction with bulk inserts and updates, audited with `record_many`. A dry run
returns the same counts and errors and writes nothing. See docs/import.md.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal, get_args

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kinerja.accounts.models import User
from kinerja.audit import services as audit
from kinerja.core.errors import Conflict, ServiceError

from .import_parse import Columns, Plan, RowError, Table, read_table
from .import_pegawai import PEGAWAI_COLUMNS, plan_pegawai
from .import_structure import JABATAN_COLUMNS, UNIT_COLUMNS, plan_jabatan, plan_units
from .models import Instansi
from .services import require_admin

__all__ = ["KINDS", "ImportResult", "Kind", "RowError", "org_import"]

Kind = Literal["unit", "jabatan", "pegawai"]
KINDS: tuple[Kind, ...] = get_args(Kind)
COLUMNS: dict[str, Columns] = {
    "unit": UNIT_COLUMNS,
    "jabatan": JABATAN_COLUMNS,
    "pegawai": PEGAWAI_COLUMNS,
}
# The structure planners need only the instansi; plan_pegawai also needs the actor (whose
# accounts it may re-address, see guards.require_account_in_reach).
PLANNERS: dict[str, Callable[[Instansi, Table], Plan]] = {
    "unit": plan_units,
    "jabatan": plan_jabatan,
}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged


@contextmanager
def _without_gc_pauses() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large file is planned and written.

    An import builds millions of small containers (rows, parameter tuples, audit events);
    the collector rescans all of them again and again, which doubled the time of a
    100,000-row import (24 s → 12 s measured). Reference counting still frees them; the
    collector resumes (and runs) afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def org_import(
    *,
    by: User,
    instansi: Instansi,
    kind: Kind,
    file_name: str,
    content: bytes,
    dry_run: bool,
) -> ImportResult:
    """Import one kind of organisation data for an instansi; nothing is written on any error."""
    require_admin(by, instansi.pk)
    with _without_gc_pauses():
        return _import(
            by=by,
            instansi=instansi,
            kind=kind,
            file_name=file_name,
            content=content,
            dry_run=dry_run,
        )


def _import(
    *,
    by: User,
    instansi: Instansi,
    kind: Kind,
    file_name: str,
    content: bytes,
    dry_run: bool,
) -> ImportResult:
    if kind not in KINDS:
        raise ServiceError(
            _("Jenis impor '%(kind)s' tidak dikenal; pilih %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(KINDS)},
            field="kind",
        )
    table = read_table(
        file_name, content, COLUMNS[kind], max_bytes=settings.KINERJA_IMPORT_MAX_BYTES
    )
    if not table.rows and not table.errors:
        raise ServiceError(_("File tidak berisi baris data (hanya baris judul)."), field="file")
    if dry_run:
        return _run(by=by, instansi=instansi, kind=kind, file_name=file_name, table=table)
    try:
        with transaction.atomic():
            # One import per instansi at a time: the plan is made against data nobody else
            # is importing into.
            Instansi.objects.select_for_update().only("pk").get(pk=instansi.pk)
            return _run(
                by=by, instansi=instansi, kind=kind, file_name=file_name, table=table, write=True
            )
    except IntegrityError as exc:
        raise Conflict(
            _(
                "Data berubah ketika impor berjalan sehingga tidak dapat disimpan; tidak "
                "ada yang disimpan. Ulangi impor."
            )
        ) from exc


def _run(
    *,
    by: User,
    instansi: Instansi,
    kind: str,
    file_name: str,
    table: Table,
    write: bool = False,
) -> ImportResult:
    if kind == "pegawai":
        plan = plan_pegawai(instansi, table, by=by)
    else:
        plan = PLANNERS[kind](instansi, table)
    errors = sorted(plan.errors, key=lambda e: e.row)  # header problems (row 1) come first
    result = ImportResult(plan.created, plan.updated, plan.unchanged, errors, dry_run=not write)
    if not write or errors:
        return result
    assert plan.apply is not None
    changes = plan.apply()
    changes.append(
        audit.Change(
            "org_import",
            "instansi",
            instansi.pk,
            new={
                "kind": kind,
                "file_name": file_name[:200],
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            },
        )
    )
    audit.record_many(changes, by=by, scope=instansi.pk)
    return result
