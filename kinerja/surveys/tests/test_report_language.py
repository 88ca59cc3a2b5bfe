"""The SKM report is Indonesian whatever the reader's language (docs/user-guide.md): the PDF
and XLSX downloads of the page and the API, asked for in English, carry no English label."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO

import openpyxl
import pytest
from django.test import Client
from pypdf import PdfReader

from kinerja.surveys.models import SurveyPeriod

from .factories import add_answers

Login = Callable[[str], Client]
INDONESIAN = ("Laki-laki", "Perempuan", "SD ke bawah", "D4/S1", "Swasta", "Lainnya")
ENGLISH = ("Male", "Female", "Primary school", "Private sector", "Armed forces", "Other")


def report_text(content: bytes, fmt: str) -> str:
    if fmt == "pdf":
        return " ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
    book = openpyxl.load_workbook(BytesIO(content))
    return " | ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row)


@pytest.mark.parametrize(
    ("where", "fmt"),
    [("page", "pdf"), ("page", "xlsx"), ("api", "pdf"), ("api", "xlsx")],
)
def test_the_report_asked_for_in_english_is_indonesian(
    login: Login, period: SurveyPeriod, where: str, fmt: str
) -> None:
    add_answers(period, [(4,) * 9, (3,) * 9])
    client = login("admin")
    client.cookies["django_language"] = "en"
    base = f"/skm/layanan/{period.layanan_id}/ikm/{period.key}"
    url = f"{base}/laporan.{fmt}" if where == "page" else f"/api/v1{base}/laporan/{fmt}"
    answer = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 200
    assert "Male" in client.get(f"{base}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    text = report_text(answer.content, fmt)
    assert "Jenis kelamin" in text and "Pekerjaan" in text
    assert [label for label in INDONESIAN if label not in text] == []
    assert [label for label in ENGLISH if label in text] == []
