"""The SKM poster's QR code read back as a citizen's phone would: the PNG as served, and the
PDF page rendered to pixels; both carry the questionnaire's absolute short URL."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from kinerja.core.qr_testing import qr_texts_in_pdf, qr_texts_in_png

from ..models import Layanan

Login = Callable[[str], Client]


def test_the_poster_qr_codes_scan_to_the_questionnaire(login: Login, layanan: Layanan) -> None:
    client = login("admin")
    png = client.get(f"/skm/layanan/{layanan.pk}/poster.png")
    pdf = client.get(f"/skm/layanan/{layanan.pk}/poster.pdf")
    [from_png] = qr_texts_in_png(png.content)
    [from_pdf] = qr_texts_in_pdf(pdf.content)
    assert from_png == from_pdf
    assert from_png.startswith(("http://", "https://"))
    assert from_png.endswith(f"/s/{layanan.code}/")
