"""Demo data: a fictitious Pemerintah Kabupaten Sukamaju, a small second instansi, demo logins.

`seed_demo` writes a plan from kinerja/org/demo_plan.py in one transaction. It is a bulk loader,
not a service: rows go in with multi-row INSERTs (SQLite) or COPY (PostgreSQL) and explicit
primary keys, so 100,000 pegawai load in seconds; one summary audit event records the load.
Every demo account shares one argon2 hash of the demo password (hashed once, not per row).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from kinerja.accounts.models import User
from kinerja.audit import services as audit

from . import demo_plan
from .demo_people import PersonPlan
from .demo_plan import StartIds, plan_demo
from .models import (
    DelegasiPenilai,
    Instansi,
    Jabatan,
    Pegawai,
    Penempatan,
    Peran,
    PeranAkses,
    UnitKerja,
)

DEMO_CODE = "KAB-SKM"
DEMO_NAME = "Pemerintah Kabupaten Sukamaju"
KOTA_CODE = "KOTA-SKJ"
KOTA_NAME = "Pemerintah Kota Sukajaya"
DEFAULT_PASSWORD = "kinerja-demo"  # noqa: S105 - printed on purpose: these are demo accounts
DEFAULT_PEGAWAI = 400
DEFAULT_SEED = 2026


class DemoExists(Exception):
    """The demo instansi is already in this database."""


@dataclass(frozen=True)
class DemoLogin:
    role: str
    login: str
    password: str
    who: str


@dataclass(frozen=True)
class SeedSummary:
    pegawai: int
    units: int
    jabatan: int
    penempatan: int
    seconds: float


def demo_exists() -> bool:
    return Instansi.objects.filter(code=DEMO_CODE).exists()


# --- bulk writing -------------------------------------------------------------------------


def _insert(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    """Insert plain tuples: COPY on PostgreSQL, batched executemany elsewhere."""
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    names = ", ".join(qn(_column(model, c)) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608 - names only
        for batch in itertools.batched(rows, 5000):
            cursor.executemany(sql, batch)


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column
    return field.column


BULK_MODELS: list[type[models.Model]] = [User, UnitKerja, Jabatan, Pegawai]


def _reserve_ids() -> StartIds:
    """The next free id of every table that gets explicit ids. PostgreSQL: lock those tables
    against concurrent inserts until commit (SQLite already holds its write lock)."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = ", ".join(qn(m._meta.db_table) for m in BULK_MODELS)
            cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")
        found = {}
        for model in BULK_MODELS:
            table = qn(model._meta.db_table)
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608
            found[model] = int(cursor.fetchone()[0])
    return StartIds(
        unit=found[UnitKerja], jabatan=found[Jabatan], pegawai=found[Pegawai], user=found[User]
    )


def _reset_sequences() -> None:
    """After explicit ids: PostgreSQL's sequences continue past them (SQLite's AUTOINCREMENT
    already does). Fresh planner statistics too, as the tables just grew a hundredfold."""
    statements = connection.ops.sequence_reset_sql(no_style(), BULK_MODELS)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            analysed: list[type[models.Model]] = [*BULK_MODELS, Penempatan]
            tables = [m._meta.db_table for m in analysed]
            cursor.execute(f"ANALYZE {', '.join(map(connection.ops.quote_name, tables))}")


def _account(username: str, full_name: str, password_hash: str, superuser: bool = False) -> User:
    """A demo account; one that already exists keeps its password."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=full_name, password=password_hash)
        user.is_superuser = user.is_staff = superuser
        user.save()
    return user


def _grant(user: User, instansi: Instansi, role: str) -> None:
    PeranAkses.objects.get_or_create(user=user, instansi=instansi, role=role)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


@transaction.atomic
def seed_demo(
    *, pegawai: int = DEFAULT_PEGAWAI, seed: int = DEFAULT_SEED, password: str = DEFAULT_PASSWORD
) -> SeedSummary:
    """Create the demo kabupaten with `pegawai` pegawai. Raises DemoExists, or ValueError for
    a size below demo_plan.MIN_PEGAWAI."""
    started = time.perf_counter()
    if demo_exists():
        raise DemoExists(DEMO_CODE)
    password_hash = make_password(password, hasher="argon2")  # once, shared by every account
    kab = Instansi.objects.create(code=DEMO_CODE, name=DEMO_NAME, kind="DAERAH")
    kota = Instansi.objects.create(code=KOTA_CODE, name=KOTA_NAME, kind="DAERAH")
    _account("superadmin", "Superadmin Demo", password_hash, superuser=True)
    _grant(_account("admin", "Admin Kepegawaian Sukamaju", password_hash), kab, Peran.ADMIN)
    _grant(_account("auditor", "Auditor Inspektorat Sukamaju", password_hash), kab, Peran.AUDITOR)

    ids = _reserve_ids()
    used = frozenset(Pegawai.objects.values_list("nip", flat=True)) | frozenset(
        User.objects.values_list("username", flat=True)
    )
    plan = plan_demo(pegawai, seed, kabupaten_id=kab.pk, kota_id=kota.pk, ids=ids, used_nips=used)
    _write(plan, password_hash)
    _reset_sequences()
    rated, rater, since, reason = plan.delegasi
    DelegasiPenilai.objects.create(
        instansi_id=kab.pk, pegawai_id=rated.id, rater_id=rater.id, start_date=since, reason=reason
    )
    placements = len(plan.people) + sum(1 for p in plan.people if p.previous) + 1
    summary = SeedSummary(
        pegawai=sum(1 for p in plan.people if p.instansi_id == kab.pk),
        units=sum(1 for u in plan.units if u.instansi_id == kab.pk),
        jabatan=sum(1 for j in plan.jabatan if j.instansi_id == kab.pk),
        penempatan=placements,
        seconds=0.0,
    )
    audit.record(
        "seed_demo",
        by=None,
        scope=kab.pk,
        target_type="instansi",
        target_id=kab.pk,
        new={
            "seed": seed,
            "pegawai": summary.pegawai,
            "unit_kerja": summary.units,
            "jabatan": summary.jabatan,
            "penempatan": placements,
            "instansi_lain": {"code": KOTA_CODE, "pegawai": len(plan.people) - summary.pegawai},
        },
    )
    return SeedSummary(**{**summary.__dict__, "seconds": time.perf_counter() - started})


UNIT_COLUMNS = ("id", "instansi", "parent", "code", "name", "kind", "path", "depth")
JABATAN_COLUMNS = ("id", "instansi", "unit", "code", "name", "jenis", "parent", "is_unit_head")
USER_COLUMNS = (
    "id",
    "password",
    "is_superuser",
    "username",
    "full_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
)
PEGAWAI_COLUMNS = (
    "id",
    "instansi",
    "user",
    "jenis_asn",
    "nip",
    "name",
    "front_title",
    "back_title",
    "pangkat_golongan",
    "gender",
    "birth_date",
    "email",
    "phone",
    "jabatan",
    "search_text",
)
PENEMPATAN_COLUMNS = (
    "instansi",
    "pegawai",
    "jabatan",
    "kind",
    "start_date",
    "end_date",
    "reference",
)


def _write(plan: demo_plan.DemoPlan, password_hash: str) -> None:
    joined = connection.ops.adapt_datetimefield_value(timezone.now())
    units = (
        (u.id, u.instansi_id, u.parent and u.parent.id, u.code, u.name, u.kind, u.path, u.depth)
        for u in plan.units
    )
    _insert(UnitKerja, UNIT_COLUMNS, units)
    jabatan = (
        (j.id, j.instansi_id, j.unit.id, j.code, j.name, j.jenis, j.parent_id, j.is_unit_head)
        for j in plan.jabatan
    )
    _insert(Jabatan, JABATAN_COLUMNS, jabatan)
    users = (
        (p.user_id, password_hash, False, p.nip, _display(p), p.email, False, True, joined)
        for p in plan.people
    )
    _insert(User, USER_COLUMNS, users)
    _insert(Pegawai, PEGAWAI_COLUMNS, map(_pegawai_row, plan.people))
    plt_person, plt_jabatan, plt_start = plan.plt
    acting = (plt_person.instansi_id, plt_person.id, plt_jabatan.id, "PLT", plt_start, None, "")
    placements = itertools.chain(
        (
            (p.instansi_id, p.id, p.previous[0], "DEFINITIF", p.previous[1], p.previous[2], "")
            for p in plan.people
            if p.previous
        ),
        (
            (p.instansi_id, p.id, p.jabatan.id, "DEFINITIF", p.start_date, None, p.reference)
            for p in plan.people
        ),
        [acting],
    )
    _insert(Penempatan, PENEMPATAN_COLUMNS, placements)


def _pegawai_row(p: PersonPlan) -> tuple[Any, ...]:
    return (
        p.id,
        p.instansi_id,
        p.user_id,
        p.jenis_asn,
        p.nip,
        p.name,
        p.front_title,
        p.back_title,
        p.pangkat_golongan,
        p.gender,
        p.birth_date,
        p.email,
        p.phone,
        p.jabatan.id,
        p.search_text,
    )


def _display(person: PersonPlan) -> str:
    full = f"{person.front_title} {person.name}".strip()
    return f"{full}, {person.back_title}" if person.back_title else full


# --- the logins table ---------------------------------------------------------------------

_ACCOUNTS = (
    ("Superadmin", "superadmin", "semua instansi"),
    ("Admin instansi", "admin", f"admin kepegawaian, {DEMO_NAME}"),
    ("Auditor", "auditor", f"auditor, {DEMO_NAME}"),
)
_PEOPLE = (
    ("Pimpinan unit", demo_plan.NIP_PIMPINAN),
    ("Pejabat penilai", demo_plan.NIP_PENILAI),
    ("Pegawai", demo_plan.NIP_PEGAWAI),
    ("Pegawai PPPK", demo_plan.NIP_PPPK),
    ("Pegawai (lapor realisasi)", demo_plan.NIP_PELAPOR),
)


def demo_logins(password: str = DEFAULT_PASSWORD) -> list[DemoLogin]:
    """One login per role, read back from the database (the password is shown when it still
    works: a changed password shows as such)."""
    users = {u.username: u for u in User.objects.filter(username__in=[a[1] for a in _ACCOUNTS])}
    people = {
        p.nip: p
        for p in Pegawai.objects.filter(nip__in=[nip for _, nip in _PEOPLE])
        .select_related("jabatan", "user")
        .order_by()
    }
    verified: dict[str, bool] = {}

    def shown(encoded: str | None) -> str:
        if not encoded:
            return "–"
        if encoded not in verified:
            verified[encoded] = check_password(password, encoded)
        return password if verified[encoded] else "(sudah diubah)"

    logins = [
        DemoLogin(role, username, shown(users[username].password), who)
        for role, username, who in _ACCOUNTS
        if username in users
    ]
    for role, nip in _PEOPLE:
        person = people.get(nip)
        if person is not None:
            jabatan = person.jabatan.name if person.jabatan else "tanpa jabatan"
            encoded = person.user.password if person.user else None
            logins.append(DemoLogin(role, nip, shown(encoded), f"{person.display_name}, {jabatan}"))
    return logins


def logins_table(logins: list[DemoLogin]) -> str:
    header = ("Peran", "Login", "Kata sandi", "Siapa")
    rows = [header, *((x.role, x.login, x.password, x.who) for x in logins)]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    separator = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), separator, *(line(r) for r in rows[1:])])
