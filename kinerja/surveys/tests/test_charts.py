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


def test_the_title_is_in_english_for_an_english_reader() -> None:
    """The title reaches the catalogue (it used to sit inside an f-string xgettext skipped)."""
    with translation.override("en"):
        svg = str(charts.trend_svg(POINTS))
    assert "Tren IKM" not in svg and '<title id="trend-title">' in svg


def test_the_end_labels_stay_inside_the_chart() -> None:
    """The first period's name starts at its point, the last one's ends at it, middle ones are
    centred; each is "Semester II" over its year."""
    three = [(PeriodKey("SEMESTER", 2025 + n // 2, n % 2 + 1), None) for n in range(3)]
    svg = str(charts.trend_svg(three))
    anchors = [part.split('"', 1)[0] for part in svg.split('text-anchor="')[1:]]
    assert anchors[-3:] == ["start", "middle", "end"]  # after the three band letters ("end")
    label = three[2][0].label
    name, year = label.rsplit(" ", 1)
    assert f">{name}</tspan>" in svg and f'dy="13">{year}</tspan>' in svg
