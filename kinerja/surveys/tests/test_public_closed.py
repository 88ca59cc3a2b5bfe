"""A layanan made inactive while a citizen fills in its questionnaire: the page says the
survey is closed and that the answers were not stored (400), never a bare 404; the public API
refuses its form like a layanan without a running period."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.test import Client

from kinerja.surveys.models import Layanan, SkmResponse, SurveyPeriod

from .conftest import form_data
from .test_public import URL, token_from

Login = Callable[[str], Client]
API = "/api/v1"


def deactivate(client: Client, layanan: Layanan) -> None:
    data = {"unit_id": layanan.unit_id, "name": layanan.name, "code": layanan.code,
            "population": layanan.population, "active": False}  # fmt: skip
    answer = client.put(
        f"{API}/skm/layanan/{layanan.pk}", json.dumps(data), content_type="application/json"
    )
    assert answer.status_code == 200


def test_layanan_made_inactive_after_the_form_was_loaded(
    phone: Client, login: Login, period: SurveyPeriod
) -> None:
    token = token_from(phone.get(URL).content.decode())
    deactivate(login("admin"), period.layanan)
    answer = phone.post(URL, form_data(token))
    page = answer.content.decode()
    assert answer.status_code == 400
    assert "Survei untuk layanan Poli Umum sedang tidak dibuka" in page
    assert "Jawaban Anda belum tersimpan" in page and 'name="token"' not in page
    assert not SkmResponse.objects.exists()
    again = phone.get(URL)
    assert again.status_code == 200 and "sedang tidak dibuka" in again.content.decode()
    assert "Jawaban Anda belum tersimpan" not in again.content.decode()
    assert phone.get(f"{URL}terima-kasih/").status_code == 200  # a re-sent stored form lands here


def test_the_api_form_of_an_inactive_layanan(phone: Client, period: SurveyPeriod) -> None:
    Layanan.objects.filter(pk=period.layanan_id).update(active=False)
    answer = phone.get(f"{API}/publik/skm/poli-sukamaju/formulir")
    assert answer.status_code == 400 and "sedang tidak dibuka" in answer.json()["detail"]
    assert phone.get(f"{API}/publik/skm/tidak-ada/formulir").status_code == 404


def test_a_code_typed_in_capitals_leads_to_the_questionnaire(
    phone: Client, period: SurveyPeriod
) -> None:
    upper = URL.replace(period.layanan.code, period.layanan.code.upper())
    assert upper != URL
    answer = phone.get(upper)
    assert answer.status_code == 302 and answer["Location"] == URL
    assert phone.get("/s/TIDAK-ADA/", follow=True).status_code == 404
