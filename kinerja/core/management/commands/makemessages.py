"""Django's makemessages, also extracting the messages of pure rules: `Text("…", **params)`
(kinerja/core/text.py)."""

from __future__ import annotations

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=Text"]
