"""Closing the annual evaluation of the 100,000-pegawai demo kabupaten on PostgreSQL, through
the real background task: the admin requests it (a PenutupanTahunan and a task in the
django_tasks_db queue) and `manage.py db_worker --batch` runs it (target: under 30 s for
predicates, the distribution check of every unit, finalisation with realisasi locks and audit
events, and the recap). Prints a markdown section.

    .venv/bin/python bench/bench_evaluation.py             # everything (loads data when missing)
    .venv/bin/python bench/bench_evaluation.py --worker X  # one step in a Django process (JSON)

Data: `load_demo` (seed_demo --pegawai 100000) into the scratch database KINERJA_BENCH_EVAL_PG
(default postgres://postgres@127.0.0.1:5432/kinerja_eval), then, on every run, with COPY: every
current SKP of the demo year approved (bench data), a Capaian Kinerja Organisasi for the year
for every unit (mostly Baik), and an annual evaluation for every approved SKP, rated by its
rater (hasil and perilaku mostly Sesuai; unit heads' hasil left to their unit's capaian; 2 %
not rated yet). Earlier annual evaluations, locks and runs are deleted first.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from typing import Any

os.environ.setdefault("KINERJA_BENCH_PEGAWAI", "100000")

from _common import (
    PEGAWAI,
    ROOT,
    Database,
    count_rows,
    django_env,
    load_demo,
    postgres_version,
    table,
)

EVAL_URL = os.environ.get(
    "KINERJA_BENCH_EVAL_PG", "postgres://postgres@127.0.0.1:5432/kinerja_eval"
)
DB = Database("PostgreSQL", EVAL_URL)
TARGET_S = 30.0
UNRATED_SHARE = 0.02
RATING_WEIGHTS = (("DI_ATAS", 0.2), ("SESUAI", 0.72), ("DI_BAWAH", 0.08))
ORG_WEIGHTS = (("ISTIMEWA", 0.15), ("BAIK", 0.7), ("BUTUH_PERBAIKAN", 0.1), ("KURANG", 0.05))


def env() -> dict[str, str]:
    found = django_env(DB)
    found["PYTHONPATH"] = f"{ROOT}{os.pathsep}{ROOT / 'bench'}"
    return found


def worker(step: str) -> Any:
    done = subprocess.run(
        [sys.executable, __file__, "--worker", step],
        cwd=ROOT,
        env=env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench_evaluation worker {step} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- steps run inside a Django process --------------------------------------------------------


def _pick(rng: random.Random, weights: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([w[0] for w in weights], [w[1] for w in weights])[0]


def _copy(table_name: str, columns: str, lines: list[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {table_name} ({columns}) FROM STDIN") as copy:
            for start in range(0, len(lines), 20000):
                copy.write("".join(lines[start : start + 20000]))


def step_prepare() -> dict[str, Any]:
    from django.db import connection, transaction

    from kinerja.accounts.models import User
    from kinerja.assessments import rules
    from kinerja.assessments.models import ANNUAL, CapaianOrganisasi, Evaluasi, PenutupanTahunan
    from kinerja.org.models import Instansi, UnitKerja
    from kinerja.plans.demo import demo_year
    from kinerja.plans.models import Skp
    from kinerja.progress.models import PeriodeTerkunci

    started = time.perf_counter()
    year = demo_year()
    rng = random.Random(2026)
    instansi = max(Instansi.objects.all(), key=lambda i: i.pegawai.count())
    admin = User.objects.get(username="admin")
    with transaction.atomic():
        PeriodeTerkunci.objects.filter(period=ANNUAL, skp__instansi=instansi).delete()
        Evaluasi.objects.filter(instansi=instansi, year=year, period=ANNUAL).delete()
        CapaianOrganisasi.objects.filter(instansi=instansi, year=year, period=ANNUAL).delete()
        PenutupanTahunan.objects.filter(instansi=instansi, year=year).delete()
        approved = (
            Skp.objects.filter(instansi=instansi, year=year, is_current=True)
            .exclude(status="DISETUJUI")
            .update(status="DISETUJUI")
        )
        units = list(UnitKerja.objects.filter(instansi=instansi).values_list("id", flat=True))
        now = "2026-12-31 10:00:00+00"
        _copy(
            "assessments_capaianorganisasi",
            "instansi_id, unit_id, year, period, predikat, reason, set_by_id, set_at",
            [
                f"{instansi.pk}\t{u}\t{year}\t0\t{_pick(rng, ORG_WEIGHTS)}\t"
                f"Capaian perjanjian kinerja unit\t{admin.pk}\t{now}\n"
                for u in units
            ],
        )
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT s.id, s.pegawai_id, s.rater_id, j.unit_id, u.path, j.is_unit_head
                FROM plans_skp s JOIN org_jabatan j ON j.id = s.jabatan_id
                JOIN org_unitkerja u ON u.id = j.unit_id
                WHERE s.instansi_id = %s AND s.year = %s AND s.is_current
                  AND s.status = 'DISETUJUI' AND s.rater_id IS NOT NULL
                ORDER BY s.id
                """,
                [instansi.pk, year],
            )
            skps = cursor.fetchall()
        lines = []
        for skp, pegawai, rater, unit, path, head in skps:
            hasil, perilaku, predikat = "", "", ""
            if rng.random() >= UNRATED_SHARE:
                perilaku = _pick(rng, RATING_WEIGHTS)
                if not head:
                    hasil = _pick(rng, RATING_WEIGHTS)
                    predikat = rules.predikat(hasil, perilaku)
            lines.append(
                f"{instansi.pk}\t{skp}\t{pegawai}\t{rater}\t{unit}\t{path}\t{year}\t0\t"
                f"{'t' if head else 'f'}\t{hasil}\t{perilaku}\t{predikat}\t{predikat}\t\t"
                f"DRAFT\t\\N\t\\N\t\t{now}\n"
            )
        _copy(
            "assessments_evaluasi",
            "instansi_id, skp_id, pegawai_id, rater_id, unit_id, unit_path, year, period, "
            "is_unit_head, rating_hasil, rating_perilaku, predikat, predikat_penilai, catatan, "
            "status, finalized_at, finalized_by_id, reopen_reason, updated_at",
            lines,
        )
    with connection.cursor() as cursor:  # autocommit: VACUUM clears the deleted rows
        for name in (
            "assessments_evaluasi",
            "assessments_capaianorganisasi",
            "plans_skp",
            "progress_periodeterkunci",
        ):
            cursor.execute(f"VACUUM ANALYZE {name}")
    heads = sum(1 for row in skps if row[5])
    return {
        "instansi": instansi.name,
        "year": year,
        "units": len(units),
        "evaluations": len(lines),
        "heads": heads,
        "skps_approved_for_bench": approved,
        "seconds": round(time.perf_counter() - started, 1),
    }


def step_request() -> dict[str, Any]:
    from django.db import transaction

    from kinerja.accounts.models import User
    from kinerja.assessments import closing
    from kinerja.org.models import Instansi
    from kinerja.plans.demo import demo_year

    instansi = max(Instansi.objects.all(), key=lambda i: i.pegawai.count())
    with transaction.atomic():
        run = closing.penutupan_request(
            by=User.objects.get(username="admin"), instansi=instansi, year=demo_year()
        )
    return {"run": run.pk}


def step_result(run_id: str) -> dict[str, Any]:
    from kinerja.assessments.models import Evaluasi, PenutupanTahunan
    from kinerja.audit.models import AuditEvent
    from kinerja.progress.models import PeriodeTerkunci

    run = PenutupanTahunan.objects.get(pk=int(run_id))
    assert run.started_at and run.finished_at, run.status
    s = run.summary
    return {
        "status": run.status,
        "error": run.error,
        "task_seconds": (run.finished_at - run.started_at).total_seconds(),
        "total": run.total,
        "done": run.done,
        "final": Evaluasi.objects.filter(period=0, status="FINAL").count(),
        "locks": PeriodeTerkunci.objects.filter(period=0).count(),
        "audit": AuditEvent.objects.filter(
            action="evaluasi_finalize_batch", target_id=str(run.pk)
        ).count(),
        "groups": s["groups"],
        "breaches": len(s["breaches"]),
        "advisory": sum(1 for b in s["breaches"] if b["advisory"]),
        "unrated": s["unrated"]["count"],
        "summary_kb": round(len(json.dumps(s)) / 1024),
        "units": len(s["units"]),
        "timings": s.get("timings", {}),
    }


def run_worker_step(step: str, arg: str | None) -> None:
    import django

    django.setup()
    if step == "prepare":
        result = step_prepare()
    elif step == "request":
        result = step_request()
    elif step == "result":
        assert arg is not None
        result = step_result(arg)
    else:
        raise SystemExit(f"unknown step {step}")
    print(json.dumps(result, default=str))


# --- the driver ---------------------------------------------------------------------------------


def machine() -> str:
    cpus = os.cpu_count() or 0
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{cpus} cores, load average {load}"


def main() -> None:
    if postgres_version() is None:
        print("## Penutupan evaluasi tahunan (100,000 pegawai)\n\nSkipped: no PostgreSQL.\n")
        return
    loaded = ""
    if count_rows(DB, "org_pegawai") < PEGAWAI:
        demo = load_demo(DB)
        loaded = (
            f"(fresh load: migrate {demo.migrate_seconds:.1f} s, "
            f"seed_demo {demo.seed_seconds:.1f} s) "
        )
    else:
        subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
                       cwd=ROOT, env=env(), check=True)  # fmt: skip
    prepared = worker("prepare")
    before = machine()
    requested = worker("request")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=ROOT, env=env(), check=True, capture_output=True,
    )  # fmt: skip
    wall = time.perf_counter() - started
    result = worker(f"result {requested['run']}")
    verdict = (
        "pass" if result["status"] == "SELESAI" and result["task_seconds"] < TARGET_S else "FAIL"
    )
    print("## Penutupan evaluasi tahunan (100,000 pegawai)\n")
    print(
        f"`bench/bench_evaluation.py`, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{before}. PostgreSQL scratch database `kinerja_eval` {loaded}with the demo kabupaten "
        f"({prepared['instansi']}, {prepared['units']:,} units); per run, with COPY: "
        f"{prepared['evaluations']:,} annual evaluations {prepared['year']} "
        f"({prepared['heads']:,} unit heads whose hasil follows their unit's capaian, 2 % not "
        f"rated) and a capaian for every unit ({prepared['seconds']} s). The admin requests the "
        "closing (a row in the django_tasks_db queue); `manage.py db_worker --batch` runs the "
        "real task `close_annual`.\n"
    )
    task_s, target = f"{result['task_seconds']:.1f} s", f"< {TARGET_S:.0f} s"
    rows = [
        ["Task (started → finished)", task_s, target, verdict],
        ["Worker process wall clock (start-up included)", f"{wall:.1f} s", "", ""],
    ]
    labels = {
        "predikat": "heads' hasil + predikat where they change (3 UPDATEs)",
        "distribusi": "distribution groups (1 aggregate) + checks",
        "pilih": "choosing what to finalise (BLOCK)",
        "finalisasi": "finalisation in batches of 10,000",
        "update": "· UPDATE status",
        "locks": "· INSERT … SELECT PeriodeTerkunci",
        "audit": "· one audit event per batch",
        "rekap": "recap (per unit/predikat, unrated)",
    }
    for key, label in labels.items():
        if key in result["timings"]:
            rows.append([f"{label}", f"{result['timings'][key]:.2f} s", "", ""])
    print(table(["Step", "Time", "Target", "Verdict"], rows))
    print(
        f"\nFinalised {result['done']:,} of {result['total']:,} (FINAL in the table: "
        f"{result['final']:,}), {result['locks']:,} realisasi locks (period 0), "
        f"{result['audit']:,} audit events `evaluasi_finalize_batch` (one per batch of 10,000, "
        f"naming each evaluation and its predikat) plus one summary event; "
        f"{result['groups']:,} distribution groups checked, {result['breaches']:,} breached "
        f"({result['advisory']:,} of them below the minimum size, advisory); "
        f"{result['unrated']:,} evaluations unrated; recap of {result['units']:,} units "
        f"({result['summary_kb']:,} kB of JSON). Status {result['status']} {result['error']}"
    )


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--worker":
        parts = sys.argv[2].split()
        run_worker_step(parts[0], parts[1] if len(parts) > 1 else None)
    else:
        main()
