"""Server-side prepared statements for the few hot statements written by hand.

Django binds parameters on the client, so PostgreSQL parses and plans every statement again.
For a large one-statement write (progress/quick.py) planning costs several times more than
running it, so it is PREPAREd once per database connection and then EXECUTEd with its values.
The generic plan is forced for these statements: their parameters are ids and dates that
always hit the same unique indexes, so a custom plan per call buys nothing.
"""

from __future__ import annotations

import functools
import hashlib
import re
import weakref
from typing import Any

from django.db.backends.utils import CursorWrapper

_NAMED = re.compile(r"%\((\w+)\)s")
_done: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


@functools.lru_cache(maxsize=64)
def _positional(sql: str) -> tuple[str, str, tuple[str, ...]]:
    """`%(name)s` → `$n` (the same name, the same number): the statement's name, its text and
    the parameter names in order."""
    names: list[str] = []

    def number(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in names:
            names.append(name)
        return f"${names.index(name) + 1}"

    text = _NAMED.sub(number, sql)
    return "kinerja_" + hashlib.sha256(text.encode()).hexdigest()[:16], text, tuple(names)


def execute(cursor: CursorWrapper, sql: str, params: dict[str, Any]) -> tuple[Any, ...] | None:
    """Run `sql` (named parameters) as a prepared statement of this connection; one row."""
    name, text, names = _positional(sql)
    raw = cursor.db.connection
    prepared = _done.setdefault(raw, set())
    if name not in prepared:
        cursor.execute("SET plan_cache_mode = force_generic_plan")
        cursor.execute(f"PREPARE {name} AS {text}")
        prepared.add(name)
    marks = ", ".join(["%s"] * len(names))
    cursor.execute(f"EXECUTE {name} ({marks})", [params[n] for n in names])
    row: tuple[Any, ...] | None = cursor.fetchone()
    return row
