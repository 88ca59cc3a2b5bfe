"""manage.py import_org --instansi KAB --kind pegawai pegawai.csv [--dry-run] [--as USERNAME]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kinerja.accounts.models import User
from kinerja.core.errors import ServiceError
from kinerja.org.importing import KINDS, org_import
from kinerja.org.models import Instansi


class Command(BaseCommand):
    help = (
        "Impor unit, jabatan, atau pegawai dari CSV/XLSX. Tanpa --as, dijalankan atas nama "
        "superadmin aktif pertama. Status keluar 2 bila ada baris yang salah (tidak ada yang "
        "disimpan)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="file .csv (UTF-8) atau .xlsx")
        parser.add_argument("--instansi", required=True, help="kode instansi, misalnya KAB")
        parser.add_argument("--kind", required=True, choices=KINDS, help="jenis data")
        parser.add_argument("--dry-run", action="store_true", help="pratinjau saja")
        parser.add_argument("--as", dest="username", help="akun pelaku (dicatat di audit)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        instansi = Instansi.objects.filter(code=options["instansi"]).first()
        if instansi is None:
            raise CommandError(f"Instansi dengan kode {options['instansi']} tidak ditemukan.")
        actor = self._actor(options["username"])
        try:
            with path.open("rb") as handle:
                content = handle.read(settings.KINERJA_IMPORT_MAX_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"File tidak dapat dibaca: {exc}") from exc
        try:
            result = org_import(
                by=actor,
                instansi=instansi,
                kind=options["kind"],
                file_name=path.name,
                content=content,
                dry_run=options["dry_run"],
            )
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        for error in result.errors:
            self.stderr.write(error.message)
        label = "Pratinjau" if result.dry_run else "Impor"
        counts = f"{result.created} baru, {result.updated} diubah, {result.unchanged} tidak berubah"
        if result.errors:
            raise CommandError(
                f"{label} {options['kind']} ditolak: {len(result.errors)} kesalahan "
                f"({counts}); tidak ada yang disimpan.",
                returncode=2,
            )
        suffix = " (tidak ada yang disimpan)" if result.dry_run else ""
        self.stdout.write(f"{label} {options['kind']} {instansi.code}: {counts}{suffix}.")

    def _actor(self, username: str | None) -> User:
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"Akun {username} tidak ditemukan atau tidak aktif.")
            return user
        user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if user is None:
            raise CommandError("Tidak ada superadmin aktif; sebutkan akun dengan --as.")
        return user
