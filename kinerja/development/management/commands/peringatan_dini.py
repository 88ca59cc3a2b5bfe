"""`manage.py peringatan_dini KAB 2026 2`: open the early-warning cases of an instansi/period."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kinerja.core.errors import ServiceError
from kinerja.development.scan import scan
from kinerja.org.models import Instansi


class Command(BaseCommand):
    help = "Pindai satu instansi dan periode, buka kasus peringatan dini (idempoten)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("instansi", help="kode instansi, mis. KAB")
        parser.add_argument("year", type=int)
        parser.add_argument("period", type=int, help="1-4 (triwulan) atau 1-12 (bulan)")

    def handle(self, *args: Any, **options: Any) -> None:
        instansi = Instansi.objects.filter(code=options["instansi"]).first()
        if instansi is None:
            raise CommandError(f"Instansi {options['instansi']!r} tidak ditemukan.")
        try:
            result = scan(instansi_id=instansi.pk, year=options["year"], period=options["period"])
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        reasons = ", ".join(f"{k}: {v}" for k, v in sorted(result.by_reason.items())) or "-"
        self.stdout.write(
            f"{result.checked} SKP diperiksa, {result.opened} kasus baru ({reasons}), "
            f"{result.already_open} sudah terbuka."
        )
