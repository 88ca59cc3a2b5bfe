"""A bearer token that is presented but not valid is a 401 on every endpoint, even beside a
logged-in session (the caller meant the token); the same on the one endpoint that checks its
token late (recording a realisasi). Without an Authorization header the session works."""

from __future__ import annotations

import json
from datetime import date

from django.test import Client

from kinerja.accounts.services import api_token_create, api_token_revoke
from kinerja.org.testing import Cast


def detail(response: object) -> dict[str, object]:
    data: dict[str, object] = json.loads(response.content)  # type: ignore[attr-defined]
    return data


def test_a_bad_token_is_401_even_with_a_session(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("kasi"))
    assert client.get("/api/v1/me").status_code == 200
    for header in ("Bearer kin_salah", "bearer kin_salah"):
        refused = client.get("/api/v1/me", headers={"Authorization": header})
        assert refused.status_code == 401 and detail(refused)["code"] == "unauthorized"
    token, raw = api_token_create(by=cast.user("kasi"), name="lama")
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    api_token_revoke(by=cast.user("kasi"), token=token)
    revoked = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert revoked.status_code == 401
    other_scheme = client.get("/api/v1/me", headers={"Authorization": "Basic a2FzaTp4"})
    assert other_scheme.status_code == 200  # not a bearer token: the session stands


def test_the_realisasi_endpoint_answers_the_same(cast: Cast, client: Client) -> None:
    client.force_login(cast.user("staf_a"))
    refused = client.post(
        "/api/v1/iki/1/realisasi",
        {"date": date.today().isoformat(), "value": "1"},
        headers={"Authorization": "Bearer kin_salah"},
    )
    assert refused.status_code == 401 and detail(refused)["code"] == "unauthorized"
