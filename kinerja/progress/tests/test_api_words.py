"""The API's refusals read as one language: an English caller gets no Indonesian word in a
message (a 404 for an entry says "Achievement", the singular, not the page title)."""

from __future__ import annotations

from django.test import Client

from kinerja.progress.tests.test_api import Login, assert_error, post_json
from kinerja.progress.tests.test_services import Plan


def test_an_unknown_entry_is_one_achievement_in_english(login: Login, plan: Plan) -> None:
    client: Client = login("staf_a")
    english = {"headers": {"Accept-Language": "en"}}
    refused = assert_error(
        post_json(client, "/realisasi/999999/correct", {"reason": "x", "value": 1}, **english),
        404,
        "not_found",
    )
    assert refused["detail"] == "Achievement with id 999999 not found."
    indonesian = assert_error(
        post_json(client, "/realisasi/999999/correct", {"reason": "x", "value": 1}), 404,
        "not_found",
    )  # fmt: skip
    assert indonesian["detail"] == "Realisasi dengan id 999999 tidak ditemukan."
