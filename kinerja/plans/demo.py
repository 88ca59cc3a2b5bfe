"""Demo SKPs for the demo kabupaten (kinerja/org/demo.py): planning that shows the whole story.

Every head of a unit has an SKP with RHK Utama worded for its dinas or unit; every pegawai's
RHK Utama intervene (Rhk.parent) an RHK of their Pejabat Penilai Kinerja, so the pohon kinerja
goes from the Kepala Dinas down to the staff. Statuses are mixed (most approved, some
submitted, returned or draft, some staff without an SKP), so the status board has something
to show. The demo logins tell the story: the kasi's SKP is approved, the staff member's is
submitted and waits for the kasi, the PPPK staff member's was returned with a note, and the
third staff member's (the "Pegawai (lapor realisasi)" login) is approved, so that login can
record realisasi for the running period.

A bulk loader like kinerja/org/demo.py: the org rows are read in a few queries and raters are
worked out in Python (demo_people.py), the words come from demo_vocab.py, and the rows go in with
explicit ids by multi-row INSERT (SQLite) or COPY (PostgreSQL). One summary audit event. The year
is the current year, so the pages show it by default.
"""

from __future__ import annotations

import itertools
import random
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from kinerja.audit import services as audit
from kinerja.org import demo as org_demo
from kinerja.org import demo_plan
from kinerja.org.models import Instansi

from . import demo_vocab as vocab
from .demo_people import load_pegawai
from .models import (
    EkspektasiKhusus,
    Iki,
    JenisRhk,
    Lampiran,
    Rhk,
    Skp,
    StatusSkp,
    TahunKinerja,
)

DRAFT, DIAJUKAN, DISETUJUI, DIKEMBALIKAN = (
    StatusSkp.DRAFT.value,
    StatusSkp.DIAJUKAN.value,
    StatusSkp.DISETUJUI.value,
    StatusSkp.DIKEMBALIKAN.value,
)
# Fixed statuses of the demo story, by unit code (the head) or by NIP.
STORY_HEADS = ("DINKES", "DINKES-B1", demo_plan.DEMO_SEKSI)
STORY = {
    demo_plan.NIP_PIMPINAN: DISETUJUI,
    demo_plan.NIP_PENILAI: DISETUJUI,
    demo_plan.NIP_PEGAWAI: DIAJUKAN,
    demo_plan.NIP_PPPK: DIKEMBALIKAN,
    demo_plan.NIP_PELAPOR: DISETUJUI,
}
# The head and staff shares of each status; the rest of the staff have no SKP yet.
HEAD_STATUSES = ((DISETUJUI, 0.90), (DIAJUKAN, 0.06), (DRAFT, 0.04))
STAFF_STATUSES = (
    (DISETUJUI, 0.70),
    (DIAJUKAN, 0.12),
    (DIKEMBALIKAN, 0.05),
    (DRAFT, 0.08),
)  # 5% without an SKP


@dataclass(frozen=True)
class SkpSummary:
    year: int
    skp: int
    by_status: dict[str, int]
    tanpa_skp: int
    rhk: int
    iki: int
    seconds: float


def demo_year() -> int:
    """The current year: the SKP pages show it by default."""
    return timezone.localdate().year


def _choose(rng: random.Random, shares: tuple[tuple[str, float], ...]) -> str | None:
    roll = rng.random()
    for status, share in shares:
        if roll < share:
            return status
        roll -= share
    return None


def _ids(model: type[models.Model]) -> Iterator[int]:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608
        return itertools.count(int(cursor.fetchone()[0]))


SKP_COLUMNS = (
    "id",
    "instansi",
    "pegawai",
    "year",
    "jabatan",
    "unit_path",
    "rater",
    "start_date",
    "end_date",
    "pendekatan",
    "status",
    "version",
    "is_current",
    "return_note",
    "submitted_at",
    "approved_at",
    "created_at",
)
RHK_COLUMNS = ("id", "skp", "jenis", "text", "order", "parent", "source")
IKI_COLUMNS = (
    "rhk",
    "text",
    "aspek",
    "target_value",
    "target_unit",
    "target_narrative",
    "baseline",
    "direction",
    "perspektif",
    "order",
)


@transaction.atomic
def seed_skp(*, instansi: Instansi, seed: int = org_demo.DEFAULT_SEED) -> SkpSummary:
    """SKPs of the current year for the demo instansi (see the module docstring)."""
    started = time.perf_counter()
    year = demo_year()
    if connection.vendor == "postgresql":
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in (Skp, Rhk))
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")
    people, _tree = load_pegawai(instansi, year)
    rng = random.Random(seed)
    story_heads = set(STORY_HEADS)
    for p in people:
        if p.nip in STORY:
            p.status = STORY[p.nip]
        elif p.is_head and p.unit_code in story_heads:
            p.status = DISETUJUI
        else:
            p.status = _choose(rng, HEAD_STATUSES if p.is_head else STAFF_STATUSES)
    by_id = {p.id: p for p in people}
    people.sort(key=lambda p: (p.level, p.id))  # raters' RHKs exist before their staff link
    skp_ids, rhk_ids = _ids(Skp), _ids(Rhk)
    now = timezone.now()
    jan1 = timezone.make_aware(datetime(year, 1, 1, 8))
    submitted = max(jan1, now - timedelta(days=30))
    approved = submitted + (now - submitted) / 2
    adapt = connection.ops.adapt_datetimefield_value
    at_submit, at_approve, at_now = adapt(submitted), adapt(approved), adapt(now)
    skps: list[tuple[Any, ...]] = []
    rhks: list[tuple[Any, ...]] = []
    ikis: list[tuple[Any, ...]] = []
    ekspektasi: list[tuple[Any, ...]] = []
    lampiran: list[tuple[Any, ...]] = []
    handed: dict[int, int] = defaultdict(int)  # rater id -> RHKs handed down so far
    story_unit = demo_plan.DEMO_SEKSI
    for p in people:
        rater = by_id.get(p.rater) if p.rater is not None else None
        if rater is not None and not rater.rhks:
            p.status = None  # the rater has no SKP yet: nothing to intervene
        if p.status is None:
            continue
        sid = next(skp_ids)
        note = ""
        if p.status == DIKEMBALIKAN:
            note = (
                vocab.PPPK_RETURN_NOTE
                if p.nip == demo_plan.NIP_PPPK
                else rng.choice(vocab.RETURN_NOTES)
            )
        skps.append(
            (
                sid, instansi.pk, p.id, year, p.jabatan_id, p.unit_path, p.rater, p.start,
                date(year, 12, 31), "KUANTITATIF", p.status, 1, True, note,
                at_submit if p.status != DRAFT else None,
                at_approve if p.status == DISETUJUI else None,
                at_now,
            )
        )  # fmt: skip
        texts = vocab.head_rhk(p) if p.is_head else vocab.staff_rhk(p.jabatan_name)
        full = p.is_head or p.unit_code == story_unit
        for number, text in enumerate(texts, 1):
            parent = None
            if rater is not None:
                k = handed[rater.id]
                handed[rater.id] = k + 1
                parent = rater.rhks[k % len(rater.rhks)][0]
            rid = next(rhk_ids)
            rhks.append((rid, sid, JenisRhk.UTAMA.value, text, number, parent, ""))
            p.rhks.append((rid, text))
            for order, iki in enumerate(vocab.iki_rows(p, number, text, full), 1):
                ikis.append((rid, *iki, order))
        if full or p.id % 10 == 0:
            for order, (kind, text) in enumerate(vocab.LAMPIRAN, 1):
                lampiran.append((sid, kind, text.format(unit=p.unit_name, year=year), order))
        if rater is not None and (p.unit_code == story_unit or p.id % 7 == 0):
            for core, text in vocab.EKSPEKTASI[p.id % 7 : p.id % 7 + 2]:
                ekspektasi.append((sid, core, text))
    org_demo._insert(Skp, SKP_COLUMNS, skps)
    org_demo._insert(Rhk, RHK_COLUMNS, rhks)
    org_demo._insert(Iki, IKI_COLUMNS, ikis)
    org_demo._insert(EkspektasiKhusus, ("skp", "core_value", "text"), ekspektasi)
    org_demo._insert(Lampiran, ("skp", "kind", "text", "order"), lampiran)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Skp, Rhk]):
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            analysed = [Skp, Rhk, Iki, EkspektasiKhusus, Lampiran]
            names = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in analysed)
            cursor.execute(f"ANALYZE {names}")
    TahunKinerja.objects.get_or_create(instansi=instansi, year=year)
    by_status: dict[str, int] = defaultdict(int)
    for row in skps:
        by_status[row[10]] += 1
    summary = SkpSummary(
        year=year,
        skp=len(skps),
        by_status=dict(by_status),
        tanpa_skp=len(people) - len(skps),
        rhk=len(rhks),
        iki=len(ikis),
        seconds=0.0,
    )
    audit.record(
        "seed_demo_skp",
        by=None,
        scope=instansi.pk,
        target_type="instansi",
        target_id=instansi.pk,
        new={
            "year": year,
            "skp": summary.skp,
            "status": summary.by_status,
            "tanpa_skp": summary.tanpa_skp,
            "rhk": summary.rhk,
            "iki": summary.iki,
            "ekspektasi": len(ekspektasi),
            "lampiran": len(lampiran),
        },
    )
    return SkpSummary(**{**summary.__dict__, "seconds": time.perf_counter() - started})
