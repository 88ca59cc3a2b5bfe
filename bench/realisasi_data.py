"""A year of realisasi for the 100,000-pegawai demo kabupaten, written with COPY (PostgreSQL only).

For every IKI of every approved current SKP of the demo year: ENTRIES_PER_MONTH entries in each
month on fixed days (within the SKP's span, never after today), a value per entry (summed aspects
get a share of the target, the others a value near it), created_by the pegawai's account, no
idempotency key. A small share (CORRECTED_SHARE) of entries is corrected: the correction is an
extra row with `corrects_id` pointing to the original, the same IKI, period and date, and a
reason. Ids are explicit (from MAX(id) + 1, the sequence is reset after), then ANALYZE.

Runs inside a process where Django is set up on the load database (bench_realisasi.py does that).
"""

from __future__ import annotations

import io
import random
import time
from dataclasses import dataclass
from datetime import date

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

ENTRIES_PER_MONTH = 4
DAYS = (3, 10, 17, 24)
CORRECTED_SHARE = 0.01
COLUMNS = (
    "id, instansi_id, skp_id, iki_id, pegawai_id, period, date, value, narrative, "
    "rencana_aksi_id, corrects_id, correction_reason, idempotency_key, created_by_id, created_at"
)
CHUNK_CHARS = 4_000_000


@dataclass(frozen=True)
class Loaded:
    rows: int
    corrections: int
    ikis: int
    skps: int
    seconds: float
    copy_seconds: float
    analyze_seconds: float


def _period_number(day: date, cadence: str) -> int:
    return day.month if cadence == "BULANAN" else (day.month - 1) // 3 + 1


def existing_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM progress_realisasi")
        return int(cursor.fetchone()[0])


@transaction.atomic
def load(year: int, *, seed: int = 2026) -> Loaded:
    """Write the entries (see the module docstring); returns what was written, timed."""
    from kinerja.plans.models import StatusSkp, TahunKinerja
    from kinerja.progress.models import Realisasi

    assert connection.vendor == "postgresql", "COPY needs PostgreSQL"
    started = time.perf_counter()
    rng = random.Random(seed)
    today = timezone.localdate()
    cadences = dict(TahunKinerja.objects.filter(year=year).values_list("instansi_id", "cadence"))
    with connection.cursor() as cursor:
        cursor.execute("LOCK TABLE progress_realisasi IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM progress_realisasi")
        next_id = int(cursor.fetchone()[0])
        cursor.execute(
            """
            SELECT s.instansi_id, s.id, i.id, s.pegawai_id, p.user_id, s.start_date,
                   s.end_date, i.aspek, i.target_value
            FROM plans_skp s
            JOIN org_pegawai p ON p.id = s.pegawai_id
            JOIN plans_rhk r ON r.skp_id = s.id
            JOIN plans_iki i ON i.rhk_id = r.id
            WHERE s.year = %s AND s.is_current AND s.status = %s AND p.user_id IS NOT NULL
            ORDER BY s.id, i.id
            """,
            [year, StatusSkp.DISETUJUI.value],
        )
        ikis = cursor.fetchall()
    skps = len({row[1] for row in ikis})
    days = [
        date(year, month, day)
        for month in range(1, 13)
        for day in DAYS
        if date(year, month, day) <= today
    ]
    rows = corrections = 0
    copy_started = time.perf_counter()
    buffer = io.StringIO()
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY progress_realisasi ({COLUMNS}) FROM STDIN") as copy:
            for instansi, skp, iki, pegawai, user, start, end, aspek, target in ikis:
                cadence = cadences.get(instansi, "TRIWULANAN")
                summed = aspek in {"KUANTITAS", "BIAYA"}
                base = float(target or 10)
                for day in days:
                    if not start <= day <= end:
                        continue
                    value = base / 40 if summed else base
                    value *= rng.uniform(0.6, 1.3)
                    period = _period_number(day, cadence)
                    at = f"{day.isoformat()} 09:00:00+00"
                    line = (
                        f"{next_id}\t{instansi}\t{skp}\t{iki}\t{pegawai}\t{period}\t{day}\t"
                        f"{value:.2f}\t\t\\N\t\\N\t\t\t{user}\t{at}\n"
                    )
                    buffer.write(line)
                    rows += 1
                    if rng.random() < CORRECTED_SHARE:
                        fixed = value * rng.uniform(0.9, 1.1)
                        buffer.write(
                            f"{next_id + 1}\t{instansi}\t{skp}\t{iki}\t{pegawai}\t{period}\t"
                            f"{day}\t{fixed:.2f}\t\t\\N\t{next_id}\tSalah ketik nilai\t\t"
                            f"{user}\t{day.isoformat()} 15:00:00+00\n"
                        )
                        rows += 1
                        corrections += 1
                        next_id += 1
                    next_id += 1
                    if buffer.tell() > CHUNK_CHARS:
                        copy.write(buffer.getvalue())
                        buffer = io.StringIO()
            copy.write(buffer.getvalue())
        copy_seconds = time.perf_counter() - copy_started
        for sql in connection.ops.sequence_reset_sql(no_style(), [Realisasi]):
            cursor.execute(sql)
        analyze_started = time.perf_counter()
        cursor.execute("ANALYZE progress_realisasi")
        analyze_seconds = time.perf_counter() - analyze_started
    return Loaded(
        rows=rows,
        corrections=corrections,
        ikis=len(ikis),
        skps=skps,
        seconds=time.perf_counter() - started,
        copy_seconds=copy_seconds,
        analyze_seconds=analyze_seconds,
    )
