"""Closing the ANNUAL evaluation of an instansi (period 0) as a background run.

`penutupan_request` (an admin of the instansi) creates a PenutupanTahunan and, after commit,
enqueues tasks.close_annual, which calls `run_closing`. The run, set-based throughout:

1. unit heads' rating hasil follows the annual capaian of the unit they lead (one UPDATE);
2. the predikat of every DRAFT evaluation with both ratings from the matrix (one UPDATE with a
   CASE over the nine cells), predikat_penilai filled where empty;
3. the distribution pattern of every group (distribution_rules over one aggregate query); with
   BLOCK enforcement the evaluations of breaching groups (non-advisory) are NOT finalised;
4. the rest are finalised in batches of BATCH: one UPDATE, one INSERT … SELECT of
   PeriodeTerkunci (period 0 locks the whole year's realisasi) and ONE audit event per batch
   (`evaluasi_finalize_batch`, listing every evaluation id with its predikat), committed
   together, then `done` advances (the page polls it). An event per evaluation (record_many)
   cost ~45 s of a 92 s run for 93,000 evaluations on the bench (docs/performance.md);
5. a recap in `summary`: counts per unit and predikat, breaches, blocked units, who is unrated
   (rated incompletely, or an approved SKP without an annual evaluation), one audit event.

A batch is all-or-nothing; a failed run is marked GAGAL and may simply be requested again: only
DRAFT evaluations are touched, so finished batches are not repeated.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from kinerja.accounts.models import User
from kinerja.audit import services as audit
from kinerja.core.errors import Conflict, Refused
from kinerja.org.access import access_for
from kinerja.org.models import Instansi, UnitKerja
from kinerja.plans.models import Skp, StatusSkp
from kinerja.progress.models import PeriodeTerkunci

from . import distribution, guards, rules
from . import distribution_rules as dr
from .models import (
    ANNUAL,
    CapaianOrganisasi,
    Enforcement,
    Evaluasi,
    PenutupanTahunan,
    StatusEvaluasi,
    StatusPenutupan,
)

BATCH = 10000
LISTED = 200  # unrated people listed by name in the summary (all are counted)
RUNNING = (StatusPenutupan.ANTRE, StatusPenutupan.BERJALAN)


@transaction.atomic
def penutupan_request(*, by: User, instansi: Instansi, year: int) -> PenutupanTahunan:
    if not access_for(by).can_admin_instansi(instansi.pk):
        raise Refused(
            gettext("Hanya admin kepegawaian instansi ini yang boleh menutup evaluasi tahunan.")
        )
    Instansi.objects.select_for_update().filter(pk=instansi.pk).first()  # one request at a time
    if PenutupanTahunan.objects.filter(instansi=instansi, year=year, status__in=RUNNING).exists():
        raise Conflict(
            gettext("Penutupan evaluasi tahunan %(year)s sedang berjalan; tunggu hingga selesai.")
            % {"year": year}
        )
    run = PenutupanTahunan.objects.create(instansi=instansi, year=year, requested_by=by)
    audit.record("penutupan_tahunan_request", by=by, scope=instansi.pk,
                 target_type="penutupan_tahunan", target_id=run.pk, new={"year": year})  # fmt: skip

    def enqueue() -> None:
        from .tasks import close_annual

        close_annual.enqueue(run.pk)

    transaction.on_commit(enqueue)
    return run


def _matrix_case() -> Case:
    return Case(
        *[
            When(rating_hasil=h, rating_perilaku=p, then=Value(pred))
            for (h, p), pred in rules._MATRIX.items()
        ],
        default=Value(""),
        output_field=CharField(),
    )


def _head_case() -> Case:
    return Case(
        *[When(predikat=org, then=Value(r)) for org, r in rules.ORG_TO_RATING.items()],
        default=Value(""),
        output_field=CharField(),
    )


def _rate(instansi_id: int, year: int) -> None:
    """Steps 1 and 2: heads' hasil from their unit's annual capaian, then every predikat."""
    draft = Evaluasi.objects.filter(
        instansi_id=instansi_id, year=year, period=ANNUAL, status=StatusEvaluasi.DRAFT
    )
    capaian = CapaianOrganisasi.objects.filter(
        unit_id=OuterRef("unit_id"), year=year, period=ANNUAL
    ).annotate(rating=_head_case())
    head_hasil = Coalesce(
        Subquery(capaian.values("rating")[:1], output_field=CharField()), Value("")
    )  # a head without a capaian: not rated
    # Only rows that change are written (raters normally set the predikat when rating).
    draft.filter(is_unit_head=True).exclude(rating_hasil=head_hasil).update(rating_hasil=head_hasil)
    draft.exclude(predikat=_matrix_case()).update(predikat=_matrix_case())
    draft.filter(predikat_penilai="").exclude(predikat="").update(predikat_penilai=F("predikat"))


def _progress(run: PenutupanTahunan, **values: Any) -> None:
    for name, value in values.items():
        setattr(run, name, value)
    PenutupanTahunan.objects.filter(pk=run.pk).update(**values)


def _lock_rows(ids: list[int], now: Any) -> None:
    """PeriodeTerkunci(skp, 0) for the evaluations `ids`: one INSERT … SELECT."""
    conn = transaction.get_connection()
    qn = conn.ops.quote_name
    locks, evals = PeriodeTerkunci._meta.db_table, Evaluasi._meta.db_table
    at = PeriodeTerkunci._meta.get_field("created_at").get_db_prep_save(now, conn)
    marks = ", ".join(["%s"] * len(ids))
    sql = (
        f"INSERT INTO {qn(locks)} (skp_id, period, created_at) "  # noqa: S608 - fixed names
        f"SELECT skp_id, {ANNUAL}, %s FROM {qn(evals)} WHERE id IN ({marks}) "
        "ON CONFLICT DO NOTHING"
    )
    with conn.cursor() as cursor:
        cursor.execute(sql, [at, *ids])


def _no_commit_wait() -> None:
    """PostgreSQL: this transaction's COMMIT does not wait for the WAL flush. A crash may lose
    the last batches, never part of one, and a new run redoes them (only DRAFT is touched)."""
    conn = transaction.get_connection()
    if conn.vendor == "postgresql":
        with conn.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


def _finalise(
    run: PenutupanTahunan, todo: list[tuple[int, int, str]], timings: dict[str, float]
) -> None:
    """Step 4: (id, skp id, predikat) in batches, each committed with its locks and audit."""
    by = run.requested_by
    for name in ("update", "locks", "audit"):
        timings.setdefault(name, 0.0)
    for start in range(0, len(todo), BATCH):
        chunk = todo[start : start + BATCH]
        now = timezone.now()
        with transaction.atomic():
            _no_commit_wait()
            t0 = time.perf_counter()
            ids = [ev_id for ev_id, _skp, _p in chunk]
            Evaluasi.objects.filter(pk__in=ids, status=StatusEvaluasi.DRAFT).update(
                status=StatusEvaluasi.FINAL, finalized_at=now, finalized_by=by, updated_at=now
            )
            t1 = time.perf_counter()
            _lock_rows(ids, now)
            t2 = time.perf_counter()
            # One event per batch naming every evaluation and its predikat (see the docstring).
            audit.record("evaluasi_finalize_batch", by=by, scope=run.instansi_id,
                         target_type="penutupan_tahunan", target_id=run.pk,
                         new={"status": "FINAL", "from": start, "count": len(chunk),
                              "evaluasi": {str(e): p for e, _s, p in chunk}})  # fmt: skip
            t3 = time.perf_counter()
            _progress(run, done=start + len(chunk))
        timings["update"] += t1 - t0
        timings["locks"] += t2 - t1
        timings["audit"] += t3 - t2


def _groups(instansi_id: int, year: int, min_size: int) -> dict[str, dr.GroupCheck]:
    members, _unrated = distribution.members_of(instansi_id, year, ANNUAL, "/")
    capaian = dict(
        CapaianOrganisasi.objects.filter(
            instansi_id=instansi_id, year=year, period=ANNUAL
        ).values_list("unit__path", "predikat")
    )
    checks, _ = dr.check_groups(members, capaian, min_group_size=min_size)
    return checks


def _unit_names(instansi_id: int, paths: set[str]) -> dict[str, tuple[int, str]]:
    rows = UnitKerja.objects.filter(instansi_id=instansi_id, path__in=paths)
    return {path: (uid, name) for path, uid, name in rows.values_list("path", "id", "name")}


def _recap(run: PenutupanTahunan) -> dict[str, Any]:
    """Step 5 without the groups: counts per unit and predikat, and who is unrated."""
    annual = Evaluasi.objects.filter(instansi_id=run.instansi_id, year=run.year, period=ANNUAL)
    units: dict[int, dict[str, Any]] = {}
    totals: Counter[str] = Counter()
    status: Counter[str] = Counter()
    rows = (
        annual.values_list("unit_id", "unit__name", "unit__path", "predikat", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for unit_id, name, path, predikat, state, n in rows:
        unit = units.setdefault(unit_id, {"unit_id": unit_id, "name": name, "path": path,
                                          "counts": dict.fromkeys(rules.PREDIKAT, 0),
                                          "unrated": 0, "final": 0, "total": 0})  # fmt: skip
        unit["total"] += n
        unit["final"] += n if state == StatusEvaluasi.FINAL else 0
        if predikat:
            unit["counts"][predikat] += n
            totals[predikat] += n
        else:
            unit["unrated"] += n
        status[state] += n
    unrated = annual.filter(predikat="")
    unrated_list = [
        {"pegawai_id": pid, "name": name, "nip": nip, "unit": unit,
         "reason": "capaian organisasi unit belum ditetapkan" if head and not hasil
         else "rating belum lengkap"}
        for pid, name, nip, unit, head, hasil in unrated.order_by("unit_path", "pegawai__name")
        .values_list("pegawai_id", "pegawai__name", "pegawai__nip", "unit__name",
                     "is_unit_head", "rating_hasil")[:LISTED]
    ]  # fmt: skip
    # An annual evaluation opened on an earlier version of the SKP counts for its copy.
    evaluated = Evaluasi.objects.filter(
        year=run.year, period=ANNUAL, pegawai_id=OuterRef("pegawai_id"),
        skp__jabatan_id=OuterRef("jabatan_id"),
    )  # fmt: skip
    missing = Skp.objects.filter(
        instansi_id=run.instansi_id, year=run.year, is_current=True, status=StatusSkp.DISETUJUI
    ).exclude(Exists(evaluated))
    missing_list = [
        {"pegawai_id": pid, "name": name, "nip": nip, "unit": unit,
         "reason": "belum ada evaluasi tahunan"}
        for pid, name, nip, unit in missing.order_by("unit_path", "pegawai__name")
        .values_list("pegawai_id", "pegawai__name", "pegawai__nip", "jabatan__unit__name")[:LISTED]
    ]  # fmt: skip
    return {
        "evaluations": sum(status.values()),
        "final": status[StatusEvaluasi.FINAL],
        "predikat": {p: totals[p] for p in rules.PREDIKAT},
        "units": sorted(units.values(), key=lambda u: u["path"]),
        "unrated": {"count": unrated.count(), "items": unrated_list},
        "without_evaluation": {"count": missing.count(), "items": missing_list},
    }


def run_closing(penutupan_id: int) -> PenutupanTahunan:
    """The background task's work (tasks.close_annual); see the module docstring."""
    run = PenutupanTahunan.objects.select_related("requested_by").get(pk=penutupan_id)
    if run.status not in RUNNING:
        return run
    started = time.perf_counter()
    _progress(run, status=StatusPenutupan.BERJALAN, started_at=timezone.now(), done=0, error="")
    try:
        summary = _close(run)
    except Exception as exc:
        _progress(run, status=StatusPenutupan.GAGAL, finished_at=timezone.now(),
                  error=f"{type(exc).__name__}: {exc}"[:2000])  # fmt: skip
        raise
    summary["seconds"] = round(time.perf_counter() - started, 2)
    with transaction.atomic():
        audit.record("penutupan_tahunan_selesai", by=run.requested_by, scope=run.instansi_id,
                     target_type="penutupan_tahunan", target_id=run.pk,
                     new={k: summary[k] for k in ("year", "finalised", "blocked", "final",
                                                  "evaluations", "enforcement")}
                     | {"breaches": len(summary["breaches"]),
                        "unrated": summary["unrated"]["count"]})  # fmt: skip
        _progress(run, status=StatusPenutupan.SELESAI, finished_at=timezone.now(), summary=summary)
    return run


def _close(run: PenutupanTahunan) -> dict[str, Any]:
    clock = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 2)
        clock = now

    settings = guards.pengaturan_for(run.instansi_id)
    with transaction.atomic():
        _no_commit_wait()
        _rate(run.instansi_id, run.year)
    lap("predikat")
    checks = _groups(run.instansi_id, run.year, settings.min_group_size)
    lap("distribusi")
    blocking = {
        path for path, c in checks.items() if c.blocks(settings.enforcement)
    } if settings.enforcement == Enforcement.BLOCK else set()  # fmt: skip
    candidates = (
        Evaluasi.objects.filter(
            instansi_id=run.instansi_id, year=run.year, period=ANNUAL,
            status=StatusEvaluasi.DRAFT,
        )
        .exclude(Q(predikat=""))
        .order_by("id")
        .values_list("id", "skp_id", "unit_path", "is_unit_head", "predikat")
    )  # fmt: skip
    capaian_paths = set(checks)
    todo: list[tuple[int, int, str]] = []
    held: Counter[str] = Counter()
    cache: dict[tuple[str, bool], str | None] = {}
    for ev_id, skp_id, path, head, predikat in candidates.iterator(chunk_size=10000):
        key = (path, head)
        if key not in cache:
            cache[key] = dr.group_path(path, head, capaian_paths)
        group = cache[key]
        if group is not None and group in blocking:
            held[group] += 1
        else:
            todo.append((ev_id, skp_id, predikat))
    _progress(run, total=len(todo))
    lap("pilih")
    _finalise(run, todo, timings)
    lap("finalisasi")
    timings = {k: round(v, 2) for k, v in timings.items()}
    names = _unit_names(run.instansi_id, set(checks))
    breaches = []
    by_group: dict[str, list[str]] = defaultdict(list)
    for path, check in sorted(checks.items()):
        if not check.breached:
            continue
        uid, name = names.get(path, (0, path))
        by_group[path] = [v.message for v in check.violations]
        breaches.append({"unit_id": uid, "name": name, "path": path,
                         "capaian": check.org_predikat,
                         "capaian_label": rules.ORG_LABELS[check.org_predikat],
                         "total": check.total,
                         "counts": check.counts, "advisory": check.advisory,
                         "blocked": path in blocking, "violations": by_group[path]})  # fmt: skip
    blocked_units = [
        {"unit_id": names.get(p, (0, p))[0], "name": names.get(p, (0, p))[1],
         "evaluations": held[p], "violations": by_group[p]}
        for p in sorted(blocking)
    ]  # fmt: skip
    recap = _recap(run)
    lap("rekap")
    return {
        "year": run.year,
        "enforcement": settings.enforcement,
        "min_group_size": settings.min_group_size,
        "finalised": len(todo),
        "blocked": sum(held.values()),
        "groups": len(checks),
        "breaches": breaches,
        "blocked_units": blocked_units,
        "timings": timings,
    } | recap
