"""What the SKP API tests share: JSON calls to /api/v1 (the error body's shape is checked as in
the org API tests) and the plan of the refusal stories (its fixture is in conftest.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.utils import timezone

from kinerja.org.testing import Cast

# The same prefix, login type and error-body check as the org API tests, re-exported.
from kinerja.org.tests.api_helpers import API as API
from kinerja.org.tests.api_helpers import Login as Login
from kinerja.org.tests.api_helpers import assert_error as assert_error
from kinerja.org.tests.api_helpers import body as body
from kinerja.plans import services
from kinerja.plans.models import Iki, Rhk, Skp
from kinerja.plans.tests.services.helpers import KUANTITATIF

YEAR = timezone.localdate().year


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return body(response) if response.content else None


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


def get(client: Client, path: str, **extra: Any) -> Any:
    return send(client, "get", path, **extra)


# The IKI the API stories post: the service stories' quantitative IKI.
IKI = KUANTITATIF


@dataclass
class Plan:
    kasi_skp: Skp
    kasi_rhk: Rhk
    staf_skp: Skp
    staf_rhk: Rhk
    iki: Iki


def submitted(cast: Cast, plan: Plan) -> Skp:
    return services.skp_submit(by=cast.user("staf_a"), skp=plan.staf_skp)
