"""The printable QR poster of a layanan: PNG (the code alone, for messages and screens) and an
A4 PDF (title, unit, the code and the short address) to put on the counter."""

from __future__ import annotations

import io
from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from .models import Layanan


def qr_png(url: str, *, scale: int = 12) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"Poster SKM tidak memuat sumber luar: {url}")


def poster_html(layanan: Layanan, url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=10, border=2, omitsize=True)
    with translation.override("id"):
        return render_to_string(
            "surveys/poster_pdf.html",
            {"layanan": layanan, "url": url, "qr_svg": mark_safe(svg)},  # noqa: S308 - segno's own SVG
        )


def poster_pdf(layanan: Layanan, url: str) -> bytes:
    from weasyprint import HTML  # imported lazily: it loads fonts and is heavy

    pdf = HTML(string=poster_html(layanan, url), url_fetcher=_no_fetch).write_pdf()
    assert pdf is not None
    return bytes(pdf)
