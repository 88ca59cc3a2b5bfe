"""Reading QR codes back in tests, as a phone camera would: a PNG as it is, a PDF page rendered
to pixels first (pypdfium2), then decoded by zxing-cpp. Both are dev dependencies; the app
itself only draws codes (segno)."""

from __future__ import annotations

from io import BytesIO

import pypdfium2
import zxingcpp
from PIL import Image


def qr_texts_in_png(content: bytes) -> list[str]:
    with Image.open(BytesIO(content)) as image:
        return [found.text for found in zxingcpp.read_barcodes(image.convert("L"))]


def qr_texts_in_pdf(content: bytes, *, dpi: int = 200) -> list[str]:
    """The QR codes printed on the PDF's pages (each rendered at `dpi`), in page order."""
    document = pypdfium2.PdfDocument(content)
    texts: list[str] = []
    try:
        for page in document:
            image = page.render(scale=dpi / 72).to_pil()
            texts.extend(found.text for found in zxingcpp.read_barcodes(image.convert("L")))
    finally:
        document.close()
    return texts
