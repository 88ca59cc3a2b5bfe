"""Pure evaluation rules (no database): the 3×3 matrix against domain.md §6.5, every rule of the
pola distribusi at its exact boundaries, enforcement, angka kredit (Peraturan BKN 3/2023
examples), the keberatan window, the 360 anonymity threshold and the consistency figures."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.assessments import rules
from kinerja.assessments.rules import (
    BAIK,
    BUTUH_PERBAIKAN,
    DI_ATAS,
    DI_BAWAH,
    ISTIMEWA,
    KURANG,
    ORG_PREDIKAT,
    PATTERNS,
    PREDIKAT,
    RATINGS,
    SANGAT_BAIK,
    SANGAT_KURANG,
    SESUAI,
    Bound,
    Violation,
    aggregate_360,
    angka_kredit,
    blocks_finalisation,
    distribution_violations,
    head_rating,
    keberatan_deadline,
    keberatan_open,
    leniency,
    months_covered,
    pattern_rules,
    predikat,
    shares,
)

D = Decimal
SB, B, BP, K, SK = SANGAT_BAIK, BAIK, BUTUH_PERBAIKAN, KURANG, SANGAT_KURANG

# --- the predicate matrix -------------------------------------------------------------------

# domain.md §6.5, copied cell by cell as the regulation's labels (rows = hasil, cols = perilaku)
MATRIX_TEXT = """
                     | Di Bawah Ekspektasi | Sesuai Ekspektasi | Di Atas Ekspektasi
 Di Atas Ekspektasi  | Kurang/Misconduct   | Baik              | Sangat Baik
 Sesuai Ekspektasi   | Kurang/Misconduct   | Baik              | Baik
 Di Bawah Ekspektasi | Sangat Kurang       | Butuh Perbaikan   | Butuh Perbaikan
"""
RATING_BY_LABEL = {
    "Di Atas Ekspektasi": DI_ATAS,
    "Sesuai Ekspektasi": SESUAI,
    "Di Bawah Ekspektasi": DI_BAWAH,
}
PREDIKAT_BY_LABEL = {label: code for code, label in rules.PREDIKAT_LABELS.items()}


def _matrix_cells() -> list[tuple[str, str, str]]:
    lines = MATRIX_TEXT.strip().splitlines()
    header = [cell.strip() for cell in lines[0].split("|")][1:]
    cells = []
    for line in lines[1:]:
        row, *values = (cell.strip() for cell in line.split("|"))
        for column, value in zip(header, values, strict=True):
            cells.append((RATING_BY_LABEL[row], RATING_BY_LABEL[column], PREDIKAT_BY_LABEL[value]))
    return cells


CELLS = _matrix_cells()


def test_the_table_has_all_nine_cells() -> None:
    assert len(CELLS) == 9
    assert {(h, p) for h, p, _ in CELLS} == {(h, p) for h in RATINGS for p in RATINGS}


@pytest.mark.parametrize(("hasil", "perilaku", "expected"), CELLS)
def test_matrix_cell(hasil: str, perilaku: str, expected: str) -> None:
    assert predikat(hasil, perilaku) == expected


def test_matrix_rules_in_words() -> None:
    # only double "Di Atas" is Sangat Baik; "Di Bawah" behaviour is Kurang unless results are too
    assert [p for h, q, p in CELLS if p == SB] == [SB]
    assert predikat(DI_ATAS, DI_ATAS) == SB
    for hasil in (DI_ATAS, SESUAI):
        assert predikat(hasil, DI_BAWAH) == K
    assert predikat(DI_BAWAH, DI_BAWAH) == SK
    assert {predikat(DI_BAWAH, q) for q in (SESUAI, DI_ATAS)} == {BP}


@pytest.mark.parametrize(
    ("hasil", "perilaku"),
    [("BAIK", SESUAI), (SESUAI, ""), ("", ""), ("di_atas", DI_ATAS), (DI_ATAS, "SANGAT_BAIK")],
)
def test_unknown_ratings_are_refused(hasil: str, perilaku: str) -> None:
    with pytest.raises(ValueError, match="unknown rating"):
        predikat(hasil, perilaku)


@pytest.mark.parametrize(
    ("org", "rating"),
    [
        (ISTIMEWA, DI_ATAS),
        (BAIK, SESUAI),
        (BUTUH_PERBAIKAN, DI_BAWAH),
        (KURANG, DI_BAWAH),
        (SANGAT_KURANG, DI_BAWAH),
    ],
)
def test_head_rating_from_the_organisation_result(org: str, rating: str) -> None:
    assert head_rating(org) == rating


def test_head_rating_covers_every_organisation_predicate_and_refuses_others() -> None:
    assert {head_rating(o) for o in ORG_PREDIKAT} == set(RATINGS)
    with pytest.raises(ValueError, match="unknown capaian"):
        head_rating(SANGAT_BAIK)  # an employee predicate is not an organisation result


# --- pola distribusi: every rule at its boundary --------------------------------------------


def rules_breached(org: str, counts: dict[str, int], **kw: int) -> list[str]:
    return [v.rule for v in distribution_violations(org, counts, **kw)]


MAX_SB_70 = "paling banyak 70% pegawai berpredikat Sangat Baik"
MAX_B_70 = "paling banyak 70% pegawai berpredikat Baik"
ONE_BP_K = "harus ada pegawai berpredikat Butuh Perbaikan dan/atau Kurang/Misconduct"
MAX_SB_10 = "paling banyak 10% pegawai berpredikat Sangat Baik"
MIN_BP_60 = "paling sedikit 60% pegawai berpredikat Butuh Perbaikan"
MIN_BP_10 = "paling sedikit 10% pegawai berpredikat Butuh Perbaikan"
MIN_K_60 = "paling sedikit 60% pegawai berpredikat Kurang/Misconduct"
NO_SB = "tidak boleh ada pegawai dengan predikat Sangat Baik"
MIN_BPK_10 = "paling sedikit 10% pegawai berpredikat Butuh Perbaikan dan/atau Kurang/Misconduct"
MIN_SK_60 = "paling sedikit 60% pegawai berpredikat Sangat Kurang"


def test_pattern_rules_are_described_in_indonesian() -> None:
    assert pattern_rules(ISTIMEWA) == [MAX_SB_70]
    assert pattern_rules(BAIK) == [MAX_B_70, ONE_BP_K]
    assert pattern_rules(BUTUH_PERBAIKAN) == [MAX_SB_10, MIN_BP_60]
    assert pattern_rules(KURANG) == [MAX_SB_10, MIN_BP_10, MIN_K_60]
    assert pattern_rules(SANGAT_KURANG) == [NO_SB, MIN_BPK_10, MIN_SK_60]
    assert set(PATTERNS) == set(ORG_PREDIKAT)


@pytest.mark.parametrize(
    ("org", "counts", "expected"),
    [
        # Istimewa: Sangat Baik at most 70 %
        (ISTIMEWA, {SB: 7, B: 3}, []),
        (ISTIMEWA, {SB: 8, B: 2}, [MAX_SB_70]),
        (ISTIMEWA, {SB: 7, SK: 3}, []),  # everyone else may be anything
        (ISTIMEWA, {B: 10}, []),  # "sebagian besar" is read as an upper bound only
        # Baik: Baik at most 70 % and at least one Butuh Perbaikan or Kurang
        (BAIK, {B: 7, BP: 1, SB: 2}, []),
        (BAIK, {B: 8, BP: 1, SB: 1}, [MAX_B_70]),
        (BAIK, {B: 7, SB: 3}, [ONE_BP_K]),
        (BAIK, {B: 7, K: 1, SK: 2}, []),  # Kurang satisfies "harus ada"
        (BAIK, {B: 7, SK: 3}, [ONE_BP_K]),  # Sangat Kurang does not
        (BAIK, {B: 9, SB: 1}, [MAX_B_70, ONE_BP_K]),
        # Butuh Perbaikan: Sangat Baik at most 10 %, Butuh Perbaikan at least 60 %
        (BUTUH_PERBAIKAN, {BP: 6, B: 3, SB: 1}, []),
        (BUTUH_PERBAIKAN, {BP: 5, B: 5}, [MIN_BP_60]),
        (BUTUH_PERBAIKAN, {BP: 6, B: 2, SB: 2}, [MAX_SB_10]),
        (BUTUH_PERBAIKAN, {BP: 5, B: 3, SB: 2}, [MAX_SB_10, MIN_BP_60]),
        # Kurang: Sangat Baik ≤ 10 %, Butuh Perbaikan ≥ 10 %, Kurang ≥ 60 %
        (KURANG, {K: 6, BP: 1, SB: 1, B: 2}, []),
        (KURANG, {K: 6, BP: 1, SB: 2, B: 1}, [MAX_SB_10]),
        (KURANG, {K: 6, B: 4}, [MIN_BP_10]),
        (KURANG, {K: 5, BP: 5}, [MIN_K_60]),
        (KURANG, {K: 9, SB: 1}, [MIN_BP_10]),
        (KURANG, {SB: 10}, [MAX_SB_10, MIN_BP_10, MIN_K_60]),
        # Sangat Kurang: no Sangat Baik at all, BP + K ≥ 10 %, Sangat Kurang ≥ 60 %
        (SANGAT_KURANG, {SK: 6, K: 1, B: 3}, []),
        (SANGAT_KURANG, {SK: 6, BP: 1, B: 3}, []),
        (SANGAT_KURANG, {SK: 6, K: 1, B: 2, SB: 1}, [NO_SB]),
        (SANGAT_KURANG, {SK: 99, K: 100, SB: 1}, [NO_SB, MIN_SK_60]),
        (SANGAT_KURANG, {SK: 6, B: 4}, [MIN_BPK_10]),
        (SANGAT_KURANG, {SK: 5, K: 5}, [MIN_SK_60]),
    ],
)
def test_distribution_boundaries(org: str, counts: dict[str, int], expected: list[str]) -> None:
    assert rules_breached(org, counts) == expected


@pytest.mark.parametrize(
    ("org", "counts", "expected"),
    [
        # 7 people: 70 % is 4,9 people, so 4 hold and 5 breach (no rounding up of the cap)
        (ISTIMEWA, {SB: 4, B: 3}, []),
        (ISTIMEWA, {SB: 5, B: 2}, [MAX_SB_70]),
        # 7 people: 60 % is 4,2 people, so 5 are needed
        (BUTUH_PERBAIKAN, {BP: 5, B: 2}, []),
        (BUTUH_PERBAIKAN, {BP: 4, B: 3}, [MIN_BP_60]),
        # 11 people: 10 % is 1,1 people, so one Sangat Baik holds and two breach
        (BUTUH_PERBAIKAN, {BP: 9, SB: 1, B: 1}, []),
        (BUTUH_PERBAIKAN, {BP: 9, SB: 2}, [MAX_SB_10]),
        # 11 people: at least 10 % Butuh Perbaikan needs two
        (KURANG, {K: 7, BP: 2, B: 2}, []),
        (KURANG, {K: 7, BP: 1, B: 3}, [MIN_BP_10]),
        # 9 people: 10 % of Sangat Baik is 0,9 people: none allowed
        (BUTUH_PERBAIKAN, {BP: 8, SB: 1}, [MAX_SB_10]),
    ],
)
def test_distribution_without_rounding(
    org: str, counts: dict[str, int], expected: list[str]
) -> None:
    assert rules_breached(org, counts, min_group_size=1) == expected


def test_violation_carries_counts_and_a_message() -> None:
    (found,) = distribution_violations(BAIK, {B: 8, BP: 2})
    assert found == Violation(MAX_B_70, 8, 10, advisory=False)
    assert found.message == (
        "Pola distribusi tidak terpenuhi: paling banyak 70% pegawai berpredikat Baik "
        "(sekarang 8 dari 10)."
    )
    (one,) = distribution_violations(BAIK, {B: 4, SB: 3})
    assert (one.count, one.total) == (0, 7)


def test_tiny_groups_get_advisory_violations_only() -> None:
    four = distribution_violations(BAIK, {B: 4})
    assert [v.rule for v in four] == [MAX_B_70, ONE_BP_K]
    assert all(v.advisory for v in four)
    five = distribution_violations(BAIK, {B: 5})
    assert five and not any(v.advisory for v in five)
    # the size is configurable
    assert all(v.advisory for v in distribution_violations(BAIK, {B: 5}, min_group_size=6))
    assert not any(v.advisory for v in distribution_violations(BAIK, {B: 1}, min_group_size=1))


def test_empty_group_and_zero_counts() -> None:
    assert distribution_violations(SANGAT_KURANG, {}) == []
    assert distribution_violations(BAIK, dict.fromkeys(PREDIKAT, 0)) == []
    assert rules_breached(ISTIMEWA, {SB: 7, B: 3, K: 0}) == []


def test_unknown_predicates_and_patterns_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown predikat"):
        distribution_violations(BAIK, {"CUKUP": 1, B: 3})
    with pytest.raises(ValueError, match="unknown capaian"):
        distribution_violations(SANGAT_BAIK, {B: 3})
    with pytest.raises(ValueError, match="unknown capaian"):
        pattern_rules("CUKUP")


@pytest.mark.parametrize(
    ("violations", "enforcement", "blocks"),
    [
        ([], "WARN", False),
        ([], "BLOCK", False),
        ([Violation(MAX_B_70, 8, 10, advisory=False)], "WARN", False),
        ([Violation(MAX_B_70, 8, 10, advisory=False)], "BLOCK", True),
        ([Violation(MAX_B_70, 4, 4, advisory=True)], "BLOCK", False),
        (
            [Violation(MAX_B_70, 4, 4, advisory=True), Violation(ONE_BP_K, 0, 9, advisory=False)],
            "BLOCK",
            True,
        ),
        ([Violation(MAX_B_70, 8, 10, advisory=False)], "block", False),  # exact setting values
    ],
)
def test_blocks_finalisation(violations: list[Violation], enforcement: str, blocks: bool) -> None:
    assert blocks_finalisation(violations, enforcement) is blocks
    assert blocks_finalisation(iter(violations), enforcement) is blocks


def test_bound_holds_and_describes_each_kind() -> None:
    at_most = Bound((SB,), "max", 10)
    assert at_most.holds({SB: 1}, 10) and not at_most.holds({SB: 2}, 10)
    at_least = Bound((BP, K), "min", 10)
    assert at_least.holds({BP: 0, K: 1}, 10) and not at_least.holds({B: 10}, 11)
    one = Bound((BP, K), "one")
    assert one.holds({K: 1}, 100) and not one.holds({SK: 5}, 5)
    assert Bound((SB,), "max", 0).describe() == NO_SB


# --- properties of the distribution arithmetic ----------------------------------------------

counts_strategy = st.dictionaries(
    st.sampled_from(PREDIKAT), st.integers(min_value=0, max_value=400), min_size=0, max_size=5
)


def _fraction_holds(bound: Bound, counts: dict[str, int]) -> bool:
    total = sum(counts.values())
    share = Fraction(sum(counts.get(p, 0) for p in bound.which), total)
    if bound.kind == "max":
        return share <= Fraction(bound.percent, 100)
    if bound.kind == "min":
        return share >= Fraction(bound.percent, 100)
    return share > 0


@given(st.sampled_from(ORG_PREDIKAT), counts_strategy)
def test_integer_arithmetic_equals_exact_fractions(org: str, counts: dict[str, int]) -> None:
    total = sum(counts.values())
    found = distribution_violations(org, counts)
    if total == 0:
        assert found == []
        return
    expected = [b.describe() for b in PATTERNS[org] if not _fraction_holds(b, counts)]
    assert [v.rule for v in found] == expected
    assert all(v.total == total for v in found)
    assert all(v.advisory is (total < 5) for v in found)


@given(st.sampled_from(ORG_PREDIKAT), counts_strategy, st.integers(min_value=2, max_value=9))
def test_scaling_a_group_keeps_the_same_verdict(org: str, counts: dict[str, int], k: int) -> None:
    scaled = {p: n * k for p, n in counts.items()}
    before = distribution_violations(org, counts, min_group_size=1)
    after = distribution_violations(org, scaled, min_group_size=1)
    assert [v.rule for v in after] == [v.rule for v in before]
    assert [v.count for v in after] == [v.count * k for v in before]


# A predicate that helps every rule of the pattern: counted by every "min"/"harus ada" rule and by
# no "max" rule. Adding such an employee can never create a breach.
HELPFUL = {ISTIMEWA: (B, BP, K, SK), BAIK: (BP, K), BUTUH_PERBAIKAN: (BP,)}


def test_helpful_predicates_are_what_the_patterns_say() -> None:
    for org, helpful in HELPFUL.items():
        for p in helpful:
            for bound in PATTERNS[org]:
                assert (p in bound.which) is (bound.kind != "max")
    # Kurang and Sangat Kurang have two competing minimums: no predicate helps every rule
    for org in (KURANG, SANGAT_KURANG):
        mins = [set(b.which) for b in PATTERNS[org] if b.kind == "min"]
        assert not set.intersection(*mins)


@given(st.sampled_from(sorted(HELPFUL)), counts_strategy, st.data(), st.integers(1, 5))
def test_adding_a_helpful_predicate_never_adds_a_breach(
    org: str, counts: dict[str, int], data: st.DataObject, extra: int
) -> None:
    p = data.draw(st.sampled_from(HELPFUL[org]))
    more = dict(counts)
    more[p] = more.get(p, 0) + extra
    before = set(rules_breached(org, counts))
    after = set(rules_breached(org, more))
    assert after <= before
    if sum(counts.values()) == 0:
        assert after == set()  # a group made only of helpful predicates conforms


@given(counts_strategy, st.sampled_from(("WARN", "BLOCK")), st.integers(1, 12))
def test_warn_never_blocks_and_block_blocks_exactly_large_breaching_groups(
    counts: dict[str, int], enforcement: str, min_size: int
) -> None:
    for org in ORG_PREDIKAT:
        found = distribution_violations(org, counts, min_group_size=min_size)
        blocked = blocks_finalisation(found, enforcement)
        total = sum(counts.values())
        assert blocked is (enforcement == "BLOCK" and bool(found) and total >= min_size)


# --- angka kredit ---------------------------------------------------------------------------


def test_angka_kredit_regulation_examples() -> None:
    # domain.md §9.1: JF Ahli Pertama, koefisien 12,5
    assert angka_kredit(SB, D("12.5")) == D("18.75")
    assert angka_kredit(B, D("12.5"), months=2) == D("2.08")


@pytest.mark.parametrize(
    ("pred", "expected"),
    [(SB, "18.75"), (B, "12.50"), (BP, "9.38"), (K, "6.25"), (SK, "3.13")],
)
def test_angka_kredit_percentages_with_half_up_rounding(pred: str, expected: str) -> None:
    # 75 % × 12,5 = 9,375 → 9,38; 25 % × 12,5 = 3,125 → 3,13 (ROUND_HALF_UP, not banker's)
    got = angka_kredit(pred, D("12.50"))
    assert got == D(expected)
    assert got.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("pred", "koefisien", "months", "expected"),
    [
        (B, "25", 12, "25.00"),
        (SB, "50", 12, "75.00"),
        (B, "12.5", 1, "1.04"),  # 1,041666…
        (SB, "37.5", 6, "28.13"),  # 28,125
        (SK, "5", 1, "0.10"),  # 0,104166…
        (B, "0", 12, "0.00"),
        (B, "12.5", 12, "12.50"),
    ],
)
def test_angka_kredit_part_year(pred: str, koefisien: str, months: int, expected: str) -> None:
    assert angka_kredit(pred, D(koefisien), months) == D(expected)


@pytest.mark.parametrize("months", [0, 13, -1])
def test_angka_kredit_months_out_of_range(months: int) -> None:
    with pytest.raises(ValueError, match="months"):
        angka_kredit(B, D("12.5"), months)


def test_angka_kredit_refuses_negative_koefisien_and_unknown_predikat() -> None:
    with pytest.raises(ValueError, match="negative"):
        angka_kredit(B, D("-0.01"))
    with pytest.raises(ValueError, match="unknown predikat"):
        angka_kredit("CUKUP", D("12.5"))


def test_coefficients_per_jenjang() -> None:
    assert rules.KOEFISIEN_JENJANG["AHLI_PERTAMA"] == D("12.5")
    assert rules.KOEFISIEN_JENJANG["AHLI_UTAMA"] == D("50")
    assert angka_kredit(SB, rules.KOEFISIEN_JENJANG["AHLI_MADYA"]) == D("56.25")


koefisien_strategy = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False)


@given(st.sampled_from(PREDIKAT), koefisien_strategy, st.integers(1, 12))
def test_angka_kredit_equals_exact_fraction_rounded_half_up(
    pred: str, koefisien: Decimal, months: int
) -> None:
    percent = {SB: 150, B: 100, BP: 75, K: 50, SK: 25}[pred]
    exact = Fraction(months * percent, 1200) * Fraction(str(koefisien))
    cents = (exact * 100 + Fraction(1, 2)).__floor__()
    assert angka_kredit(pred, koefisien, months) == D(cents) / 100


@given(koefisien_strategy, st.integers(1, 12))
def test_angka_kredit_is_ordered_by_predicate_and_months(koefisien: Decimal, months: int) -> None:
    values = [angka_kredit(p, koefisien, months) for p in PREDIKAT]
    assert values == sorted(values, reverse=True)
    assert angka_kredit(B, koefisien, months) <= angka_kredit(B, koefisien, 12)
    assert angka_kredit(B, koefisien) == angka_kredit(B, koefisien, 12)


# --- months covered -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2026, 1, 1), date(2026, 12, 31), 12),
        (date(2026, 1, 1), date(2026, 1, 1), 1),
        (date(2026, 3, 31), date(2026, 4, 1), 2),  # a started month counts
        (date(2026, 11, 1), date(2026, 12, 31), 2),
        (date(2026, 7, 15), date(2026, 12, 31), 6),
        (date(2025, 6, 1), date(2026, 12, 31), 12),  # never more than a year
        (date(2025, 12, 1), date(2026, 1, 31), 2),
    ],
)
def test_months_covered(start: date, end: date, months: int) -> None:
    assert months_covered(start, end) == months


def test_months_covered_refuses_reversed_dates() -> None:
    with pytest.raises(ValueError, match="end before start"):
        months_covered(date(2026, 5, 2), date(2026, 5, 1))


@given(st.dates(date(2000, 1, 1), date(2100, 12, 31)), st.integers(0, 400))
def test_months_covered_is_between_one_and_twelve_and_grows(start: date, days: int) -> None:
    end = start + timedelta(days=days)
    got = months_covered(start, end)
    assert 1 <= got <= 12
    assert got <= months_covered(start, end + timedelta(days=1))
    assert (got == 1) is (end.year == start.year and end.month == start.month)


# --- keberatan window -----------------------------------------------------------------------

ISSUED = date(2026, 3, 2)


def test_keberatan_deadline_is_fourteen_days_after_issue() -> None:
    assert keberatan_deadline(ISSUED) == date(2026, 3, 16)
    assert keberatan_deadline(date(2026, 12, 25)) == date(2027, 1, 8)
    assert keberatan_deadline(date(2028, 2, 20), 10) == date(2028, 3, 1)  # leap year


@pytest.mark.parametrize(
    ("day", "is_open"), [(-1, False), (0, True), (1, True), (13, True), (14, True), (15, False)]
)
def test_keberatan_open_on_day(day: int, is_open: bool) -> None:
    assert keberatan_open(ISSUED, ISSUED + timedelta(days=day)) is is_open


def test_keberatan_window_is_configurable() -> None:
    assert keberatan_open(ISSUED, ISSUED + timedelta(days=7), 7)
    assert not keberatan_open(ISSUED, ISSUED + timedelta(days=8), 7)
    assert keberatan_open(ISSUED, ISSUED + timedelta(days=30), 30)
    assert keberatan_open(ISSUED, ISSUED + timedelta(days=1), 1)
    with pytest.raises(ValueError, match="at least one day"):
        keberatan_deadline(ISSUED, 0)
    with pytest.raises(ValueError, match="at least one day"):
        keberatan_open(ISSUED, ISSUED, 0)


@given(st.integers(1, 60), st.integers(-5, 70))
def test_keberatan_open_exactly_within_the_window(window: int, day: int) -> None:
    assert keberatan_open(ISSUED, ISSUED + timedelta(days=day), window) is (0 <= day <= window)


# --- 360 anonymity threshold ----------------------------------------------------------------

FULL_SESUAI = dict.fromkeys(range(1, 8), SESUAI)


def test_aggregate_360_needs_three_answers() -> None:
    assert aggregate_360([]) is None
    assert aggregate_360([FULL_SESUAI]) is None
    assert aggregate_360([FULL_SESUAI, {**FULL_SESUAI, 1: DI_ATAS}]) is None
    assert rules.ANONYMITY_MIN == 3


def test_aggregate_360_counts_per_value() -> None:
    forms = [FULL_SESUAI, {**FULL_SESUAI, 1: DI_ATAS}, {**FULL_SESUAI, 1: DI_ATAS, 7: DI_BAWAH}]
    got = aggregate_360(iter(forms))
    assert got is not None
    assert got[1] == {DI_ATAS: 2, SESUAI: 1, DI_BAWAH: 0}
    assert got[7] == {DI_ATAS: 0, SESUAI: 2, DI_BAWAH: 1}
    assert all(got[v] == {DI_ATAS: 0, SESUAI: 3, DI_BAWAH: 0} for v in range(2, 7))
    assert sorted(got) == list(range(1, 8))


def test_count_360_counts_any_number_of_forms_for_the_rater() -> None:
    assert rules.count_360([])[1] == {DI_ATAS: 0, SESUAI: 0, DI_BAWAH: 0}
    one = rules.count_360([{**FULL_SESUAI, 2: DI_BAWAH}])
    assert one[2] == {DI_ATAS: 0, SESUAI: 0, DI_BAWAH: 1}
    forms = [FULL_SESUAI, FULL_SESUAI, {**FULL_SESUAI, 4: DI_ATAS}]
    assert rules.count_360(forms) == aggregate_360(forms)


def test_aggregate_360_refuses_unknown_values_and_ratings() -> None:
    with pytest.raises(ValueError, match="core value"):
        aggregate_360([FULL_SESUAI, FULL_SESUAI, {8: SESUAI}])
    with pytest.raises(ValueError, match="rating"):
        aggregate_360([FULL_SESUAI, FULL_SESUAI, {1: "BAIK"}])


@given(st.lists(st.fixed_dictionaries({v: st.sampled_from(RATINGS) for v in range(1, 8)})))
def test_aggregate_360_totals(forms: list[dict[int, str]]) -> None:
    got = aggregate_360(forms)
    if len(forms) < 3:
        assert got is None
        return
    assert got is not None
    for value in range(1, 8):
        assert sum(got[value].values()) == len(forms)
        assert got[value] == {r: Counter(f[value] for f in forms)[r] for r in RATINGS}


# --- shares and leniency (rater consistency) ------------------------------------------------


def test_shares() -> None:
    assert shares({}) == dict.fromkeys(PREDIKAT, D(0))
    got = shares({SB: 1, B: 2})
    assert got == {SB: D("33.33"), B: D("66.67"), BP: D(0), K: D(0), SK: D(0)}
    assert shares({B: 8, BP: 2})[B] == D("80.00")
    assert shares({SB: 1, B: 1, BP: 1, K: 1, SK: 4})[SK] == D("50.00")


def test_leniency() -> None:
    assert leniency({}) == D(0)
    assert leniency({SB: 3}) == D("5.00")
    assert leniency({SK: 2}) == D("1.00")
    assert leniency({SB: 1, SK: 1}) == D("3.00")
    assert leniency({B: 2, BP: 1}) == D("3.67")  # 11/3


@given(st.dictionaries(st.sampled_from(PREDIKAT), st.integers(0, 500)))
def test_shares_and_leniency_properties(counts: dict[str, int]) -> None:
    total = sum(counts.values())
    got = shares(counts)
    assert set(got) == set(PREDIKAT)
    if total == 0:
        assert leniency(counts) == 0
        return
    # each share is the exact share within half a cent; together they are about 100 %
    for p in PREDIKAT:
        assert abs(Fraction(got[p]) - Fraction(100 * counts.get(p, 0), total)) <= Fraction(1, 200)
    assert abs(sum(got.values(), D(0)) - 100) <= D("0.03")
    assert D(1) <= leniency(counts) <= D(5)
