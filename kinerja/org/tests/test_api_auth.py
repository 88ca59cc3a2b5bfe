"""The JSON API (/api/v1/): authentication (session, token, revocation) and /me.

Stories use the named cast from kinerja/org/testing.py.
"""

from __future__ import annotations

import pytest
from django.test import Client

from kinerja.accounts.services import api_token_create, api_token_revoke
from kinerja.org.api import router as org_router
from kinerja.org.models import UnitKerja
from kinerja.org.testing import Cast

from .api_helpers import API, Login, assert_error, body, post

# --- authentication -----------------------------------------------------------------------


def test_anonymous_gets_401_with_the_error_shape(cast: Cast, client: Client) -> None:
    data = assert_error(client.get(f"{API}/me"), 401, "unauthorized")
    assert data["errors"] == []
    assert_error(client.get(f"{API}/pegawai/{cast.staf_a.pk}"), 401, "unauthorized")


def test_anonymous_unsafe_request_gets_401_even_with_csrf_checks(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    response = post(client, "/units", {"instansi_id": cast.kab.pk})
    assert_error(response, 401, "unauthorized")


def test_session_authentication(login: Login) -> None:
    response = login("staf_a").get(f"{API}/me")
    assert response.status_code == 200
    assert body(response)["full_name"] == "Dewi Lestari"


def test_bearer_token_authentication(cast: Cast) -> None:
    _token, raw = api_token_create(by=cast.user("kasi"), name="skrip laporan")
    client = Client()
    response = client.get(f"{API}/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert body(response)["pegawai_id"] == cast.kasi.pk


def test_bearer_token_needs_no_csrf_token_for_writes(cast: Cast) -> None:
    _token, raw = api_token_create(by=cast.admin, name="sinkronisasi SIASN")
    client = Client(enforce_csrf_checks=True)
    response = post(
        client,
        "/units",
        {
            "instansi_id": cast.kab.pk,
            "code": "SEKDA",
            "name": "Sekretariat Daerah",
            "kind": "SEKRETARIAT",
        },
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 201, response.content


def test_revoked_or_unknown_token_is_refused(cast: Cast) -> None:
    user = cast.user("kasi")
    token, raw = api_token_create(by=user, name="lama")
    api_token_revoke(by=user, token=token)
    client = Client()
    revoked = client.get(f"{API}/me", headers={"Authorization": f"Bearer {raw}"})
    assert_error(revoked, 401, "unauthorized")
    unknown = client.get(f"{API}/me", headers={"Authorization": "Bearer kin_tidak-ada"})
    assert_error(unknown, 401, "unauthorized")


def test_token_of_an_inactive_account_is_refused(cast: Cast) -> None:
    user = cast.user("kasi")
    _token, raw = api_token_create(by=user, name="lama")
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = Client().get(f"{API}/me", headers={"Authorization": f"Bearer {raw}"})
    assert_error(response, 401, "unauthorized")


def test_session_write_without_csrf_token_is_refused(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.admin)
    payload = {"instansi_id": cast.kab.pk, "code": "X", "name": "Unit X", "kind": "LAINNYA"}
    refused = post(client, "/units", payload)
    assert_error(refused, 403, "forbidden")
    assert refused.json()["detail"].startswith("Pemeriksaan CSRF gagal")
    english = post(client, "/units", payload, headers={"Accept-Language": "en"})
    assert english.json()["detail"].startswith("CSRF check failed: a request with a browser")
    assert not UnitKerja.objects.filter(code="X").exists()


def test_session_write_with_csrf_token_is_accepted(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get("/akun/masuk/")  # any page with a form sets the CSRF cookie
    client.force_login(cast.admin)
    csrf = client.cookies["csrftoken"].value
    payload = {"instansi_id": cast.kab.pk, "code": "X", "name": "Unit X", "kind": "LAINNYA"}
    response = post(client, "/units", payload, headers={"X-CSRFToken": csrf})
    assert response.status_code == 201, response.content


def test_openapi_lists_every_org_endpoint(client: Client) -> None:
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = body(response)
    assert schema["openapi"].startswith("3.1")
    paths = schema["paths"]
    expected = {
        "/api/v1/me": {"get"},
        "/api/v1/instansi": {"get"},
        "/api/v1/units": {"get", "post"},
        "/api/v1/units/{unit_id}": {"get", "patch"},
        "/api/v1/jabatan": {"get", "post"},
        "/api/v1/pegawai": {"get", "post"},
        "/api/v1/pegawai/{pegawai_id}": {"get", "patch"},
        "/api/v1/pegawai/{pegawai_id}/penempatan": {"post"},
        "/api/v1/delegasi-penilai": {"post"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        assert methods <= set(paths[path]), (path, set(paths[path]))
    # …and nothing in the org router is left out of the schema.
    for path, view in org_router.path_operations.items():
        methods = {m.lower() for op in view.operations for m in op.methods}
        assert methods <= set(paths[f"/api/v1{path}"]), path
    assert {"TokenAuth", "SessionAuth"} <= set(schema["components"]["securitySchemes"])


# --- /me ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "roles", "has_pegawai", "instansi"),
    [
        ("staf_a", ["pegawai"], True, ["kab"]),
        ("kasi", ["pegawai", "pimpinan_unit"], True, ["kab"]),
        ("kadis", ["pegawai", "pimpinan_unit"], True, ["kab"]),
        ("perawat", ["pegawai"], True, ["kab"]),
        ("admin", ["admin_instansi"], False, ["kab"]),
        ("auditor", ["auditor"], False, ["kab"]),
        ("superadmin", ["superadmin"], False, []),
        ("outsider", ["pegawai"], True, ["kota"]),
    ],
)
def test_me_roles(
    cast: Cast, login: Login, who: str, roles: list[str], has_pegawai: bool, instansi: list[str]
) -> None:
    data = body(login(who).get(f"{API}/me"))
    user = cast.user(who)
    assert data["user_id"] == user.pk
    assert data["username"] == user.username
    assert data["roles"] == roles
    member = getattr(cast, who)
    assert data["pegawai_id"] == (member.pk if has_pegawai else None)
    assert data["instansi_ids"] == sorted(getattr(cast, i).pk for i in instansi)


def test_pegawai_username_is_the_nip(cast: Cast, login: Login) -> None:
    assert body(login("staf_a").get(f"{API}/me"))["username"] == cast.staf_a.nip
