"""The hash of an audit event: pure, so audit_verify recomputes exactly what was written."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

GENESIS_HASH = "0" * 64


def event_payload(
    *,
    prev_hash: str,
    scope: int,
    sequence: int,
    at: datetime,
    actor_id: int | None,
    action: str,
    target_type: str,
    target_id: str,
    old_values: dict[str, Any],
    new_values: dict[str, Any],
    request_id: str,
) -> str:
    """The canonical text that is hashed (also rebuilt in SQL by audit.sql_append)."""
    return json.dumps(
        [
            prev_hash,
            scope,
            sequence,
            at.isoformat(timespec="microseconds"),
            actor_id,
            action,
            target_type,
            target_id,
            old_values,
            new_values,
            request_id,
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )


def event_hash(
    *,
    prev_hash: str,
    scope: int,
    sequence: int,
    at: datetime,
    actor_id: int | None,
    action: str,
    target_type: str,
    target_id: str,
    old_values: dict[str, Any],
    new_values: dict[str, Any],
    request_id: str,
) -> str:
    payload = event_payload(
        prev_hash=prev_hash, scope=scope, sequence=sequence, at=at, actor_id=actor_id,
        action=action, target_type=target_type, target_id=target_id, old_values=old_values,
        new_values=new_values, request_id=request_id,
    )  # fmt: skip
    return hashlib.sha256(payload.encode()).hexdigest()
