"""Planning the import of pegawai: a few queries up front, then validation in Python.

Placement follows the rules of `services.penempatan_assign`: a new definitif jabatan ends the
current one on TMT − 1 day (mutasi keeps the history); TMT may not lie in the future and must
come after the previous TMT and after the end of any earlier placement; a single-holder jabatan
(JPT, administrator, pengawas, kepala unit) gets no second definitif holder. The writing is in
import_pegawai_write.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Max, Q
from django.utils import timezone

from kinerja.accounts.models import User
from kinerja.audit.services import Change
from kinerja.core.errors import ServiceError

from .guards import account_beyond_reach, account_change_refused, elevated_beyond
from .import_parse import Columns, Plan, Table, choice, parse_date
from .import_pegawai_write import (
    AT,
    VALUE_FIELDS,
    OldPegawai,
    OpenPlacement,
    PegawaiRow,
    full_name_of,
    write_pegawai,
)
from .import_write import ids_by
from .models import Instansi, Jabatan, JenisAsn, JenisPenempatan, Pegawai, Penempatan
from .rules import NipParts
from .services import SINGLE_HOLDER_JENIS, parse_identifier

PEGAWAI_COLUMNS = Columns(
    ("nip", "jenis_asn", "nama"),
    (
        "gelar_depan",
        "gelar_belakang",
        "pangkat_golongan",
        "email",
        "telepon",
        "kode_jabatan",
        "tmt_jabatan",
    ),
)
# Column → model field for the pegawai's own data (nip is the key and never changes).
FIELD_OF = {
    "jenis_asn": "jenis_asn",
    "nama": "name",
    "gelar_depan": "front_title",
    "gelar_belakang": "back_title",
    "pangkat_golongan": "pangkat_golongan",
    "email": "email",
    "telepon": "phone",
}
MAX_LENGTH = {f: int(getattr(Pegawai._meta.get_field(f), "max_length", 0)) for f in VALUE_FIELDS}
LABEL = {v: k for k, v in FIELD_OF.items()}
PHONE = re.compile(r"^[0-9+()\-. ]*$")


def plan_pegawai(instansi: Instansi, table: Table, *, by: User) -> Plan:
    if ("kode_jabatan" in table.present) != ("tmt_jabatan" in table.present):
        table.error(1, "kolom kode_jabatan dan tmt_jabatan harus ada bersama-sama")
        return Plan(errors=table.errors)
    existing = {
        nip: OldPegawai(pk, user_id, jabatan_id, tuple(values))
        for pk, nip, user_id, jabatan_id, *values in Pegawai.objects.filter(
            instansi=instansi
        ).values_list("id", "nip", "user_id", "jabatan_id", *VALUE_FIELDS)
    }
    jabatan = {
        code: (pk, jenis, head, name)
        for code, pk, jenis, head, name in Jabatan.objects.filter(instansi=instansi).values_list(
            "code", "id", "jenis", "is_unit_head", "name"
        )
    }
    current = {
        pegawai_id: OpenPlacement(pk, jabatan_id, start)
        for pk, pegawai_id, jabatan_id, start in Penempatan.objects.filter(
            instansi=instansi, kind=JenisPenempatan.DEFINITIF, end_date__isnull=True
        ).values_list("id", "pegawai_id", "jabatan_id", "start_date")
    }
    rows = _validate_rows(table, existing, jabatan, current)
    _check_taken_elsewhere(table, rows)
    _check_accounts_in_reach(by, table, rows)
    _check_history(instansi, table, rows)
    _check_single_holders(table, rows, jabatan)
    plan = Plan(errors=table.errors)
    for r in rows.values():
        if r.old is None:
            plan.created += 1
        elif r.values != r.old.values or r.jabatan_id is not None or r.old.user_id is None:
            plan.updated += 1
        else:
            plan.unchanged += 1

    def apply() -> list[Change]:
        return write_pegawai(instansi, list(rows.values()))

    plan.apply = apply
    return plan


def _validate_rows(
    table: Table,
    existing: dict[str, OldPegawai],
    jabatan: dict[str, tuple[int, str, bool, str]],
    current: dict[int, OpenPlacement],
) -> dict[str, PegawaiRow]:
    columns = [c for c in FIELD_OF if c in table.present]
    placing = "kode_jabatan" in table.present
    blank = ("",) * len(VALUE_FIELDS)
    today = timezone.localdate()
    seen: dict[str, int] = {}
    rows: dict[str, PegawaiRow] = {}
    for n, v in table.rows:
        errors_before = len(table.errors)
        # "19900215 201503 2 001", as NIPs are often printed, is the same NIP.
        nip, jenis = "".join(v["nip"].split()), choice(v["jenis_asn"], JenisAsn.values)
        parts: NipParts | None = None
        if jenis is None:
            table.error(n, f"jenis_asn '{v['jenis_asn']}' tidak dikenal; isi PNS atau PPPK")
        if not nip:
            table.error(n, "NIP wajib diisi")
        elif "e+" in nip.lower():
            table.error(
                n,
                f"NIP '{nip}' tersimpan sebagai angka sehingga digitnya hilang; "
                "format kolom NIP di Excel sebagai Teks lalu ketik ulang",
            )
        elif nip in seen:
            table.error(n, f"NIP {nip} ganda: sudah ada di baris {seen[nip]}")
        else:
            seen[nip] = n
            if jenis is not None:
                try:
                    parts = parse_identifier(nip, jenis)
                except ServiceError as exc:
                    table.error(n, exc.message)
        old = existing.get(nip)
        values = list(old.values if old else blank)
        for column in columns:
            values[AT[FIELD_OF[column]]] = (jenis or "") if column == "jenis_asn" else v[column]
        _check_values(table, n, values)
        row = PegawaiRow(n, nip, tuple(values), parts, old) if parts is not None else None
        if placing and (v["kode_jabatan"] or v["tmt_jabatan"]):
            _check_placement(table, n, v, row, jabatan, current, today)
        if row is not None and len(table.errors) == errors_before:
            rows[nip] = row
    return rows


def _check_values(table: Table, n: int, values: list[str]) -> None:
    if not values[AT["name"]]:
        table.error(n, "nama wajib diisi")
    for field, limit in MAX_LENGTH.items():
        if len(values[AT[field]]) > limit:
            table.error(n, f"{LABEL[field]} lebih dari {limit} karakter")
    email = values[AT["email"]]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            table.error(n, f"email '{email}' tidak valid")
    if not PHONE.match(values[AT["phone"]]):
        table.error(n, "telepon hanya boleh berisi angka, spasi, dan tanda + - ( ) .")


def _check_placement(
    table: Table,
    n: int,
    v: dict[str, str],
    row: PegawaiRow | None,
    jabatan: dict[str, tuple[int, str, bool, str]],
    current: dict[int, OpenPlacement],
    today: date,
) -> None:
    code, raw_tmt = v["kode_jabatan"], v["tmt_jabatan"]
    if not code:
        table.error(n, "kode_jabatan wajib diisi bila tmt_jabatan diisi")
        return
    if not raw_tmt:
        table.error(n, "tmt_jabatan wajib diisi bila kode_jabatan diisi")
        return
    found = jabatan.get(code)
    if found is None:
        table.error(n, f"kode_jabatan '{code}' tidak ditemukan")
    tmt = parse_date(raw_tmt)
    if tmt is None:
        table.error(
            n, f"tmt_jabatan '{raw_tmt}' bukan tanggal yang sah (YYYY-MM-DD atau DD-MM-YYYY)"
        )
        return
    if tmt > today:
        table.error(n, f"TMT jabatan tidak boleh di masa depan ({tmt:%d-%m-%Y})")
        return
    if row is None or found is None:
        return
    now = current.get(row.old.id) if row.old else None
    if now is not None and now.jabatan_id == found[0]:
        return  # already holds this jabatan: nothing to do
    if now is not None and now.start >= tmt:
        table.error(
            n,
            f"TMT jabatan baru ({tmt:%d-%m-%Y}) harus sesudah TMT jabatan sebelumnya "
            f"({now.start:%d-%m-%Y})",
        )
        return
    row.jabatan_id, row.tmt, row.current = found[0], tmt, now


def _check_taken_elsewhere(table: Table, rows: dict[str, PegawaiRow]) -> None:
    """A new NIP may not belong to another instansi's pegawai nor to an existing account."""
    fresh = [nip for nip, r in rows.items() if r.old is None]
    elsewhere = ids_by(Pegawai, "nip", fresh)
    needs_user = [nip for nip, r in rows.items() if r.old is None or r.old.user_id is None]
    accounts = ids_by(User, "username", needs_user)
    for nip in sorted(elsewhere.keys() | accounts.keys(), key=lambda nip: rows[nip].row):
        reason = (
            "sudah terdaftar sebagai pegawai instansi lain"
            if nip in elsewhere
            else "sudah dipakai sebagai nama pengguna akun lain"
        )
        table.error(rows.pop(nip).row, f"NIP {nip} {reason}")


def _check_accounts_in_reach(by: User, table: Table, rows: dict[str, PegawaiRow]) -> None:
    """The import may not change the email or name of an account `by` may not re-address
    (guards.require_account_in_reach). Such accounts are few (superadmins, staff without a
    peran, holders of a peran elsewhere), so they are read whole; the pegawai link of each
    account here is this instansi's row (one pegawai per account)."""
    linked = {
        r.old.user_id: r
        for r in rows.values()
        if r.old is not None and r.old.user_id is not None and r.values != r.old.values
    }
    if not linked:
        return
    accounts = elevated_beyond(by).values_list("pk", "full_name", "email")
    refused = []
    for user_id, full_name, email in accounts:
        r = linked.get(user_id)
        if r is None:
            continue
        after = (
            ("email", email, r.values[AT["email"]]),
            ("full_name", full_name, full_name_of(r.values)),
        )
        changed = [name for name, old, new in after if new != old]
        reason = account_beyond_reach(by, user_id) if changed else None
        if reason is not None:
            table.error(r.row, account_change_refused(reason, changed, whose=f" NIP {r.nip}"))
            refused.append(r)
    for r in refused:
        rows.pop(r.nip)


def _check_single_holders(
    table: Table, rows: dict[str, PegawaiRow], jabatan: dict[str, tuple[int, str, bool, str]]
) -> None:
    """JPT, administrator, pengawas and unit heads have one definitif holder at a time.

    As in `penempatan_assign`, the new placement is open-ended, so any other holder who has
    not left before its TMT (after this file's mutasi are applied) overlaps it.
    """
    single = {
        pk: code
        for code, (pk, jenis, head, _) in jabatan.items()
        if jenis in SINGLE_HOLDER_JENIS or head
    }
    moves = [r for r in rows.values() if r.jabatan_id in single and r.tmt is not None]
    if not moves:
        return
    ending = {
        r.current.id: r.tmt - timedelta(days=1)
        for r in rows.values()
        if r.current is not None and r.tmt is not None
    }
    holders: dict[int, list[tuple[date | None, str, str]]] = defaultdict(list)
    earliest = min(r.tmt for r in moves if r.tmt is not None)
    for pk, jabatan_id, end, nip, name in (
        Penempatan.objects.filter(
            jabatan_id__in={r.jabatan_id for r in moves}, kind=JenisPenempatan.DEFINITIF
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=earliest))
        .values_list("id", "jabatan_id", "end_date", "pegawai__nip", "pegawai__name")
    ):
        holders[jabatan_id].append((ending.get(pk, end), nip, f"{name} (NIP {nip})"))
    for r in moves:
        assert r.jabatan_id is not None
        holders[r.jabatan_id].append((None, r.nip, f"NIP {r.nip} (baris {r.row})"))
    refused = []
    for r in moves:
        assert r.jabatan_id is not None and r.tmt is not None
        for end, nip, label in holders[r.jabatan_id]:
            if nip != r.nip and (end is None or end >= r.tmt):
                table.error(
                    r.row,
                    f"jabatan '{single[r.jabatan_id]}' hanya boleh dipegang satu pegawai "
                    f"definitif; sejak {r.tmt:%d-%m-%Y} masih dipegang oleh {label}",
                )
                refused.append(r.nip)
                break
    for nip in refused:
        rows.pop(nip)


def _check_history(instansi: Instansi, table: Table, rows: dict[str, PegawaiRow]) -> None:
    """A new TMT must come after the end of every earlier definitif placement."""
    moves = {r.old.id: r for r in rows.values() if r.old is not None and r.tmt is not None}
    if not moves:
        return
    earliest = min(r.tmt for r in moves.values() if r.tmt is not None)
    latest_end = (
        Penempatan.objects.filter(
            instansi=instansi,
            kind=JenisPenempatan.DEFINITIF,
            end_date__gte=earliest,
        )
        .values("pegawai_id")
        .annotate(last=Max("end_date"))
        .values_list("pegawai_id", "last")
    )
    for pegawai_id, last in latest_end:
        r = moves.get(pegawai_id)
        if r is not None and r.tmt is not None and last >= r.tmt:
            table.error(
                r.row,
                f"TMT jabatan baru ({r.tmt:%d-%m-%Y}) harus sesudah berakhirnya jabatan "
                f"sebelumnya ({last:%d-%m-%Y})",
            )
            rows.pop(r.nip)
