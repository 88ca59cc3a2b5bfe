#!/usr/bin/env python3
"""Benchmark: import 100,000 pegawai from one CSV file into SQLite, then import it again.

Standalone: uses a fresh SQLite database in a temporary directory under /tmp (never the
project's own database), migrates it, builds a small organisation (units and jabatan) through
the real services, writes a CSV with valid NIPs, and times `org_import` twice: the first run
creates every pegawai (accounts, placements, audit events), the second finds every row
unchanged. Prints a markdown section to stdout (bench/run.py collects it).

    .venv/bin/python bench/bench_import.py [--rows 100000] [--keep]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from kinerja.accounts.models import User
    from kinerja.org.importing import ImportResult
    from kinerja.org.models import Instansi

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 30.0


def configure(workdir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["KINERJA_TESTING"] = "true"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["KINERJA_VAR_DIR"] = str(workdir)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build_org() -> tuple[User, Instansi, list[str]]:
    """An instansi with 1 + 4 dinas × 3 bidang units and 3 multi-holder jabatan per bidang."""
    from kinerja.accounts.models import User
    from kinerja.org import services

    admin = User.objects.create_superuser("bench-admin", "bench-password-123")
    instansi = services.instansi_create(
        by=admin, code="BENCH", name="Pemerintah Kabupaten Uji Beban", kind="DAERAH"
    )
    root = services.unit_save(
        by=admin, instansi=instansi, code="PEMDA", name="Pemda", kind="PEMDA", parent=None
    )
    codes: list[str] = []
    for d in range(1, 5):
        dinas = services.unit_save(
            by=admin, instansi=instansi, code=f"D{d}", name=f"Dinas {d}", kind="DINAS", parent=root
        )
        for b in range(1, 4):
            bidang = services.unit_save(
                by=admin,
                instansi=instansi,
                code=f"D{d}B{b}",
                name=f"Bidang {d}.{b}",
                kind="BIDANG",
                parent=dinas,
            )
            for j, jenis in enumerate(("PELAKSANA", "PELAKSANA", "FUNGSIONAL"), start=1):
                code = f"D{d}B{b}J{j}"
                services.jabatan_save(
                    by=admin,
                    unit=bidang,
                    code=code,
                    name=f"Jabatan {code}",
                    jenis=jenis,
                    parent=None,
                )
                codes.append(code)
    return admin, instansi, codes


def nip_for(i: int) -> str:
    """The i-th valid, unique NIP: birth date cycles over 12,000 days, the sequence counts up."""
    born = date(1965, 1, 1) + timedelta(days=i % 12000)
    tmt_year, tmt_month = born.year + 22 + i % 10, i % 12 + 1
    return f"{born:%Y%m%d}{tmt_year}{tmt_month:02d}{1 + i % 2}{i // 12000 + 1:03d}"


def make_csv(rows: int, jabatan: list[str]) -> bytes:
    lines = [
        "nip,jenis_asn,nama,gelar_depan,gelar_belakang,pangkat_golongan,email,telepon,"
        "kode_jabatan,tmt_jabatan"
    ]
    for i in range(rows):
        nip = nip_for(i)
        tmt = date(2015, 1, 1) + timedelta(days=i % 3000)
        lines.append(
            f"{nip},{'PNS' if i % 7 else 'PPPK'},Pegawai Uji {i},,S.Kom.,Penata (III/c),"
            f"p{i}@uji.go.id,0812{i:08d},{jabatan[i % len(jabatan)]},{tmt:%d-%m-%Y}"
        )
    return ("\n".join(lines) + "\n").encode()


Timing = tuple[float, float]  # wall-clock seconds, CPU seconds of this process


def timed(label: str, run: Callable[[], ImportResult]) -> tuple[Timing, ImportResult]:
    start, cpu = time.perf_counter(), time.process_time()
    result = run()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"{label}: {elapsed:.2f} s ({cpu:.2f} s CPU)", file=sys.stderr)
    return (elapsed, cpu), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="kinerja-bench-import-", dir="/tmp"))
    try:
        configure(workdir)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)

        from kinerja.org.importing import org_import
        from kinerja.org.models import Pegawai, Penempatan

        admin, instansi, jabatan = build_org()
        content = make_csv(args.rows, jabatan)

        def run() -> ImportResult:
            return org_import(
                by=admin,
                instansi=instansi,
                kind="pegawai",
                file_name="pegawai.csv",
                content=content,
                dry_run=False,
            )

        first_s, first = timed("first import", run)
        again_s, again = timed("re-import", run)
        assert not first.errors, first.errors[:5]
        assert first.created == args.rows, first
        assert again.unchanged == args.rows, again
        assert Pegawai.objects.filter(instansi=instansi).count() == args.rows
        assert Penempatan.objects.count() == args.rows
        sqlite_version = sqlite3.sqlite_version
        report(args.rows, len(content), first_s, again_s, sqlite_version)
    finally:
        if args.keep:
            print(f"database kept in {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def report(rows: int, size: int, first_s: Timing, again_s: Timing, sqlite_version: str) -> None:
    def line(step: str, timing: Timing) -> str:
        seconds, cpu = timing
        verdict = "pass" if seconds < TARGET_SECONDS else "FAIL"
        return (
            f"| {step} | {rows:,} | {seconds:.1f} | {cpu:.1f} | {rows / seconds:,.0f} | "
            f"< {TARGET_SECONDS:.0f} s | {verdict} |"
        )

    print("## Impor pegawai")
    print()
    print(
        f"`bench/bench_import.py`: one CSV of {rows:,} pegawai ({size / 1048576:.1f} MB, every row "
        "with a jabatan and TMT) imported with `org_import(dry_run=False)` into a fresh SQLite "
        "database, then imported again. The first run creates every account, pegawai, "
        "penempatan and audit event in one transaction; the second finds every row unchanged "
        "and writes only the summary audit event."
    )
    print()
    print("| Step | Rows | Seconds | CPU s | Rows/s | Target | Verdict |")
    print("|---|---:|---:|---:|---:|---|---|")
    print(line("First import (all new)", first_s))
    print(line("Re-import (all unchanged)", again_s))
    print()
    load = os.getloadavg()[0]
    print(
        f"Seconds are wall-clock; CPU s is this process's CPU time (SQLite runs in-process), "
        f"which other work on the machine inflates far less. Machine: {os.cpu_count()} CPU "
        f"(load average {load:.1f} at the end), Python {platform.python_version()}, "
        f"SQLite {sqlite_version} (WAL, synchronous=NORMAL), {date.today():%Y-%m-%d}."
    )


if __name__ == "__main__":
    main()
