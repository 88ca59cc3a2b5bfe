"""The demo instansi's pegawai as kinerja/plans/demo.py plans their SKPs.

Read in a few queries; raters are worked out in Python (the same walk as
kinerja.org.hierarchy.rater_id_for, on the loaded rows), and each pegawai's level in the rater
tree is kept, so that raters are planned before their staff.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from kinerja.org.models import (
    RATER_JENIS,
    DelegasiPenilai,
    Instansi,
    Jabatan,
    JenisPenempatan,
    Pegawai,
    Penempatan,
)


@dataclass(slots=True, eq=False)
class DemoPegawai:
    id: int
    nip: str
    jabatan_id: int
    jabatan_name: str
    jenis: str
    is_head: bool
    unit_code: str
    unit_name: str
    unit_kind: str
    unit_path: str
    start: date
    rater: int | None = None
    level: int = -1
    status: str | None = None
    rhks: list[tuple[int, str]] = field(default_factory=list)


def load_pegawai(
    instansi: Instansi, year: int
) -> tuple[list[DemoPegawai], dict[int, tuple[str, int | None]]]:
    """The instansi's pegawai (with their unit and dinas) and its jabatan tree, raters set."""
    jan1 = date(year, 1, 1)
    starts = dict(
        Penempatan.objects.filter(
            instansi=instansi, kind=JenisPenempatan.DEFINITIF, end_date__isnull=True
        ).values_list("pegawai_id", "start_date")
    )
    people: list[DemoPegawai] = []
    rows = (
        Pegawai.objects.filter(instansi=instansi, jabatan__isnull=False)
        .order_by("id")
        .values_list(
            "id",
            "nip",
            "jabatan_id",
            "jabatan__name",
            "jabatan__jenis",
            "jabatan__is_unit_head",
            "jabatan__unit__code",
            "jabatan__unit__name",
            "jabatan__unit__kind",
            "jabatan__unit__path",
        )
    )
    for pid, nip, jid, jname, jenis, head, code, uname, kind, path in rows.iterator(5000):
        people.append(
            DemoPegawai(
                pid,
                nip,
                jid,
                jname,
                jenis,
                head,
                code,
                uname,
                kind,
                path,
                max(jan1, starts.get(pid, jan1)),
            )
        )
    tree: dict[int, tuple[str, int | None]] = {
        jid: (jenis, parent)
        for jid, jenis, parent in Jabatan.objects.filter(instansi=instansi).values_list(
            "id", "jenis", "parent_id"
        )
    }
    _set_raters(instansi, people, tree)
    return people, tree


def _set_raters(
    instansi: Instansi, people: list[DemoPegawai], tree: dict[int, tuple[str, int | None]]
) -> None:
    """kinerja.org.hierarchy.rater_id_for for everyone at once, on rows already loaded."""
    today = timezone.localdate()
    holders: dict[int, list[int]] = defaultdict(list)
    for p in people:
        holders[p.jabatan_id].append(p.id)  # definitif holders first
    acting = (
        Penempatan.objects.active_on(today)
        .filter(instansi=instansi)
        .exclude(kind=JenisPenempatan.DEFINITIF)
        .order_by("kind")  # PLH after PLT
        .values_list("jabatan_id", "pegawai_id")
    )
    for jid, pid in acting:
        holders[jid].append(pid)
    delegated = dict(
        DelegasiPenilai.objects.active_on(today)
        .filter(instansi=instansi)
        .order_by("start_date", "id")
        .values_list("pegawai_id", "rater_id")
    )
    for p in people:
        if p.id in delegated:
            p.rater = delegated[p.id]
            continue
        seen, parent = {p.jabatan_id}, tree[p.jabatan_id][1]
        while parent is not None and parent not in seen:
            seen.add(parent)
            jenis, next_parent = tree[parent]
            if jenis in RATER_JENIS:
                p.rater = next((h for h in holders.get(parent, ()) if h != p.id), None)
                if p.rater is not None:
                    break
            parent = next_parent
    by_id = {p.id: p for p in people}

    def level(p: DemoPegawai) -> int:
        if p.level < 0:
            p.level = 0  # a guard against cycles
            rater = by_id.get(p.rater) if p.rater is not None else None
            p.level = level(rater) + 1 if rater is not None else 0
        return p.level

    for p in people:
        level(p)
