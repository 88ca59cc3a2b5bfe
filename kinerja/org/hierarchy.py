"""Pejabat Penilai Kinerja: who rates whom on a given day.

Rules (P6/2022 Pasal 1 angka 9 and the project's decisions, docs/rules.md):
1. An active DelegasiPenilai for the pegawai wins.
2. Otherwise walk up the jabatan tree from the pegawai's definitif jabatan. The first ancestor
   jabatan that may rate (JPT, Administrator, Pengawas) and has a holder other than the pegawai
   gives the rater: the definitif holder, else a Plt, else a Plh. A vacant jabatan, or one that
   may not rate, passes the walk on upward.
3. Nobody is their own rater, and the walk stops on a repeated jabatan (no cycles).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.utils import timezone

from .models import (
    RATER_JENIS,
    DelegasiPenilai,
    Jabatan,
    JenisPenempatan,
    Pegawai,
    Penempatan,
)

_KIND_PRIORITY = {JenisPenempatan.DEFINITIF: 0, JenisPenempatan.PLT: 1, JenisPenempatan.PLH: 2}
MAX_CHAIN = 64


def _holders(jabatan_ids: list[int], day: date) -> dict[int, list[tuple[int, int]]]:
    """jabatan id -> [(priority, pegawai id)] of active holders, best first."""
    found: dict[int, list[tuple[int, int]]] = defaultdict(list)
    rows = (
        Penempatan.objects.active_on(day)
        .filter(jabatan_id__in=jabatan_ids)
        .values_list("jabatan_id", "pegawai_id", "kind")
    )
    for jabatan_id, pegawai_id, kind in rows:
        found[jabatan_id].append((_KIND_PRIORITY[JenisPenempatan(kind)], pegawai_id))
    for holders in found.values():
        holders.sort()
    return found


def rater_id_for(pegawai: Pegawai, on: date | None = None) -> int | None:
    day = on or timezone.localdate()
    delegated = (
        DelegasiPenilai.objects.active_on(day)
        .filter(pegawai_id=pegawai.pk)
        .order_by("-start_date", "-id")
        .values_list("rater_id", flat=True)
        .first()
    )
    if delegated is not None:
        return delegated
    jabatan_id = (
        Penempatan.objects.active_on(day)
        .filter(pegawai_id=pegawai.pk, kind=JenisPenempatan.DEFINITIF)
        .values_list("jabatan_id", flat=True)
        .first()
    )
    if jabatan_id is None:
        return None
    seen = {jabatan_id}
    parent_id = Jabatan.objects.filter(pk=jabatan_id).values_list("parent_id", flat=True).get()
    while parent_id is not None and parent_id not in seen and len(seen) < MAX_CHAIN:
        seen.add(parent_id)
        jenis, next_parent = (
            Jabatan.objects.filter(pk=parent_id).values_list("jenis", "parent_id").get()
        )
        if jenis in RATER_JENIS:
            for _priority, holder_id in _holders([parent_id], day).get(parent_id, []):
                if holder_id != pegawai.pk:
                    return holder_id
        parent_id = next_parent
    return None


def rater_for(pegawai: Pegawai, on: date | None = None) -> Pegawai | None:
    rater_id = rater_id_for(pegawai, on)
    if rater_id is None:
        return None
    return Pegawai.objects.select_related("jabatan", "jabatan__unit").get(pk=rater_id)


def rater_chain_ids(pegawai: Pegawai, on: date | None = None) -> list[int]:
    """The pegawai's rater, the rater's rater, … up to the top; stops before any repeat."""
    chain: list[int] = []
    seen = {pegawai.pk}
    current: Pegawai | None = pegawai
    while current is not None and len(chain) < MAX_CHAIN:
        next_id = rater_id_for(current, on)
        if next_id is None or next_id in seen:
            break
        chain.append(next_id)
        seen.add(next_id)
        current = Pegawai.objects.only("id").get(pk=next_id)
    return chain


def subordinate_ids(rater: Pegawai, on: date | None = None) -> set[int]:
    """Everyone whose Pejabat Penilai Kinerja is `rater` on that day.

    Queries grow with the depth of the jabatan tree below the rater, not with head count.
    """
    day = on or timezone.localdate()
    held = list(
        Penempatan.objects.active_on(day)
        .filter(pegawai_id=rater.pk)
        .values_list("jabatan_id", "jabatan__jenis")
    )
    frontier = [jid for jid, jenis in held if jenis in RATER_JENIS]
    # A rater only rates through a jabatan where they are the best holder.
    best = _holders(frontier, day)
    frontier = [jid for jid in frontier if best.get(jid) and best[jid][0][1] == rater.pk]
    found: set[int] = set()
    seen = set(frontier)
    while frontier:
        children = list(Jabatan.objects.filter(parent_id__in=frontier).values_list("id", "jenis"))
        child_ids = [cid for cid, _ in children if cid not in seen]
        seen.update(child_ids)
        holders = _holders(child_ids, day)
        next_frontier: list[int] = []
        for child_id, jenis in children:
            if child_id not in child_ids:
                continue
            definitif = [pid for prio, pid in holders.get(child_id, []) if prio == 0]
            found.update(definitif)
            best_holder = holders.get(child_id, [])
            if jenis not in RATER_JENIS or not best_holder:
                next_frontier.append(child_id)
        frontier = next_frontier
    delegated_away = set(
        DelegasiPenilai.objects.active_on(day)
        .filter(pegawai_id__in=found)
        .exclude(rater_id=rater.pk)
        .values_list("pegawai_id", flat=True)
    )
    delegated_in = set(
        DelegasiPenilai.objects.active_on(day)
        .filter(rater_id=rater.pk)
        .values_list("pegawai_id", flat=True)
    )
    return (found - delegated_away - {rater.pk}) | delegated_in
