"""Recompute every chain and report the first break in each scope."""

from __future__ import annotations

from dataclasses import dataclass

from .chain import GENESIS_HASH, event_hash
from .models import AuditChainHead, AuditEvent


@dataclass(frozen=True)
class ChainBreak:
    scope: int
    sequence: int
    reason: str


def verify_chains() -> tuple[int, list[ChainBreak]]:
    """Return (events checked, breaks). Streams events in chain order."""
    breaks: list[ChainBreak] = []
    checked = 0
    heads = {h.scope: h for h in AuditChainHead.objects.all()}
    scopes = sorted(set(heads) | set(AuditEvent.objects.values_list("scope", flat=True).distinct()))
    for scope in scopes:
        prev, expected_seq = GENESIS_HASH, 0
        broken = False
        rows = AuditEvent.objects.filter(scope=scope).order_by("sequence").iterator(chunk_size=5000)
        for event in rows:
            checked += 1
            expected_seq += 1
            if broken:
                continue
            reason = ""
            if event.sequence != expected_seq:
                reason = f"urutan hilang: diharapkan {expected_seq}, ditemukan {event.sequence}"
            elif event.prev_hash != prev:
                reason = "hash sebelumnya tidak cocok (kejadian dihapus atau disisipkan)"
            else:
                digest = event_hash(
                    prev_hash=event.prev_hash,
                    scope=event.scope,
                    sequence=event.sequence,
                    at=event.at,
                    actor_id=event.actor_id,
                    action=event.action,
                    target_type=event.target_type,
                    target_id=event.target_id,
                    old_values=event.old_values,
                    new_values=event.new_values,
                    request_id=event.request_id,
                )
                if digest != event.hash:
                    reason = "isi kejadian berubah setelah dicatat"
            if reason:
                breaks.append(ChainBreak(scope, event.sequence, reason))
                broken = True
            prev = event.hash
        head = heads.get(scope)
        if not broken and head is None and expected_seq:
            # Without its head a chain could lose its last events unnoticed.
            breaks.append(ChainBreak(scope, expected_seq, "kepala rantai hilang"))
        elif (
            not broken
            and head is not None
            and (head.sequence, head.last_hash)
            != (
                expected_seq,
                prev,
            )
        ):
            breaks.append(ChainBreak(scope, expected_seq, "kejadian terakhir hilang dari rantai"))
    return checked, breaks
