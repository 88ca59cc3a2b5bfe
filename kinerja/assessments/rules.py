"""Pure evaluation rules (no Django imports): the predicate matrix, the distribution pattern,
angka kredit, the keberatan window and the 360 anonymity threshold.

Sources: ../shared/domain.md §6.5 (matrix, [S]), §8 (pola distribusi, SE 3/2023 via a secondary
paraphrase [S]) with the project's exact-integer rule, §9.1 (angka kredit, [V]) and the project
decisions for keberatan (14 days, configurable).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from kinerja.core.text import Text

# Ratings (Rating Hasil Kerja and Rating Perilaku Kerja)
DI_ATAS, SESUAI, DI_BAWAH = "DI_ATAS", "SESUAI", "DI_BAWAH"
RATINGS = (DI_ATAS, SESUAI, DI_BAWAH)

# Predikat Kinerja Pegawai, best first
SANGAT_BAIK, BAIK, BUTUH_PERBAIKAN = "SANGAT_BAIK", "BAIK", "BUTUH_PERBAIKAN"
KURANG, SANGAT_KURANG = "KURANG", "SANGAT_KURANG"
PREDIKAT = (SANGAT_BAIK, BAIK, BUTUH_PERBAIKAN, KURANG, SANGAT_KURANG)
PREDIKAT_LABELS = {
    SANGAT_BAIK: "Sangat Baik",
    BAIK: "Baik",
    BUTUH_PERBAIKAN: "Butuh Perbaikan",
    KURANG: "Kurang/Misconduct",
    SANGAT_KURANG: "Sangat Kurang",
}

# Capaian (predikat) Kinerja Organisasi
ISTIMEWA = "ISTIMEWA"
ORG_PREDIKAT = (ISTIMEWA, BAIK, BUTUH_PERBAIKAN, KURANG, SANGAT_KURANG)
ORG_LABELS = {
    ISTIMEWA: "Istimewa",
    BAIK: "Baik",
    BUTUH_PERBAIKAN: "Butuh Perbaikan",
    KURANG: "Kurang",
    SANGAT_KURANG: "Sangat Kurang",
}

# Rows: rating hasil kerja; columns: rating perilaku kerja (domain.md §6.5).
_MATRIX: dict[tuple[str, str], str] = {
    (DI_ATAS, DI_BAWAH): KURANG,
    (DI_ATAS, SESUAI): BAIK,
    (DI_ATAS, DI_ATAS): SANGAT_BAIK,
    (SESUAI, DI_BAWAH): KURANG,
    (SESUAI, SESUAI): BAIK,
    (SESUAI, DI_ATAS): BAIK,
    (DI_BAWAH, DI_BAWAH): SANGAT_KURANG,
    (DI_BAWAH, SESUAI): BUTUH_PERBAIKAN,
    (DI_BAWAH, DI_ATAS): BUTUH_PERBAIKAN,
}


def predikat(hasil: str, perilaku: str) -> str:
    """Predikat Kinerja Pegawai from the 3×3 kuadran kinerja."""
    try:
        return _MATRIX[(hasil, perilaku)]
    except KeyError:
        raise ValueError(f"unknown rating pair {hasil!r}, {perilaku!r}") from None


# Capaian Kinerja Organisasi → the Rating Hasil Kerja of the unit's head (SE 3/2023): the
# organisation result "ditetapkan sebagai rating hasil kerja". The regulation gives five
# organisation grades but three ratings; the project maps Istimewa → Di Atas, Baik → Sesuai,
# Butuh Perbaikan/Kurang/Sangat Kurang → Di Bawah Ekspektasi (a project decision, [M]).
ORG_TO_RATING = {
    ISTIMEWA: DI_ATAS,
    BAIK: SESUAI,
    BUTUH_PERBAIKAN: DI_BAWAH,
    KURANG: DI_BAWAH,
    SANGAT_KURANG: DI_BAWAH,
}


def head_rating(capaian_organisasi: str) -> str:
    return ORG_TO_RATING[_known_capaian(capaian_organisasi)]


def _known_capaian(capaian_organisasi: str) -> str:
    if capaian_organisasi not in ORG_PREDIKAT:
        raise ValueError(f"unknown capaian organisasi {capaian_organisasi!r}")
    return capaian_organisasi


# --- distribution pattern (pola distribusi, domain.md §8) -----------------------------------


@dataclass(frozen=True)
class Bound:
    """`share of the predicates in `which` {≤,≥} percent`; `at_least_one` for "harus ada"."""

    which: tuple[str, ...]
    kind: str  # "max" | "min" | "one"
    percent: int = 0

    def holds(self, counts: Mapping[str, int], total: int) -> bool:
        count = sum(counts.get(p, 0) for p in self.which)
        if self.kind == "max":
            return 100 * count <= self.percent * total
        if self.kind == "min":
            return 100 * count >= self.percent * total
        return count >= 1

    def describe(self) -> Text:
        labels = [PREDIKAT_LABELS[p] for p in self.which]
        assert 1 <= len(labels) <= 2, "a bound names one or two predikat"
        names: str = labels[0]
        if len(labels) == 2:
            names = Text("%(first)s dan/atau %(second)s", first=labels[0], second=labels[1])
        if self.kind == "max":
            if self.percent == 0:
                return Text("tidak boleh ada pegawai dengan predikat %(names)s", names=names)
            return Text(
                "paling banyak %(percent)s%% pegawai berpredikat %(names)s",
                percent=self.percent,
                names=names,
            )
        if self.kind == "min":
            return Text(
                "paling sedikit %(percent)s%% pegawai berpredikat %(names)s",
                percent=self.percent,
                names=names,
            )
        return Text("harus ada pegawai berpredikat %(names)s", names=names)


PATTERNS: dict[str, tuple[Bound, ...]] = {
    ISTIMEWA: (Bound((SANGAT_BAIK,), "max", 70),),
    BAIK: (Bound((BAIK,), "max", 70), Bound((BUTUH_PERBAIKAN, KURANG), "one")),
    BUTUH_PERBAIKAN: (Bound((SANGAT_BAIK,), "max", 10), Bound((BUTUH_PERBAIKAN,), "min", 60)),
    KURANG: (
        Bound((SANGAT_BAIK,), "max", 10),
        Bound((BUTUH_PERBAIKAN,), "min", 10),
        Bound((KURANG,), "min", 60),
    ),
    SANGAT_KURANG: (
        Bound((SANGAT_BAIK,), "max", 0),
        Bound((BUTUH_PERBAIKAN, KURANG), "min", 10),
        Bound((SANGAT_KURANG,), "min", 60),
    ),
}


@dataclass(frozen=True)
class Violation:
    rule: str
    count: int
    total: int
    advisory: bool  # True when the group is below the minimum size: a warning, never a block

    @property
    def message(self) -> Text:
        return Text(
            "Pola distribusi tidak terpenuhi: %(rule)s (sekarang %(count)s dari %(total)s).",
            rule=self.rule,
            count=self.count,
            total=self.total,
        )


def distribution_violations(
    org_predikat: str, counts: Mapping[str, int], *, min_group_size: int = 5
) -> list[Violation]:
    """Every rule of the pattern for `org_predikat` that the predicate counts breach, with exact
    integer comparisons (`100·count ≤ p·N`, `100·count ≥ p·N`, "harus ada" = count ≥ 1). Groups
    smaller than `min_group_size` still get the violations, marked advisory."""
    unknown = set(counts) - set(PREDIKAT)
    if unknown:
        raise ValueError(f"unknown predikat {sorted(unknown)}")
    pattern = PATTERNS[_known_capaian(org_predikat)]
    total = sum(counts.values())
    if total == 0:
        return []
    advisory = total < min_group_size
    found = []
    for bound in pattern:
        if not bound.holds(counts, total):
            count = sum(counts.get(p, 0) for p in bound.which)
            found.append(Violation(bound.describe(), count, total, advisory))
    return found


def blocks_finalisation(violations: Iterable[Violation], enforcement: str) -> bool:
    """`enforcement` is the instansi's setting: "WARN" (default) or "BLOCK"."""
    return enforcement == "BLOCK" and any(not v.advisory for v in violations)


def pattern_rules(org_predikat: str) -> list[str]:
    return [bound.describe() for bound in PATTERNS[_known_capaian(org_predikat)]]


# --- angka kredit (Peraturan BKN 3/2023, domain.md §9.1) ------------------------------------

AK_PERCENT = {
    SANGAT_BAIK: 150,
    BAIK: 100,
    BUTUH_PERBAIKAN: 75,
    KURANG: 50,
    SANGAT_KURANG: 25,
}
# Annual coefficients per jenjang [M, PermenPANRB 1/2023]; configurable per jabatan.
KOEFISIEN_JENJANG = {
    "AHLI_PERTAMA": Decimal("12.5"),
    "AHLI_MUDA": Decimal("25"),
    "AHLI_MADYA": Decimal("37.5"),
    "AHLI_UTAMA": Decimal("50"),
    "TERAMPIL": Decimal("5"),
    "MAHIR": Decimal("12.5"),
    "PENYELIA": Decimal("25"),
}


def angka_kredit(predikat_pegawai: str, koefisien: Decimal, months: int = 12) -> Decimal:
    """AK = (months / 12) × % predikat × koefisien, rounded to 2 decimals ROUND_HALF_UP
    (e.g. Sangat Baik, 12,5 → 18,75; 2 months Baik, 12,5 → 2,08)."""
    if not 1 <= months <= 12:
        raise ValueError("months must be 1..12")
    if koefisien < 0:
        raise ValueError("koefisien must not be negative")
    if predikat_pegawai not in AK_PERCENT:
        raise ValueError(f"unknown predikat {predikat_pegawai!r}")
    value = Fraction(months, 12) * Fraction(AK_PERCENT[predikat_pegawai], 100) * Fraction(koefisien)
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def months_covered(start: date, end: date) -> int:
    """Whole or started calendar months from `start` to `end` inclusive (1..12)."""
    if end < start:
        raise ValueError("end before start")
    return min(12, (end.year - start.year) * 12 + end.month - start.month + 1)


# --- keberatan and 360 ----------------------------------------------------------------------


def keberatan_deadline(issued_on: date, window_days: int = 14) -> date:
    """The last day a keberatan may be filed: `window_days` after the predicate was issued."""
    if window_days < 1:
        raise ValueError("window must be at least one day")
    return issued_on + timedelta(days=window_days)


def keberatan_open(issued_on: date, today: date, window_days: int = 14) -> bool:
    return issued_on <= today <= keberatan_deadline(issued_on, window_days)


ANONYMITY_MIN = 3


def aggregate_360(answers: Iterable[Mapping[int, str]]) -> dict[int, dict[str, int]] | None:
    """Counts of ratings per core value (1–7) over the answered forms, or None when fewer than
    ANONYMITY_MIN people answered (the rated pegawai then sees nothing)."""
    forms = list(answers)
    if len(forms) < ANONYMITY_MIN:
        return None
    return count_360(forms)


def count_360(forms: Iterable[Mapping[int, str]]) -> dict[int, dict[str, int]]:
    """Counts of ratings per core value (1–7), whatever the number of forms (the rater's view;
    the rated pegawai's view goes through aggregate_360)."""
    result: dict[int, dict[str, int]] = {v: dict.fromkeys(RATINGS, 0) for v in range(1, 8)}
    for form in forms:
        for value, rating in form.items():
            if value not in result:
                raise ValueError(f"unknown core value {value!r}")
            if rating not in RATINGS:
                raise ValueError(f"unknown rating {rating!r}")
            result[value][rating] += 1
    return result


def shares(counts: Mapping[str, int]) -> dict[str, Decimal]:
    """Each predicate's share in percent (2 decimals) for the rater-consistency view."""
    total = sum(counts.values())
    if total == 0:
        return dict.fromkeys(PREDIKAT, Decimal(0))
    return {
        p: (Decimal(100 * counts.get(p, 0)) / total).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        for p in PREDIKAT
    }


def leniency(counts: Mapping[str, int]) -> Decimal:
    """Mean predicate score (Sangat Baik 5 … Sangat Kurang 1) to compare raters; 0 when empty."""
    total = sum(counts.values())
    if total == 0:
        return Decimal(0)
    score = {SANGAT_BAIK: 5, BAIK: 4, BUTUH_PERBAIKAN: 3, KURANG: 2, SANGAT_KURANG: 1}
    value = Decimal(sum(score[p] * n for p, n in counts.items())) / total
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
