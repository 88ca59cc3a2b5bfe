"""Typed building blocks for API input: bounded numbers and text the database can store.

Every year, page and id the API reads goes through one of these types, so an implausible value
(`year=99999`, `page=10**20`, an id of 2**63) is a 422 naming the parameter instead of a 500
from the database driver (docs/api.md, "Bounds").

Text: PostgreSQL cannot store NUL (U+0000) and no database can encode a lone surrogate
(U+D800–U+DFFF, which JSON can spell as `"\\ud800"`). Every input schema derives from `In`,
which refuses both in any of its strings, and the API's parser checks every JSON body and form
(also those read by schemas outside this base), so such text is a 422 naming the field.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from ninja import Schema
from pydantic import ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

YEAR_MIN = 2000
YEAR_MAX = 2100
PAGE_MAX = 10_000
PAGE_SIZE_MAX = 100
PERIOD_MAX = 12
ID_MAX = 2**63 - 1  # the largest value of a bigint primary key

Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]
Page = Annotated[int, Field(ge=1, le=PAGE_MAX)]
PageSize = Annotated[int, Field(ge=1, le=PAGE_SIZE_MAX)]
Id = Annotated[int, Field(ge=1, le=ID_MAX)]
# An evaluation or realisasi period: 1–4 triwulan or 1–12 bulan, 0 the annual evaluation.
Period = Annotated[int, Field(ge=0, le=PERIOD_MAX)]
# A nilai dasar BerAKHLAK: 1 (Berorientasi Pelayanan) to 7 (Kolaboratif).
CoreValue = Annotated[int, Field(ge=1, le=7)]

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def text_problem(value: object) -> tuple[tuple[str | int, ...], str] | None:
    """Where in `value` (a string, or lists and dicts of them) a string holds a NUL or a lone
    surrogate, and why; None when every string can be stored. Dict keys are checked too."""
    if isinstance(value, str):
        found = _UNSTORABLE.search(value)
        if found is None:
            return None
        if found.group() == "\x00":
            return (), "Teks tidak boleh memuat karakter NUL (U+0000)."
        return (), "Teks memuat karakter Unicode yang tidak sah (surrogate tunggal)."
    items: list[tuple[str | int, object]]
    if isinstance(value, dict):
        items = []
        for key, item in value.items():
            items.append((str(key), key))
            items.append((str(key), item))
    elif isinstance(value, list | tuple):
        items = list(enumerate(value))
    else:
        return None
    for where, item in items:
        problem = text_problem(item)
        if problem is not None:
            return (where, *problem[0]), problem[1]
    return None


class In(Schema):
    """Base of every input schema: no string may hold NUL or a lone surrogate (422 naming the
    field), and a key the schema does not have is a 422 "Isian ini tidak dikenal." (a misspelt
    field is never dropped without a word). Apps add their own configuration (enum values) on
    top; a query-string schema, which sees every parameter of the URL, sets `extra="ignore"`."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _storable_text(cls, value: Any) -> Any:
        problem = text_problem(value)
        if problem is not None:
            raise PydanticCustomError("text_unstorable", problem[1])
        return value
