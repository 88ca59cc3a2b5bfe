"""SKM files and a single layanan through the API (kinerja.surveys.api_documents): the same
report and poster as the pages, for the same readers; precise JSON errors otherwise."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO

import openpyxl
import pytest
from django.test import Client
from pypdf import PdfReader

from kinerja.surveys.models import Layanan, SurveyPeriod

from .factories import add_answers

Login = Callable[[str], Client]
API = "/api/v1"


def report_url(period: SurveyPeriod, fmt: str) -> str:
    return f"{API}/skm/layanan/{period.layanan_id}/ikm/{period.key}/laporan/{fmt}"


def test_the_report_as_pdf_and_xlsx(login: Login, period: SurveyPeriod) -> None:
    add_answers(period, [(4,) * 9, (3,) * 9], saran="Ruang tunggu panas")
    client = login("auditor")
    pdf = client.get(report_url(period, "pdf"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == (
        f'attachment; filename="laporan-skm-poli-sukamaju-{str(period.key).lower()}.pdf"'
    )
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    assert "Poli Umum" in text and "87,50" in text and "Ruang tunggu panas" in text
    xlsx = client.get(report_url(period, "xlsx"))
    assert xlsx.status_code == 200 and xlsx.content[:4] == b"PK\x03\x04"
    book = openpyxl.load_workbook(BytesIO(xlsx.content))
    cells = [str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value]
    assert "Ruang tunggu panas" in cells


def test_report_errors(login: Login, period: SurveyPeriod) -> None:
    client = login("admin")
    empty = client.get(report_url(period, "pdf"))
    assert empty.status_code == 404 and empty.json()["code"] == "not_found"
    assert "Belum ada responden" in empty.json()["detail"]
    add_answers(period, [(4,) * 9])
    assert client.get(report_url(period, "docx")).status_code == 422
    bad = client.get(f"{API}/skm/layanan/{period.layanan_id}/ikm/SEMESTER-2026-9/laporan/pdf")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "period"


def test_the_poster_as_png_and_pdf(login: Login, layanan: Layanan) -> None:
    client = login("admin")
    png = client.get(f"{API}/skm/layanan/{layanan.pk}/poster/png")
    assert png["Content-Type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    pdf = client.get(f"{API}/skm/layanan/{layanan.pk}/poster/pdf")
    text = PdfReader(BytesIO(pdf.content)).pages[0].extract_text()
    assert "Poli Umum" in text and "/s/poli-sukamaju/" in text
    assert client.get(f"{API}/skm/layanan/{layanan.pk}/poster/gif").status_code == 422


def test_one_layanan(login: Login, layanan: Layanan) -> None:
    body = login("kapus").get(f"{API}/skm/layanan/{layanan.pk}").json()
    assert (body["id"], body["name"], body["code"]) == (layanan.pk, "Poli Umum", "poli-sukamaju")


@pytest.mark.parametrize("who", ["kasi", "staf_a", "outsider"])
def test_who_may_not_see_the_layanan_gets_404(login: Login, period: SurveyPeriod, who: str) -> None:
    add_answers(period, [(4,) * 9])
    client = login(who)
    for path in (
        f"/skm/layanan/{period.layanan_id}",
        f"/skm/layanan/{period.layanan_id}/poster/png",
        f"/skm/layanan/{period.layanan_id}/ikm/{period.key}/laporan/pdf",
    ):
        answer = client.get(f"{API}{path}")
        assert answer.status_code == 404 and answer.json()["code"] == "not_found", path
