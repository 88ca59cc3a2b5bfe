"""Daily: one email per DIGEST user with their unread notifications of the last 24 hours.

Safe to run more than once a day: a user gets at most one digest per local day.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kinerja.notify.services import digest_send


class Command(BaseCommand):
    help = "Kirim ringkasan harian notifikasi kepada pengguna yang memilih ringkasan."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = digest_send()
        self.stdout.write(f"{sent} ringkasan terkirim.")
