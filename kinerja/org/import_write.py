"""Plain bulk INSERT, UPDATE and key look-ups for imports (no model instances).

Django's bulk_create and bulk_update spend ~50–80 µs per object preparing its fields, and an
`__in` lookup prepares every value; for a 100,000-row import that alone would take minutes.
These helpers send ready values instead: the caller gives database values (see `db_date`,
`DateValues`), and every column it does not name gets the field's default, prepared once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from itertools import batched
from typing import Any

from django.db import connection, models

CHUNK = 5000


def db_date(value: date | None) -> Any:
    return connection.ops.adapt_datefield_value(value)


def db_datetime(value: datetime | None) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    column = getattr(field, "column", None)
    if not column:
        raise ValueError(f"{model.__name__}.{name} is not a concrete column")
    return str(column)


def insert_rows(
    model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """INSERT each row (values in the order of `names`); other columns get their defaults."""
    qn = connection.ops.quote_name
    given = {_column(model, n) for n in names}
    rest = [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and f.column not in given and not f.generated
    ]
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
    columns = [_column(model, n) for n in names] + [str(f.column) for f in rest]
    # Table and column names come from the model's own metadata, quoted; values are parameters.
    table, placeholders = qn(model._meta.db_table), ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(map(qn, columns))}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        for chunk in batched(rows, CHUNK):
            cursor.executemany(sql, [(*row, *defaults) for row in chunk])


def update_rows(
    model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """UPDATE by primary key: each row holds the values of `names`, then the pk."""
    qn = connection.ops.quote_name
    assignments = ", ".join(f"{qn(_column(model, n))} = %s" for n in names)
    pk = qn(str(model._meta.pk.column)) if model._meta.pk else "id"
    sql = f"UPDATE {qn(model._meta.db_table)} SET {assignments} WHERE {pk} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        for chunk in batched(rows, CHUNK):
            cursor.executemany(sql, chunk)


def ids_by(model: type[models.Model], key: str, keys: Sequence[str]) -> dict[str, int]:
    """{key value: primary key} for the rows whose `key` column is in `keys` (chunked IN)."""
    qn = connection.ops.quote_name
    pk = str(model._meta.pk.column) if model._meta.pk else "id"
    found: dict[str, int] = {}
    with connection.cursor() as cursor:
        for chunk in batched(keys, CHUNK):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT {qn(_column(model, key))}, {qn(pk)} FROM {qn(model._meta.db_table)} "  # noqa: S608
                f"WHERE {qn(_column(model, key))} IN ({marks})",
                chunk,
            )
            found.update(cursor.fetchall())
    return found


class DateValues(dict[date | None, Any]):
    """Database values of dates, each adapted once (an import repeats the same dates a lot)."""

    def __missing__(self, key: date | None) -> Any:
        value = self[key] = db_date(key)
        return value
