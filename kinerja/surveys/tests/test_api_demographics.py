"""The respondents' profile of a layanan and period: the API keys it by the stable codes in the
questionnaire's order, whatever the language, with the label of the language asked for; the
page keeps showing the labels."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from kinerja.surveys.models import SurveyPeriod
from kinerja.surveys.periods import PeriodKey

from .factories import add_answers

Login = Callable[[str], Client]
API = "/api/v1"
CODES = {
    "jenis_kelamin": ["L", "P"],
    "usia": ["<20", "20-29", "30-39", "40-49", "50+"],
    "pendidikan": ["SD", "SMP", "SMA", "D3", "S1", "S2", "S3"],
    "pekerjaan": ["PNS", "TNI", "POLRI", "SWASTA", "WIRAUSAHA", "LAINNYA"],
}


def test_the_api_keys_the_demographics_by_code_in_every_language(
    login: Login, period: SurveyPeriod, key: PeriodKey
) -> None:
    add_answers(period, [(4,) * 9] * 3, usia=45)  # P, L, P; SMA; SWASTA
    client = login("admin")
    url = f"{API}/skm/layanan/{period.layanan_id}/ikm/{key.text}"
    indonesian = client.get(url).json()["demographics"]
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["demographics"]
    for found in (indonesian, english):
        assert {name: [row["code"] for row in rows] for name, rows in found.items()} == CODES
        counts = {name: {r["code"]: r["count"] for r in rows} for name, rows in found.items()}
        assert counts["jenis_kelamin"] == {"L": 1, "P": 2}
        assert counts["usia"]["40-49"] == 3 and sum(counts["usia"].values()) == 3
        assert counts["pendidikan"]["SMA"] == 3 and counts["pekerjaan"]["SWASTA"] == 3
    assert [r["label"] for r in indonesian["jenis_kelamin"]] == ["Laki-laki", "Perempuan"]
    assert [r["label"] for r in english["jenis_kelamin"]] == ["Male", "Female"]
    assert indonesian["pendidikan"][0]["label"] == "SD ke bawah"
    assert english["pendidikan"][0]["label"] == "Primary school or less"
    assert (indonesian["pekerjaan"][5]["label"], english["pekerjaan"][5]["label"]) == (
        "Lainnya",
        "Other",
    )
    assert indonesian["usia"][3] == english["usia"][3] == {"code": "40-49", "label": "40–49",
                                                           "count": 3}  # fmt: skip


def test_the_page_still_shows_the_labels(
    login: Login, period: SurveyPeriod, key: PeriodKey
) -> None:
    add_answers(period, [(4,) * 9] * 3)
    client = login("admin")
    page = client.get(f"/skm/layanan/{period.layanan_id}/ikm/{key.text}/").content.decode()
    assert "<li>Laki-laki: 1</li>" in page and "<li>Perempuan: 2</li>" in page
    assert "<li>SD ke bawah: 0</li>" in page and "<li>Swasta: 3</li>" in page
    assert "<li>30–39: 3</li>" in page
    client.cookies["django_language"] = "en"
    english = client.get(f"/skm/layanan/{period.layanan_id}/ikm/{key.text}/").content.decode()
    assert "<li>Male: 1</li>" in english and "<li>Female: 2</li>" in english
