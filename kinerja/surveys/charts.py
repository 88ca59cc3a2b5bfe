"""A small server-rendered SVG line chart of IKM konversi over periods (no JavaScript)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .periods import PeriodKey
from .rules import IkmResult

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 260, 44, 16, 16, 48
LOW, HIGH = Decimal(25), Decimal(100)
BANDS = ((Decimal("88.31"), "A"), (Decimal("76.61"), "B"), (Decimal("65.00"), "C"))


def _y(value: Decimal) -> float:
    span = HEIGHT - TOP - BOTTOM
    return round(TOP + float((HIGH - value) / (HIGH - LOW)) * span, 1)


def _anchor(index: int, count: int) -> str:
    """The first label starts at its point and the last ends at it, so neither leaves the
    chart; a single point's label is centred."""
    if count == 1:
        return "middle"
    return "start" if index == 0 else "end" if index == count - 1 else "middle"


def _axis_label(label: str, x: float, anchor: str) -> str:
    """A period's name on two lines ("Semester II" over "2026"), so that neighbours do not
    run into each other on a narrow screen."""
    name, _space, year = label.rpartition(" ")
    lines = [name, year] if name and year.isdigit() else [label]
    spans = "".join(
        f'<tspan x="{x}" dy="{0 if n == 0 else 13}">{escape(text)}</tspan>'
        for n, text in enumerate(lines)
    )
    return (
        f'<text x="{x}" y="{HEIGHT - BOTTOM + 18}" text-anchor="{anchor}" font-size="11">'
        f"{spans}</text>"
    )


def trend_svg(points: Sequence[tuple[PeriodKey, IkmResult | None]]) -> SafeString:
    """IKM konversi per period with the mutu band lines; periods without figures are gaps."""
    if not points:
        return mark_safe("")
    step = (WIDTH - LEFT - RIGHT) / max(len(points) - 1, 1)
    title = escape(_("Tren IKM konversi per periode"))  # not inside the f-string: xgettext
    parts = [
        f'<svg class="skm-trend" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        'aria-labelledby="trend-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="trend-title">{title}</title>',
    ]
    for limit, grade in BANDS:
        y = _y(limit)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}" class="band" '
            'stroke="#bbb" stroke-dasharray="4 4"/>'
            f'<text x="{LEFT - 6}" y="{y + 4}" text-anchor="end" font-size="11">{grade}</text>'
        )
    line: list[str] = []
    for i, (key, result) in enumerate(points):
        x = round(LEFT + i * step, 1)
        parts.append(_axis_label(key.label, x, _anchor(i, len(points))))
        if result is None:
            line.append("")
            continue
        y = _y(result.ikm_konversi)
        value = escape(number_format(result.ikm_konversi, 2))  # 81,26 / 81.26 by language
        line.append(f"{x},{y}")
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="4" fill="#1c6ea4"><title>{escape(key.label)}: '
            f"{value} ({result.mutu})</title></circle>"
            f'<text x="{x}" y="{y - 9}" text-anchor="middle" font-size="11">{value}</text>'
        )
    for segment in " ".join(line).split("  "):
        if segment.strip():
            parts.append(
                f'<polyline points="{segment.strip()}" fill="none" stroke="#1c6ea4" '
                'stroke-width="2"/>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
