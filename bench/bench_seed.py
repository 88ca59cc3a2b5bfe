"""Time `manage.py seed_demo --pegawai 100000` on a fresh database (target: under 60 s on SQLite).

Prints a markdown section. Leaves the databases filled for bench_pages.py.
"""

from __future__ import annotations

from _common import PEGAWAI, count_rows, databases, load_demo, table

TARGET_SECONDS = 60.0
TABLES = [
    ("org_pegawai", "pegawai"),
    ("accounts_user", "accounts"),
    ("org_unitkerja", "unit kerja"),
    ("org_jabatan", "jabatan"),
    ("org_penempatan", "penempatan"),
]


def main() -> None:
    rows = []
    counts = ""
    for db in databases():
        loaded = load_demo(db)
        verdict = "pass" if loaded.seed_seconds < TARGET_SECONDS else "MISS"
        rows.append(
            [
                db.label,
                f"{loaded.migrate_seconds:.1f} s",
                f"{loaded.seed_seconds:.1f} s",
                f"< {TARGET_SECONDS:.0f} s",
                verdict,
            ]
        )
        counts = ", ".join(f"{count_rows(db, t):,} {label}" for t, label in TABLES)
    print(f"## Demo data: `seed_demo --pegawai {PEGAWAI}`\n")
    print(
        "A fresh database, `migrate`, then `seed_demo` as a separate process; the time is the "
        "wall clock of the whole command (Django start-up, planning the people in Python, "
        "hashing the one shared password, bulk insert or COPY, commit). SQLite: a new file "
        "under /tmp; PostgreSQL: the scratch database `kinerja_bench`, dropped and created "
        "again (`KINERJA_BENCH_PG`; skipped when no server answers).\n"
    )
    print(table(["Database", "migrate", "seed_demo", "Target", "Verdict"], rows))
    print(f"\nRows written (both instansi): {counts}.\n")


if __name__ == "__main__":
    main()
