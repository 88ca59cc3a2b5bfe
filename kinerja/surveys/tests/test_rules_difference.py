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
