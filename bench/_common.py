"""Shared by the bench_*.py scripts: where the benchmark databases live and how to fill them.

Settings (environment):
  KINERJA_BENCH_DIR      scratch directory (default /tmp/kinerja-bench)
  KINERJA_BENCH_PEGAWAI  size of the demo kabupaten (default 100000)
  KINERJA_BENCH_PG       PostgreSQL URL of a scratch database that may be dropped and recreated
                         (default postgres://postgres@127.0.0.1:5432/kinerja_bench; empty: skip)
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(os.environ.get("KINERJA_BENCH_DIR", "/tmp/kinerja-bench"))  # noqa: S108
PEGAWAI = int(os.environ.get("KINERJA_BENCH_PEGAWAI", "100000"))
PG_URL = os.environ.get("KINERJA_BENCH_PG", "postgres://postgres@127.0.0.1:5432/kinerja_bench")
SQLITE_PATH = BENCH_DIR / f"demo-{PEGAWAI}.sqlite3"


@dataclass(frozen=True)
class Database:
    label: str
    url: str

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")


def postgres_admin_url(url: str) -> str:
    """The same server, database 'postgres' (to drop and create the scratch database)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres"))


def postgres_version() -> str | None:
    if not PG_URL:
        return None
    try:
        import psycopg

        with psycopg.connect(postgres_admin_url(PG_URL), connect_timeout=3) as conn:
            row = conn.execute("SHOW server_version").fetchone()
    except Exception:  # any failure means "no PostgreSQL to benchmark"
        return None
    return str(row[0]) if row else None


def databases() -> list[Database]:
    found = [Database("SQLite", f"sqlite:///{SQLITE_PATH}")]
    if postgres_version() is not None:
        found.append(Database("PostgreSQL", PG_URL))
    return found


def django_env(db: Database) -> dict[str, str]:
    """Production-like settings (DEBUG off, manifest static files) on the bench database."""
    env = {k: v for k, v in os.environ.items() if k not in {"KINERJA_TESTING", "DEBUG"}}
    env.update(
        DATABASE_URL=db.url,
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY="bench-only-" + "x" * 50,
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        KINERJA_VAR_DIR=str(BENCH_DIR / "var"),
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(db: Database, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=django_env(db),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def recreate(db: Database) -> None:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if db.is_sqlite:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    name = urlsplit(db.url).path.lstrip("/")
    with psycopg.connect(postgres_admin_url(db.url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


@dataclass(frozen=True)
class Loaded:
    migrate_seconds: float
    seed_seconds: float
    seed_output: str


def load_demo(db: Database) -> Loaded:
    """A fresh database with the demo kabupaten of PEGAWAI pegawai; both steps timed."""
    recreate(db)
    started = time.perf_counter()
    manage(db, "migrate", "--no-input", "-v", "0")
    migrated = time.perf_counter()
    output = manage(db, "seed_demo", "--pegawai", str(PEGAWAI))
    seeded = time.perf_counter()
    return Loaded(migrated - started, seeded - migrated, output)


def count_rows(db: Database, table: str) -> int:
    sql = f"SELECT COUNT(*) FROM {table}"  # noqa: S608 - fixed table names
    try:
        if db.is_sqlite:
            if not SQLITE_PATH.exists():
                return 0
            with sqlite3.connect(SQLITE_PATH) as conn:
                return int(conn.execute(sql).fetchone()[0])
        import psycopg

        with psycopg.connect(db.url, connect_timeout=3) as pg:
            row = pg.execute(sql).fetchone()
            return int(row[0]) if row else 0
    except Exception:  # no database or table yet: nothing loaded
        return 0


def ensure_demo(db: Database) -> None:
    """Reuse a database bench_seed.py filled; load it when missing."""
    if count_rows(db, "org_pegawai") < PEGAWAI:
        load_demo(db)


def table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def time_wait_sockets(port: int) -> int:
    """TCP sockets in TIME_WAIT to or from `port` (Linux /proc/net/tcp; 0 elsewhere)."""
    found = 0
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        path = Path(name)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            local, remote, state = fields[1], fields[2], fields[3]
            ports = {int(local.rsplit(":", 1)[1], 16), int(remote.rsplit(":", 1)[1], 16)}
            found += state == "06" and port in ports
    return found


def drain_time_wait(port: int, *, below: int = 1000, timeout: float = 75.0) -> int:
    """Wait (at most `timeout` s) until the closed connections of the previous load run have
    left TIME_WAIT. gunicorn's sync workers close every connection, so a run at ~1,000 req/s
    leaves ~1,000 sockets a second in TIME_WAIT for 60 s; a run started on top of them reuses
    their ports, and the kernel drops some of the new SYNs (the client retries a second later),
    which shows up as stalls in whichever run comes next. Returns the count it waited for."""
    deadline = time.monotonic() + timeout
    while (count := time_wait_sockets(port)) >= below and time.monotonic() < deadline:
        time.sleep(1)
    return count
