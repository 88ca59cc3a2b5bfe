"""How a typed realisasi value is read: a decimal comma or point; a thousands separator is
refused with a message (Indonesian "1.200" is 1200, a machine's is 1.2), never read wrongly."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kinerja.core.errors import ServiceError
from kinerja.progress.services import parse_value


@pytest.mark.parametrize(
    ("raw", "value"),
    [("12", "12"), ("12,5", "12.5"), ("12.5", "12.5"), (" 7 ", "7"), ("0", "0"), ("-0", "0"),
     ("1200", "1200"), ("0,12", "0.12"), ("1234.5", "1234.5"), (3, "3"), ("3,1000", "3.1"),
     ("0.5", "0.5")],
)  # fmt: skip
def test_a_decimal_comma_or_point_is_read(raw: object, value: str) -> None:
    assert parse_value(raw) == Decimal(value)


@pytest.mark.parametrize("raw", ["1.200", "12.000.000", "1.200,5", "1,200.5", "-1.500"])
def test_a_thousands_separator_is_refused_with_a_message(raw: str) -> None:
    with pytest.raises(ServiceError) as caught:
        parse_value(raw)
    assert caught.value.field == "value" and "tanpa pemisah ribuan" in caught.value.message


@pytest.mark.parametrize("raw", ["dua belas", "NaN", "Infinity", "1e400", "1e12"])
def test_what_is_not_a_number_in_bounds_is_refused(raw: str) -> None:
    with pytest.raises(ServiceError):
        parse_value(raw)


@pytest.mark.parametrize("raw", ["-3,25", "-1", "-0,01", -2])
def test_a_negative_value_is_refused_on_the_field(raw: object) -> None:
    with pytest.raises(ServiceError) as caught:
        parse_value(raw)
    assert caught.value.field == "value"
    assert caught.value.message == "Nilai realisasi tidak boleh negatif."


@pytest.mark.parametrize("raw", ["0,125", "0.001", "3.14159", "12,3456", "99999999999.999", "1e-3"])
def test_more_than_two_decimals_is_refused_not_rounded(raw: str) -> None:
    """The value is stored with 2 places; a third would be rounded without a word."""
    with pytest.raises(ServiceError) as caught:
        parse_value(raw)
    assert caught.value.field == "value"
    assert "paling banyak 2 angka di belakang koma" in caught.value.message


def test_nothing_is_no_value() -> None:
    assert parse_value("") is None and parse_value(None) is None


def test_a_number_that_is_not_text_is_read_as_it_is() -> None:
    """A JSON number has no thousands separator: 1.200 is 1.2, and 1.125 has three decimals."""
    assert parse_value(Decimal("1.200")) == Decimal("1.2")
    with pytest.raises(ServiceError) as caught:
        parse_value(Decimal("1.125"))
    assert "paling banyak 2 angka di belakang koma" in caught.value.message
