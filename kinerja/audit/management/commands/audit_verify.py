from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kinerja.audit.verify import verify_chains


class Command(BaseCommand):
    help = "Verify the hash chains of the audit trail; exit 1 when any chain is broken."

    def handle(self, *args: Any, **options: Any) -> None:
        checked, breaks = verify_chains()
        for b in breaks:
            self.stderr.write(f"lingkup {b.scope}, kejadian #{b.sequence}: {b.reason}")
        if breaks:
            raise CommandError(f"{len(breaks)} rantai audit rusak ({checked} kejadian diperiksa)")
        self.stdout.write(f"OK: {checked} kejadian audit diperiksa, semua rantai utuh.")
