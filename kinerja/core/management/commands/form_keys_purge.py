"""Nightly: forget one-time form keys older than --days (default 30).

A form left open longer than that and then sent is simply a fresh request again.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kinerja.core.formkeys import form_keys_purge


class Command(BaseCommand):
    help = "Hapus kunci formulir sekali pakai yang lebih lama dari --days hari."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args: Any, **options: Any) -> None:
        days: int = options["days"]
        if not 1 <= days <= 3650:
            raise CommandError("--days harus antara 1 dan 3650.")
        deleted = form_keys_purge(before=timezone.now() - timedelta(days=days))
        self.stdout.write(f"{deleted} kunci formulir dihapus.")
