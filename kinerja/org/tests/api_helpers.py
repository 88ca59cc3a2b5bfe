"""What the org API tests share: JSON calls to /api/v1, the error body's shape, the directory
read and a new pegawai's payload."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.test import Client

from kinerja.org.testing import Cast, make_nip

API = "/api/v1"
Login = Callable[[str], Client]


def body(response: Any) -> Any:
    return json.loads(response.content)


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """Every error has the shape {"detail": str, "code": str, "errors": [...]}."""
    assert response.status_code == status, response.content
    data: dict[str, Any] = body(response)
    assert set(data) == {"detail", "code", "errors"}
    assert isinstance(data["detail"], str)
    assert data["detail"]
    assert data["code"] == code
    assert isinstance(data["errors"], list)
    return data


def post(client: Client, path: str, payload: dict[str, Any], **extra: Any) -> Any:
    return client.post(
        f"{API}{path}", data=json.dumps(payload), content_type="application/json", **extra
    )


def patch(client: Client, path: str, payload: dict[str, Any], **extra: Any) -> Any:
    return client.patch(
        f"{API}{path}", data=json.dumps(payload), content_type="application/json", **extra
    )


def names(items: list[dict[str, Any]], key: str = "name") -> list[str]:
    return [item[key] for item in items]


def directory(client: Client, **params: Any) -> dict[str, Any]:
    response = client.get(f"{API}/pegawai", params)
    assert response.status_code == 200, response.content
    data: dict[str, Any] = body(response)
    return data


NEW_NIP = make_nip("19900215", "201503", "2", 11)


def new_pegawai(cast: Cast, **changes: Any) -> dict[str, Any]:
    return {
        "instansi_id": cast.kab.pk,
        "nip": NEW_NIP,
        "name": "Siti Aminah",
        "front_title": "dr.",
        "back_title": "M.Kes.",
        "email": "siti@contoh.go.id",
    } | changes
