"""Planning the import of units and jabatan: validate every row in Python, then write in bulk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kinerja.audit.services import Change

from .import_parse import Columns, Plan, Table, choice, cycle_from, parse_bool
from .models import Instansi, Jabatan, JenisJabatan, JenisUnit, UnitKerja
from .services import JABATAN_FIELDS, UNIT_FIELDS

UNIT_COLUMNS = Columns(("kode", "nama", "jenis", "kode_induk"))
JABATAN_COLUMNS = Columns(("kode", "nama", "jenis", "kode_unit"), ("kode_atasan", "kepala_unit"))
BATCH = 1000
PATH_MAX = UnitKerja._meta.get_field("path").max_length or 255


def _max(model: Any, name: str) -> int:
    return int(model._meta.get_field(name).max_length)


def _code_and_name(
    table: Table, n: int, v: dict[str, str], model: Any, seen: dict[str, int]
) -> bool:
    """Check the `kode` and `nama` cells shared by units and jabatan; False when unusable."""
    ok = True
    code, name = v["kode"], v["nama"]
    if not code:
        table.error(n, "kode wajib diisi")
        ok = False
    elif len(code) > _max(model, "code"):
        table.error(n, f"kode '{code}' lebih dari {_max(model, 'code')} karakter")
        ok = False
    elif code in seen:
        table.error(n, f"kode '{code}' ganda: sudah dipakai di baris {seen[code]}")
        ok = False
    else:
        seen[code] = n
    if not name:
        table.error(n, "nama wajib diisi")
        ok = False
    elif len(name) > _max(model, "name"):
        table.error(n, f"nama lebih dari {_max(model, 'name')} karakter")
        ok = False
    return ok


def _loop_text(loop: list[str]) -> str:
    return " → ".join(loop)


# --- units --------------------------------------------------------------------------------


@dataclass
class _Unit:
    row: int
    code: str
    name: str
    kind: str
    parent: str | None


def plan_units(instansi: Instansi, table: Table) -> Plan:
    existing = {
        r["code"]: r
        for r in UnitKerja.objects.filter(instansi=instansi).values(
            "id", "code", "name", "kind", "parent_id", "path", "depth"
        )
    }
    code_of = {r["id"]: code for code, r in existing.items()}
    seen: dict[str, int] = {}
    rows: dict[str, _Unit] = {}
    for n, v in table.rows:
        ok = _code_and_name(table, n, v, UnitKerja, seen)
        kind = choice(v["jenis"], JenisUnit.values)
        if kind is None:
            table.error(
                n,
                f"jenis unit '{v['jenis']}' tidak dikenal; pilihan: {', '.join(JenisUnit.values)}",
            )
            ok = False
        if v["kode_induk"] and v["kode_induk"] == v["kode"]:
            table.error(n, "kode_induk tidak boleh sama dengan kode unit itu sendiri")
            ok = False
        if ok and kind is not None:
            rows[v["kode"]] = _Unit(n, v["kode"], v["nama"], kind, v["kode_induk"] or None)
    old_parent = {code: code_of.get(r["parent_id"]) for code, r in existing.items()}
    parent_of: dict[str, str | None] = dict(old_parent)
    for unit in rows.values():
        if unit.parent and unit.parent not in seen and unit.parent not in existing:
            table.error(unit.row, f"kode_induk '{unit.parent}' tidak ditemukan")
        else:
            parent_of[unit.code] = unit.parent
    for unit in rows.values():
        loop = cycle_from(unit.code, parent_of)
        if loop:
            table.error(unit.row, f"kode_induk membentuk lingkaran: {_loop_text(loop)}")
    plan = Plan(errors=table.errors)
    new = [u for u in rows.values() if u.code not in existing]
    changed = [
        u
        for u in rows.values()
        if u.code in existing
        and (u.name, u.kind, u.parent)
        != (existing[u.code]["name"], existing[u.code]["kind"], old_parent[u.code])
    ]
    plan.created, plan.updated = len(new), len(changed)
    plan.unchanged = len(rows) - len(new) - len(changed)
    if not table.errors:
        _check_depth(table, rows, parent_of, existing)

    def apply() -> list[Change]:
        return _write_units(instansi, existing, new, changed, parent_of)

    plan.apply = apply
    return plan


def _depths(parent_of: dict[str, str | None]) -> dict[str, int]:
    depth: dict[str, int] = {}
    for start in parent_of:
        chain: list[str] = []
        cursor: str | None = start
        while cursor is not None and cursor not in depth:
            chain.append(cursor)
            cursor = parent_of.get(cursor)
        base = -1 if cursor is None else depth[cursor]
        for offset, code in enumerate(reversed(chain), start=1):
            depth[code] = base + offset
    return depth


def _check_depth(
    table: Table, rows: dict[str, _Unit], parent_of: dict[str, str | None], existing: dict[str, Any]
) -> None:
    """Refuse a tree whose materialised path would not fit the path column."""
    top_id = max((r["id"] for r in existing.values()), default=0) + len(rows)
    digits = len(str(top_id)) + 1
    depth = _depths(parent_of)
    for unit in rows.values():
        if (depth[unit.code] + 1) * digits + 1 > PATH_MAX:
            table.error(unit.row, f"unit terlalu dalam ({depth[unit.code] + 1} tingkat)")


def _write_units(
    instansi: Instansi,
    existing: dict[str, Any],
    new: list[_Unit],
    changed: list[_Unit],
    parent_of: dict[str, str | None],
) -> list[Change]:
    created = [
        UnitKerja(instansi=instansi, code=u.code, name=u.name, kind=u.kind, path="/", depth=0)
        for u in new
    ]
    UnitKerja.objects.bulk_create(created, batch_size=BATCH)
    id_of = {code: r["id"] for code, r in existing.items()} | {u.code: u.pk for u in created}
    paths: dict[str, str] = {}
    for start in parent_of:
        chain: list[str] = []
        cursor: str | None = start
        while cursor is not None and cursor not in paths:
            chain.append(cursor)
            cursor = parent_of.get(cursor)
        prefix = "/" if cursor is None else paths[cursor]
        for code in reversed(chain):
            prefix = paths[code] = f"{prefix}{id_of[code]}/"
    fresh = {u.code: u for u in (*new, *changed)}
    to_save: list[UnitKerja] = []
    for code, uid in id_of.items():
        old = existing.get(code)
        path = paths[code]
        if code not in fresh and old is not None and old["path"] == path:
            continue
        unit = UnitKerja(pk=uid, instansi=instansi, path=path, depth=path.count("/") - 2)
        parent = parent_of.get(code)
        unit.parent_id = id_of[parent] if parent else None
        source = fresh.get(code)
        unit.code = code
        unit.name = source.name if source else old["name"] if old else ""
        unit.kind = source.kind if source else old["kind"] if old else ""
        to_save.append(unit)
    UnitKerja.objects.bulk_update(
        to_save, ["name", "kind", "parent", "path", "depth"], batch_size=BATCH
    )
    changes: list[Change] = []
    for u in (*new, *changed):
        parent = parent_of.get(u.code)
        after: dict[str, Any] = {"code": u.code, "name": u.name, "kind": u.kind}
        after["parent_id"] = id_of[parent] if parent else None
        before = {} if u.code not in existing else {f: existing[u.code][f] for f in UNIT_FIELDS}
        action = "unit_update" if before else "unit_create"
        changes.append(Change(action, "unit_kerja", id_of[u.code], before, after))
    return changes


# --- jabatan ------------------------------------------------------------------------------


@dataclass
class _Jabatan:
    row: int
    code: str
    name: str
    jenis: str
    unit_id: int
    parent: str | None
    is_unit_head: bool


def plan_jabatan(instansi: Instansi, table: Table) -> Plan:
    units = dict(UnitKerja.objects.filter(instansi=instansi).values_list("code", "id"))
    unit_code = {uid: code for code, uid in units.items()}
    existing = {
        r["code"]: r
        for r in Jabatan.objects.filter(instansi=instansi).values("id", *JABATAN_FIELDS)
    }
    code_of = {r["id"]: code for code, r in existing.items()}
    has_parent, has_head = "kode_atasan" in table.present, "kepala_unit" in table.present
    seen: dict[str, int] = {}
    rows: dict[str, _Jabatan] = {}
    for n, v in table.rows:
        ok = _code_and_name(table, n, v, Jabatan, seen)
        old = existing.get(v["kode"])
        jenis = choice(v["jenis"], JenisJabatan.values)
        if jenis is None:
            table.error(
                n,
                f"jenis jabatan '{v['jenis']}' tidak dikenal; "
                f"pilihan: {', '.join(JenisJabatan.values)}",
            )
            ok = False
        unit_id = units.get(v["kode_unit"])
        if unit_id is None:
            what = f"'{v['kode_unit']}' tidak ditemukan" if v["kode_unit"] else "wajib diisi"
            table.error(n, f"kode_unit {what}")
            ok = False
        if has_parent:
            parent = v["kode_atasan"] or None
        else:
            parent = code_of.get(old["parent_id"]) if old else None
        if parent is not None and parent == v["kode"]:
            table.error(n, "kode_atasan tidak boleh sama dengan kode jabatan itu sendiri")
            ok = False
        head: bool | None = bool(old and old["is_unit_head"])
        if has_head:
            head = parse_bool(v["kepala_unit"])
            if head is None:
                table.error(
                    n,
                    f"kepala_unit '{v['kepala_unit']}' tidak dikenal; isi ya/tidak, 1/0, "
                    "atau true/false",
                )
                ok = False
        if ok and jenis is not None and unit_id is not None and head is not None:
            rows[v["kode"]] = _Jabatan(n, v["kode"], v["nama"], jenis, unit_id, parent, head)
    parent_of: dict[str, str | None] = {
        code: code_of.get(r["parent_id"]) for code, r in existing.items()
    }
    for j in rows.values():
        if j.parent and j.parent not in seen and j.parent not in existing:
            table.error(j.row, f"kode_atasan '{j.parent}' tidak ditemukan")
        else:
            parent_of[j.code] = j.parent
    for j in rows.values():
        loop = cycle_from(j.code, parent_of)
        if loop:
            table.error(j.row, f"kode_atasan membentuk lingkaran: {_loop_text(loop)}")
    _check_heads(table, rows, seen, existing, unit_code)
    plan = Plan(errors=table.errors)
    new = [j for j in rows.values() if j.code not in existing]
    changed = [j for j in rows.values() if j.code in existing and _differs(j, existing, code_of)]
    plan.created, plan.updated = len(new), len(changed)
    plan.unchanged = len(rows) - len(new) - len(changed)

    def apply() -> list[Change]:
        return _write_jabatan(instansi, existing, new, changed)

    plan.apply = apply
    return plan


def _differs(j: _Jabatan, existing: dict[str, Any], code_of: dict[int, str]) -> bool:
    old = existing[j.code]
    before = (old["name"], old["jenis"], old["unit_id"], code_of.get(old["parent_id"]))
    return (j.name, j.jenis, j.unit_id, j.parent) != before or j.is_unit_head != old["is_unit_head"]


def _check_heads(
    table: Table,
    rows: dict[str, _Jabatan],
    seen: dict[str, int],
    existing: dict[str, Any],
    unit_code: dict[int, str],
) -> None:
    """At most one kepala unit per unit, counting the jabatan that the file does not mention."""
    head_of: dict[int, tuple[str, int | None]] = {
        r["unit_id"]: (code, None)
        for code, r in existing.items()
        if r["is_unit_head"] and code not in seen
    }
    for j in sorted(rows.values(), key=lambda j: j.row):
        if not j.is_unit_head:
            continue
        holder = head_of.get(j.unit_id)
        if holder is None:
            head_of[j.unit_id] = (j.code, j.row)
            continue
        where = f"baris {holder[1]}" if holder[1] else "sudah tersimpan"
        table.error(
            j.row,
            f"unit '{unit_code[j.unit_id]}' sudah punya kepala unit: jabatan '{holder[0]}' "
            f"({where}); satu unit hanya boleh satu kepala",
        )


def _write_jabatan(
    instansi: Instansi, existing: dict[str, Any], new: list[_Jabatan], changed: list[_Jabatan]
) -> list[Change]:
    # Demote first, so that a head moving between jabatan never meets the one-head constraint.
    demote = [
        Jabatan(pk=existing[j.code]["id"], is_unit_head=False)
        for j in changed
        if existing[j.code]["is_unit_head"]
        and (not j.is_unit_head or j.unit_id != existing[j.code]["unit_id"])
    ]
    Jabatan.objects.bulk_update(demote, ["is_unit_head"], batch_size=BATCH)
    created = [
        Jabatan(
            instansi=instansi,
            code=j.code,
            name=j.name,
            jenis=j.jenis,
            unit_id=j.unit_id,
            is_unit_head=j.is_unit_head,
        )
        for j in new
    ]
    Jabatan.objects.bulk_create(created, batch_size=BATCH)
    id_of = {code: r["id"] for code, r in existing.items()} | {j.code: j.pk for j in created}
    to_save = []
    for j in (*new, *changed):
        row = Jabatan(pk=id_of[j.code], code=j.code, name=j.name, jenis=j.jenis)
        row.unit_id, row.is_unit_head = j.unit_id, j.is_unit_head
        row.parent_id = id_of[j.parent] if j.parent else None
        to_save.append(row)
    Jabatan.objects.bulk_update(
        to_save, ["name", "jenis", "unit", "parent", "is_unit_head"], batch_size=BATCH
    )
    changes = []
    for row in to_save:
        before = existing.get(row.code)
        after = {f: getattr(row, f) for f in JABATAN_FIELDS}
        old = {f: before[f] for f in JABATAN_FIELDS} if before else {}
        action = "jabatan_update" if before else "jabatan_create"
        changes.append(Change(action, "jabatan", row.pk, old, after))
    return changes
