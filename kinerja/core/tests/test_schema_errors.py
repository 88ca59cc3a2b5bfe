"""The API's 422 messages follow the reader's language (kinerja.core.schema_errors)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import translation

from kinerja.core.schema_errors import schema_message
from kinerja.org.testing import Cast

Login = Callable[[str], Client]


@pytest.mark.parametrize(
    ("error", "indonesian", "english"),
    [
        ({"type": "missing", "msg": "Field required"}, "Wajib diisi.", "Required."),
        ({"type": "int_parsing", "msg": "x"}, "Harus bilangan bulat.", "Must be a whole number."),
        ({"type": "less_than_equal", "msg": "x", "ctx": {"le": 7}}, "Paling besar 7.",
         "Must be at most 7."),
        ({"type": "string_too_long", "msg": "x", "ctx": {"max_length": 200}},
         "Paling banyak 200 karakter.", "At most 200 characters."),
        ({"type": "literal_error", "msg": "x", "ctx": {"expected": "'UTAMA' or 'TAMBAHAN'"}},
         "Harus salah satu dari: 'UTAMA', 'TAMBAHAN'.",
         "Must be one of: 'UTAMA', 'TAMBAHAN'."),
        ({"type": "enum", "msg": "x", "ctx": {"expected": "'A', 'B' or 'C'"}},
         "Harus salah satu dari: 'A', 'B', 'C'.", "Must be one of: 'A', 'B', 'C'."),
    ],
)  # fmt: skip
def test_known_errors_are_reworded(error: dict[str, object], indonesian: str, english: str) -> None:
    assert schema_message(error) == indonesian
    with translation.override("en"):
        assert schema_message(error) == english


def test_a_custom_validator_message_is_unwrapped_and_unknown_types_keep_pydantic_text() -> None:
    ours = {"type": "value_error", "msg": "Value error, Isi tempat penandatanganan."}
    assert schema_message(ours) == "Isi tempat penandatanganan."
    with translation.override("en"):
        assert schema_message(ours) == "Fill in the place of signing."
    assert schema_message({"type": "something_new", "msg": "Input is odd"}) == "Input is odd"
    # A context that does not fit the template falls back to pydantic's text.
    assert schema_message({"type": "less_than_equal", "msg": "≤ 7", "ctx": {}}) == "≤ 7"


def test_a_422_speaks_the_readers_language(cast: Cast, login: Login) -> None:
    client = login("staf_a")
    body = json.dumps({"pegawai_id": cast.staf_a.pk, "year": "tahun ini"})
    indonesian = client.post("/api/v1/skp", body, content_type="application/json")
    assert indonesian.status_code == 422
    assert indonesian.json()["detail"] == "Data tidak valid."
    assert indonesian.json()["errors"] == [{"field": "year", "message": "Harus bilangan bulat."}]
    english = client.post(
        "/api/v1/skp", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert english.json()["detail"] == "Invalid data."
    assert english.json()["errors"] == [{"field": "year", "message": "Must be a whole number."}]
    missing = client.post("/api/v1/skp", "{}", content_type="application/json").json()
    assert missing["errors"] == [{"field": "year", "message": "Wajib diisi."}]
