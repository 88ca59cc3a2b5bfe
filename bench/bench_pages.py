"""Organisation pages on the 100,000-pegawai demo kabupaten: median and p95 of 30 requests each,
and the number of queries (target: p95 under 100 ms).

Requests go through django.test.Client (the whole middleware stack and template rendering, no
network), logged in as the demo pegawai, with production settings (DEBUG off). Each database
is measured in its own process. Prints a markdown section.

    .venv/bin/python bench/bench_pages.py            # every available database
    .venv/bin/python bench/bench_pages.py --worker   # one database, from DATABASE_URL (JSON out)
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from typing import Any

from _common import PEGAWAI, ROOT, databases, django_env, ensure_demo, manage, table

REQUESTS, WARM_UP = 30, 3
NOTES = """How the pages stay flat as the head count grows:

- Every page runs a fixed number of queries (asserted at two sizes in
  `kinerja/org/tests/test_query_counts.py`).
- The directory picks the page's ids first by walking `pegawai_directory_idx`
  (instansi, name, id, search_text, jabatan) in name order: the name filter and the unit
  filter (through the subtree's jabatan ids) are checked inside the index, so even a name
  nobody has costs one index scan, not 100,000 row reads. Only the 26 rows shown are then
  read with their jabatan and unit. A NIP prefix of 5+ digits becomes a range on
  `pegawai_instansi_nip_idx` (SQLite's case-insensitive LIKE cannot use an index).
- The SQLite numbers are without planner statistics (Django never runs ANALYZE, so this is
  what a SQLite deployment sees); the query shapes were chosen to be fast without them.
  `seed_demo` runs ANALYZE on PostgreSQL.
- Tree rows get the unit kind label from SQL and build links from the tree URL once:
  `get_kind_display()`, `{% url %}` and `{% translate %}` per row had made the 416-row
  fragment cost ~170 ms.
- Slowest remaining case: a name fragment nobody has on PostgreSQL is a sequential scan of
  the instansi's pegawai (`LIKE '%…%'`); a `pg_trgm` index would remove it if instansi grow
  far beyond 100,000 pegawai.
"""
TARGET_MS = 100.0


def measure() -> list[dict[str, Any]]:
    """Runs inside the worker process, with Django set up on the bench database."""
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kinerja.org import demo, demo_plan
    from kinerja.org.models import Pegawai, UnitKerja

    units = UnitKerja.objects.filter(instansi__code=demo.DEMO_CODE)
    root, dinkes = units.get(code="PEMDA"), units.get(code="DINKES")
    seksi = units.get(code=demo_plan.DEMO_SEKSI)
    widest = units.annotate(n=Count("children")).order_by("-n").first()
    assert widest is not None
    n_root = units.filter(parent=root).count()
    n_widest = units.filter(parent=widest).count()
    user = Pegawai.objects.get(nip=demo_plan.NIP_PEGAWAI).user
    assert user is not None
    client = Client()
    client.force_login(user)
    htmx = {"HX-Request": "true"}
    cases: list[tuple[str, str, dict[str, str]]] = [
        ("Directory: common name fragment `q=sari`", "/org/pegawai/?q=sari", {}),
        ("Directory: NIP prefix `q=1985`", "/org/pegawai/?q=1985", {}),
        ("Directory: a full NIP", f"/org/pegawai/?q={demo_plan.NIP_PENILAI}", {}),
        ("Directory: live-search fragment `q=sari` (htmx)", "/org/pegawai/?q=sari", htmx),
        ("Directory: page 40 of everyone", "/org/pegawai/?hal=40", {}),
        (
            f"Directory: `q=sari` in {dinkes.name} (large subtree)",
            f"/org/pegawai/?q=sari&unit={dinkes.pk}",
            {},
        ),
        ("Directory: everyone in a seksi (small subtree)", f"/org/pegawai/?unit={seksi.pk}", {}),
        ("Directory: a name nobody has `q=zzzz` (worst case)", "/org/pegawai/?q=zzzz", {}),
        ("Org tree root page", "/org/unit/", {}),
        (
            f"Children fragment: the kabupaten ({n_root} sub-units)",
            f"/org/unit/{root.pk}/anak/",
            htmx,
        ),
        (
            f"Children fragment: {widest.name} ({n_widest} sub-units, the widest)",
            f"/org/unit/{widest.pk}/anak/",
            htmx,
        ),
        (f"Unit page: {dinkes.name}", f"/org/unit/{dinkes.pk}/", {}),
        (f"Unit page: {seksi.name}", f"/org/unit/{seksi.pk}/", {}),
    ]
    results = []
    for name, url, headers in cases:
        for _ in range(WARM_UP):
            client.get(url, headers=headers)
        samples = []
        for _ in range(REQUESTS):
            started = time.perf_counter()
            response = client.get(url, headers=headers)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url, headers=headers)
        results.append(
            {
                "name": name,
                "median": statistics.median(samples),
                "p95": statistics.quantiles(samples, n=20, method="inclusive")[18],
                "queries": len(queries.captured_queries),
                "bytes": len(response.content),
            }
        )
    return results


def main() -> None:
    sections = []
    for db in databases():
        ensure_demo(db)
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
            raise RuntimeError(f"bench_pages worker failed on {db.label}:\n{done.stderr}")
        rows = []
        for r in json.loads(done.stdout):
            verdict = "pass" if r["p95"] < TARGET_MS else "MISS"
            rows.append(
                [
                    r["name"],
                    f"{r['median']:.1f} ms",
                    f"{r['p95']:.1f} ms",
                    str(r["queries"]),
                    f"{r['bytes'] / 1024:.0f} KiB",
                    f"< {TARGET_MS:.0f} ms",
                    verdict,
                ]
            )
        headers = ["Page", "Median", "p95", "Queries", "Size", "Target (p95)", "Verdict"]
        sections.append(f"### {db.label}\n\n{table(headers, rows)}\n")
    print(f"## Organisation pages at {PEGAWAI:,} pegawai\n")
    print(
        f"{REQUESTS} requests per page after {WARM_UP} warm-up requests, through "
        "`django.test.Client` logged in as the demo pegawai (middleware, session, access "
        "checks, queries and templates; no network or WSGI server). DEBUG off, persistent "
        "connection. Queries include the 5 every page pays: session, user and the user's "
        "access facts.\n"
    )
    print("\n".join(sections))
    print(NOTES)


if __name__ == "__main__":
    if "--worker" in sys.argv:
        print(json.dumps(measure()))
    else:
        main()
