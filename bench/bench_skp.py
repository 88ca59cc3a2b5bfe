"""SKP overview pages on demo kabupaten (with the SKPs `seed_demo` plans): the pohon kinerja of
a Dinas of about 500 pegawai and the status board of a 10,000-pegawai instansi; median and p95
of 20 requests each, and the number of queries (target: p95 under 200 ms, the same number of
queries at two sizes).

No Dinas of the 10,000-pegawai demo has about 500 pegawai (Kesehatan, with its puskesmas, has
~1,450, the others ~150-215), so the pohon target is measured on a second demo of
KINERJA_BENCH_SKP_POHON_PEGAWAI (default 4,500) pegawai, whose Dinas Kesehatan has ~540; the
10,000 demo adds the pohon of its Dinas Kesehatan as a larger case. Each demo size has its own
databases (SQLite file; PostgreSQL `kinerja_bench` at 10,000, `kinerja_bench_skp` for the other).

Requests go through django.test.Client logged in as the demo admin kepegawaian (who may read
every unit), with production settings (DEBUG off). Each size and database is measured in its
own process. Prints a markdown section.

    .venv/bin/python bench/bench_skp.py            # every size and available database
    .venv/bin/python bench/bench_skp.py --size     # one size (KINERJA_BENCH_SKP_PEGAWAI; JSON)
    .venv/bin/python bench/bench_skp.py --worker   # one database, from DATABASE_URL (JSON out)
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit

os.environ["KINERJA_BENCH_PEGAWAI"] = os.environ.get("KINERJA_BENCH_SKP_PEGAWAI", "10000")

# The size above is read when _common is imported.
from _common import (
    PEGAWAI,
    PG_URL,
    ROOT,
    Database,
    count_rows,
    databases,
    django_env,
    load_demo,
    manage,
    table,
)

REQUESTS, WARM_UP = 20, 3
TARGET_MS = 200.0
DINAS_SIZE = 500
BOARD_PEGAWAI = 10_000
POHON_PEGAWAI = int(os.environ.get("KINERJA_BENCH_SKP_POHON_PEGAWAI", "4500"))
NOTES = """How the two pages stay flat:

- `pohon_kinerja` reads the subtree's current SKPs (with owner and jabatan) in one query,
  their RHKs in a second and the raters among them in a third, then nests the RHKs in
  Python by `Rhk.parent`; `status_board` counts pegawai per unit and SKPs per unit and status
  with two GROUP BY queries over the subtree. Neither runs a query per unit, pegawai or RHK:
  the bench asserts the same count at two sizes of unit.
- Both pages add the unit picker (every unit the admin may read) and the queries every
  page pays (session, user, access facts, the notification badge).
- The tree's nodes, the board's rows and the picker's options are built in Python by template
  tags (`kinerja/plans/templatetags/skp.py`, same markup, every value escaped): through
  template tags each of the 2,734 nodes or 780 units cost ~0.05 ms, most of the page.
"""


def _ensure(db: Database) -> None:
    """A database holding exactly this demo size with its SKPs; loaded again otherwise (the
    100,000-pegawai databases of the other scripts are replaced, bench_seed.py reloads them)."""
    expected = PEGAWAI + 5  # the second instansi has 5 pegawai
    if count_rows(db, "org_pegawai") != expected or count_rows(db, "plans_skp") == 0:
        load_demo(db)


def measure() -> dict[str, Any]:
    """Runs inside the worker process, with Django set up on the bench database."""
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kinerja.accounts.models import User
    from kinerja.org import demo
    from kinerja.org.models import Pegawai, UnitKerja
    from kinerja.plans.demo import demo_year
    from kinerja.plans.models import Rhk, Skp

    year = demo_year()
    units = UnitKerja.objects.filter(instansi__code=demo.DEMO_CODE)
    root = units.get(code="PEMDA")

    def pegawai_in(unit: UnitKerja) -> int:
        return Pegawai.objects.filter(jabatan__unit__path__startswith=unit.path).count()

    def rhk_in(unit: UnitKerja) -> int:
        return Rhk.objects.filter(
            skp__unit_path__startswith=unit.path, skp__year=year, skp__is_current=True
        ).count()

    sizes = {u: pegawai_in(u) for u in units.filter(kind="DINAS")}
    # The Dinas nearest DINAS_SIZE pegawai among those of at least that size (at 10,000 pegawai
    # the Dinas are either ~200 or well above 500: Kesehatan with its puskesmas, and Pendidikan
    # with its schools, larger still), and the largest one below it.
    big = [u for u in sizes if sizes[u] >= DINAS_SIZE] or list(sizes)
    dinas = min(big, key=lambda u: abs(sizes[u] - DINAS_SIZE))
    small = max((u for u in sizes if sizes[u] < sizes[dinas]), key=lambda u: sizes[u])
    user = User.objects.get(username="admin")
    client = Client()
    client.force_login(user)
    pohon, status = "/skp/pohon/?unit={}&tahun={}", "/skp/status/?unit={}&tahun={}"
    at = f"{PEGAWAI:,}-pegawai demo"
    cases = [
        ("pohon", f"Pohon kinerja: {dinas.name} ({at})", pohon.format(dinas.pk, year), dinas),
        ("pohon", f"Pohon kinerja: {small.name} ({at}, smaller)", pohon.format(small.pk, year),
         small),
    ]  # fmt: skip
    if PEGAWAI >= BOARD_PEGAWAI:
        cases = [
            cases[0],
            ("status", f"Status board: {root.name} ({at})", status.format(root.pk, year), root),
            ("status", f"Status board: {dinas.name} ({at}, smaller)",
             status.format(dinas.pk, year), dinas),
        ]  # fmt: skip
    results = []
    for page, name, url, unit in cases:
        for _ in range(WARM_UP):
            client.get(url)
        samples = []
        for _ in range(REQUESTS):
            started = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        results.append(
            {
                "page": page,
                "name": name,
                "pegawai": pegawai_in(unit),
                "units": units.filter(path__startswith=unit.path).count(),
                "rhk": rhk_in(unit),
                "median": statistics.median(samples),
                "p95": statistics.quantiles(samples, n=20, method="inclusive")[18],
                "queries": len(queries.captured_queries),
                "bytes": len(response.content),
            }
        )
    skps = Skp.objects.filter(year=year, instansi__code=demo.DEMO_CODE)
    by_status = dict(skps.values_list("status").annotate(n=Count("id")).order_by())
    return {"year": year, "cases": results, "skp": skps.count(), "status": by_status}


def measure_size() -> dict[str, Any]:
    """This process's demo size (KINERJA_BENCH_SKP_PEGAWAI) on every available database."""
    found: dict[str, Any] = {"pegawai": PEGAWAI, "databases": {}}
    for db in databases():
        _ensure(db)
        manage(db, "collectstatic", "--no-input", "-v", "0")
        done = subprocess.run(
            [sys.executable, __file__, "--worker"],
            cwd=ROOT,
            env=django_env(db),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"bench_skp worker failed on {db.label}:\n{done.stderr}")
        found["databases"][db.label] = json.loads(done.stdout)
    return found


def _pg_url_for(pegawai: int) -> str:
    """`kinerja_bench` (shared with the other scripts) at 10,000; a database of its own else."""
    if pegawai == BOARD_PEGAWAI or not PG_URL:
        return PG_URL
    return urlunsplit(urlsplit(PG_URL)._replace(path="/kinerja_bench_skp"))


def _size(pegawai: int) -> dict[str, Any]:
    env = os.environ | {
        "KINERJA_BENCH_SKP_PEGAWAI": str(pegawai),
        "KINERJA_BENCH_PG": _pg_url_for(pegawai),
    }
    done = subprocess.run(
        [sys.executable, __file__, "--size"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench_skp at {pegawai} pegawai failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def main() -> None:
    load_at_start = os.getloadavg()
    runs = [_size(POHON_PEGAWAI), _size(BOARD_PEGAWAI)]
    labels = list(runs[0]["databases"])
    sections = []
    for label in labels:
        cases = [c for run in runs for c in run["databases"][label]["cases"]]
        flat: dict[str, set[int]] = {}
        for r in cases:
            flat.setdefault(r["page"], set()).add(r["queries"])
        rows = []
        for r in cases:
            constant = len(flat[r["page"]]) == 1
            fast = r["p95"] < TARGET_MS
            rows.append(
                [
                    r["name"],
                    f"{r['pegawai']:,}",
                    f"{r['units']:,}",
                    f"{r['rhk']:,}",
                    f"{r['median']:.1f} ms",
                    f"{r['p95']:.1f} ms",
                    str(r["queries"]) + ("" if constant else " (varies!)"),
                    f"{r['bytes'] / 1024:.0f} KiB",
                    f"< {TARGET_MS:.0f} ms",
                    "pass" if fast and constant else "MISS",
                ]
            )
        headers = ["Page", "Pegawai", "Units", "RHK", "Median", "p95", "Queries", "Size",
                   "Target (p95)", "Verdict"]  # fmt: skip
        same = ", ".join(
            f"{page}: {'same' if len(counts) == 1 else 'DIFFERENT'} at every size "
            f"({'/'.join(map(str, sorted(counts)))})"
            for page, counts in flat.items()
        )
        sections.append(f"### {label}\n\n{table(headers, rows)}\n\nQuery counts: {same}.\n")
    print("## Perencanaan kinerja (SKP)\n")
    demos = []
    for run in runs:
        seen = run["databases"][labels[0]]
        status = ", ".join(f"{n:,} {k.lower()}" for k, n in sorted(seen["status"].items()))
        demos.append(
            f"`seed_demo --pegawai {run['pegawai']}`: {seen['skp']:,} SKPs of {seen['year']} "
            f"({status})"
        )
    print(
        f"Two demo kabupaten, each with its SKPs and 2 RHK Utama per SKP cascaded from the "
        f"rater's RHKs: {'; '.join(demos)}. No Dinas of the 10,000-pegawai demo has about "
        f"{DINAS_SIZE} pegawai (Dinas Kesehatan has ~1,450, the others ~150-215), so the pohon "
        f"target (a Dinas of {DINAS_SIZE}) is measured on the {POHON_PEGAWAI:,}-pegawai demo, "
        "on its Dinas nearest that size; the pohon of the 10,000 demo's Dinas Kesehatan, about "
        "three times the target size, is shown as a larger case. The status board is on the "
        f"{BOARD_PEGAWAI:,}-pegawai instansi. {REQUESTS} requests per page after {WARM_UP} "
        "warm-up requests, through `django.test.Client` logged in as the demo admin "
        "kepegawaian; DEBUG off, persistent connection; each size and database in its own "
        "process. The smaller rows show that the query count does not grow with size. RHK = "
        "current RHKs of the year in the subtree. Load average (1 min / 5 min) at the start: "
        f"{load_at_start[0]:.2f} / {load_at_start[1]:.2f}; at the end: "
        f"{os.getloadavg()[0]:.2f} / {os.getloadavg()[1]:.2f}.\n"
    )
    print("\n".join(sections))
    print(NOTES)


if __name__ == "__main__":
    if "--worker" in sys.argv:
        print(json.dumps(measure()))
    elif "--size" in sys.argv:
        print(json.dumps(measure_size()))
    else:
        main()
