"""What the SKP API tests share: JSON calls to /api/v1, the error body's shape, and the plan of
the refusal stories (its fixture is in conftest.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.utils import timezone

from kinerja.org.testing import Cast
from kinerja.plans import services
from kinerja.plans.models import Iki, Rhk, Skp

API = "/api/v1"
Login = Callable[[str], Client]
YEAR = timezone.localdate().year


def body(response: Any) -> Any:
    return json.loads(response.content)


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return body(response) if response.content else None


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


def send(client: Client, method: str, path: str, payload: Any = None, **extra: Any) -> Any:
    call = getattr(client, method)
    if payload is None:
        return call(f"{API}{path}", **extra)
    return call(f"{API}{path}", data=json.dumps(payload), content_type="application/json", **extra)


def post(client: Client, path: str, payload: Any = None, **extra: Any) -> Any:
    return send(client, "post", path, {} if payload is None else payload, **extra)


def patch(client: Client, path: str, payload: Any) -> Any:
    return send(client, "patch", path, payload)


def put(client: Client, path: str, payload: Any) -> Any:
    return send(client, "put", path, payload)


def delete(client: Client, path: str) -> Any:
    return send(client, "delete", path)


def get(client: Client, path: str) -> Any:
    return send(client, "get", path)


IKI = {
    "text": "Jumlah posyandu terlaksana",
    "aspek": "KUANTITAS",
    "target_value": "12",
    "target_unit": "kegiatan",
}


@dataclass
class Plan:
    kasi_skp: Skp
    kasi_rhk: Rhk
    staf_skp: Skp
    staf_rhk: Rhk
    iki: Iki


def submitted(cast: Cast, plan: Plan) -> Skp:
    return services.skp_submit(by=cast.user("staf_a"), skp=plan.staf_skp)
