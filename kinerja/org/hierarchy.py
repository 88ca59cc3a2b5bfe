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


def _distinct(holders: list[tuple[int, int]]) -> list[int]:
    """Holder ids in priority order, each once."""
    order: list[int] = []
    for _priority, pegawai_id in holders:
        if pegawai_id not in order:
            order.append(pegawai_id)
    return order


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
    rating = [jid for jid, jenis in held if jenis in RATER_JENIS]
    # A rater rates through a jabatan where they are the first holder other than the pegawai
    # walking up: for everyone when they are its best holder, and for the best holder alone
    # when they come second (a Plt cannot rate themselves; the next holder rates them).
    # `frontier` maps a jabatan to whose walk reaches the rater through it (None: anyone's).
    best = _holders(rating, day)
    frontier: dict[int, int | None] = {}
    for jid in rating:
        order = _distinct(best.get(jid, []))
        if order[:1] == [rater.pk]:
            frontier[jid] = None
        elif order[1:2] == [rater.pk]:
            frontier[jid] = order[0]
    found: set[int] = set()
    seen = set(frontier)
    while frontier:
        children = list(
            Jabatan.objects.filter(parent_id__in=list(frontier)).values_list(
                "id", "parent_id", "jenis"
            )
        )
        holders = _holders([cid for cid, _, _ in children], day)
        next_frontier: dict[int, int | None] = {}
        for child_id, parent_id, jenis in children:
            only = frontier[parent_id]
            found.update(
                pid for prio, pid in holders.get(child_id, []) if prio == 0 and only in (None, pid)
            )
            if child_id in seen:  # walked already (the rater holds it too), or a loop
                continue
            seen.add(child_id)
            order = _distinct(holders.get(child_id, []))
            if jenis not in RATER_JENIS or not order:
                next_frontier[child_id] = only  # vacant or may not rate: the walk passes on
            elif len(order) == 1 and only in (None, order[0]):
                next_frontier[child_id] = order[0]  # only its own holder walks past it
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
