"""Writing audit events. Call inside the service's own transaction.

`record` appends one event; `record_many` appends a batch (imports). Both lock the scope's chain
head so that concurrent writers cannot fork the chain.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction

from kinerja.core.middleware import current_request_id

from .chain import GENESIS_HASH, event_hash
from .models import AuditChainHead, AuditEvent


@dataclass(frozen=True)
class Change:
    action: str
    target_type: str
    target_id: int | str
    old: dict[str, Any] = field(default_factory=dict)
    new: dict[str, Any] = field(default_factory=dict)


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    # Round-trip through JSON so the hash covers exactly what the database stores.
    loaded: dict[str, Any] = json.loads(json.dumps(values, default=str))
    return loaded


def _lock_head(scope: int) -> AuditChainHead:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit events must be recorded inside the service's transaction")
    AuditChainHead.objects.get_or_create(scope=scope, defaults={"last_hash": GENESIS_HASH})
    if connection.features.has_select_for_update:
        return AuditChainHead.objects.select_for_update().get(scope=scope)
    return AuditChainHead.objects.get(scope=scope)


def record_many(
    changes: Sequence[Change] | Iterable[Change],
    *,
    by: AbstractBaseUser | AnonymousUser | None,
    scope: int,
) -> list[AuditEvent]:
    head = _lock_head(scope)
    actor_id = by.pk if by is not None and by.is_authenticated else None
    request_id = current_request_id.get()
    at = datetime.now(UTC)
    events: list[AuditEvent] = []
    prev, sequence = head.last_hash, head.sequence
    for change in changes:
        sequence += 1
        old, new = _jsonable(change.old), _jsonable(change.new)
        digest = event_hash(
            prev_hash=prev,
            scope=scope,
            sequence=sequence,
            at=at,
            actor_id=actor_id,
            action=change.action,
            target_type=change.target_type,
            target_id=str(change.target_id),
            old_values=old,
            new_values=new,
            request_id=request_id,
        )
        events.append(
            AuditEvent(
                scope=scope,
                sequence=sequence,
                at=at,
                actor_id=actor_id,
                action=change.action,
                target_type=change.target_type,
                target_id=str(change.target_id),
                old_values=old,
                new_values=new,
                request_id=request_id,
                prev_hash=prev,
                hash=digest,
            )
        )
        prev = digest
    if not events:
        return events
    AuditEvent.objects.bulk_create(events, batch_size=2000)
    head.last_hash, head.sequence = prev, sequence
    head.save(update_fields=["last_hash", "sequence"])
    return events


def record(
    action: str,
    *,
    by: AbstractBaseUser | AnonymousUser | None,
    scope: int,
    target_type: str,
    target_id: int | str,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
) -> AuditEvent:
    change = Change(action, target_type, target_id, old or {}, new or {})
    return record_many([change], by=by, scope=scope)[0]
