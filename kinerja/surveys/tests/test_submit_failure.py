"""A write that fails (the database locked for a moment, a lost connection, any exception)
stores nothing and marks nothing: the citizen is asked to send again (503), and sending the
same form again stores the answer once, instead of being told it was received already."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client

from kinerja.surveys import public
from kinerja.surveys.models import SkmResponse, SurveyPeriod

from .conftest import form_data
from .test_public import URL, token_from

API = "/api/v1/publik/skm/poli-sukamaju"
ANSWER = {"answers": [4, 3, 3, 4, 3, 4, 4, 2, 3], "usia": 44, "jenis_kelamin": "L",
          "pendidikan": "SMA", "pekerjaan": "WIRAUSAHA"}  # fmt: skip


def fail_once(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> list[int]:
    """The next INSERT raises `error`; later ones run. Returns the list of failures so far."""
    real = public._insert
    failed: list[int] = []

    def insert(*args: Any, **kwargs: Any) -> int | None:
        if not failed:
            failed.append(1)
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(public, "_insert", insert)
    return failed


def send(client: Client, token: str) -> Any:
    body = json.dumps({"token": token, **ANSWER})
    return client.post(f"{API}/tanggapan", body, content_type="application/json")


@pytest.mark.django_db(transaction=True)
def test_the_api_asks_to_send_again_and_the_retry_is_stored_once(
    phone: Client, period: SurveyPeriod, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As served (autocommit)."""
    failed = fail_once(monkeypatch, OperationalError("database is locked"))
    token = phone.get(f"{API}/formulir").json()["token"]
    first = send(phone, token)
    assert failed and first.status_code == 503
    assert first.json()["code"] == "unavailable" and "coba kirim lagi" in first.json()["detail"]
    assert not SkmResponse.objects.exists()
    retry = send(phone, token)
    assert retry.status_code == 201 and retry.json()["accepted"] is True
    assert SkmResponse.objects.count() == 1
    # What is stored now is counted once, as ever.
    assert send(phone, token).json()["code"] == "token_used"
    duplicate = send(phone, phone.get(f"{API}/formulir").json()["token"])
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "duplicate"
    assert SkmResponse.objects.count() == 1


def test_the_page_keeps_the_answers_and_the_retry_lands_on_thanks(
    phone: Client, period: SurveyPeriod, monkeypatch: pytest.MonkeyPatch
) -> None:
    fail_once(monkeypatch, OperationalError("database is locked"))
    token = token_from(phone.get(URL).content.decode())
    first = phone.post(URL, form_data(token, saran="Ruang tunggu panas"))
    page = first.content.decode()
    assert first.status_code == 503 and "coba kirim lagi" in page
    assert "Ruang tunggu panas" in page and token_from(page) == token  # send it as it is
    assert not SkmResponse.objects.exists()
    retry = phone.post(URL, form_data(token, saran="Ruang tunggu panas"))
    assert retry.status_code == 302 and retry["Location"].endswith("/terima-kasih/")
    assert SkmResponse.objects.get().saran == "Ruang tunggu panas"
    again = token_from(phone.get(URL).content.decode())
    duplicate = phone.post(URL, form_data(again, saran="Ruang tunggu panas"))
    assert duplicate.status_code == 409 and "hanya menghitungnya sekali" in duplicate.text
    assert SkmResponse.objects.count() == 1


@pytest.mark.parametrize("error", [RuntimeError("bug"), KeyboardInterrupt()])
def test_any_other_failure_leaves_no_mark_either(
    period: SurveyPeriod,
    fresh_token: Callable[[], str],
    monkeypatch: pytest.MonkeyPatch,
    error: BaseException,
) -> None:
    fail_once(monkeypatch, error)
    ticket = public.read_token(fresh_token())
    submission = public.Submission((4,) * 9, 30, "L", "SMA", "PNS")
    with pytest.raises(type(error)):
        public.response_submit(ticket=ticket, client="a", submission=submission)
    assert public.response_submit(ticket=ticket, client="a", submission=submission)
    assert SkmResponse.objects.count() == 1
