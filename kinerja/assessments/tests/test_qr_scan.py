"""The verification QR code of each evaluation document, printed and read back as a phone
would (the page rendered to pixels, then decoded): it carries exactly the verification URL."""

from __future__ import annotations

import pytest

from kinerja.core.qr_testing import qr_texts_in_pdf
from kinerja.org.testing import Cast

from .. import document_queries, documents
from ..documents import Verification
from ..models import JenisDokumen
from .doc_helpers import final_evaluation

URL = "https://kinerja.example.go.id/verifikasi/kode-uji-123/"


@pytest.mark.parametrize("kind", JenisDokumen.values)
def test_the_printed_qr_code_scans_to_the_verification_url(cast: Cast, kind: str) -> None:
    data = document_queries.evaluasi_data(final_evaluation(cast))
    pdf = documents.pdf_bytes(
        data, kind, verification=Verification("kode-uji-123", URL, "1 Juli 2026")
    )
    assert qr_texts_in_pdf(pdf) == [URL]


def test_a_draft_without_verification_prints_no_qr_code(cast: Cast) -> None:
    data = document_queries.evaluasi_data(final_evaluation(cast))
    pdf = documents.pdf_bytes(data, JenisDokumen.EVALUASI, verification=None, watermark="DRAF")
    assert qr_texts_in_pdf(pdf) == []
