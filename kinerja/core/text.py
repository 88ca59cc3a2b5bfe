"""Messages from pure rules that a service translates later. No Django imports.

A rule writes `Text("Baris %(number)s: nilai harus 1 sampai 5.", number=3)`: the value is the
Indonesian sentence (so the rule's tests and logs read it as plain text), and it keeps its
template and parameters so that kinerja.core.errors.localize can translate the template and
fill it again in the reader's language. `makemessages` extracts `Text("…")` calls
(kinerja/core/management/commands/makemessages.py).
"""

from __future__ import annotations

from typing import Any


class Text(str):
    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, /, **params: Any) -> Text:
        text = super().__new__(cls, template % params if params else template)
        text.template = template
        text.params = params
        return text
