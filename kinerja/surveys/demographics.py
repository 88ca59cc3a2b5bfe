"""Respondents by profile (jenis kelamin, usia, pendidikan, pekerjaan) of one layanan and period.

The counts are keyed by stable codes: the model choices' values (`L`/`P`, `SD`…`S3`,
`PNS`…`LAINNYA`) and the age bands' codes (`<20` … `50+`), every category in the
questionnaire's order (age bands young to old), 0 where nobody chose it. Labels, in the active
language, are added only where the counts are shown: the pages and the API's `label`
(docs/api.md), so the keys of the API never change with the language; the SKM report, always
Indonesian, takes them under `translation.override("id")` (`queries.report_data`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from .models import JenisKelaminResponden, Pekerjaan, Pendidikan, SkmResponse

# (code, label, the first age of the next band); the oldest band has no upper bound.
AGE_BANDS: tuple[tuple[str, str, int | None], ...] = (
    ("<20", "< 20", 20),
    ("20-29", "20–29", 30),
    ("30-39", "30–39", 40),
    ("40-49", "40–49", 50),
    ("50+", "≥ 50", None),
)
CHOICES = {
    "jenis_kelamin": JenisKelaminResponden,
    "pendidikan": Pendidikan,
    "pekerjaan": Pekerjaan,
}
DIMENSIONS = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan")
Counts = dict[str, dict[str, int]]


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    count: int


def age_band(usia: int) -> str:
    """The code of the age band of `usia`."""
    for code, _label, below in AGE_BANDS:
        if below is None or usia < below:
            return code
    raise AssertionError("the last band has no upper bound")


def labels(dimension: str) -> dict[str, str]:
    """code → label of one dimension in the active language, in the declared order."""
    if dimension == "usia":
        return {code: label for code, label, _below in AGE_BANDS}
    return {str(value): str(label) for value, label in CHOICES[dimension].choices}


def _codes(dimension: str) -> list[str]:
    if dimension == "usia":
        return [code for code, _label, _below in AGE_BANDS]
    return [str(value) for value in CHOICES[dimension].values]


def counts(qs: QuerySet[SkmResponse]) -> Counts:
    """Respondents per code of each dimension (one GROUP BY); a stored value outside the
    choices is counted under its own code after the declared ones."""
    out: Counts = {name: dict.fromkeys(_codes(name), 0) for name in DIMENSIONS}
    rows = qs.order_by().values("usia", "jenis_kelamin", "pendidikan", "pekerjaan")
    for row in rows.annotate(n=Count("*")):
        n = int(row["n"])
        for name in ("jenis_kelamin", "pendidikan", "pekerjaan"):
            code = str(row[name])
            out[name][code] = out[name].get(code, 0) + n
        out["usia"][age_band(int(row["usia"]))] += n
    return out


def categories(found: Counts) -> dict[str, list[Category]]:
    """The counts with the labels of the active language, in their order."""
    out: dict[str, list[Category]] = {}
    for name, by_code in found.items():
        names = labels(name)
        out[name] = [Category(code, names.get(code, code), n) for code, n in by_code.items()]
    return out


def by_label(found: Counts) -> dict[str, dict[str, int]]:
    """label → count of each dimension (the tables of the report)."""
    return {name: {c.label: c.count for c in rows} for name, rows in categories(found).items()}
