"""Files saved inside a transaction that may still roll back.

Storage is not transactional: a file saved by a service whose transaction later rolls back (a
refused audit write, the loser of a double-tap race) would stay in storage with no row pointing
at it. The code that saves a file calls `note(field_file)`; code that owns the transaction runs
it inside `deleted_on_failure()`, which deletes every noted file when an exception leaves the
block. A block nested in another hands its files to the outer one when it succeeds, so an outer
rollback deletes them too. Outside any block `note` does nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.core.files.storage import Storage
from django.db.models.fields.files import FieldFile

_noted: ContextVar[list[tuple[Storage, str]] | None] = ContextVar("stored_files", default=None)


def note(stored: FieldFile) -> None:
    noted = _noted.get()
    if noted is not None and stored.name:
        noted.append((stored.storage, stored.name))


@contextmanager
def deleted_on_failure() -> Iterator[None]:
    outer = _noted.get()
    mine: list[tuple[Storage, str]] = []
    token = _noted.set(mine)
    try:
        yield
    except BaseException:
        for storage, name in mine:
            storage.delete(name)
        raise
    finally:
        _noted.reset(token)
    if outer is not None:
        outer.extend(mine)


def files_deleted_on_failure[**P, T](service: Callable[P, T]) -> Callable[P, T]:
    """`deleted_on_failure` around a service (put it outside its `@transaction.atomic`)."""

    @wraps(service)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        with deleted_on_failure():
            return service(*args, **kwargs)

    return wrapper
