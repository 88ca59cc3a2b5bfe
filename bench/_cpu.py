"""Where the CPU of a load run goes, per request (bench_realisasi.py, bench_skm.py).

The server, PostgreSQL and the load tool share the machine's cores, so a run's throughput is
bounded by the CPU each request costs in all of them together. `snapshot()` reads the CPU time
used so far by the gunicorn processes and the PostgreSQL processes (/proc/<pid>/stat), by this
process's finished children (wrk, run with subprocess and waited for) and by the whole machine
(/proc/stat); `per_request` turns two snapshots into milliseconds per answered request.
Linux only; on another system every figure is 0.
"""

from __future__ import annotations

import os
import resource
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _common import table

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass(frozen=True)
class Snapshot:
    processes: dict[tuple[str, int], float]  # (group, pid) -> CPU seconds
    children: float  # finished children of this process (wrk)
    busy: float  # the machine, all cores
    idle: float


def _group(pid: int) -> str | None:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
        name = Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return None
    if b"gunicorn" in command:
        return "django"
    return "postgres" if name.startswith("postgres") else None


def _seconds(pid: int) -> float | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime + stime


def snapshot() -> Snapshot:
    processes: dict[tuple[str, int], float] = {}
    if Path("/proc/stat").exists():
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            pid = int(entry.name)
            group = _group(pid)
            seconds = _seconds(pid) if group else None
            if group and seconds is not None:
                processes[(group, pid)] = seconds
        ticks = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = (ticks[3] + ticks[4]) / _TICK
        busy = sum(ticks) / _TICK - idle
    else:
        busy = idle = 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return Snapshot(processes, usage.ru_utime + usage.ru_stime, busy, idle)


def per_request(before: Snapshot, after: Snapshot, requests: int) -> dict[str, float]:
    """Milliseconds of CPU per request: django (gunicorn), postgres, wrk, other (the kernel's
    network work and everything else on the machine) and all; idle_pct of the cores' time."""
    spent = {"django": 0.0, "postgres": 0.0}
    for key, seconds in after.processes.items():
        spent[key[0]] += seconds - before.processes.get(key, 0.0)  # a new backend: all of it
    spent["wrk"] = after.children - before.children
    everything = after.busy - before.busy
    spent["other"] = max(everything - sum(spent.values()), 0.0)
    spent["all"] = everything
    n = max(requests, 1)
    result = {k: 1000 * v / n for k, v in spent.items()}
    elapsed = everything + after.idle - before.idle
    result["idle_pct"] = 100 * (after.idle - before.idle) / elapsed if elapsed else 0.0
    return result


def report(runs: dict[str, Any], labels: dict[str, str], *, app: str, ratio: float) -> str:
    """A markdown paragraph and table: each run's CPU per request (from `per_request`, kept as
    run["cpu"]) and the throughput ratio that the CPU alone predicts, next to the measured one."""
    columns = ("django", "postgres", "wrk", "other", "all")
    rows = [
        [labels[key], *(f"{runs[key]['cpu'][c]:.2f}" for c in columns),
         f"{runs[key]['cpu']['idle_pct']:.0f} %"]
        for key in labels
    ]  # fmt: skip
    bare = statistics.mean(runs[key]["cpu"]["all"] for key in labels if key != app)
    spent = runs[app]["cpu"]["all"]
    predicted = bare / spent if spent else 0.0
    headers = ["Run (ms of CPU per 2xx request)", "gunicorn (Django)", "PostgreSQL", "wrk",
               "other (kernel, rest)", "all", "cores idle"]  # fmt: skip
    return (
        "CPU per request, by process, during the same runs (`bench/_cpu.py`: /proc of the "
        "gunicorn and PostgreSQL processes, wrk's own rusage, the machine's /proc/stat). The "
        "server, the database and the load tool share the cores, so throughput follows what a "
        f"request costs in all of them together: bare {bare:.2f} ms / {labels[app]} "
        f"{spent:.2f} ms = {predicted:.2f}, next to the measured ratio {ratio:.2f}.\n\n"
        + table(headers, rows)
        + "\n"
    )
