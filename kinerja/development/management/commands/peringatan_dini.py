"""`manage.py peringatan_dini KAB 2026 2`: open the early-warning cases of an instansi/period.
`manage.py peringatan_dini --semua` (for cron): every instansi, the periods due today."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kinerja.core.errors import ServiceError
from kinerja.development import guards
from kinerja.development.scan import ScanResult, periods_due, scan
from kinerja.org.models import Instansi

USAGE = (
    "Tulis `peringatan_dini KODE TAHUN PERIODE` (mis. `peringatan_dini KAB 2026 2`) "
    "atau `peringatan_dini --semua`."
)


class Command(BaseCommand):
    help = (
        "Pindai satu instansi dan periode, buka kasus peringatan dini (idempoten). Dengan "
        "--semua: setiap instansi, periode yang memuat hari ini dan periode sebelumnya."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "target",
            nargs="*",
            metavar="KODE TAHUN PERIODE",
            help="kode instansi (mis. KAB), tahun, periode 1-4 (triwulan) atau 1-12 (bulan)",
        )
        parser.add_argument(
            "--semua",
            action="store_true",
            help="semua instansi, periode berjalan dan periode yang baru berakhir (untuk cron)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        target: list[str] = options["target"]
        if options["semua"]:
            if target:
                raise CommandError(
                    "--semua tidak dapat digabung dengan instansi, tahun atau periode."
                )
            self._all()
            return
        if len(target) != 3:
            raise CommandError(f"Sebutkan instansi, tahun dan periode. {USAGE}")
        code, year_text, period_text = target
        year = _number(year_text, 2000, 2100, "Tahun")
        period = _number(period_text, 1, 12, "Periode")
        instansi = Instansi.objects.filter(code=code).first()
        if instansi is None:
            raise CommandError(f"Instansi {code!r} tidak ditemukan.")
        try:
            result = scan(instansi_id=instansi.pk, year=year, period=period)
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(summary(result) + ".")

    def _all(self) -> None:
        """One line per instansi; an instansi that fails does not stop the others."""
        today = guards.today()
        failed: list[str] = []
        opened = 0
        instansi = list(Instansi.objects.order_by("code").values_list("pk", "code"))
        for pk, code in instansi:
            parts = []
            try:
                for due in periods_due(pk, today):
                    result = scan(
                        instansi_id=pk, year=due.year, period=due.period.number, today=today
                    )
                    opened += result.opened
                    parts.append(f"{due.period.label} {due.year}: {summary(result)}")
            except ServiceError as exc:
                failed.append(code)
                self.stderr.write(f"{code}: gagal, {exc.message}")
                continue
            self.stdout.write(f"{code}: " + "; ".join(parts) + ".")
        self.stdout.write(
            f"Selesai {today:%d-%m-%Y}: {len(instansi)} instansi, {opened} kasus baru."
        )
        if failed:
            raise CommandError(
                f"Pemindaian gagal pada {len(failed)} instansi: {', '.join(failed)}."
            )


def summary(result: ScanResult) -> str:
    reasons = ", ".join(f"{k}: {v}" for k, v in sorted(result.by_reason.items())) or "-"
    closed = f", {result.closed_before} sudah ditutup" if result.closed_before else ""
    return (
        f"{result.checked} SKP diperiksa, {result.opened} kasus baru ({reasons}), "
        f"{result.already_open} sudah terbuka{closed}"
    )


def _number(text: str, low: int, high: int, name: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise CommandError(f"{name} harus bilangan bulat {low} sampai {high}, bukan {text!r}.")
    return value
