"""SKM responses in bulk for bench_skm.py, written with COPY (PostgreSQL only).

`ROWS` responses spread over the bench layanan, CURRENT_SHARE of them in each layanan's current
period and the rest in the previous one, answers drawn from a fixed pool of varied
questionnaires. Every row looks like an online answer (token hash and fingerprint filled, as
the public path writes them). The secondary indexes are dropped and rebuilt in the same
transaction (a crash rolls back to the old indexes) and the foreign-key triggers are skipped
during the COPY (the ids are the bench's own layanan and periods); the caller runs VACUUM
ANALYZE so the IKM GROUP BY can read `skm_ikm_idx` alone.

Runs inside a process where Django is set up on the bench database.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

TABLE = "surveys_skmresponse"
CURRENT_SHARE = 0.6
CHUNK_ROWS = 50_000
POOL = 2048


@dataclass(frozen=True)
class Loaded:
    rows: int
    copy_seconds: float
    index_seconds: float
    indexes: int


def _pool(rng: random.Random) -> list[str]:
    """Answer + profile fields as COPY text, skewed towards 3 and 4 like real surveys."""
    out = []
    for _ in range(POOL):
        answers = [rng.choices((1, 2, 3, 4), weights=(5, 15, 50, 30))[0] for _ in range(9)]
        profile = (
            rng.randint(17, 80),
            rng.choice("LP"),
            rng.choice(("SD", "SMP", "SMA", "D3", "S1", "S2")),
            rng.choice(("PNS", "SWASTA", "WIRAUSAHA", "LAINNYA")),
        )
        out.append("\t".join(map(str, (*answers, *profile))))
    return out


@transaction.atomic
def load(groups: list[dict[str, Any]], rows: int, *, seed: int = 2026) -> Loaded:
    """`groups`: [{"unit_id", "layanan_id", "period_now", "period_prev"}] of one instansi."""
    assert connection.vendor == "postgresql", "COPY needs PostgreSQL"
    instansi_id = groups[0]["instansi_id"]
    rng = random.Random(seed)
    pool = _pool(rng)
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {TABLE} IN SHARE ROW EXCLUSIVE MODE")
        # The foreign keys are deferred (Django): COPY would queue one trigger event per row
        # and key, and CREATE INDEX refuses to run with events pending. The ids come from the
        # bench's own layanan and periods, so the load skips the FK triggers (superuser only).
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
            [TABLE, TABLE],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {TABLE}")  # noqa: S608 - fixed name
        next_id = int(cursor.fetchone()[0])
    columns = (
        "id, instansi_id, unit_id, layanan_id, period_id, u1, u2, u3, u4, u5, u6, u7, u8, u9, "
        "usia, jenis_kelamin, pendidikan, pekerjaan, saran, petugas_id, source, token_hash, "
        "fingerprint, created_at"
    )
    prefixes = []
    for g in groups:
        for period in ("period_now", "period_prev"):
            prefixes.append(f"{instansi_id}\t{g['unit_id']}\t{g['layanan_id']}\t{g[period]}\t")
    current = [p for i, p in enumerate(prefixes) if i % 2 == 0]
    previous = [p for i, p in enumerate(prefixes) if i % 2 == 1]
    started = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {TABLE} ({columns}) FROM STDIN") as copy:
            chunk: list[str] = []
            for n in range(rows):
                row_id = next_id + n
                side = current if rng.random() < CURRENT_SHARE else previous
                prefix = side[row_id % len(side)]
                # 32 hex digits, distinct per row: spread keys like the real HMAC digests.
                token = f"{(row_id * 0x9E3779B97F4A7C15F39CC0605CEDC835) % (1 << 128):032x}"
                chunk.append(
                    f"{row_id}\t{prefix}{pool[row_id % POOL]}\t\t\\N\tONLINE\t{token}\t"
                    f"f{token[1:]}\t2026-01-01 00:00:00+00\n"
                )
                if len(chunk) >= CHUNK_ROWS:
                    copy.write("".join(chunk))
                    chunk = []
            if chunk:
                copy.write("".join(chunk))
    copied = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = origin")
        for _name, definition in indexes:
            cursor.execute(definition)
        sequence = f"pg_get_serial_sequence('{TABLE}', 'id')"
        cursor.execute(f"SELECT setval({sequence}, (SELECT MAX(id) FROM {TABLE}))")  # noqa: S608
    indexed = time.perf_counter()
    return Loaded(rows, copied - started, indexed - copied, len(indexes))
