"""Run every bench/bench_*.py and write docs/performance.md (`make bench` calls this).

Each script runs as its own process and prints one markdown section ("## …" with a table that
states its target and verdict); this file adds a header describing the machine. bench_seed.py
runs first because it fills the databases that later scripts reuse.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from _common import postgres_version

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUTPUT = ROOT / "docs" / "performance.md"
FIRST = ["bench_seed.py"]


def scripts() -> list[Path]:
    found = sorted(BENCH.glob("bench_*.py"))
    return sorted(found, key=lambda p: (p.name not in FIRST, p.name))


def _first_line(path: str, prefix: str) -> str:
    try:
        lines = Path(path).read_text().splitlines()
    except OSError:
        return "unknown"
    return next((line.split(":", 1)[1].strip() for line in lines if line.startswith(prefix)), "")


def machine() -> list[tuple[str, str]]:
    memory_kb = (_first_line("/proc/meminfo", "MemTotal").split() or ["0"])[0]
    try:
        os_name = next(
            line.split("=", 1)[1].strip('"')
            for line in Path("/etc/os-release").read_text().splitlines()
            if line.startswith("PRETTY_NAME=")
        )
    except (OSError, StopIteration):
        os_name = platform.system()
    return [
        ("CPU", _first_line("/proc/cpuinfo", "model name") or platform.processor() or "unknown"),
        ("Cores", str(os.cpu_count())),
        ("RAM", f"{int(memory_kb) / 1024 / 1024:.1f} GiB"),
        ("OS", f"{os_name}, Linux {platform.release()}"),
        ("Python", platform.python_version()),
        ("Django", version("django")),
        ("SQLite", sqlite3.sqlite_version),
        ("PostgreSQL", postgres_version() or "not available (PostgreSQL rows skipped)"),
    ]


def header(started: datetime, load_before: float, load_after: float, seconds: float) -> str:
    rows = "\n".join(f"| {k} | {v} |" for k, v in machine())
    return f"""# Performance

Measured {started:%Y-%m-%d %H:%M} UTC by `make bench` (`bench/run.py`), which runs every
`bench/bench_*.py` in its own process; each section below states its own method, target and
verdict. Total run time {seconds / 60:.1f} min.

| Machine | |
|---|---|
{rows}
| Load average (1 min) before / after | {load_before:.2f} / {load_after:.2f} |

Timings are wall-clock on a shared 2-core machine: other processes running at the same time
(the load average above) inflate them; compare runs taken under similar load.

"""


def run(script: Path) -> str:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    took = time.perf_counter() - started
    if done.returncode == 0 and done.stdout.strip():
        return done.stdout.strip() + "\n"
    tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-30:])
    return (
        f"## {script.name}: failed\n\nExit status {done.returncode} after {took:.0f} s; "
        f"last lines of its output:\n\n```\n{tail}\n```\n"
    )


def main() -> None:
    started, clock = datetime.now(UTC), time.perf_counter()
    load_before = os.getloadavg()[0]
    sections = []
    for script in scripts():
        print(f"… {script.name}", file=sys.stderr, flush=True)
        section = run(script)
        print(section, flush=True)
        sections.append(section)
    doc = header(started, load_before, os.getloadavg()[0], time.perf_counter() - clock)
    OUTPUT.write_text(doc + "\n".join(sections))
    print(f"Written {OUTPUT.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
