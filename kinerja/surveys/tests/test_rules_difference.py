"""The change of an NRR between two periods (pure): the exact difference rounded once,
ROUND_HALF_UP to 4 decimals, never the difference of the two rounded NRR."""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.surveys import rules
from kinerja.surveys.rules import difference, ikm_from_answers, ikm_from_sums, nrr_change

row = st.lists(st.integers(min_value=1, max_value=4), min_size=9, max_size=9)
answer_sets = st.lists(row, min_size=1, max_size=40)


def test_eleven_thirds_minus_seven_thirds_is_1_3333_not_1_3334() -> None:
    now, before = Fraction(11, 3), Fraction(7, 3)
    assert rules.round_half_up(now, 4) - rules.round_half_up(before, 4) == Decimal("1.3334")
    assert str(difference(now, before)) == "1.3333"
    assert str(difference(before, now)) == "-1.3333"


def test_halves_go_away_from_zero_and_nothing_is_minus_zero() -> None:
    assert str(difference(Fraction(1, 20000), Fraction(0))) == "0.0001"
    assert str(difference(Fraction(0), Fraction(1, 20000))) == "-0.0001"
    tiny = difference(Fraction(0), Fraction(1, 30000))
    assert str(tiny) == "0.0000" and not tiny.is_signed()
    assert str(difference(Fraction(1, 3), Fraction(1, 3), 2)) == "0.00"


def test_the_nrr_change_of_two_results() -> None:
    now = ikm_from_sums(3, [9, 11, 9, 9, 9, 9, 9, 9, 12], [3] * 9)
    before = ikm_from_sums(3, [9, 7, 9, 9, 9, 9, 9, 9, 3], [3] * 9)
    assert [str(d) for d in nrr_change(now, before)] == ["0.0000", "1.3333"] + ["0.0000"] * 6 + [
        "3.0000"
    ]
    with pytest.raises(ValueError, match="NRR eksak"):
        nrr_change(replace(now, nrr_exact=()), before)


def _oracle(value: Fraction) -> Decimal:
    """ROUND_HALF_UP of a Fraction through a 60-digit Decimal division: denominators here are
    at most 40 · 40, so no value comes within 10⁻⁵⁰ of a half without being one."""
    with localcontext() as ctx:
        ctx.prec = 60
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        return exact.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


@given(answer_sets, answer_sets)
def test_the_change_is_the_exact_difference_rounded_once(
    now_rows: list[list[int]], before_rows: list[list[int]]
) -> None:
    now, before = ikm_from_answers(now_rows), ikm_from_answers(before_rows)
    change = nrr_change(now, before)
    for i in range(9):
        exact = Fraction(sum(r[i] for r in now_rows), len(now_rows)) - Fraction(
            sum(r[i] for r in before_rows), len(before_rows)
        )
        assert change[i] == _oracle(exact)
        assert abs(change[i] - (now.nrr[i] - before.nrr[i])) <= Decimal("0.0001")
    assert nrr_change(before, now) == tuple(-d if d else d for d in change)


def test_the_konversi_change_is_exact_too() -> None:
    # 25 · 11/9 = 30,5556 → 30,56 and 25 · 29/27 = 26,8519 → 26,85: 3,71 apart when rounded,
    # while the exact change is 100/27 = 3,7037.
    now = ikm_from_answers([[1] * 8 + [3]])
    before = ikm_from_answers([[1] * 9, [1] * 9, [1] * 8 + [3]])
    assert (str(now.ikm_konversi), str(before.ikm_konversi)) == ("30.56", "26.85")
    assert str(rules.konversi_change(now, before)) == "3.70"
    assert str(rules.konversi_change(before, now)) == "-3.70"
    with pytest.raises(ValueError, match="IKM eksak"):
        rules.konversi_change(replace(now, ikm_exact=Fraction(0)), before)


@given(answer_sets, answer_sets)
def test_the_konversi_change_is_the_exact_difference_rounded_once(
    now_rows: list[list[int]], before_rows: list[list[int]]
) -> None:
    now, before = ikm_from_answers(now_rows), ikm_from_answers(before_rows)
    exact = Fraction(25 * sum(map(sum, now_rows)), 9 * len(now_rows)) - Fraction(
        25 * sum(map(sum, before_rows)), 9 * len(before_rows)
    )
    with localcontext() as ctx:
        ctx.prec = 60
        value = Decimal(exact.numerator) / Decimal(exact.denominator)
        expected = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert rules.konversi_change(now, before) == expected
