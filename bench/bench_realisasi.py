"""Realisasi at national scale on PostgreSQL: a 100,000-pegawai demo kabupaten with a year of
realisasi (about 6 million entries), the team page of a rater with 50 subordinates (target:
under 150 ms, a constant number of queries) and the throughput of recording a realisasi through
the API against a bare one-row insert view on the same server (target: at least 0.8x, p99
under 200 ms). Prints a markdown section.

    .venv/bin/python bench/bench_realisasi.py             # everything (loads data when missing)
    .venv/bin/python bench/bench_realisasi.py --worker X  # one step in a Django process (JSON)

Settings (environment): KINERJA_BENCH_LOAD_PG (the scratch database, default
postgres://postgres@127.0.0.1:5432/kinerja_load), KINERJA_BENCH_SECONDS (each load run, default
20), KINERJA_BENCH_CONNECTIONS (default 8). The load tool is wrk on 127.0.0.1; the server is
gunicorn with 2 sync workers and bench/bench_settings.py (DEBUG off, CONN_MAX_AGE on, axes off,
the bench-only bare view). Needs wrk (`apt-get install wrk`) and PostgreSQL; skipped otherwise.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

os.environ.setdefault("KINERJA_BENCH_PEGAWAI", "100000")

import _cpu
from _common import (
    BENCH_DIR,
    PEGAWAI,
    ROOT,
    Database,
    count_rows,
    drain_time_wait,
    load_demo,
    manage,
    table,
)

LOAD_URL = os.environ.get(
    "KINERJA_BENCH_LOAD_PG", "postgres://postgres@127.0.0.1:5432/kinerja_load"
)
DB = Database("PostgreSQL", LOAD_URL)
LOAD_RECORD = BENCH_DIR / "realisasi-load.json"
SECONDS = int(os.environ.get("KINERJA_BENCH_SECONDS", "20"))
CONNECTIONS = int(os.environ.get("KINERJA_BENCH_CONNECTIONS", "8"))
WORKERS = 2
PORT = 8765
TOKENS = 300
TEAM_REQUESTS, TEAM_WARM_UP = 20, 3
TEAM_TARGET_MS = 150.0
RATIO_TARGET, P99_TARGET_MS = 0.8, 200.0
BENCH_REASON = "bench_realisasi"


def env() -> dict[str, str]:
    found = {k: v for k, v in os.environ.items() if k not in {"KINERJA_TESTING", "DEBUG"}}
    found.update(
        DATABASE_URL=LOAD_URL,
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY="bench-only-" + "x" * 50,
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        KINERJA_VAR_DIR=str(BENCH_DIR / "var"),
        PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'bench'}",
    )
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
        raise RuntimeError(f"bench_realisasi worker {step} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- steps run inside a Django process --------------------------------------------------------


def step_load() -> dict[str, Any]:
    import realisasi_data

    from kinerja.plans.demo import demo_year

    loaded = realisasi_data.load(demo_year())
    return dict(loaded.__dict__)


def _delegate(rater_id: int, pegawai_ids: list[int], instansi_id: int) -> None:
    from django.utils import timezone

    from kinerja.org.models import DelegasiPenilai

    start = timezone.localdate().replace(month=1, day=1)
    DelegasiPenilai.objects.bulk_create(
        DelegasiPenilai(
            instansi_id=instansi_id, pegawai_id=p, rater_id=rater_id, start_date=start,
            reason=BENCH_REASON,
        )
        for p in pegawai_ids
    )  # fmt: skip


def _delegated_teams(year: int) -> list[tuple[str, int]]:
    """Two staff members who rate nobody become, by DelegasiPenilai, the raters of 50 and of 10
    pegawai whose SKPs are approved and have a year of entries (made again on every run)."""
    from django.db.models import Exists, OuterRef

    from kinerja.org.models import DelegasiPenilai, Pegawai
    from kinerja.plans.models import Skp, StatusSkp

    DelegasiPenilai.objects.filter(reason=BENCH_REASON).delete()
    raters = set(Skp.objects.filter(year=year).values_list("rater_id", flat=True))
    delegated = set(DelegasiPenilai.objects.values_list("pegawai_id", flat=True))
    approved = (
        Skp.objects.filter(year=year, is_current=True, status=StatusSkp.DISETUJUI)
        .filter(start_date__month=1, start_date__day=1)
        .order_by("pegawai_id")
        .values_list("pegawai_id", flat=True)
    )
    team = [p for p in approved[:20000:97] if p not in raters and p not in delegated][:60]
    assert len(team) == 60, len(team)
    has_skp = Exists(Skp.objects.filter(pegawai=OuterRef("pk"), year=year))
    (big, instansi_id), (small, _) = list(
        Pegawai.objects.filter(user__isnull=False, jabatan__isnull=False)
        .exclude(pk__in=raters | set(team))
        .filter(has_skp)
        .order_by("id")
        .values_list("pk", "instansi_id")[:2]
    )
    _delegate(big, team[:50], instansi_id)
    _delegate(small, team[50:], instansi_id)
    return [("50 pegawai (delegasi)", big), ("10 pegawai (delegasi)", small)]


def _natural_teams(year: int) -> list[tuple[str, int]]:
    """Raters by the jabatan tree: one with 50 subordinates (or the nearest), one with ~10."""
    from django.db.models import Count

    from kinerja.org.hierarchy import subordinate_ids
    from kinerja.org.models import DelegasiPenilai, Pegawai
    from kinerja.plans.models import Skp

    counts = (
        Skp.objects.filter(year=year, is_current=True, rater__isnull=False)
        .exclude(rater_id__in=DelegasiPenilai.objects.values("rater_id"))
        .values("rater_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    found: list[tuple[str, int]] = []
    for want in (50, 10):
        near = sorted(counts, key=lambda c: (abs(c["n"] - want), c["rater_id"]))[:12]
        best = min(
            near,
            key=lambda c: abs(len(subordinate_ids(Pegawai(pk=c["rater_id"]))) - want),
        )
        size = len(subordinate_ids(Pegawai(pk=best["rater_id"])))
        found.append((f"{size} pegawai (pohon jabatan)", best["rater_id"]))
    return found


def step_team() -> list[dict[str, Any]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kinerja.org.models import Pegawai
    from kinerja.plans.demo import demo_year
    from kinerja.plans.models import Skp, StatusSkp
    from kinerja.progress.models import Realisasi

    year = demo_year()
    teams = _delegated_teams(year) + _natural_teams(year)
    results = []
    for label, rater_id in teams:
        from kinerja.org.hierarchy import subordinate_ids

        rater = Pegawai.objects.select_related("user", "jabatan").get(pk=rater_id)
        assert rater.user is not None
        ids = subordinate_ids(rater)
        approved = Skp.objects.filter(
            pegawai_id__in=ids, year=year, is_current=True, status=StatusSkp.DISETUJUI
        )
        entries = Realisasi.objects.filter(skp__in=approved).count()
        client = Client()
        client.force_login(rater.user)
        url = "/realisasi/tim/"
        for _ in range(TEAM_WARM_UP):
            client.get(url)
        samples = []
        for _ in range(TEAM_REQUESTS):
            started = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
        results.append(
            {
                "name": label,
                "jabatan": rater.jabatan.name if rater.jabatan else "",
                "subordinates": len(ids),
                "approved": approved.count(),
                "entries": entries,
                "median": statistics.median(samples),
                "p95": statistics.quantiles(samples, n=20, method="inclusive")[18],
                "queries": len(queries.captured_queries),
                "sql_ms": sql_ms,
                "bytes": len(response.content),
            }
        )
    return results


def step_prepare() -> dict[str, Any]:
    """The bare table, and TOKENS API tokens of pegawai whose approved SKP covers today, each
    with the IKIs they may report on (every request of the load run is valid)."""
    from django.db import connection
    from django.utils import timezone

    from kinerja.accounts.models import ApiToken, User
    from kinerja.accounts.services import api_token_create
    from kinerja.plans.demo import demo_year
    from kinerja.plans.models import Iki, Skp, StatusSkp

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_bare (id bigserial PRIMARY KEY, "
            "value varchar(20) NOT NULL, created_at timestamptz NOT NULL)"
        )
    today = timezone.localdate()
    skps = list(
        Skp.objects.filter(
            year=demo_year(),
            is_current=True,
            status=StatusSkp.DISETUJUI,
            start_date__lte=today,
            end_date__gte=today,
            pegawai__user__isnull=False,
            pegawai__user__is_active=True,
        )
        .order_by("id")
        .values_list("id", "pegawai__user_id")[: TOKENS * 97 : 97]
    )
    ApiToken.objects.filter(name=BENCH_REASON).delete()
    users = User.objects.in_bulk([u for _s, u in skps])
    pairs: list[tuple[int, str]] = []
    ikis: dict[int, list[int]] = {}
    for skp_id, iki_id in Iki.objects.filter(rhk__skp_id__in=[s for s, _u in skps]).values_list(
        "rhk__skp_id", "id"
    ):
        ikis.setdefault(skp_id, []).append(iki_id)
    for skp_id, user_id in skps:
        _token, raw = api_token_create(by=users[user_id], name=BENCH_REASON)
        pairs.extend((iki_id, raw) for iki_id in ikis.get(skp_id, []))
    return {"today": today.isoformat(), "pairs": pairs, "tokens": len(skps)}


# --- the load runs ------------------------------------------------------------------------------

LUA = r"""
local pairs_file = "%(pairs)s"
local path_kind = "%(kind)s"
local nonce = "%(nonce)s"
local items = {}
for line in io.lines(pairs_file) do
  local iki, token = line:match("(%%d+) (%%S+)")
  items[#items + 1] = {iki, token}
end
local threads = {}
local counter = 0
ok, bad = 0, 0  -- globals: done() reads them with thread:get
local today = "%(today)s"
function setup(thread)
  thread:set("tid", #threads + 1)
  threads[#threads + 1] = thread
end
function init(args)
  counter = tid * 1000003
end
function request()
  counter = counter + 1
  if path_kind == "bare" then
    return wrk.format("POST", "/bench/bare-insert/",
      {["Content-Type"] = "application/x-www-form-urlencoded"}, "value=" .. counter)
  end
  local item = items[(counter %% #items) + 1]
  -- Without a file a client sends the form urlencoded, as the bare view's body is.
  local body = "date=" .. today .. "&value=1.5"
  return wrk.format("POST", "/api/v1/iki/" .. item[1] .. "/realisasi", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Authorization"] = "Bearer " .. item[2],
    ["Idempotency-Key"] = nonce .. "-" .. counter,
  }, body)
end
function response(status, headers, body)
  if status >= 200 and status < 300 then ok = ok + 1 else bad = bad + 1 end
end
function done(summary, latency, requests)
  local total_ok, total_bad = 0, 0
  for _, t in ipairs(threads) do
    total_ok = total_ok + t:get("ok")
    total_bad = total_bad + t:get("bad")
  end
  io.write(string.format("RESULT ok=%%d bad=%%d p50=%%.3f p90=%%.3f p99=%%.3f max=%%.3f\n",
    total_ok, total_bad, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def _pg(sql: str) -> int:
    import psycopg

    with psycopg.connect(LOAD_URL) as conn:
        row = conn.execute(sql).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def wrk(kind: str, seconds: int, pairs: Path, today: str) -> dict[str, Any]:
    script = pairs.with_suffix(f".{kind}.lua")
    nonce = f"b{int(time.time() * 1000)}"
    script.write_text(LUA % {"pairs": pairs, "kind": kind, "nonce": nonce, "today": today})
    done = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "5s", "-s", str(script),
         f"http://127.0.0.1:{PORT}"],
        capture_output=True, text=True, check=False, timeout=seconds + 30,
    )  # fmt: skip
    out = done.stdout
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed: {out}\n{done.stderr}")
    found = re.search(
        r"RESULT ok=(\d+) bad=(\d+) p50=([\d.]+) p90=([\d.]+) p99=([\d.]+) max=([\d.]+)", out
    )
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    assert found and rate, out
    ok, bad = int(found[1]), int(found[2])
    return {
        "ok": ok,
        "bad": bad,
        "rps": ok / seconds,
        "wrk_rps": float(rate[1]),
        "p50": float(found[3]),
        "p90": float(found[4]),
        "p99": float(found[5]),
        "max": float(found[6]),
        "socket_errors": errors[1] if errors else "",
    }


def serve() -> subprocess.Popen[bytes]:
    server_env = env() | {"DJANGO_SETTINGS_MODULE": "bench_settings", "LOG_LEVEL": "WARNING"}
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    process = subprocess.Popen(
        [gunicorn, "config.wsgi:application", "-w", str(WORKERS), "-b", f"127.0.0.1:{PORT}",
         "--worker-class", "sync", "--log-level", "warning"],
        cwd=ROOT, env=server_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/api/v1/openapi.json", timeout=1)
            return process
        except OSError:
            time.sleep(0.2)
    process.send_signal(signal.SIGTERM)
    raise RuntimeError("gunicorn did not start")


def throughput(prepared: dict[str, Any]) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        pairs = Path(tmp) / "pairs.txt"
        pairs.write_text("".join(f"{iki} {token}\n" for iki, token in prepared["pairs"]))
        process = serve()
        try:
            today = prepared["today"]
            wrk("bare", 3, pairs, today)  # warm-up: imports, connections, caches
            wrk("api", 3, pairs, today)
            runs: list[tuple[str, str, str]] = [
                ("bare", "bench_bare", "bare 1"),
                ("api", "progress_realisasi", "api"),
                ("bare", "bench_bare", "bare 2"),
            ]
            for kind, tbl, label in runs:
                before = _pg(f"SELECT MAX(id) FROM {tbl}")  # noqa: S608 - fixed names
                time_wait = drain_time_wait(PORT)
                load_before = os.getloadavg()[0]
                cpu_before = _cpu.snapshot()
                result = wrk(kind, SECONDS, pairs, today)
                result["cpu"] = _cpu.per_request(cpu_before, _cpu.snapshot(), result["ok"])
                time.sleep(0.5)  # requests in flight when wrk stopped
                result["rows"] = _pg(f"SELECT COUNT(*) FROM {tbl} WHERE id > {before}")  # noqa: S608
                result["load"] = (load_before, os.getloadavg()[0])
                result["time_wait"] = time_wait
                results[label] = result
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    return results


# --- the report ---------------------------------------------------------------------------------


def main() -> None:
    if shutil.which("wrk") is None:
        print("## Realisasi (pelaksanaan)\n\nSkipped: `wrk` is not installed.\n")
        return
    load_at_start = os.getloadavg()
    if count_rows(DB, "org_pegawai") < PEGAWAI:
        load_demo(DB)
        LOAD_RECORD.unlink(missing_ok=True)
    if count_rows(DB, "progress_realisasi") < 1_000_000:  # seed_demo adds a few of its own
        started = time.perf_counter()
        loaded = worker("load")
        loaded["wall"] = time.perf_counter() - started
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        LOAD_RECORD.write_text(json.dumps(loaded))
    loaded = json.loads(LOAD_RECORD.read_text()) if LOAD_RECORD.exists() else {}
    manage(DB, "migrate", "--no-input", "-v", "0")  # a reused database: newer migrations
    manage(DB, "collectstatic", "--no-input", "-v", "0")  # the pages use the manifest
    prepared = worker("prepare")
    runs = throughput(prepared)
    team = worker("team")
    print(report(loaded, team, runs, prepared, load_at_start))


def report(
    loaded: dict[str, Any],
    team: list[dict[str, Any]],
    runs: dict[str, Any],
    prepared: dict[str, Any],
    load_at_start: tuple[float, float, float],
) -> str:
    lines = ["## Realisasi (pelaksanaan)\n"]
    total = _pg("SELECT COUNT(*) FROM progress_realisasi")
    rate = loaded.get("rows", 0) / max(loaded.get("copy_seconds", 1), 1)
    lines.append(
        f"A `seed_demo --pegawai {PEGAWAI}` PostgreSQL database (`kinerja_load`) with a year of "
        f"realisasi written by `bench/realisasi_data.py` with COPY: "
        f"{loaded.get('rows', 0):,} entries ({loaded.get('corrections', 0):,} of them "
        f"corrections of another entry) for {loaded.get('ikis', 0):,} IKIs of "
        f"{loaded.get('skps', 0):,} approved SKPs, 4 entries a month up to today; "
        f"{total:,} rows in the table now (with what the load runs below added). The loader "
        f"took {loaded.get('wall', 0):.0f} s wall clock in all: COPY "
        f"{loaded.get('copy_seconds', 0):.0f} s with the table's 11 indexes in place "
        f"(~{rate:,.0f} rows/s, rows built as text in Python while PostgreSQL writes), ANALYZE "
        f"{loaded.get('analyze_seconds', 0):.1f} s, the rest COMMIT and process start. Load "
        f"average at the start of this run: {load_at_start[0]:.2f} (1 min), "
        f"{load_at_start[1]:.2f} (5 min).\n"
    )
    lines.append("### Team page `/realisasi/tim/`\n")
    lines.append(
        f"{TEAM_REQUESTS} requests after {TEAM_WARM_UP} warm-up requests through "
        "`django.test.Client` logged in as the rater (production settings, DEBUG off, "
        "persistent connection). The delegasi teams are made by DelegasiPenilai rows so that "
        "every member has an approved SKP with a year of entries (the heaviest case); the "
        "pohon jabatan teams are raters as the demo made them (some members without an "
        "approved SKP). SQL = the database time of the counted request.\n"
    )
    counts_delegated = {r["queries"] for r in team if "delegasi" in r["name"]}
    counts_tree = {r["queries"] for r in team if "delegasi" not in r["name"]}
    rows = []
    for r in team:
        same = counts_delegated if "delegasi" in r["name"] else counts_tree
        constant = len(same) == 1
        verdict = "pass" if r["p95"] < TEAM_TARGET_MS and constant else "MISS"
        rows.append(
            [
                r["name"],
                r["jabatan"],
                f"{r['approved']}",
                f"{r['entries']:,}",
                f"{r['median']:.1f} ms",
                f"{r['p95']:.1f} ms",
                f"{r['sql_ms']:.1f} ms",
                str(r["queries"]),
                f"{r['bytes'] / 1024:.0f} KiB",
                f"< {TEAM_TARGET_MS:.0f} ms",
                verdict,
            ]
        )
    headers = ["Team", "Rater's jabatan", "Approved SKPs", "Their entries", "Median", "p95",
               "SQL", "Queries", "Size", "Target (p95)", "Verdict"]  # fmt: skip
    lines.append(table(headers, rows) + "\n")
    lines.append(
        "Query counts: delegasi teams "
        f"{'/'.join(map(str, sorted(counts_delegated)))}, pohon jabatan teams "
        f"{'/'.join(map(str, sorted(counts_tree)))} (the walk down the jabatan tree adds one "
        "query per level below the rater, not per person).\n"
    )
    lines.append("### Recording a realisasi: throughput\n")
    lines.append(
        f"gunicorn, {WORKERS} sync workers, `bench/bench_settings.py` (production settings: "
        "DEBUG off, CONN_MAX_AGE 600; django-axes off; whitenoise and every middleware on); "
        f"wrk on 127.0.0.1 with {CONNECTIONS} connections, 2 threads, {SECONDS} s per run after "
        "a 3 s warm-up of each endpoint, the server and the load tool sharing the 2 cores. "
        "**Bare**: `POST /bench/bare-insert/` (bench-only URL conf), one INSERT of one row "
        "into a two-column table. **API**: `POST /api/v1/iki/{id}/realisasi`, the form "
        "without a file (urlencoded, like the bare view's): `date`=today and `value`, a bearer "
        "token, a unique `Idempotency-Key` each; requests "
        f"rotate over {len(prepared['pairs'])} IKIs of {prepared['tokens']} pegawai with "
        "approved SKPs, each request with its owner's token. Bare ran before and after the "
        "API; the ratio uses their mean. Rows = rows the run added (counted in the database; "
        "it may exceed the 2xx count by the requests in flight when wrk stopped). The sync "
        "workers close every connection, so before each timed run the bench waits until the "
        "previous run's sockets have left TIME_WAIT (fewer than 1,000 on the port, at most "
        "75 s; TIME_WAIT column): a run started on top of them loses some SYNs to port reuse "
        "and stalls (earlier reports, without the wait, penalised the run after a bare one).\n"
    )
    bare = [runs["bare 1"], runs["bare 2"]]
    bare_rps = statistics.mean(r["rps"] for r in bare)
    api = runs["api"]
    ratio = api["rps"] / bare_rps
    rows = []
    for label in ("bare 1", "api", "bare 2"):
        r = runs[label]
        extra = r["rows"] - r["ok"]
        rows.append(
            [
                {"bare 1": "Bare insert (before)", "api": "Realisasi API",
                 "bare 2": "Bare insert (after)"}[label],
                f"{r['rps']:.0f}",
                f"{r['p50']:.1f} ms",
                f"{r['p99']:.1f} ms",
                f"{r['ok']:,}",
                str(r["bad"]),
                f"{r['rows']:,}" + ("" if 0 <= extra <= CONNECTIONS else " (mismatch!)"),
                f"{r['load'][0]:.2f} / {r['load'][1]:.2f}",
                f"{r['time_wait']:,}",
            ]
        )  # fmt: skip
    headers = ["Endpoint", "req/s (2xx)", "p50", "p99", "2xx", "Non-2xx", "Rows added",
               "Load avg before / after", "TIME_WAIT at start"]  # fmt: skip
    lines.append(table(headers, rows) + "\n")
    errors = api["bad"] + sum(r["bad"] for r in bare)
    verdict_ratio = "pass" if ratio >= RATIO_TARGET else "MISS"
    verdict_p99 = "pass" if api["p99"] < P99_TARGET_MS else "MISS"
    checks = [
        ["API / bare throughput", f"{ratio:.2f}", f"≥ {RATIO_TARGET}", verdict_ratio],
        ["API p99", f"{api['p99']:.1f} ms", f"< {P99_TARGET_MS:.0f} ms", verdict_p99],
        ["Non-2xx responses", str(errors), "0", "pass" if errors == 0 else "MISS"],
    ]
    lines.append(table(["Check", "Measured", "Target", "Verdict"], checks) + "\n")
    lines.append(
        _cpu.report(runs, {"bare 1": "Bare insert (before)", "api": "Realisasi API",
                           "bare 2": "Bare insert (after)"}, app="api", ratio=ratio)
    )  # fmt: skip
    return "\n".join(lines)


if __name__ == "__main__":
    if "--worker" in sys.argv:
        import django

        django.setup()
        step = sys.argv[sys.argv.index("--worker") + 1]
        result = {"load": step_load, "team": step_team, "prepare": step_prepare}[step]()
        print(json.dumps(result, default=str))
    else:
        main()
