"""Recording a plain realisasi (no file, link or rencana aksi) through the API in ONE statement.

The ordinary path (`services.realisasi_record`) makes 12-13 round trips: the bearer token, the
IKI with its SKP, BEGIN, the idempotency key, the cadence, the period lock, the INSERT, three for
the audit chain, COMMIT and the read-back. The API is what phones and other systems call many
times a day, so on PostgreSQL its common case is one autocommit `WITH … INSERT` that
re-checks every rule of the ordinary path and writes the entry with its audit event, or writes
nothing (docs/progress.md, docs/performance.md):

- the token is valid (not revoked, its user active) and its user owns the IKI's SKP;
- the SKP is approved, covers the day and today, is of this year, and is the current version:
  while a perubahan SKP is pending, the version in force is not current, and its entries take
  the ordinary path, which locks the version against the approval moving its entries
  (`services.lock_version`); a current version cannot be replaced while the statement runs,
  since the perubahan's own writes wait for the instansi's audit chain head it holds;
- the day is not in the future and lies in the current period of the instansi's cadence;
- the period (or the whole year, period 0) is not locked by a final evaluation (on this
  version of the SKP or an earlier one);
- a quantitative IKI with a target gets a value;
- the idempotency key is new for this user (ON CONFLICT DO NOTHING);
- the instansi's audit chain head exists (locked FOR UPDATE, as `audit.record` does).

When any of these fails the statement writes nothing and returns no row, and the caller runs
the ordinary service, which finds the reason and answers with its message (or, for a replayed
idempotency key, the first entry). So the fast path only ever accepts what the ordinary path
accepts; tests/test_quick.py compares the two over every rule.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from kinerja.accounts.models import hash_token
from kinerja.audit.sql_append import NotExpressible, Sql, append_one
from kinerja.core import prepared
from kinerja.core.errors import ServiceError
from kinerja.core.middleware import current_request_id

from . import services
from .models import Realisasi

TOKEN_TOUCH_SECONDS = 60  # as TokenAuth: last_used_at is refreshed at most once a minute


def available() -> bool:
    return connection.vendor == "postgresql"


def _period_starts(today: date) -> tuple[date, date]:
    return today.replace(day=1), date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)


_STATEMENT = """
WITH token AS (
  SELECT t.id AS token_id, t.user_id FROM accounts_apitoken t
  JOIN accounts_user u ON u.id = t.user_id
  WHERE t.token_hash = %(token_hash)s::text AND t.revoked_at IS NULL AND u.is_active
),
target AS (
  SELECT s.instansi_id, s.id AS skp_id, i.id AS iki_id, s.pegawai_id, token.user_id,
    CASE WHEN COALESCE(k.cadence, 'TRIWULANAN') = 'BULANAN' THEN %(month)s::int
      ELSE %(quarter)s::int END AS period
  FROM plans_iki i
  JOIN plans_rhk r ON r.id = i.rhk_id
  JOIN plans_skp s ON s.id = r.skp_id
  JOIN org_pegawai p ON p.id = s.pegawai_id
  JOIN token ON token.user_id = p.user_id
  LEFT JOIN plans_tahunkinerja k ON k.instansi_id = s.instansi_id AND k.year = s.year
  WHERE i.id = %(iki_id)s::bigint AND s.status = 'DISETUJUI' AND s.year = %(year)s::int
    AND s.start_date <= %(day)s::date AND %(today)s::date <= s.end_date
    AND %(day)s::date >= CASE WHEN COALESCE(k.cadence, 'TRIWULANAN') = 'BULANAN'
      THEN %(month_start)s::date ELSE %(quarter_start)s::date END
    AND (%(has_value)s::boolean OR s.pendekatan <> 'KUANTITATIF' OR i.target_value IS NULL)
    AND s.is_current
    AND NOT EXISTS (
      SELECT 1 FROM progress_periodeterkunci l JOIN plans_skp v ON v.id = l.skp_id
      WHERE v.pegawai_id = s.pegawai_id AND v.year = s.year AND v.jabatan_id = s.jabatan_id
        AND l.period IN (0, CASE WHEN COALESCE(k.cadence, 'TRIWULANAN')
        = 'BULANAN' THEN %(month)s::int ELSE %(quarter)s::int END)
    )
),
{audit_head},
entry AS (
  INSERT INTO progress_realisasi (instansi_id, skp_id, iki_id, pegawai_id, period, date, value,
    narrative, rencana_aksi_id, corrects_id, correction_reason, idempotency_key, created_by_id,
    created_at)
  SELECT instansi_id, skp_id, iki_id, pegawai_id, period, %(day)s::date, %(value)s::numeric,
    %(narrative)s::text, NULL, NULL, '', %(key)s::text, user_id, %(now)s::timestamptz
  FROM target WHERE EXISTS (SELECT 1 FROM audit_head)
  ON CONFLICT (created_by_id, idempotency_key) WHERE idempotency_key <> '' DO NOTHING
  RETURNING id, skp_id, iki_id, period, date, value, narrative, idempotency_key,
    created_by_id, created_at
),
{audit_events},
token_touched AS (
  UPDATE accounts_apitoken SET last_used_at = %(now)s::timestamptz
  WHERE id = (SELECT token_id FROM token) AND EXISTS (SELECT 1 FROM entry)
    AND (last_used_at IS NULL OR last_used_at < %(stale)s::timestamptz)
)
SELECT id, skp_id, iki_id, period, date, value, narrative, idempotency_key, created_by_id,
  created_at FROM entry
"""


_RETURNED = ("id", "skp_id", "iki_id", "period", "date", "value", "narrative", "idempotency_key",
             "created_by_id", "created_at")  # fmt: skip


def realisasi_record_quick(
    *, token: str, iki_id: int, day: date, value: Any, narrative: str, key: str
) -> Realisasi | None:
    """Record the entry and its audit event in one statement, or return None (nothing written)
    when any rule of `services.realisasi_record` could refuse it (or on SQLite): the caller then
    runs that, which explains."""
    if not available():
        return None
    try:
        amount = services.parse_value(value)
    except ServiceError:
        return None  # the ordinary path checks the caller first, then answers 400
    today = timezone.localdate()
    narrative = narrative.strip()
    if day > today or (amount is None and not narrative) or len(key) > 64:
        return None
    now = timezone.now()
    month_start, quarter_start = _period_starts(today)
    try:
        audit = append_one(
            scope_from="SELECT instansi_id FROM target",
            source="entry",
            actor=Sql("src.created_by_id"),
            action="realisasi_record",
            target_type="skp",
            target_id=Sql("src.skp_id"),
            new={
                "realisasi_id": Sql("src.id"),
                "iki_id": Sql("src.iki_id"),
                "date": day.isoformat(),
                "value": str(amount) if amount is not None else None,
                "period": Sql("src.period"),
            },
            at=now,
            request_id=current_request_id.get(),
        )
    except NotExpressible:
        return None
    sql = _STATEMENT.format(audit_head=audit.head_cte, audit_events=audit.event_ctes)
    params = {
        "token_hash": hash_token(token),
        "iki_id": iki_id,
        "year": today.year,
        "day": day,
        "today": today,
        "month": today.month,
        "quarter": (today.month - 1) // 3 + 1,
        "month_start": month_start,
        "quarter_start": quarter_start,
        "has_value": amount is not None,
        "value": amount,
        "narrative": narrative,
        "key": key,
        "now": now,
        "stale": now - timedelta(seconds=TOKEN_TOUCH_SECONDS),
        **audit.params,
    }
    with connection.cursor() as cursor:
        row = prepared.execute(cursor, sql, params)
    if row is None:
        return None
    entry = Realisasi(**dict(zip(_RETURNED, row, strict=True)))
    entry._state.adding, entry._state.db = False, connection.alias
    return entry
