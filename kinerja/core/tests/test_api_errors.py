"""Every answer under /api/v1 that is not a success is JSON in the API's shape
(`{"detail", "code", "errors"}`): text no database can store (NUL, lone surrogates), a body
that is not JSON or multipart that cannot be read, a path no endpoint has, a method an
endpoint does not take, a get_object_or_404, and an unhandled exception (500, no traceback).

The NUL checks matter most on PostgreSQL (it refuses NUL in text, a 500 before); this file
also runs there: DATABASE_URL=postgres://… pytest kinerja/core/tests/test_api_errors.py."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import DataError
from django.test import Client
from ninja.openapi import schema as openapi_schema
from pydantic import ValidationError

from config.api import api
from kinerja.core.params import In, text_problem
from kinerja.org.models import UnitKerja
from kinerja.org.testing import Cast

Login = Callable[[str], Client]

NUL_MESSAGE = "Teks tidak boleh memuat karakter NUL (U+0000)."
SURROGATE_MESSAGE = "Teks memuat karakter Unicode yang tidak sah (surrogate tunggal)."


def error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    data: dict[str, Any] = json.loads(response.content)
    assert set(data) == {"detail", "code", "errors"} and data["code"] == code, data
    assert data["detail"]
    return data


def unit_body(cast: Cast, **values: object) -> dict[str, object]:
    return {"instansi_id": cast.kab.pk, "code": "X1", "name": "Unit X", "kind": "BIDANG",
            "parent_id": cast.dinkes.pk, **values}  # fmt: skip


# --- text the database cannot store -----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "message"), [('"Unit \\u0000X"', NUL_MESSAGE), ('"Unit \\ud800X"', SURROGATE_MESSAGE)]
)
def test_nul_or_a_lone_surrogate_in_a_body_is_422_naming_the_field(
    cast: Cast, login: Login, raw: str, message: str
) -> None:
    body = json.dumps(unit_body(cast, name="__NAME__")).replace('"__NAME__"', raw)
    response = login("admin").post("/api/v1/units", body, content_type="application/json")
    data = error(response, 422, "invalid")
    assert data["errors"] == [{"field": "name", "message": message}]
    assert not UnitKerja.objects.filter(code="X1").exists()


def test_the_field_is_named_inside_lists_and_in_every_schema(cast: Cast, login: Login) -> None:
    client = login("kasi")
    cascade = (
        '{"assignments": [{"pegawai_id": 1, "text": "a"}, {"pegawai_id": 2, "text": "\\u0000"}]}'
    )
    response = client.post("/api/v1/rhk/1/cascade", cascade, content_type="application/json")
    assert error(response, 422, "invalid")["errors"] == [
        {"field": "assignments.1.text", "message": NUL_MESSAGE}
    ]
    # The public SKM form has its own schema base: the parser refuses the text all the same.
    answer = '{"token": "x", "saran": "baik\\ud800"}'
    public = Client().post(
        "/api/v1/publik/skm/TIDAK-ADA/tanggapan", answer, content_type="application/json"
    )
    assert error(public, 422, "invalid")["errors"] == [
        {"field": "saran", "message": SURROGATE_MESSAGE}
    ]


def test_nul_in_a_form_field_is_422_naming_it(login: Login) -> None:
    # Multipart fields are read without any schema base: the parser checks them.
    response = login("staf_a").post(
        "/api/v1/iki/1/realisasi", {"date": "2026-01-05", "narrative": "selesai\x00"}
    )
    data = error(response, 422, "invalid")
    assert data["errors"] == [{"field": "narrative", "message": NUL_MESSAGE}]


def test_clean_text_passes(cast: Cast, login: Login) -> None:
    body = unit_body(cast, name="Bidang Pelayanan — Ünit ✓ 😀")
    response = login("admin").post("/api/v1/units", body, content_type="application/json")
    assert response.status_code == 201, response.content


def test_the_input_base_refuses_the_text_itself() -> None:
    # Schemas built on kinerja.core.params.In refuse it outside a JSON body too (forms, code).
    class Sample(In):
        name: str
        tags: list[str] = []

    assert Sample(name="ok", tags=["a"]).name == "ok"
    for values in ({"name": "a\x00"}, {"name": "a", "tags": ["b", "\udfff"]}):
        with pytest.raises(ValidationError) as refused:
            Sample.model_validate(values)
        (problem,) = refused.value.errors()
        assert problem["type"] == "text_unstorable" and problem["loc"] in (("name",), ("tags",))


def test_text_problem_walks_nested_values() -> None:
    assert text_problem({"a": ["x", {"b": "y\x00"}]}) == (("a", 1, "b"), NUL_MESSAGE)
    assert text_problem({"k\ud800": 1}) == (("k\ud800",), SURROGATE_MESSAGE)
    assert text_problem(["fine", 3, None, {"x": "é"}]) is None


@pytest.mark.parametrize(
    "path",
    ["/api/v1/pegawai?q=a%00b", "/api/v1/publik/transparansi/a%00b", "/api/v1/me?x=%00"],
)
def test_nul_in_an_api_path_or_query_string_is_400_json(login: Login, path: str) -> None:
    data = error(login("admin").get(path), 400, "invalid")
    assert "%00" in data["detail"]


def test_nul_in_a_page_query_string_is_a_plain_400(login: Login) -> None:
    response = login("admin").get("/org/pegawai/?q=a%00b")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


# --- non-JSON answers made JSON -----------------------------------------------------------------


def test_get_object_or_404_is_json(db: None) -> None:
    # kinerja/surveys/public_api.py looks the instansi up with get_object_or_404.
    data = error(Client().get("/api/v1/publik/transparansi/TIDAK-ADA"), 404, "not_found")
    assert "matches the given query" not in data["detail"]  # Django's message is not shown


@pytest.mark.parametrize("path", ["/api/v1/tidak-ada", "/api/v1/me/", "/api/v2/me", "/api/"])
def test_a_path_without_an_endpoint_is_404_json(login: Login, path: str) -> None:
    error(login("admin").get(path), 404, "not_found")


def test_a_method_an_endpoint_does_not_take_is_405_json(login: Login) -> None:
    response = login("admin").delete("/api/v1/me")
    error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"


def test_a_body_that_is_not_json_is_400_json(login: Login) -> None:
    response = login("admin").post("/api/v1/skp", "{bukan json", content_type="application/json")
    assert error(response, 400, "invalid")["detail"] == "Isi permintaan bukan JSON yang sah."
    not_utf8 = login("admin").post(
        "/api/v1/skp", b'{"year": "\xff"}', content_type="application/json"
    )
    error(not_utf8, 400, "invalid")
    # Python's JSON reader lets a surrogate encoded in the bytes through: refused as text.
    raw_surrogate = login("admin").post(
        "/api/v1/skp", b'{"year": "\xed\xa0\x80"}', content_type="application/json"
    )
    assert error(raw_surrogate, 422, "invalid")["errors"] == [
        {"field": "year", "message": SURROGATE_MESSAGE}
    ]


def test_multipart_that_cannot_be_read_is_400_json(cast: Cast, login: Login) -> None:
    client = login("admin")
    no_boundary = client.post("/api/v1/imports/unit", b"x", content_type="multipart/form-data")
    assert error(no_boundary, 400, "invalid")["detail"] == (
        "Isi multipart/form-data tidak dapat dibaca."
    )
    bad_boundary = client.post(
        "/api/v1/imports/unit", b"x", content_type="multipart/form-data; boundary=\x01"
    )
    error(bad_boundary, 400, "invalid")


def test_an_unhandled_exception_is_500_json_without_a_traceback(
    login: Login, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("rahasia internal")

    monkeypatch.setattr("kinerja.org.api.queries.directory_page", broken)
    for debug in (False, True):
        settings.DEBUG = debug
        response = login("admin").get("/api/v1/pegawai")
        data = error(response, 500, "server_error")
        assert data["errors"] == []
        assert b"rahasia" not in response.content and b"Traceback" not in response.content


def test_an_overflow_no_schema_bounded_is_400_json(
    login: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    def overflow(*args: object, **kwargs: object) -> None:
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    monkeypatch.setattr("kinerja.org.api.queries.directory_page", overflow)
    error(login("admin").get("/api/v1/pegawai"), 400, "invalid")


def test_a_value_the_database_refuses_is_400_json(
    login: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*args: object, **kwargs: object) -> None:
        raise DataError("integer out of range")

    monkeypatch.setattr("kinerja.org.api.queries.directory_page", refused)
    data = error(login("admin").get("/api/v1/pegawai"), 400, "invalid")
    assert "out of range" not in data["detail"]


# --- the OpenAPI schema -------------------------------------------------------------------------


@pytest.fixture
def schema_clashes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Names that two different schemas gave the OpenAPI components (the later one silently
    replaced the earlier)."""
    clashes: list[str] = []
    original = openapi_schema.OpenAPISchema.add_schema_definitions

    def add(self: openapi_schema.OpenAPISchema, definitions: dict[str, Any]) -> None:
        clashes.extend(k for k, v in definitions.items() if self.schemas.get(k, v) != v)
        original(self, definitions)

    monkeypatch.setattr(openapi_schema.OpenAPISchema, "add_schema_definitions", add)
    yield clashes


def test_openapi_schema_names_are_unique_and_every_ref_resolves(
    schema_clashes: list[str],
) -> None:
    schema = api.get_openapi_schema()
    assert schema_clashes == []
    components = schema["components"]["schemas"]

    def refs(node: object) -> Iterator[str]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref":
                    yield str(value)
                else:
                    yield from refs(value)
        elif isinstance(node, list):
            for item in node:
                yield from refs(item)

    found = set(refs(schema))
    assert found
    prefix = "#/components/schemas/"
    dangling = {r for r in found if not r.startswith(prefix) or r[len(prefix) :] not in components}
    assert dangling == set()


def test_openapi_json_is_served(db: None) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.json()["openapi"].startswith("3.")


def test_the_openapi_document_names_the_error_answers() -> None:
    """Every operation documents the error body as its default answer, a 401 when it needs a
    login, a 422 when it takes input, and the Idempotency-Key header when its view reads it."""
    from config.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    assert schema["components"]["schemas"]["ApiError"]["required"] == ["detail", "code", "errors"]
    operations = [op for ops in schema["paths"].values() for op in ops.values()]
    assert all("default" in op["responses"] for op in operations)
    assert all(401 in op["responses"] for op in operations if op.get("security"))
    correct = schema["paths"]["/api/v1/realisasi/{realisasi_id}/correct-with-evidence"]["post"]
    assert 422 in correct["responses"]
    assert "Idempotency-Key" in [p["name"] for p in correct["parameters"]]
    public = schema["paths"]["/api/v1/publik/skm/{code}/tanggapan"]["post"]
    assert 401 not in public["responses"]  # no login on the public survey
    read = schema["paths"]["/api/v1/notifications/read-all"]["post"]
    assert "Idempotency-Key" not in [p["name"] for p in read.get("parameters", [])]
