"""Appending one audit event inside a single PostgreSQL statement (a hot write path).

`record` (services.py) needs four round trips of its own: lock the chain head, insert the
event, move the head, and the service's own statement. A path that must cost about one round
trip (recording a realisasi through the API, docs/performance.md) instead builds its write as
one `WITH … INSERT` statement and asks this module for the CTEs that lock the scope's chain
head, insert the event with the hash computed by PostgreSQL, and move the head: the same event,
the same chain, in the same transaction as the write it records (autocommit: one statement).

The hash is the one `chain.event_hash` computes: the canonical text is made by
`chain.event_payload` itself with placeholders where the statement supplies a value (the
previous hash, the sequence, and the integers the write produces, such as the new row's id),
and PostgreSQL fills them in with `replace` and hashes with `sha256`. audit_verify recomputes it
in Python, so any difference shows up as a broken chain (tested).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .chain import event_payload

# Placeholders: the previous hash as a string (no request id or hex hash carries "@"), integers
# as 19-digit numbers; each must occur exactly once in the canonical text (checked).
_PREV = "@@audit-prev@@"
_INT_BASE = 7_391_000_000_000_000_000


@dataclass(frozen=True)
class Sql:
    """An integer-valued SQL expression over the source row (alias `src`)."""

    expr: str


class NotExpressible(ValueError):
    """The event cannot be built in SQL (a placeholder collided with a constant part)."""


@dataclass(frozen=True)
class Append:
    """CTEs to put in a WITH clause, in this order: `head_cte` (before the write, which must
    depend on it: `WHERE EXISTS (SELECT 1 FROM audit_head)`, so that a scope without a chain
    head writes nothing and the caller takes the ordinary path), then `event_ctes` (after it)."""

    head_cte: str
    event_ctes: str
    params: dict[str, Any]


def append_one(
    *,
    scope_from: str,
    source: str,
    actor: Sql,
    action: str,
    target_type: str,
    target_id: Sql,
    new: dict[str, Any],
    at: datetime,
    request_id: str,
) -> Append:
    """One event for the single row of CTE `source`, in the scope that `scope_from` (a
    one-row, one-column subquery) names. `new` values are constants or `Sql` integers."""
    sql_values: dict[int, str] = {}

    def placeholder(value: Sql) -> int:
        number = _INT_BASE + len(sql_values)
        sql_values[number] = value.expr
        return number

    sequence_mark = placeholder(Sql("(audit_head.sequence + 1)"))
    scope_mark = placeholder(Sql("audit_head.scope"))
    actor_mark = placeholder(actor)
    target_mark = placeholder(target_id)
    new_marked = {k: placeholder(v) if isinstance(v, Sql) else v for k, v in new.items()}
    text = event_payload(
        prev_hash=_PREV, scope=scope_mark, sequence=sequence_mark, at=at, actor_id=actor_mark,
        action=action, target_type=target_type, target_id=str(target_mark), old_values={},
        new_values=new_marked, request_id=request_id,
    )  # fmt: skip
    for mark in [_PREV, *(str(n) for n in sql_values)]:
        if text.count(mark) != 1:
            raise NotExpressible("an audit placeholder is ambiguous in this event")
    # PostgreSQL fills the placeholders in: replace(replace(%(audit_text)s, mark, value), …).
    filled = "%(audit_text)s::text"
    filled = f"replace({filled}, '{_PREV}', audit_head.last_hash)"
    for number, expr in sql_values.items():
        filled = f"replace({filled}, '{number}', ({expr})::text)"
    params: dict[str, Any] = {"audit_text": text}
    constant = {k: v for k, v in new.items() if not isinstance(v, Sql)}
    computed = ", ".join(f"'{k}', {v.expr}" for k, v in new.items() if isinstance(v, Sql))
    new_sql = "%(audit_new)s::jsonb" + (f" || jsonb_build_object({computed})" if computed else "")
    params.update(
        audit_at=at,
        audit_action=action,
        audit_target_type=target_type,
        audit_new=json.dumps(constant, default=str),
        audit_request_id=request_id,
    )
    # `scope_from` comes from code, never from input.
    lock = "SELECT scope, sequence, last_hash FROM audit_auditchainhead WHERE scope = "
    head_cte = f"audit_head AS ({lock}({scope_from}) FOR UPDATE)"
    event_ctes = f"""audit_event AS (
  INSERT INTO audit_auditevent (scope, sequence, at, actor_id, action, target_type, target_id,
    old_values, new_values, request_id, prev_hash, hash)
  SELECT audit_head.scope, audit_head.sequence + 1, %(audit_at)s::timestamptz, {actor.expr},
    %(audit_action)s::text, %(audit_target_type)s::text, ({target_id.expr})::text, '{{}}'::jsonb,
    {new_sql}, %(audit_request_id)s::text, audit_head.last_hash,
    encode(sha256(convert_to({filled}, 'UTF8')), 'hex')
  FROM {source} AS src, audit_head
  RETURNING scope, sequence, hash
),
audit_head_moved AS (
  UPDATE audit_auditchainhead SET sequence = audit_event.sequence,
    last_hash = audit_event.hash
  FROM audit_event WHERE audit_auditchainhead.scope = audit_event.scope
)"""  # noqa: S608 - every value is a parameter; expressions come from code, not input
    return Append(head_cte=head_cte, event_ctes=event_ctes, params=params)
