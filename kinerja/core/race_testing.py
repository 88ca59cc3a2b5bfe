"""Two requests at once, in tests: each runs in its own thread (so its own database connection)
and the first is held inside its transaction until the second has started. On PostgreSQL the
second then waits for a row lock the first holds, or goes past it; the test asserts what each
ended with. Only meaningful with `@pytest.mark.django_db(transaction=True)` and `on_postgres`
(SQLite serialises whole transactions)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import connection, connections

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks between two connections"
)


@dataclass
class Outcome:
    """What a call run in a thread returned or raised."""

    thread: threading.Thread | None = None
    result: Any = None
    error: BaseException | None = None

    def join(self, timeout: float = 10) -> None:
        assert self.thread is not None
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "the call did not finish"


def start(call: Callable[[], Any]) -> Outcome:
    """Run `call` in a new thread with its own connection (closed at the end)."""
    outcome = Outcome()

    def body() -> None:
        try:
            outcome.result = call()
        except BaseException as exc:  # reported by the test
            outcome.error = exc
        finally:
            connections.close_all()

    outcome.thread = threading.Thread(target=body)
    outcome.thread.start()
    return outcome


@dataclass
class Gate:
    """Wraps a function so that its first call (that `when` accepts) waits, after it ran, until
    the gate opens: the caller's transaction stays open, holding its locks."""

    inside: threading.Event = field(default_factory=threading.Event)
    go: threading.Event = field(default_factory=threading.Event)
    _taken: threading.Lock = field(default_factory=threading.Lock)

    def hold(
        self, function: Callable[..., Any], when: Callable[..., bool] = lambda *a, **k: True
    ) -> Callable[..., Any]:
        def held(*args: Any, **kwargs: Any) -> Any:
            result = function(*args, **kwargs)
            if when(*args, **kwargs) and self._taken.acquire(blocking=False):
                self.inside.set()
                assert self.go.wait(10)
            return result

        return held


def one_after_another(
    gate: Gate, first: Callable[[], Any], second: Callable[[], Any]
) -> tuple[Outcome, Outcome, bool]:
    """`first` runs until the gate holds it, then `second` starts; after a second the gate
    opens. Returns both outcomes and whether `second` was still waiting when it opened."""
    one = start(first)
    assert gate.inside.wait(10), one.error
    two = start(second)
    assert two.thread is not None
    two.thread.join(1.0)
    waited = two.thread.is_alive()
    gate.go.set()
    one.join()
    two.join()
    return one, two, waited
