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
    heads = AuditChainHead.objects.filter(scope=scope)
    if connection.features.has_select_for_update:
        heads = heads.select_for_update()
    # The head exists after the scope's first event: lock it in one query (a plain read before
    # the lock cost every audited write a round trip).
    head = heads.first()
    if head is None:
        AuditChainHead.objects.get_or_create(scope=scope, defaults={"last_hash": GENESIS_HASH})
        head = heads.get()
    return head


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
    if len(events) < PLAIN_INSERT_FROM:
        AuditEvent.objects.bulk_create(events, batch_size=2000)
    else:
        _insert_plain(events)
    head.last_hash, head.sequence = prev, sequence
    head.save(update_fields=["last_hash", "sequence"])
    return events


# A batch this large (an import) is inserted with executemany: Django's bulk_create spends
# ~100 µs per event preparing its fields, which made audit the slowest part of a
# 100,000-row import.
PLAIN_INSERT_FROM = 200
_PLAIN_COLUMNS = (
    "scope",
    "sequence",
    "at",
    "actor_id",
    "action",
    "target_type",
    "target_id",
    "old_values",
    "new_values",
    "request_id",
    "prev_hash",
    "hash",
)


def _insert_plain(events: list[AuditEvent]) -> None:
    """INSERT a batch of one scope and one moment, then give each event its primary key."""
    meta = AuditEvent._meta
    columns = {str(f.column) for f in meta.concrete_fields if not f.primary_key}
    if columns != set(_PLAIN_COLUMNS):  # a new field must be added here too
        raise RuntimeError(f"AuditEvent columns changed: {sorted(columns)}")
    conn = transaction.get_connection()
    old_field, new_field = meta.get_field("old_values"), meta.get_field("new_values")
    first = events[0]
    at = meta.get_field("at").get_db_prep_save(first.at, conn)
    rows = [
        (
            e.scope,
            e.sequence,
            at,
            e.actor_id,
            e.action,
            e.target_type,
            e.target_id,
            old_field.get_db_prep_save(e.old_values, conn),
            new_field.get_db_prep_save(e.new_values, conn),
            e.request_id,
            e.prev_hash,
            e.hash,
        )
        for e in events
    ]
    qn = conn.ops.quote_name
    names = ", ".join(qn(c) for c in _PLAIN_COLUMNS)
    marks = ", ".join(["%s"] * len(_PLAIN_COLUMNS))
    sql = f"INSERT INTO {qn(meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608
    with conn.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])
    ids = dict(
        AuditEvent.objects.filter(
            scope=first.scope, sequence__gte=first.sequence, sequence__lte=events[-1].sequence
        ).values_list("sequence", "id")
    )
    for e in events:
        e.pk = ids[e.sequence]
        e._state.adding, e._state.db = False, conn.alias


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
