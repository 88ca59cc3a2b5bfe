"""The trend chart speaks the reader's language: its title through gettext and the decimal
separator of the active language."""

from __future__ import annotations

import pytest
from django.utils import translation

from kinerja.surveys import charts
from kinerja.surveys.periods import PeriodKey
from kinerja.surveys.rules import ikm_from_answers

POINTS = [
    (PeriodKey("SEMESTER", 2026, 1), ikm_from_answers([(3,) * 9, (4,) * 9, (4,) * 9])),
    (PeriodKey("SEMESTER", 2026, 2), None),
]


def test_decimal_separator_follows_the_language() -> None:
    with translation.override("id"):
        indonesian = str(charts.trend_svg(POINTS))
    with translation.override("en"):
        english = str(charts.trend_svg(POINTS))
    assert ">91,67</text>" in indonesian and "91.67" not in indonesian
    assert ">91.67</text>" in english and "91,67" not in english


def test_the_title_goes_through_gettext(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(charts, "_", lambda message: f"«{message}»")
    assert '<title id="trend-title">«Tren IKM konversi per periode»</title>' in str(
        charts.trend_svg(POINTS)
    )
