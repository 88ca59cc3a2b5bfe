"""Pure SKM rules (no database): the IKM arithmetic at the mutu band boundaries, exact 1/9
weights and ROUND_HALF_UP, a single respondent, refused answers, Krejcie–Morgan and the weakest
unsur (domain §12 and the project decisions table), and the complementary suppression of the
published figures."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.surveys import rules
from kinerja.surveys.rules import ikm_from_answers, ikm_from_sums, krejcie_morgan, mutu

answer = st.integers(min_value=1, max_value=4)
row = st.lists(answer, min_size=9, max_size=9)
answer_sets = st.lists(row, min_size=1, max_size=40)


def rows_with_total(respondents: int, total: int) -> list[list[int]]:
    """`respondents` complete questionnaires whose answers add up to exactly `total`."""
    cells = respondents * 9
    assert cells <= total <= 4 * cells
    values = [1] * cells
    extra = total - cells
    for index in range(cells):
        step = min(3, extra)
        values[index] += step
        extra -= step
    return [values[i * 9 : (i + 1) * 9] for i in range(respondents)]


def sums_with_total(respondents: int, total: int) -> list[int]:
    """Per-unsur sums for `respondents` full answer sets adding up to `total`."""
    base, rest = divmod(total, 9)
    sums = [base + (1 if index < rest else 0) for index in range(9)]
    assert all(respondents <= s <= 4 * respondents for s in sums)
    return sums


# --- constants ------------------------------------------------------------------------------


def test_nine_unsur_in_the_regulation_order_with_four_answer_wordings_each() -> None:
    assert [code for code, _ in rules.UNSUR] == [f"u{i}" for i in range(1, 10)]
    assert rules.UNSUR[0][1] == "Persyaratan"
    assert rules.UNSUR[8][1] == "Sarana dan Prasarana"
    assert sorted(rules.ANSWER_LABELS) == list(range(9))
    assert all(len(labels) == 4 for labels in rules.ANSWER_LABELS.values())
    assert rules.ANSWER_LABELS[3] == ("Sangat mahal", "Cukup mahal", "Murah", "Gratis")
    assert rules.ANSWER_LABELS[7][3] == "Dikelola dengan baik"


# --- mutu bands -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("konversi", "grade"),
    [
        ("25.00", "D"), ("64.99", "D"), ("65.00", "C"), ("76.60", "C"),
        ("76.61", "B"), ("88.30", "B"), ("88.31", "A"), ("100.00", "A"),
    ],
)  # fmt: skip
def test_mutu_bands_are_half_open_on_the_rounded_konversi(konversi: str, grade: str) -> None:
    assert mutu(Decimal(konversi)) == grade


@pytest.mark.parametrize(
    ("respondents", "total", "konversi", "grade", "label"),
    [
        (38, 889, "64.99", "D", "Tidak baik"),  # exact 64.98538…
        (5, 117, "65.00", "C", "Kurang baik"),  # exact 65
        (26, 717, "76.60", "C", "Kurang baik"),  # exact 76.60256…
        (19, 524, "76.61", "B", "Baik"),  # exact 76.60818… rounds up into B
        (19, 604, "88.30", "B", "Baik"),  # exact 88.30409…
        (24, 763, "88.31", "A", "Sangat baik"),  # exact 88.31018…
    ],
)
def test_real_answer_sets_landing_on_each_band_boundary(
    respondents: int, total: int, konversi: str, grade: str, label: str
) -> None:
    result = ikm_from_answers(rows_with_total(respondents, total))
    assert result.respondents == respondents
    assert result.ikm_konversi == Decimal(konversi)
    assert str(result.ikm_konversi) == konversi
    assert (result.mutu, result.kinerja_label) == (grade, label)


@pytest.mark.parametrize(
    ("total", "konversi", "grade"),
    [
        (116991, "65.00", "C"),  # exact 64.995 → half up → 65.00, not 64.99 (D)
        (137889, "76.61", "B"),  # exact 76.605 → 76.61, not banker's 76.60 (C)
        (158949, "88.31", "A"),  # exact 88.305 → 88.31, not 88.30 (B)
    ],
)
def test_an_exact_half_rounds_up_across_the_boundary(total: int, konversi: str, grade: str) -> None:
    respondents = 5000
    exact = Fraction(25 * total, 9 * respondents)
    assert exact * 1000 % 10 == 5 and (exact * 1000).denominator == 1
    result = ikm_from_sums(respondents, sums_with_total(respondents, total), [respondents] * 9)
    assert str(result.ikm_konversi) == konversi
    assert result.mutu == grade


def test_rounding_pitfall_exact_ninth_not_0_111() -> None:
    # 15 respondents, answers totalling 494: exact mean × 25 = 91.4814… → 91.48. With the
    # rounded weight 0,111 the same data gives 91.39 (domain §12.4).
    result = ikm_from_answers(rows_with_total(15, 494))
    assert result.ikm_konversi == Decimal("91.48")
    naive = sum((n * Decimal("0.111") for n in result.nrr), Decimal(0)) * 25
    assert naive.quantize(Decimal("0.01")) == Decimal("91.39")
    # On the A/B boundary the rounded weight changes the mutu: exact 88.31 (A) → 88.22 (B).
    boundary = ikm_from_answers(rows_with_total(24, 763))
    naive_boundary = sum((n * Decimal("0.111") for n in boundary.nrr), Decimal(0)) * 25
    assert (boundary.mutu, mutu(naive_boundary.quantize(Decimal("0.01")))) == ("A", "B")


def test_nrr_is_exact_per_unsur_and_reported_with_four_decimals() -> None:
    # Three respondents: U1 answers 4,4,3 → NRR 11/3 = 3.6667; IKM = mean of exact NRR.
    rows = [[4, 1, 2, 3, 4, 4, 4, 4, 4], [4, 2, 2, 3, 4, 4, 4, 4, 4], [3, 2, 2, 3, 4, 4, 4, 4, 3]]
    result = ikm_from_answers(rows)
    assert result.nrr[0] == Decimal("3.6667")
    assert result.nrr[1] == Decimal("1.6667")
    assert result.nrr[8] == Decimal("3.6667")
    assert all(value.as_tuple().exponent == -4 for value in result.nrr)
    total = sum(sum(r) for r in rows)  # 90 → IKM 90/27 = 3.3333…, konversi 83.333… → 83.33
    assert total == 90
    assert result.ikm == Decimal("3.3333")
    assert result.ikm_konversi == Decimal("83.33")
    assert result.mutu == "B"


# --- single respondent and extremes ---------------------------------------------------------


def test_a_single_respondent() -> None:
    result = ikm_from_answers([[4, 3, 3, 2, 4, 4, 3, 1, 4]])
    assert result.respondents == 1
    assert result.nrr == tuple(
        Decimal(v).quantize(Decimal("0.0001")) for v in (4, 3, 3, 2, 4, 4, 3, 1, 4)
    )
    assert result.ikm == Decimal("3.1111")  # 28/9
    assert result.ikm_konversi == Decimal("77.78")
    assert (result.mutu, result.kinerja_label) == ("B", "Baik")


def test_all_best_and_all_worst_hit_the_ends_of_the_scale() -> None:
    best = ikm_from_answers([[4] * 9])
    worst = ikm_from_answers([[1] * 9, [1] * 9])
    assert (best.ikm, best.ikm_konversi, best.mutu) == (Decimal("4.0000"), Decimal("100.00"), "A")
    assert (worst.ikm, worst.ikm_konversi, worst.mutu) == (Decimal("1.0000"), Decimal("25.00"), "D")


# --- refused input --------------------------------------------------------------------------


def test_no_respondents_is_refused_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match="belum ada responden"):
        ikm_from_answers([])
    with pytest.raises(ValueError, match="belum ada responden"):
        ikm_from_sums(0, [0] * 9, [0] * 9)


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ([4] * 8, "responden 2: dibutuhkan 9 jawaban, ada 8"),
        ([4] * 10, "responden 2: dibutuhkan 9 jawaban, ada 10"),
        ([4, 4, 0, 4, 4, 4, 4, 4, 4], "responden 2, U3: jawaban harus 1–4, bukan 0"),
        ([4, 4, 4, 4, 5, 4, 4, 4, 4], "responden 2, U5: jawaban harus 1–4, bukan 5"),
        ([4, 4, 4, 4, 4, 4, 4, 4, None], "responden 2, U9: jawaban harus bilangan bulat"),
        ([True, 4, 4, 4, 4, 4, 4, 4, 4], "responden 2, U1: jawaban harus bilangan bulat"),
        (["3", 4, 4, 4, 4, 4, 4, 4, 4], "responden 2, U1: jawaban harus bilangan bulat"),
        ([3.0, 4, 4, 4, 4, 4, 4, 4, 4], "responden 2, U1: jawaban harus bilangan bulat"),
    ],
)
def test_missing_or_bad_answers_are_refused_naming_the_respondent_and_unsur(
    bad_row: list[object], message: str
) -> None:
    with pytest.raises(ValueError) as caught:
        ikm_from_answers([[4] * 9, bad_row])  # type: ignore[list-item]
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(
    ("respondents", "sums", "counts", "message"),
    [
        (3, [9] * 8, [3] * 9, "dibutuhkan 9"),
        (3, [9] * 9, [3] * 8 + [0], "U9: tidak ada responden"),
        (3, [9] * 9, [4] + [3] * 8, "U1: cacah pengisi (4) melebihi responden (3)"),
        (3, [2] + [9] * 8, [3] * 9, "U1: jumlah nilai 2 tidak mungkin"),
        (3, [9] * 8 + [13], [3] * 9, "U9: jumlah nilai 13 tidak mungkin"),
    ],
)
def test_impossible_running_sums_are_refused(
    respondents: int, sums: list[int], counts: list[int], message: str
) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        ikm_from_sums(respondents, sums, counts)


def test_partial_counts_divide_each_unsur_by_its_own_fillers() -> None:
    # 4 respondents, only 2 answered U8 (both 4): NRR U8 = 4, not 8/4 = 2.
    result = ikm_from_sums(4, [12] * 7 + [8, 12], [4] * 7 + [2, 4])
    assert result.nrr[7] == Decimal("4.0000")
    assert result.nrr[0] == Decimal("3.0000")
    assert result.ikm_konversi == round_konversi([3] * 7 + [4, 3])


def round_konversi(nrr: list[int]) -> Decimal:
    return rules.round_half_up(Fraction(25 * sum(nrr), 9), 2)


# --- properties -----------------------------------------------------------------------------


@given(answer_sets)
def test_results_stay_within_the_scales(rows: list[list[int]]) -> None:
    result = ikm_from_answers(rows)
    assert all(Decimal(1) <= n <= Decimal(4) for n in result.nrr)
    assert Decimal(1) <= result.ikm <= Decimal(4)
    assert Decimal(25) <= result.ikm_konversi <= Decimal(100)
    assert result.ikm_konversi.as_tuple().exponent == -2
    assert result.mutu == mutu(result.ikm_konversi)
    assert result.kinerja_label == rules.KINERJA_LABELS[result.mutu]


@given(answer_sets, st.randoms(use_true_random=False))
def test_order_of_respondents_does_not_matter(rows: list[list[int]], rnd: random.Random) -> None:
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    assert ikm_from_answers(shuffled) == ikm_from_answers(rows)


@given(answer_sets, st.permutations(range(9)))
def test_equal_weights_permuting_unsur_only_permutes_the_nrr(
    rows: list[list[int]], order: list[int]
) -> None:
    result = ikm_from_answers(rows)
    permuted = ikm_from_answers([[r[i] for i in order] for r in rows])
    assert permuted.nrr == tuple(result.nrr[i] for i in order)
    assert (permuted.ikm, permuted.ikm_konversi, permuted.mutu) == (
        result.ikm,
        result.ikm_konversi,
        result.mutu,
    )


@given(answer_sets)
def test_konversi_is_25_times_the_exact_mean_rounded_half_up(rows: list[list[int]]) -> None:
    total = sum(sum(r) for r in rows)
    exact = Fraction(25 * total, 9 * len(rows))
    expected = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    # 9 · n ≤ 360 here so the 28-digit Decimal division above is exact enough to round.
    assert ikm_from_answers(rows).ikm_konversi == expected


@given(answer_sets)
def test_answers_and_running_sums_agree(rows: list[list[int]]) -> None:
    sums = [sum(r[i] for r in rows) for i in range(9)]
    assert ikm_from_answers(rows) == ikm_from_sums(len(rows), sums, [len(rows)] * 9)


@given(
    st.decimals(min_value=25, max_value=100, places=2),
    st.decimals(min_value=25, max_value=100, places=2),
)
def test_mutu_never_decreases_as_the_konversi_rises(a: Decimal, b: Decimal) -> None:
    low, high = sorted((a, b))
    assert mutu(low) >= mutu(high)  # "A" < "B" < … so a better grade sorts first


# --- sample size ----------------------------------------------------------------------------

KREJCIE_MORGAN_TABLE = {
    10: 10, 15: 14, 20: 19, 50: 44, 100: 80, 200: 132, 300: 169, 500: 217, 1000: 278,
    2000: 322, 3000: 341, 5000: 357, 10000: 370, 20000: 377, 50000: 381, 75000: 382,
    1000000: 384,
}  # fmt: skip


@pytest.mark.parametrize(("population", "sample"), sorted(KREJCIE_MORGAN_TABLE.items()))
def test_krejcie_morgan_reproduces_the_published_table(population: int, sample: int) -> None:
    assert krejcie_morgan(population) == sample


@given(st.integers(min_value=1, max_value=10**8))
def test_krejcie_morgan_never_exceeds_the_population_or_384(population: int) -> None:
    assert 1 <= krejcie_morgan(population) <= min(population, 384)


@pytest.mark.parametrize("population", [0, -5, True])
def test_krejcie_morgan_refuses_an_empty_population(population: int) -> None:
    with pytest.raises(ValueError, match="populasi"):
        krejcie_morgan(population)


# --- weakest unsur --------------------------------------------------------------------------


def test_weakest_unsur_is_the_lowest_nrr_and_ties_go_to_the_first() -> None:
    nrr = [Decimal(v) for v in ("3.5", "3.1", "3.9", "2.8", "3.0", "2.8", "4", "4", "3.2")]
    assert rules.weakest_unsur(nrr) == 3
    assert rules.weakest_unsur([Decimal("3.0")] * 9) == 0
    with pytest.raises(ValueError):
        rules.weakest_unsur([])


def test_nrr_tertimbang_is_a_ninth_of_each_nrr() -> None:
    assert rules.nrr_tertimbang([Decimal("3.5000"), Decimal("4.0000")]) == (
        Decimal("0.3889"),
        Decimal("0.4444"),
    )


# --- complementary suppression (rules.publishable) ----------------------------------------

# instansi (0) → units (1, 2, 3) → layanan (4..8)
PARENTS: list[int | None] = [None, 0, 0, 0, 1, 2, 2, 3, 1]


def test_nothing_small_nothing_withheld() -> None:
    counts = [75, 20, 25, 30, 10, 15, 10, 30, 10]
    assert rules.publishable(counts, PARENTS, 5) == set(range(9))


def test_one_small_layanan_takes_the_next_smallest_sibling_with_it() -> None:
    # unit 1 = layanan 4 (1 respondent) + layanan 8 (10): unit minus layanan 8 is that one person
    counts = [66, 11, 25, 30, 1, 15, 10, 30, 10]
    shown = rules.publishable(counts, PARENTS, 5)
    assert 4 not in shown and 8 not in shown
    assert shown == {0, 1, 2, 3, 5, 6, 7}


@pytest.mark.parametrize(
    ("small", "sibling", "withheld"),
    [(4, 10, {4, 8}), (5, 10, set()), (0, 10, {4}), (4, 1, {4, 8})],
)
def test_the_withheld_group_reaches_the_minimum(
    small: int, sibling: int, withheld: set[int]
) -> None:
    counts = [small + sibling + 55, small + sibling, 25, 30, small, 15, 10, 30, sibling]
    shown = rules.publishable(counts, PARENTS, 5)
    assert set(range(9)) - shown == withheld


def test_two_small_layanan_of_one_unit_together_reach_the_minimum() -> None:
    counts = [60, 5, 25, 30, 2, 15, 10, 30, 3]  # 2 + 3: readable only as a pair of 5
    assert rules.publishable(counts, PARENTS, 5) == {0, 1, 2, 3, 5, 6, 7}


def test_a_small_unit_hides_a_layanan_of_another_unit_not_just_its_total() -> None:
    # unit 1 has 3 respondents; hiding unit 2 alone would not do (its layanan 5 and 6 add up
    # to it), so one of unit 2's layanan goes too
    parents: list[int | None] = [None, 0, 0, 0, 1, 2, 2, 3]
    counts = [53, 3, 20, 30, 3, 12, 8, 30]
    shown = rules.publishable(counts, parents, 5)
    assert shown == {0, 3, 5, 7}
    rest = counts[0] - counts[3] - counts[5]  # what the published figures give away
    assert rest == 11


def test_a_small_total_hides_everything_under_it() -> None:
    assert rules.publishable([4, 1, 3], [None, 0, 0], 5) == set()


def test_trees_are_checked() -> None:
    with pytest.raises(ValueError):
        rules.publishable([5, 5], [1, 0], 5)  # a cycle
    with pytest.raises(ValueError):
        rules.publishable([5, 9], [None, 0], 5)  # parts above the total
    with pytest.raises(ValueError):
        rules.publishable([5], [None, None], 5)


@st.composite
def trees(draw: st.DrawFn) -> tuple[list[int], list[int | None]]:
    """A forest where each node's count is its children's plus some of its own."""
    size = draw(st.integers(min_value=1, max_value=14))
    parents: list[int | None] = [None]
    for node in range(1, size):
        parents.append(draw(st.one_of(st.none(), st.integers(0, node - 1))))
    own = draw(st.lists(st.integers(0, 12), min_size=size, max_size=size))
    counts = list(own)
    for node in range(size - 1, -1, -1):  # parents come before their children
        up = parents[node]
        if up is not None:
            counts[up] += counts[node]
    return counts, parents


@given(trees(), st.integers(min_value=1, max_value=8))
def test_no_published_figure_leaves_a_small_remainder(
    tree: tuple[list[int], list[int | None]], minimum: int
) -> None:
    counts, parents = tree
    shown = rules.publishable(counts, parents, minimum)
    for node in range(len(counts)):
        if counts[node] < minimum:
            assert node not in shown
    for node in shown:
        nearest, stack = [], [c for c in range(len(counts)) if parents[c] == node]
        while stack:
            child = stack.pop()
            if child in shown:
                nearest.append(child)
            else:
                stack.extend(c for c in range(len(counts)) if parents[c] == child)
        rest = counts[node] - sum(counts[c] for c in nearest)
        assert rest == 0 or rest >= minimum
    own = [counts[n] - sum(counts[c] for c in range(len(counts)) if parents[c] == n) for n in shown]
    if all(c >= minimum for c in counts) and all(o == 0 or o >= minimum for o in own):
        assert shown == set(range(len(counts)))  # nothing withheld without a reason
