"""One-time form keys: a double tap (or a browser retry) on a create form creates its rows once.

Every create form renders `{% form_key %}` (kinerja.core.templatetags.formkeys): a hidden input
`form_key` with a new uuid4 at each render. The view passes it to the service as `form_key=`;
the service is decorated with `@creates(Model)` (or `@creates_many(Model)` when it returns a
list), outside its own `@transaction.atomic`:

- the first post runs the service and records (user, key) in the same transaction as the rows;
- a second post with the same key, by the same user, runs nothing and returns the rows the first
  created, so the view answers exactly as it did the first time (same redirect, same message);
- a second post with the same key but other content (a form changed after going back, an API
  retry whose body changed) is refused with a Conflict: the first post's content is kept as a
  fingerprint (SHA-256 of the service's arguments, `fingerprint`), so nothing the user typed the
  second time is silently dropped;
- two posts racing each other: the unique constraint on (user, key) refuses the second record,
  its transaction (rows and audit included) rolls back, the files its rows stored are deleted,
  and it answers with the first's rows;
- the API's create endpoints (POST) take the key from the `Idempotency-Key` header
  (`header_key`); no key (scripts, an old page, an API call without the header): an ordinary
  request, nothing is recorded;
- a key that is not 8–64 letters, digits, `-` or `_`: a ServiceError asking to reload the page.

Realisasi keeps its own `idempotency_key` column (kinerja.progress), the same idea on one table.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from functools import wraps
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from . import stored_files
from .errors import Conflict, ServiceError
from .models import FormKey

FIELD = "form_key"
HEADER = "Idempotency-Key"
_VALID = re.compile(r"[A-Za-z0-9_-]{8,64}")


def header_key(request: Any) -> str:
    """The API's `Idempotency-Key` header as the form key of a create endpoint ('' when absent):
    a retried POST with the same header answers with the rows the first one created. Any text up
    to 64 characters is taken, as on `POST /iki/{id}/realisasi`; it is stored as its SHA-256."""
    value = str(request.headers.get(HEADER, ""))
    if not value:
        return ""
    if len(value) > 64:
        raise ServiceError(_("Header Idempotency-Key paling panjang 64 karakter."), field=HEADER)
    return "h" + hashlib.sha256(value.encode()).hexdigest()[:63]


def key_of(data: Any) -> str:
    """The key a form posted (request.POST), '' when there is none."""
    value = data.get(FIELD, "")
    return value if isinstance(value, str) else ""


def _check(key: str) -> None:
    if not _VALID.fullmatch(key):
        raise ServiceError(
            _("Kunci formulir tidak sah. Muat ulang halaman, lalu kirim formulir lagi."),
            field=FIELD,
        )


def _plain(value: Any) -> Any:
    """`value` as JSON data that is equal for equal content: rows by their table and primary
    key, numbers by their value (10 and 10.00 alike), files by their name and a hash of their
    bytes, dates as ISO text; other objects by their type only."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, enum.Enum):
        return _plain(value.value)
    if isinstance(value, float | Decimal):
        return format(Decimal(str(value)).normalize(), "f")
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    if isinstance(value, models.Model):
        return [value._meta.label_lower, value.pk]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((_plain(v) for v in value), key=json.dumps)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return type(value).__qualname__


def fingerprint(args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> str:
    """The content of a create call (its arguments without `by` and the key) as a SHA-256."""
    content = {k: v for k, v in kwargs.items() if k not in ("by", FIELD)}
    text = json.dumps([_plain(list(args)), _plain(content)], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _replay[M: models.Model](
    user: Any, key: str, action: str, model: type[M], content: str = ""
) -> list[M] | None:
    """The rows a first post with this key created, or None when the key is unused."""
    row = (
        FormKey.objects.filter(user=user, key=key)
        .only("action", "object_ids", "fingerprint")
        .first()
    )
    if row is None:
        return None
    if row.action != action:
        raise Conflict(_("Formulir ini sudah dikirim untuk keperluan lain. Muat ulang halaman."))
    if row.fingerprint and content and row.fingerprint != content:
        raise Conflict(
            _(
                "Formulir ini sudah dikirim dengan isi yang lain. Muat ulang halaman, lalu "
                "kirim lagi (untuk API: pakai Idempotency-Key baru)."
            )
        )
    ids = list(row.object_ids)
    found = model._default_manager.in_bulk(ids)
    if len(found) != len(ids):
        raise Conflict(
            _("Formulir ini sudah dikirim dan datanya sudah dihapus. Muat ulang halaman.")
        )
    return [found[pk] for pk in ids]


def _once[M: models.Model](
    run: Callable[[], list[M]],
    *,
    user: Any,
    key: str,
    action: str,
    model: type[M],
    content: str,
) -> list[M]:
    _check(key)
    earlier = _replay(user, key, action, model, content)
    if earlier is not None:
        return earlier
    try:
        # The files the rows stored are deleted when their transaction rolls back.
        with stored_files.deleted_on_failure(), transaction.atomic():
            rows = run()
            FormKey.objects.create(
                user=user, key=key, action=action, object_ids=[row.pk for row in rows],
                fingerprint=content,
            )  # fmt: skip
    except Exception as error:
        if not isinstance(error, IntegrityError | ServiceError):
            raise
        # A concurrent post of the same form won (the constraint refused this key, or a rule
        # refused this post because of its rows): answer with its rows. Anything else is real.
        earlier = _replay(user, key, action, model, content)
        if earlier is None:
            raise
        return earlier
    return rows


def creates[**P, M: models.Model](
    model: type[M],
) -> Callable[[Callable[P, M]], Callable[P, M]]:
    """A service that creates one `model` row answers a repeated `form_key=` with that row."""

    def decorate(service: Callable[P, M]) -> Callable[P, M]:
        @wraps(service)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> M:
            key = kwargs.get(FIELD) or ""
            if not key:
                return service(*args, **kwargs)
            rows = _once(
                lambda: [service(*args, **kwargs)],
                user=kwargs["by"], key=str(key), action=service.__name__, model=model,
                content=fingerprint(args, kwargs),
            )  # fmt: skip
            return rows[0]

        return wrapper

    return decorate


def creates_many[**P, M: models.Model](
    model: type[M],
) -> Callable[[Callable[P, list[M]]], Callable[P, list[M]]]:
    """`creates` for a service that creates several rows at once and returns them as a list."""

    def decorate(service: Callable[P, list[M]]) -> Callable[P, list[M]]:
        @wraps(service)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> list[M]:
            key = kwargs.get(FIELD) or ""
            if not key:
                return service(*args, **kwargs)
            return _once(
                lambda: service(*args, **kwargs),
                user=kwargs["by"], key=str(key), action=service.__name__, model=model,
                content=fingerprint(args, kwargs),
            )  # fmt: skip

        return wrapper

    return decorate


def form_keys_purge(*, before: datetime) -> int:
    """Forget keys recorded before `before` (a form left open that long is rendered again)."""
    deleted, _rows = FormKey.objects.filter(created_at__lt=before).delete()
    return deleted
