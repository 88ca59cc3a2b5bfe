"""Every API operation with an integer path parameter, called by the instansi admin with an id
no row has (999999999) and with one beyond a bigint (10**25): the answer is a 4xx in the API's
JSON error shape, never a 500 or an HTML page. The operations come from the OpenAPI schema, so
a new endpoint is swept without being listed here. Bodies are `{}`."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from config.api import api
from kinerja.org.testing import Cast, cast_built_once

module_cast, cast = cast_built_once("module")

PREFIX = reverse("api:api-root")
MISSING = 999_999_999
BEYOND = 10**25
# A plausible value for the few path parameters that are not ids.
TEXT = {"period": "TAHUN-2026-1", "jenis": "evaluasi"}


def _operations() -> list[tuple[str, str, tuple[str, ...], tuple[str, ...]]]:
    """(method, path, its integer path parameters, its other path parameters)."""
    found = []
    for path, operations in api.get_openapi_schema(path_prefix=PREFIX)["paths"].items():
        for method, operation in operations.items():
            params = [p for p in operation.get("parameters", []) if p["in"] == "path"]
            ints = tuple(p["name"] for p in params if p["schema"].get("type") == "integer")
            if ints:
                other = tuple(p["name"] for p in params if p["name"] not in ints)
                found.append((method.upper(), path, ints, other))
    return found


OPERATIONS = _operations()


def call(client: Client, method: str, path: str, ints: tuple[str, ...], other: tuple[str, ...],
         value: int) -> Any:  # fmt: skip
    url = path.format(**dict.fromkeys(ints, value), **{name: TEXT.get(name, "x") for name in other})
    body = "{}" if method in {"POST", "PUT", "PATCH"} else ""
    return client.generic(method, url, body, content_type="application/json")


def answered_in_json(response: Any) -> dict[str, Any]:
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), response.content[:300]
    data: dict[str, Any] = response.json()
    assert {"detail", "code"} <= set(data), data
    return data


def test_the_sweep_covers_the_api() -> None:
    assert len(OPERATIONS) > 50
    assert {m for m, *_ in OPERATIONS} >= {"GET", "POST", "PUT", "PATCH", "DELETE"}


@pytest.mark.parametrize(
    ("method", "path", "ints", "other"), OPERATIONS, ids=[f"{m} {p}" for m, p, *_ in OPERATIONS]
)
def test_an_absurd_id_is_a_json_4xx(
    client: Client,
    cast: Cast,
    method: str,
    path: str,
    ints: tuple[str, ...],
    other: tuple[str, ...],
) -> None:
    client.force_login(cast.admin)
    missing = call(client, method, path, ints, other, MISSING)
    data = answered_in_json(missing)
    # No row has the id: not found, or the body ({}), a bounded number that is no id (a year)
    # or a required query parameter is refused first.
    assert missing.status_code in {400, 403, 404, 422}, (missing.status_code, data)
    if method == "GET" and missing.status_code in {400, 403}:
        refused = {e["field"] for e in data.get("errors", [])}
        assert refused and not refused & set(ints), data
    beyond = call(client, method, path, ints, other, BEYOND)
    data = answered_in_json(beyond)
    assert beyond.status_code == 422, data
    assert set(ints) <= {e["field"] for e in data["errors"]}, data
