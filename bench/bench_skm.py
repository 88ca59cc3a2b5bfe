"""SKM on PostgreSQL: the public submission endpoint against a bare one-row insert view (same
run, same server; target: at least 0.8x the throughput, p99 under 100 ms), a run of 100,000
submissions that must lose none (rows in the database == 2xx answers), and the IKM of every
unit of an instansi over 10 million responses against a hand-written GROUP BY over the same
rows (target: no slower than 1.5x). Prints a markdown section.

    .venv/bin/python bench/bench_skm.py             # everything (loads data when missing)
    .venv/bin/python bench/bench_skm.py --worker X  # one step in a Django process (JSON)

Settings (environment): KINERJA_BENCH_SKM_PG (scratch database, default
postgres://postgres@127.0.0.1:5432/kinerja_skm), KINERJA_BENCH_SKM_ROWS (bulk responses,
default 10,000,000), KINERJA_BENCH_SKM_COUNT (the loss check, default 100,000),
KINERJA_BENCH_SECONDS (each timed run, default 20), KINERJA_BENCH_CONNECTIONS (default 8).

Server: gunicorn, 2 sync workers, bench/bench_settings.py (DEBUG off, CONN_MAX_AGE on, axes
off, the bench-only bare view) with the application's own SKM settings: rate limit, duplicate
window, honeypot and one-time tokens all on. Each simulated citizen is a distinct client
address, passed as X-Real-IP with KINERJA_CLIENT_IP_HEADER=HTTP_X_REAL_IP (the set-up behind a
reverse proxy), so the rate limit counts per citizen as in production. Tokens are made in
advance with the application's `public.issue_token` and the server's SECRET_KEY, one per
request, and fed to wrk by a Lua script.
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
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import _cpu
from _common import BENCH_DIR, ROOT, Database, count_rows, drain_time_wait, manage, recreate, table

if TYPE_CHECKING:
    from kinerja.surveys.periods import PeriodKey

SKM_URL = os.environ.get("KINERJA_BENCH_SKM_PG", "postgres://postgres@127.0.0.1:5432/kinerja_skm")
DB = Database("PostgreSQL", SKM_URL)
ROWS = int(os.environ.get("KINERJA_BENCH_SKM_ROWS", "10000000"))
COUNT_RUN = int(os.environ.get("KINERJA_BENCH_SKM_COUNT", "100000"))
SECONDS = int(os.environ.get("KINERJA_BENCH_SECONDS", "20"))
CONNECTIONS = int(os.environ.get("KINERJA_BENCH_CONNECTIONS", "8"))
THREADS = 2
WORKERS = 2
PORT = 8766  # bench_realisasi.py uses 8765
DEMO_PEGAWAI = 2000
UNITS, LAYANAN_PER_UNIT = 30, 2
TOKENS_PER_RUN = 40_000  # more than a timed run can use at the rates seen here
IKM_REPEATS = 5
RATIO_TARGET, P99_TARGET_MS, IKM_TARGET = 0.8, 100.0, 1.5
LOAD_RECORD = BENCH_DIR / "skm-load.json"
SERVER_LOG = BENCH_DIR / "skm-gunicorn.log"
CODE_PREFIX = "bench-skm-"


def previous_of(key: PeriodKey) -> PeriodKey:
    """The bench runs in the current semester, never the calendar's first."""
    found = key.previous()
    assert found is not None
    return found


def env() -> dict[str, str]:
    found = {k: v for k, v in os.environ.items() if k not in {"KINERJA_TESTING", "DEBUG"}}
    found.update(
        DATABASE_URL=SKM_URL,
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY="bench-only-" + "x" * 50,
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        KINERJA_VAR_DIR=str(BENCH_DIR / "var"),
        KINERJA_CLIENT_IP_HEADER="HTTP_X_REAL_IP",
        PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'bench'}",
    )
    return found


def worker(step: str, *args: str) -> Any:
    done = subprocess.run(
        [sys.executable, __file__, "--worker", step, *args],
        cwd=ROOT, env=env(), capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"bench_skm worker {step} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _pg(sql: str, params: tuple[Any, ...] = ()) -> int:
    import psycopg

    with psycopg.connect(SKM_URL) as conn:
        row = conn.execute(sql, params).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


# --- steps run inside a Django process --------------------------------------------------------


def step_setup() -> dict[str, Any]:
    """The bench layanan (LAYANAN_PER_UNIT in each of UNITS units of the demo kabupaten), each
    with its current semester and the one before, made by the application's services."""
    from django.db.models import Count
    from django.utils import timezone

    from kinerja.accounts.models import User
    from kinerja.org.models import UnitKerja
    from kinerja.surveys.models import Layanan, SurveyPeriod
    from kinerja.surveys.periods import key_on
    from kinerja.surveys.services import layanan_save, period_open

    by = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    assert by is not None, "seed_demo makes a superadmin"
    key = key_on("SEMESTER", timezone.localdate())
    if not Layanan.objects.filter(code__startswith=CODE_PREFIX).exists():
        biggest = UnitKerja.objects.values("instansi_id").annotate(n=Count("id")).order_by("-n")[0]
        units = UnitKerja.objects.filter(instansi_id=biggest["instansi_id"]).order_by("path")
        for index, unit in enumerate(units[1 : UNITS + 1]):
            for number in range(LAYANAN_PER_UNIT):
                layanan = layanan_save(
                    by=by, unit=unit, name=f"Layanan bench {index}-{number}",
                    code=f"{CODE_PREFIX}{index}-{number}", population=5000,
                )  # fmt: skip
                period_open(by=by, layanan=layanan, key=previous_of(key))
                period_open(by=by, layanan=layanan, key=key)
    groups = []
    for layanan in Layanan.objects.filter(code__startswith=CODE_PREFIX).order_by("pk"):
        periods = {(p.year, p.number): p.pk for p in SurveyPeriod.objects.filter(layanan=layanan)}
        prev = previous_of(key)
        groups.append(
            {
                "instansi_id": layanan.instansi_id,
                "unit_id": layanan.unit_id,
                "layanan_id": layanan.pk,
                "code": layanan.code,
                "period_now": periods[(key.year, key.number)],
                "period_prev": periods[(prev.year, prev.number)],
            }
        )
    return {"key": key.text, "groups": groups}


def step_load(setup_file: str) -> dict[str, Any]:
    import skm_data
    from django.db import connection

    groups = json.loads(Path(setup_file).read_text())["groups"]
    started = time.perf_counter()
    loaded = skm_data.load(groups, ROWS)
    with connection.cursor() as cursor:  # autocommit: VACUUM cannot run in a transaction
        vacuum_started = time.perf_counter()
        cursor.execute(f"VACUUM (ANALYZE) {skm_data.TABLE}")
        vacuumed = time.perf_counter() - vacuum_started
    return dict(loaded.__dict__) | {
        "vacuum_seconds": vacuumed,
        "wall": time.perf_counter() - started,
    }


HAND_SQL = (
    "SELECT period_id, unit_id, COUNT(*), SUM(u1), SUM(u2), SUM(u3), SUM(u4), SUM(u5), "
    "SUM(u6), SUM(u7), SUM(u8), SUM(u9) FROM surveys_skmresponse "
    "WHERE instansi_id = %s AND period_id = ANY(%s) GROUP BY period_id, unit_id"
)


def step_ikm(setup_file: str) -> dict[str, Any]:
    """queries.overview (IKM of every layanan and unit of the instansi, this and the previous
    semester) against HAND_SQL over the same rows, alternating, IKM_REPEATS times each after
    one warm-up of each; the unit results must agree."""
    from django.db import connection

    from kinerja.surveys import queries, rules
    from kinerja.surveys.models import Layanan, SurveyPeriod
    from kinerja.surveys.periods import parse_key

    setup = json.loads(Path(setup_file).read_text())
    key = parse_key(setup["key"])
    instansi_id = setup["groups"][0]["instansi_id"]
    # Every period of this and the previous semester in the instansi (seed_demo's own layanan
    # too), as the overview reads them.
    wanted = [(key.kind, key.year, key.number), (key.kind, *previous_of(key).text.split("-")[1:])]
    now_ids: set[int] = set()
    periods: list[int] = []
    for pk, year, number in SurveyPeriod.objects.filter(
        instansi_id=instansi_id, kind=key.kind
    ).values_list("pk", "year", "number"):
        if (key.kind, year, number) == wanted[0]:
            now_ids.add(pk)
        elif (key.kind, str(year), str(number)) == wanted[1]:
            periods.append(pk)
    periods += sorted(now_ids)
    layanan = Layanan.objects.filter(instansi_id=instansi_id)

    def app() -> queries.Overview:
        return queries.overview(layanan, instansi_id, key)

    def hand() -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(HAND_SQL, [instansi_id, periods])
            return list(cursor.fetchall())

    app(), hand()
    app_ms: list[float] = []
    hand_ms: list[float] = []
    for _ in range(IKM_REPEATS):
        for fn, sink in ((app, app_ms), (hand, hand_ms)):
            started = time.perf_counter()
            result = fn()
            sink.append((time.perf_counter() - started) * 1000)
    view, rows = app(), hand()
    sums: dict[int, list[int]] = {}
    for period_id, unit_id, n, *parts in rows:
        if period_id in now_ids:
            acc = sums.setdefault(unit_id, [0] * 10)
            acc[0] += n
            for i, value in enumerate(parts):
                acc[i + 1] += value
    expected = {u: rules.ikm_from_sums(s[0], s[1:], [s[0]] * 9) for u, s in sums.items()}
    got = {row.id: row.result for row in view.units if row.result is not None}
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + HAND_SQL, [instansi_id, periods])
        plan = json.dumps(cursor.fetchone()[0])
    del result
    return {
        "app_ms": app_ms,
        "hand_ms": hand_ms,
        "units": len(view.units),
        "layanan": len(view.layanan),
        "respondents_now": view.total.respondents,
        "respondents_prev": view.total.previous.respondents if view.total.previous else 0,
        "agree": got == expected,
        "index_only": "Index Only Scan" in plan,
        "heap_fetches": sum(int(x) for x in re.findall(r'"Heap Fetches": (\d+)', plan)),
        "workers": max([int(x) for x in re.findall(r'"Workers Launched": (\d+)', plan)] or [0]),
    }


def step_unstored(tokens_file: str) -> list[int]:
    """Line numbers of the token file whose submission has no row (by the token's hash)."""
    from kinerja.surveys.models import SkmResponse
    from kinerja.surveys.public import _digest, read_token

    hashes = []
    for line in Path(tokens_file).read_text().splitlines():
        body = json.loads(line.split("\t", 2)[2])
        hashes.append(_digest("token", read_token(body["token"]).nonce))
    stored: set[str] = set()
    for start in range(0, len(hashes), 5000):
        chunk = hashes[start : start + 5000]
        found = SkmResponse.objects.filter(token_hash__in=chunk).values_list(
            "token_hash", flat=True
        )
        stored |= {h for h in found if h is not None}
    return [n for n, h in enumerate(hashes) if h not in stored]


def resend(tokens_file: Path, numbers: list[int]) -> dict[str, int]:
    """What a phone does with an unanswered submission: send it again, same token (the
    one-time token makes a second copy impossible). Status code → count."""
    lines = tokens_file.read_text().splitlines()
    codes: dict[str, int] = {}
    for n in numbers:
        code, address, body = lines[n].split("\t", 2)
        request = urllib.request.Request(
            f"http://127.0.0.1:{PORT}/api/v1/publik/skm/{code}/tanggapan",
            data=body.encode(),
            headers={"Content-Type": "application/json", "X-Real-IP": address},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - local
                status = answer.status
        except urllib.error.HTTPError as refused:
            status = refused.code
        codes[str(status)] = codes.get(str(status), 0) + 1
    return codes


def step_tokens(setup_file: str, out_dir: str) -> dict[str, int]:
    """Token files for the runs: one line per request, `code<TAB>client address<TAB>JSON body`,
    each with a fresh token from the application's own signing function."""
    from django.db import connection

    from kinerja.surveys.public import issue_token

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_bare (id bigserial PRIMARY KEY, "
            "value varchar(20) NOT NULL, created_at timestamptz NOT NULL)"
        )
    groups = json.loads(Path(setup_file).read_text())["groups"]
    sizes = {"warm": 6000, "timed": TOKENS_PER_RUN, "count": COUNT_RUN}
    serial = int(time.time()) % 50 * 1_000_000  # fresh client addresses on every bench run
    for name, size in sizes.items():
        lines = []
        for n in range(size):
            serial += 1
            g = groups[n % len(groups)]
            body = {
                "token": issue_token(g["layanan_id"], g["period_now"]),
                "answers": [1 + (serial * (i + 3)) % 4 for i in range(9)],
                "usia": 18 + serial % 60,
                "jenis_kelamin": "LP"[serial % 2],
                "pendidikan": ("SMA", "S1", "D3", "SMP")[serial % 4],
                "pekerjaan": ("SWASTA", "PNS", "WIRAUSAHA", "LAINNYA")[serial % 4],
                "saran": "" if serial % 3 else "Antrean sudah lebih cepat, terima kasih.",
                "website": "",
            }
            address = f"10.{serial >> 16 & 255}.{serial >> 8 & 255}.{serial & 255}"
            address = f"{serial >> 24 & 255}.{address[3:]}" if serial >> 24 else address
            lines.append(f"{g['code']}\t{address}\t{json.dumps(body, separators=(',', ':'))}\n")
        Path(out_dir, f"{name}.txt").write_text("".join(lines))
    return sizes


# --- load runs --------------------------------------------------------------------------------

LUA = r"""
local kind = "%(kind)s"
local file = "%(file)s"
local stop_at_quota = %(stop)s
local items, threads = {}, {}
ok, bad, filler, codes = 0, 0, 0, ""  -- globals: done() reads them with thread:get
local sent, counter, quota = 0, 0, 0
if kind == "skm" then
  for line in io.lines(file) do
    local code, ip, body = line:match("([^\t]+)\t([^\t]+)\t(.+)")
    items[#items + 1] = {code, ip, body}
  end
end
function setup(thread)
  thread:set("tid", #threads + 1)
  threads[#threads + 1] = thread
end
function init(args)
  counter = tid * 1000003
  quota = math.floor(#items / %(threads)d)
end
function request()
  counter = counter + 1
  if kind == "bare" then
    return wrk.format("POST", "/bench/bare-insert/",
      {["Content-Type"] = "application/x-www-form-urlencoded"}, "value=" .. counter)
  end
  if sent >= quota then  -- tokens used up: a request that stores nothing (405)
    return wrk.format("GET", "/bench/bare-insert/")
  end
  local item = items[sent * %(threads)d + tid]
  sent = sent + 1
  return wrk.format("POST", "/api/v1/publik/skm/" .. item[1] .. "/tanggapan",
    {["Content-Type"] = "application/json", ["X-Real-IP"] = item[2]}, item[3])
end
function response(status, headers, body)
  if status == 405 then filler = filler + 1
  elseif status >= 200 and status < 300 then ok = ok + 1
  else bad = bad + 1; if #codes < 200 then codes = codes .. status .. " " end end
  if stop_at_quota and ok + bad >= quota then
    local flag = io.open(file .. ".done-" .. tid, "w"); flag:write("done"); flag:close()
    wrk.thread:stop()
  end
end
function done(summary, latency, requests)
  local o, b, f, c = 0, 0, 0, ""
  for _, t in ipairs(threads) do
    o = o + t:get("ok"); b = b + t:get("bad"); f = f + t:get("filler"); c = c .. t:get("codes")
  end
  io.write(string.format(
    "RESULT ok=%%d bad=%%d filler=%%d p50=%%.3f p90=%%.3f p99=%%.3f max=%%.3f\n",
    o, b, f, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
  io.write("CODES " .. c .. "\n")
end
"""


def _parse(out: str, seconds: float) -> dict[str, Any]:
    found = re.search(
        r"RESULT ok=(\d+) bad=(\d+) filler=(\d+) p50=([\d.]+) p90=([\d.]+) p99=([\d.]+) "
        r"max=([\d.]+)", out,
    )  # fmt: skip
    assert found, out
    codes = re.search(r"CODES (.*)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    ok = int(found[1])
    return {
        "ok": ok, "bad": int(found[2]), "filler": int(found[3]), "rps": ok / seconds,
        "p50": float(found[4]), "p90": float(found[5]), "p99": float(found[6]),
        "max": float(found[7]), "codes": codes[1].strip() if codes else "",
        "socket_errors": errors[1] if errors else "",
    }  # fmt: skip


def _script(kind: str, tokens: Path | None, *, stop: bool) -> Path:
    script = Path(tempfile.mkstemp(suffix=".lua", dir=tokens.parent if tokens else None)[1])
    script.write_text(
        LUA % {"kind": kind, "file": tokens or "", "stop": "true" if stop else "false",
               "threads": THREADS}
    )  # fmt: skip
    return script


def wrk(kind: str, seconds: int, tokens: Path | None = None) -> dict[str, Any]:
    script = _script(kind, tokens, stop=False)
    done = subprocess.run(
        ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "5s",
         "-s", str(script), f"http://127.0.0.1:{PORT}"],
        capture_output=True, text=True, check=False, timeout=seconds + 60,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed: {done.stdout}\n{done.stderr}")
    return _parse(done.stdout, seconds)


def count_run(tokens: Path) -> dict[str, Any]:
    """All COUNT_RUN submissions once each; each wrk thread stops (and leaves a flag file) when
    every one of its submissions was answered, then wrk is stopped; a run where the table
    stops growing for a minute is stopped too (and reported as it is), 40 minutes at most."""
    script = _script("skm", tokens, stop=True)
    before = _pg("SELECT COALESCE(MAX(id), 0) FROM surveys_skmresponse")
    started = time.perf_counter()
    process = subprocess.Popen(
        ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", "-d2400s", "--timeout", "30s",
         "-s", str(script), f"http://127.0.0.1:{PORT}"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    last, stable_since = -1, time.perf_counter()
    finished = started
    while process.poll() is None:
        time.sleep(0.5)
        flags = list(tokens.parent.glob(f"{tokens.name}.done-*"))
        if len(flags) == THREADS:  # every submission was answered
            finished = max(f.stat().st_mtime for f in flags) - time.time() + time.perf_counter()
            process.send_signal(signal.SIGINT)
            break
        rows = _pg("SELECT COUNT(*) FROM surveys_skmresponse WHERE id > %s", (before,))
        if rows != last:
            last, stable_since, finished = rows, time.perf_counter(), time.perf_counter()
        elif time.perf_counter() - stable_since > 60:  # stuck: stop and report what happened
            process.send_signal(signal.SIGINT)
            break
    out, _err = process.communicate(timeout=60)
    elapsed = finished - started
    result = _parse(out, elapsed)
    time.sleep(0.5)
    result["rows_wrk"] = _pg("SELECT COUNT(*) FROM surveys_skmresponse WHERE id > %s", (before,))
    unstored = worker("unstored", str(tokens))
    result["resent"] = resend(tokens, unstored)
    result["rows"] = _pg("SELECT COUNT(*) FROM surveys_skmresponse WHERE id > %s", (before,))
    result["distinct"] = _pg(
        "SELECT COUNT(DISTINCT token_hash) FROM surveys_skmresponse WHERE id > %s", (before,)
    )
    result["seconds"] = elapsed
    return result


def serve() -> subprocess.Popen[bytes]:
    server_env = env() | {"DJANGO_SETTINGS_MODULE": "bench_settings", "LOG_LEVEL": "WARNING"}
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    process = subprocess.Popen(
        [gunicorn, "config.wsgi:application", "-w", str(WORKERS), "-b", f"127.0.0.1:{PORT}",
         "--worker-class", "sync", "--log-level", "warning"],
        cwd=ROOT, env=server_env, stdout=subprocess.DEVNULL, stderr=SERVER_LOG.open("w"),
    )  # fmt: skip  # a file, not a pipe: a full pipe would stall the server
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/api/v1/openapi.json", timeout=1)
            return process
        except OSError:
            time.sleep(0.2)
    process.send_signal(signal.SIGTERM)
    raise RuntimeError("gunicorn did not start")


def throughput(tmp: Path) -> dict[str, Any]:
    results: dict[str, Any] = {}
    process = serve()
    try:
        wrk("bare", 3)  # warm-up: imports, connections, caches
        wrk("skm", 3, tmp / "warm.txt")
        for kind, tbl, label in (
            ("bare", "bench_bare", "bare 1"),
            ("skm", "surveys_skmresponse", "skm"),
            ("bare", "bench_bare", "bare 2"),
        ):
            before = _pg(f"SELECT COALESCE(MAX(id), 0) FROM {tbl}")  # noqa: S608 - fixed names
            time_wait = drain_time_wait(PORT)
            load_before = os.getloadavg()[0]
            cpu_before = _cpu.snapshot()
            result = wrk(kind, SECONDS, tmp / "timed.txt" if kind == "skm" else None)
            result["cpu"] = _cpu.per_request(cpu_before, _cpu.snapshot(), result["ok"])
            time.sleep(0.5)  # requests in flight when wrk stopped
            result["rows"] = _pg(f"SELECT COUNT(*) FROM {tbl} WHERE id > %s", (before,))  # noqa: S608
            result["load"] = (load_before, os.getloadavg()[0])
            result["time_wait"] = time_wait
            results[label] = result
        drain_time_wait(PORT)
        load_before = os.getloadavg()[0]
        results["count"] = count_run(tmp / "count.txt")
        results["count"]["load"] = (load_before, os.getloadavg()[0])
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    return results


# --- the report ---------------------------------------------------------------------------------


def ensure_data(tmp: Path) -> tuple[Path, dict[str, Any]]:
    if count_rows(DB, "org_pegawai") < DEMO_PEGAWAI:
        recreate(DB)
        manage(DB, "migrate", "--no-input", "-v", "0")
        manage(DB, "seed_demo", "--pegawai", str(DEMO_PEGAWAI))
        LOAD_RECORD.unlink(missing_ok=True)
    else:
        manage(DB, "migrate", "--no-input", "-v", "0")
    setup_file = tmp / "setup.json"
    setup_file.write_text(json.dumps(worker("setup")))
    if count_rows(DB, "surveys_skmresponse") < ROWS:
        loaded = worker("load", str(setup_file))
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        LOAD_RECORD.write_text(json.dumps(loaded))
    loaded = json.loads(LOAD_RECORD.read_text()) if LOAD_RECORD.exists() else {}
    return setup_file, loaded


def main() -> None:
    if shutil.which("wrk") is None:
        print("## Survei Kepuasan Masyarakat\n\nSkipped: `wrk` is not installed.\n")
        return
    load_at_start = os.getloadavg()
    others = subprocess.run(["pgrep", "-x", "wrk"], capture_output=True, text=True).stdout.split()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        setup_file, loaded = ensure_data(tmp)
        ikm = worker("ikm", str(setup_file))
        worker("tokens", str(setup_file), str(tmp))
        runs = throughput(tmp)
    print(report(loaded, ikm, runs, load_at_start, others))


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), "unknown CPU",
    )  # fmt: skip
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    version = _pg_text("SHOW server_version")
    return f"{cpu}, {os.cpu_count()} cores, {memory:.1f} GiB RAM, PostgreSQL {version}"


def _pg_text(sql: str) -> str:
    import psycopg

    with psycopg.connect(SKM_URL) as conn:
        row = conn.execute(sql).fetchone()
    return str(row[0]) if row else ""


def report(
    loaded: dict[str, Any],
    ikm: dict[str, Any],
    runs: dict[str, Any],
    load_at_start: tuple[float, float, float],
    others: list[str],
) -> str:
    total = _pg("SELECT COUNT(*) FROM surveys_skmresponse")
    lines = ["## Survei Kepuasan Masyarakat (SKM)\n"]
    lines.append(
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `bench/bench_skm.py` on {machine()}.\n"
    )
    lines.append(
        f"Database `kinerja_skm` (PostgreSQL): `seed_demo --pegawai {DEMO_PEGAWAI}`, then "
        f"{UNITS * LAYANAN_PER_UNIT} layanan in {UNITS} units of the demo kabupaten, each with "
        "its current and previous semester (made by `layanan_save` / `period_open`), and "
        f"{loaded.get('rows', 0):,} responses written by `bench/skm_data.py` with COPY "
        f"({loaded.get('copy_seconds', 0):.0f} s, secondary indexes dropped and rebuilt in the "
        f"same transaction: {loaded.get('index_seconds', 0):.0f} s for "
        f"{loaded.get('indexes', 0)} indexes, VACUUM ANALYZE "
        f"{loaded.get('vacuum_seconds', 0):.0f} s); {total:,} rows in the table now (with "
        "what the load runs below added). Load average at the start: "
        f"{load_at_start[0]:.2f} (1 min), {load_at_start[1]:.2f} (5 min); other wrk processes "
        f"running at the start: {len(others) or 'none'}.\n"
    )
    lines.append("### IKM of every unit of the instansi over the whole table\n")
    app_ms, hand_ms = statistics.median(ikm["app_ms"]), statistics.median(ikm["hand_ms"])
    ratio = app_ms / hand_ms
    lines.append(
        "`queries.overview` (what the IKM page and API call: IKM of every layanan, every unit "
        "and the instansi, this semester and the previous one, with Krejcie–Morgan) against "
        "the hand-written SQL below over the same rows, fetched by the same connection; "
        f"{IKM_REPEATS} runs of each, alternating, after one warm-up each; medians. The "
        f"overview found {ikm['respondents_now']:,} respondents this semester and "
        f"{ikm['respondents_prev']:,} in the previous one, {ikm['units']} units and "
        f"{ikm['layanan']} layanan; its unit results "
        f"{'agree' if ikm['agree'] else 'DO NOT agree'} with ikm_from_sums over the hand SQL's "
        f"sums. Plan of the hand SQL: {'' if ikm['index_only'] else 'NOT '}index-only scan"
        f" of `skm_ikm_idx`, {ikm['heap_fetches']} heap fetches, {ikm['workers']} parallel "
        "workers.\n"
    )
    lines.append(f"```sql\n{HAND_SQL}\n```\n")
    verdict = "pass" if ratio <= IKM_TARGET and ikm["agree"] else "MISS"
    lines.append(
        table(
            ["Query", "Median", "Min", "Max", "Ratio", "Target", "Verdict"],
            [
                [
                    "Hand-written GROUP BY",
                    f"{hand_ms:.0f} ms",
                    f"{min(ikm['hand_ms']):.0f} ms",
                    f"{max(ikm['hand_ms']):.0f} ms",
                    "1.00",
                    "",
                    "",
                ],
                [
                    "queries.overview",
                    f"{app_ms:.0f} ms",
                    f"{min(ikm['app_ms']):.0f} ms",
                    f"{max(ikm['app_ms']):.0f} ms",
                    f"{ratio:.2f}",
                    f"≤ {IKM_TARGET}",
                    verdict,
                ],
            ],
        )
        + "\n"
    )
    lines.append("### Public submission: throughput and the loss check\n")
    lines.append(
        f"gunicorn, {WORKERS} sync workers, `bench/bench_settings.py`; wrk on 127.0.0.1, "
        f"{CONNECTIONS} connections, {THREADS} threads, {SECONDS} s per timed run after a 3 s "
        "warm-up of each endpoint; server, PostgreSQL and wrk share the 2 cores. **Bare**: "
        "`POST /bench/bare-insert/`, one INSERT into a two-column table. **SKM**: `POST "
        "/api/v1/publik/skm/{code}/tanggapan`, JSON with a fresh one-time token each, nine "
        "answers and the profile, rotating over the bench layanan, every protection on "
        "(honeypot, per-client rate limit, duplicate window, signed one-time token, the period "
        "check, the UNIQUE token hash and fingerprint, CHECK constraints), into the table of "
        f"{ROWS:,}+ rows with its indexes. Bare ran before and after; the ratio uses their "
        "mean. Rows = rows the run added, counted in the database. The sync workers close "
        "every connection, so before each timed run the bench waits until the previous run's "
        "sockets have left TIME_WAIT (fewer than 1,000 on the port, at most 75 s; TIME_WAIT "
        "column): a run started on top of them loses some SYNs to port reuse and stalls.\n"
    )
    bare_rps = statistics.mean(runs[k]["rps"] for k in ("bare 1", "bare 2"))
    skm = runs["skm"]
    rows = []
    names = {"bare 1": "Bare insert (before)", "skm": "SKM submission",
             "bare 2": "Bare insert (after)"}  # fmt: skip
    for label, title in names.items():
        r = runs[label]
        rows.append(
            [title, f"{r['rps']:.0f}", f"{r['p50']:.1f} ms", f"{r['p99']:.1f} ms", f"{r['ok']:,}",
             str(r["bad"]) + (f" ({r['codes']})" if r["codes"] else ""), f"{r['rows']:,}",
             f"{r['load'][0]:.2f} / {r['load'][1]:.2f}", f"{r['time_wait']:,}"]
        )  # fmt: skip
    lines.append(
        table(
            [
                "Endpoint",
                "req/s (2xx)",
                "p50",
                "p99",
                "2xx",
                "Non-2xx",
                "Rows added",
                "Load avg before / after",
                "TIME_WAIT at start",
            ],
            rows,
        )
        + "\n"
    )
    c = runs["count"]
    lines.append(
        f"Loss check: {COUNT_RUN:,} submissions, each token used once (client timeout 30 s), "
        "each wrk thread stopping "
        f"when all its submissions were answered: {c['ok']:,} answered 2xx, {c['bad']} non-2xx"
        f"{' (' + c['codes'] + ')' if c['codes'] else ''}, {c['rows']:,} rows added, in "
        f"{c['seconds']:.0f} s ({c['ok'] / max(c['seconds'], 1):.0f}/s, p50 {c['p50']:.1f} ms, "
        f"p99 {c['p99']:.1f} ms; load average {c['load'][0]:.2f} before, {c['load'][1]:.2f} "
        f"after). Socket errors: {c['socket_errors'] or 'none'}. Rows after wrk: "
        f"{c['rows_wrk']:,}. Then, as a phone would, every submission without a row was sent "
        f"again with its own token: {sum(c['resent'].values()):,} sent again "
        f"({', '.join(f'{n} × {k}' for k, n in sorted(c['resent'].items())) or 'none'}); "
        f"rows now {c['rows']:,}, distinct token hashes {c['distinct']:,}.\n"
    )
    ratio_skm = skm["rps"] / bare_rps
    # Lost = a submission answered 2xx without its row, or counted twice, or never stored.
    lost = c["ok"] > c["rows_wrk"] or c["rows"] != c["distinct"] or c["rows"] != COUNT_RUN
    checks = [
        ["SKM / bare throughput", f"{ratio_skm:.2f}", f"≥ {RATIO_TARGET}",
         "pass" if ratio_skm >= RATIO_TARGET else "MISS"],
        ["SKM p99", f"{skm['p99']:.1f} ms", f"< {P99_TARGET_MS:.0f} ms",
         "pass" if skm["p99"] < P99_TARGET_MS else "MISS"],
        ["Non-2xx in the timed runs",
         str(skm["bad"] + runs["bare 1"]["bad"] + runs["bare 2"]["bad"]),
         "0", "pass" if skm["bad"] == 0 else "MISS"],
        ["Loss check: stored once each / submissions", f"{c['distinct']:,} / {COUNT_RUN:,}",
         f"{COUNT_RUN:,} / {COUNT_RUN:,}", "pass" if not lost else "MISS"],
        ["IKM overview / hand GROUP BY", f"{ratio:.2f}", f"≤ {IKM_TARGET}", verdict],
    ]  # fmt: skip
    lines.append(table(["Check", "Measured", "Target", "Verdict"], checks) + "\n")
    lines.append(
        _cpu.report(runs, {"bare 1": "Bare insert (before)", "skm": "SKM submission",
                           "bare 2": "Bare insert (after)"}, app="skm", ratio=ratio_skm)
    )  # fmt: skip
    return "\n".join(lines)


if __name__ == "__main__":
    if "--worker" in sys.argv:
        import django

        django.setup()
        at = sys.argv.index("--worker")
        step, args = sys.argv[at + 1], sys.argv[at + 2 :]
        steps: dict[str, Callable[..., Any]] = {
            "setup": step_setup,
            "load": step_load,
            "ikm": step_ikm,
            "tokens": step_tokens,
            "unstored": step_unstored,
        }
        print(json.dumps(steps[step](*args), default=str))
    else:
        main()
