"""The JSON API (/api/v1/): authentication, reads, cross-instansi isolation, writes, errors.

Stories use the named cast from kinerja/org/testing.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kinerja.accounts.services import api_token_create, api_token_revoke
from kinerja.org.api import router as org_router
from kinerja.org.models import DelegasiPenilai, Pegawai, Penempatan, UnitKerja
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
    assert_error(post(client, "/units", payload), 403, "forbidden")
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


# --- reads --------------------------------------------------------------------------------


def test_instansi_list(cast: Cast, login: Login) -> None:
    assert names(body(login("staf_a").get(f"{API}/instansi"))) == ["Pemerintah Kabupaten Contoh"]


def test_instansi_list_for_superadmin_shows_all(cast: Cast, login: Login) -> None:
    data = body(login("superadmin").get(f"{API}/instansi"))
    assert names(data) == ["Pemerintah Kabupaten Contoh", "Pemerintah Kota Lain"]
    assert {d["code"] for d in data} == {"KAB", "KOTA"}


def test_unit_roots(cast: Cast, login: Login) -> None:
    data = body(login("staf_a").get(f"{API}/units"))
    assert len(data) == 1
    root = data[0]
    assert root["id"] == cast.pemda.pk
    assert root["parent_id"] is None
    assert root["depth"] == 0
    assert root["child_count"] == 1
    assert root["pegawai_count"] == 0
    assert root["head_name"] is None


def test_unit_roots_filtered_by_instansi(cast: Cast, login: Login) -> None:
    client = login("superadmin")
    assert len(body(client.get(f"{API}/units"))) == 2
    kota = body(client.get(f"{API}/units", {"instansi_id": cast.kota.pk}))
    assert names(kota) == ["Pemerintah Kota Lain"]


def test_unit_children_with_counts_and_heads(cast: Cast, login: Login) -> None:
    data = body(login("staf_a").get(f"{API}/units", {"parent_id": cast.dinkes.pk}))
    assert names(data) == ["Bidang Pelayanan Kesehatan", "Puskesmas Sukamaju"]
    bidang, puskesmas = data
    assert (bidang["child_count"], bidang["pegawai_count"], bidang["head_name"]) == (
        1,
        1,
        "Sri Rahayu",
    )
    assert (puskesmas["child_count"], puskesmas["pegawai_count"], puskesmas["head_name"]) == (
        0,
        2,
        "Ratna Sari",
    )
    assert all(u["parent_id"] == cast.dinkes.pk and u["depth"] == 2 for u in data)


def test_unit_children_query_count_does_not_grow(
    cast: Cast, login: Login, django_assert_max_num_queries: Any
) -> None:
    client = login("staf_a")
    client.get(f"{API}/me")
    with django_assert_max_num_queries(8):
        client.get(f"{API}/units", {"parent_id": cast.dinkes.pk})


def test_unit_detail(cast: Cast, login: Login) -> None:
    data = body(login("staf_a").get(f"{API}/units/{cast.seksi.pk}"))
    assert data["name"] == "Seksi Pelayanan Primer"
    assert data["parent_id"] == cast.bidang.pk
    assert data["instansi_id"] == cast.kab.pk
    assert data["kind"] == "SEKSI"
    assert data["depth"] == 3


def test_unit_detail_missing_is_404(login: Login) -> None:
    data = assert_error(login("staf_a").get(f"{API}/units/999999"), 404, "not_found")
    assert "999999" in data["detail"]


def test_jabatan_of_a_unit_head_first(cast: Cast, login: Login) -> None:
    data = body(login("staf_a").get(f"{API}/jabatan", {"unit_id": cast.seksi.pk}))
    assert names(data) == ["Kepala Seksi Pelayanan Primer", "Pengelola Layanan Kesehatan"]
    head, staf = data
    assert head["is_unit_head"] is True
    assert head["parent_id"] == cast.j_kabid.pk
    assert head["jenis"] == "PENGAWAS"
    assert staf["is_unit_head"] is False
    assert staf["parent_id"] == cast.j_kasi.pk


def test_jabatan_needs_unit_id(login: Login) -> None:
    data = assert_error(login("staf_a").get(f"{API}/jabatan"), 422, "invalid")
    assert [e["field"] for e in data["errors"]] == ["unit_id"]


def directory(client: Client, **params: Any) -> dict[str, Any]:
    response = client.get(f"{API}/pegawai", params)
    assert response.status_code == 200, response.content
    data: dict[str, Any] = body(response)
    return data


def test_pegawai_search_by_name_fragment(cast: Cast, login: Login) -> None:
    client = login("staf_a")
    data = directory(client, q="lest")
    assert names(data["items"]) == ["Dewi Lestari"]
    row = data["items"][0]
    assert row["id"] == cast.staf_a.pk
    assert row["nip"] == cast.staf_a.nip
    assert row["jabatan_name"] == "Pengelola Layanan Kesehatan"
    assert row["unit_id"] == cast.seksi.pk
    assert row["unit_name"] == "Seksi Pelayanan Primer"
    assert names(directory(client, q="  RATNA  ")["items"]) == ["Ratna Sari"]
    assert directory(client, q="tidak ada orang ini")["items"] == []


def test_pegawai_search_by_nip_prefix(cast: Cast, login: Login) -> None:
    client = login("staf_a")
    women = directory(client, q="198001012005012")["items"]
    assert names(women) == ["Dewi Lestari", "Ratna Sari", "Sri Rahayu"]
    exact = directory(client, q=cast.perawat.nip)["items"]
    assert names(exact) == ["Yohanes Manurung"]


def test_pegawai_within_a_unit_subtree(cast: Cast, login: Login) -> None:
    client = login("staf_a")
    assert names(directory(client, unit_id=cast.puskesmas.pk)["items"]) == [
        "Ratna Sari",
        "Yohanes Manurung",
    ]
    bidang = directory(client, unit_id=cast.bidang.pk)["items"]
    assert names(bidang) == ["Agus Salim", "Bambang Pamungkas", "Dewi Lestari", "Sri Rahayu"]
    assert len(directory(client, unit_id=cast.pemda.pk)["items"]) == 7
    assert names(directory(client, unit_id=cast.bidang.pk, q="dewi")["items"]) == ["Dewi Lestari"]


def test_pegawai_pagination(login: Login) -> None:
    client = login("staf_a")
    seen: list[str] = []
    for number, has_next in [(1, True), (2, True), (3, False)]:
        data = directory(client, page=number, page_size=3)
        assert data["page"] == number
        assert data["has_next"] is has_next
        seen += names(data["items"])
    assert len(seen) == 7
    assert seen == sorted(seen)
    assert directory(client, page=4, page_size=3) == {"items": [], "page": 4, "has_next": False}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page_size": 0}, "page_size"),
        ({"page_size": 101}, "page_size"),
        ({"page": 0}, "page"),
        ({"page": "satu"}, "page"),
        ({"unit_id": "x"}, "unit_id"),
    ],
)
def test_pegawai_list_bad_parameters_are_422(
    login: Login, params: dict[str, Any], field: str
) -> None:
    data = assert_error(login("staf_a").get(f"{API}/pegawai", params), 422, "invalid")
    assert [e["field"] for e in data["errors"]] == [field]
    assert all(e["message"] for e in data["errors"])


def test_pegawai_list_page_size_bounds_are_inclusive(login: Login) -> None:
    client = login("staf_a")
    assert len(directory(client, page_size=1)["items"]) == 1
    assert len(directory(client, page_size=100)["items"]) == 7


def test_pegawai_list_query_count(login: Login, django_assert_max_num_queries: Any) -> None:
    client = login("admin")
    client.get(f"{API}/me")
    with django_assert_max_num_queries(6):
        directory(client, q="a", page_size=100)


def test_pegawai_detail_with_rater(cast: Cast, login: Login) -> None:
    data = body(login("staf_b").get(f"{API}/pegawai/{cast.staf_a.pk}"))
    assert data["id"] == cast.staf_a.pk
    assert data["display_name"] == "Dewi Lestari"
    assert data["gender"] == "P"
    assert data["jabatan_id"] == cast.j_staf.pk
    assert data["unit_name"] == "Seksi Pelayanan Primer"
    assert data["rater"] == {
        "id": cast.kasi.pk,
        "nip": cast.kasi.nip,
        "display_name": "Agus Salim",
        "jabatan_name": "Kepala Seksi Pelayanan Primer",
    }


def test_pegawai_detail_top_has_no_rater(cast: Cast, login: Login) -> None:
    assert body(login("kadis").get(f"{API}/pegawai/{cast.kadis.pk}"))["rater"] is None


@pytest.mark.parametrize("viewer", ["staf_a", "kasi", "kabid", "kadis", "admin", "auditor"])
def test_private_fields_for_self_raters_admin_and_auditor(
    cast: Cast, login: Login, viewer: str
) -> None:
    data = body(login(viewer).get(f"{API}/pegawai/{cast.staf_a.pk}"))
    assert data["private"] is True
    assert data["email"] == "p4@contoh.go.id"
    assert data["phone"] == "081200000004"
    assert data["birth_date"] == "1980-01-01"
    assert [
        (h["jabatan_id"], h["kind"], h["start_date"], h["end_date"]) for h in data["history"]
    ] == [(cast.j_staf.pk, "DEFINITIF", "2020-01-02", None)]


@pytest.mark.parametrize("viewer", ["staf_b", "kapus", "perawat"])
def test_private_fields_hidden_from_a_peer(cast: Cast, login: Login, viewer: str) -> None:
    response = login(viewer).get(f"{API}/pegawai/{cast.staf_a.pk}")
    data = body(response)
    assert data["private"] is False
    assert data["email"] is None
    assert data["phone"] is None
    assert data["birth_date"] is None
    assert data["history"] == []
    assert b"p4@contoh.go.id" not in response.content
    assert b"081200000004" not in response.content


# --- cross-instansi isolation -------------------------------------------------------------


def kab_object_urls(cast: Cast) -> list[str]:
    return [
        f"/units/{cast.dinkes.pk}",
        f"/units?parent_id={cast.pemda.pk}",
        f"/jabatan?unit_id={cast.seksi.pk}",
        f"/pegawai?unit_id={cast.dinkes.pk}",
        f"/pegawai/{cast.staf_a.pk}",
        f"/pegawai/{cast.kadis.pk}",
    ]


def test_outsider_gets_404_for_every_kab_object(cast: Cast, login: Login) -> None:
    client = login("outsider")
    for url in kab_object_urls(cast):
        assert_error(client.get(f"{API}{url}"), 404, "not_found")


def test_outsider_never_sees_kab_rows_in_lists(cast: Cast, login: Login) -> None:
    client = login("outsider")
    assert names(body(client.get(f"{API}/instansi"))) == ["Pemerintah Kota Lain"]
    assert names(body(client.get(f"{API}/units"))) == ["Pemerintah Kota Lain"]
    assert names(directory(client, page_size=100)["items"]) == ["Putu Gede"]
    assert directory(client, q="dewi")["items"] == []
    assert directory(client, q="19800101")["items"][0]["id"] == cast.outsider.pk


def test_kab_members_never_see_kota(cast: Cast, login: Login) -> None:
    client = login("auditor")
    assert_error(client.get(f"{API}/pegawai/{cast.outsider.pk}"), 404, "not_found")
    assert "Putu Gede" not in names(directory(client, page_size=100)["items"])


def test_outsider_writes_on_kab_objects_are_404(cast: Cast, login: Login) -> None:
    client = login("outsider")
    today = timezone.localdate().isoformat()
    attempts = [
        post(
            client,
            "/units",
            {"instansi_id": cast.kab.pk, "code": "A", "name": "A", "kind": "BIDANG"},
        ),
        patch(client, f"/units/{cast.seksi.pk}", {"name": "Dibajak"}),
        post(
            client,
            "/jabatan",
            {"unit_id": cast.seksi.pk, "code": "A", "name": "A", "jenis": "PELAKSANA"},
        ),
        patch(client, f"/pegawai/{cast.staf_a.pk}", {"name": "Dibajak"}),
        post(
            client,
            f"/pegawai/{cast.staf_a.pk}/penempatan",
            {"jabatan_id": cast.j_perawat.pk, "start_date": today},
        ),
        post(
            client,
            "/delegasi-penilai",
            {
                "pegawai_id": cast.staf_a.pk,
                "rater_id": cast.kabid.pk,
                "start_date": today,
                "reason": "x",
            },
        ),
    ]
    for response in attempts:
        assert_error(response, 404, "not_found")
    assert UnitKerja.objects.get(pk=cast.seksi.pk).name == "Seksi Pelayanan Primer"
    assert Pegawai.objects.get(pk=cast.staf_a.pk).name == "Dewi Lestari"


def test_kab_admin_cannot_write_into_kota(cast: Cast, login: Login) -> None:
    client = login("admin")
    response = post(
        client, "/units", {"instansi_id": cast.kota.pk, "code": "A", "name": "A", "kind": "BIDANG"}
    )
    assert_error(response, 404, "not_found")
    response = post(
        client,
        f"/pegawai/{cast.staf_a.pk}/penempatan",
        {
            "jabatan_id": Pegawai.objects.get(pk=cast.outsider.pk).jabatan_id,
            "start_date": "2024-01-01",
        },
    )
    assert_error(response, 404, "not_found")


# --- writes -------------------------------------------------------------------------------


def test_admin_creates_a_unit(cast: Cast, login: Login) -> None:
    response = post(
        login("admin"),
        "/units",
        {
            "instansi_id": cast.kab.pk,
            "code": "PKM-MEKAR",
            "name": "Puskesmas Mekar",
            "kind": "PUSKESMAS",
            "parent_id": cast.dinkes.pk,
        },
    )
    assert response.status_code == 201, response.content
    data = body(response)
    assert data["parent_id"] == cast.dinkes.pk
    assert data["depth"] == 2
    unit = UnitKerja.objects.get(pk=data["id"])
    assert unit.path == f"{cast.dinkes.path}{unit.pk}/"


def test_unit_with_duplicate_code_is_refused(cast: Cast, login: Login) -> None:
    response = post(
        login("admin"),
        "/units",
        {"instansi_id": cast.kab.pk, "code": "DINKES", "name": "Dinas Lain", "kind": "DINAS"},
    )
    assert_error(response, 400, "invalid")


def test_unit_with_unknown_kind_is_refused(cast: Cast, login: Login) -> None:
    response = post(
        login("admin"),
        "/units",
        {"instansi_id": cast.kab.pk, "code": "X", "name": "X", "kind": "KERAJAAN"},
    )
    data = assert_error(response, 400, "invalid")
    assert [e["field"] for e in data["errors"]] == ["kind"]


def test_malformed_json_is_400_invalid(login: Login) -> None:
    response = login("admin").post(
        f"{API}/units", data="{bukan json", content_type="application/json"
    )
    assert_error(response, 400, "invalid")


def test_unit_body_missing_fields_is_422(cast: Cast, login: Login) -> None:
    response = post(login("admin"), "/units", {"instansi_id": cast.kab.pk, "code": ""})
    data = assert_error(response, 422, "invalid")
    assert {e["field"] for e in data["errors"]} == {"payload.code", "payload.name", "payload.kind"}


def test_admin_moves_a_unit_with_its_subtree(cast: Cast, login: Login) -> None:
    client = login("admin")
    response = patch(client, f"/units/{cast.bidang.pk}", {"parent_id": cast.pemda.pk})
    assert response.status_code == 200, response.content
    assert body(response)["parent_id"] == cast.pemda.pk
    assert body(response)["depth"] == 1
    seksi = UnitKerja.objects.get(pk=cast.seksi.pk)
    assert seksi.path == f"/{cast.pemda.pk}/{cast.bidang.pk}/{cast.seksi.pk}/"
    assert seksi.depth == 2
    roots = patch(client, f"/units/{cast.bidang.pk}", {"move_to_root": True, "name": "Bidang X"})
    assert body(roots)["parent_id"] is None
    assert body(roots)["name"] == "Bidang X"
    assert UnitKerja.objects.get(pk=cast.seksi.pk).depth == 1


def test_admin_renames_a_unit_keeping_its_place(cast: Cast, login: Login) -> None:
    response = patch(login("admin"), f"/units/{cast.seksi.pk}", {"name": "Seksi Primer"})
    data = body(response)
    assert (data["name"], data["parent_id"], data["code"]) == (
        "Seksi Primer",
        cast.bidang.pk,
        "PRIMER",
    )


@pytest.mark.parametrize("target", ["dinkes", "seksi"])
def test_unit_move_into_itself_or_its_subtree_is_refused(
    cast: Cast, login: Login, target: str
) -> None:
    new_parent = getattr(cast, target)
    response = patch(login("admin"), f"/units/{cast.dinkes.pk}", {"parent_id": new_parent.pk})
    data = assert_error(response, 400, "invalid")
    assert "sub-unit" in data["detail"]
    assert data["errors"] == [{"field": "parent", "message": data["detail"]}]
    assert UnitKerja.objects.get(pk=cast.dinkes.pk).parent_id == cast.pemda.pk


def test_admin_creates_a_jabatan(cast: Cast, login: Login) -> None:
    response = post(
        login("admin"),
        "/jabatan",
        {
            "unit_id": cast.seksi.pk,
            "code": "ANALIS",
            "name": "Analis Kebijakan",
            "jenis": "FUNGSIONAL",
            "parent_id": cast.j_kasi.pk,
        },
    )
    assert response.status_code == 201, response.content
    data = body(response)
    assert (data["unit_id"], data["parent_id"], data["instansi_id"]) == (
        cast.seksi.pk,
        cast.j_kasi.pk,
        cast.kab.pk,
    )


def test_second_unit_head_is_refused(cast: Cast, login: Login) -> None:
    response = post(
        login("admin"),
        "/jabatan",
        {
            "unit_id": cast.seksi.pk,
            "code": "KASI2",
            "name": "Kepala Seksi Kedua",
            "jenis": "PENGAWAS",
            "is_unit_head": True,
        },
    )
    assert_error(response, 400, "invalid")


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


def test_admin_creates_a_pegawai_with_a_login(cast: Cast, login: Login) -> None:
    response = post(login("admin"), "/pegawai", new_pegawai(cast))
    assert response.status_code == 201, response.content
    data = body(response)
    assert data["display_name"] == "dr. Siti Aminah, M.Kes."
    assert data["gender"] == "P"
    assert data["birth_date"] == "1990-02-15"
    assert data["jabatan_id"] is None
    assert data["private"] is True
    pegawai = Pegawai.objects.select_related("user").get(pk=data["id"])
    assert pegawai.user is not None
    assert pegawai.user.username == NEW_NIP
    assert not pegawai.user.has_usable_password()


@pytest.mark.parametrize(
    ("nip", "fragment"),
    [
        ("199002152015033011", "jenis kelamin"),
        ("199013152015032011", "tanggal lahir"),
        ("19900215201503201X", "18 digit"),
        ("199002152015032000", "nomor urut"),
    ],
)
def test_invalid_nip_is_refused_in_indonesian(
    cast: Cast, login: Login, nip: str, fragment: str
) -> None:
    response = post(login("admin"), "/pegawai", new_pegawai(cast, nip=nip))
    data = assert_error(response, 400, "invalid")
    assert data["detail"].startswith("NIP tidak valid:")
    assert fragment in data["detail"]
    assert data["errors"] == [{"field": "nip", "message": data["detail"]}]
    assert not Pegawai.objects.filter(nip=nip).exists()


def test_short_nip_is_a_schema_error(cast: Cast, login: Login) -> None:
    response = post(login("admin"), "/pegawai", new_pegawai(cast, nip="1990"))
    data = assert_error(response, 422, "invalid")
    assert [e["field"] for e in data["errors"]] == ["payload.nip"]


def test_duplicate_nip_is_refused(cast: Cast, login: Login) -> None:
    response = post(login("admin"), "/pegawai", new_pegawai(cast, nip=cast.staf_a.nip))
    data = assert_error(response, 400, "invalid")
    assert [e["field"] for e in data["errors"]] == ["nip"]


def test_admin_updates_a_pegawai(cast: Cast, login: Login) -> None:
    response = patch(
        login("admin"),
        f"/pegawai/{cast.staf_b.pk}",
        {"front_title": "Ir.", "phone": "0811111111"},
    )
    assert response.status_code == 200, response.content
    data = body(response)
    assert data["display_name"] == "Ir. Bambang Pamungkas"
    assert data["phone"] == "0811111111"
    assert data["name"] == "Bambang Pamungkas"
    assert cast.user("staf_b").full_name == "Ir. Bambang Pamungkas"


def test_mutasi_moves_the_pegawai_and_changes_the_rater(cast: Cast, login: Login) -> None:
    today = timezone.localdate()
    response = post(
        login("admin"),
        f"/pegawai/{cast.staf_b.pk}/penempatan",
        {
            "jabatan_id": cast.j_perawat.pk,
            "start_date": today.isoformat(),
            "reference": "SK 1/2026",
        },
    )
    assert response.status_code == 201, response.content
    placed = body(response)
    assert (placed["jabatan_id"], placed["kind"], placed["end_date"]) == (
        cast.j_perawat.pk,
        "DEFINITIF",
        None,
    )
    previous = Penempatan.objects.get(pegawai=cast.staf_b, jabatan=cast.j_staf)
    assert previous.end_date == today - timedelta(days=1)
    profile = body(login("admin").get(f"{API}/pegawai/{cast.staf_b.pk}"))
    assert profile["unit_id"] == cast.puskesmas.pk
    assert profile["rater"]["id"] == cast.kapus.pk
    assert [h["jabatan_id"] for h in profile["history"]] == [cast.j_perawat.pk, cast.j_staf.pk]


def test_plt_placement(cast: Cast, login: Login) -> None:
    response = post(
        login("admin"),
        f"/pegawai/{cast.kasi.pk}/penempatan",
        {"jabatan_id": cast.j_kapus.pk, "start_date": "2024-01-01", "kind": "PLH"},
    )
    assert response.status_code == 201, response.content
    assert Pegawai.objects.get(pk=cast.kasi.pk).jabatan_id == cast.j_kasi.pk


def test_placement_in_the_future_is_refused(cast: Cast, login: Login) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = post(
        login("admin"),
        f"/pegawai/{cast.staf_b.pk}/penempatan",
        {"jabatan_id": cast.j_perawat.pk, "start_date": tomorrow.isoformat()},
    )
    data = assert_error(response, 400, "invalid")
    assert data["errors"][0]["field"] == "start_date"
    assert "masa depan" in data["detail"]


def test_placement_with_an_unknown_kind_is_refused(cast: Cast, login: Login) -> None:
    response = post(
        login("admin"),
        f"/pegawai/{cast.staf_b.pk}/penempatan",
        {"jabatan_id": cast.j_perawat.pk, "start_date": "2024-01-01", "kind": "HONORER"},
    )
    data = assert_error(response, 400, "invalid")
    assert data["errors"][0]["field"] == "kind"


def test_placement_into_a_held_head_jabatan_is_a_conflict(cast: Cast, login: Login) -> None:
    response = post(
        login("admin"),
        f"/pegawai/{cast.staf_b.pk}/penempatan",
        {"jabatan_id": cast.j_kasi.pk, "start_date": "2024-01-01"},
    )
    data = assert_error(response, 409, "conflict")
    assert "Agus Salim" in data["detail"]


def test_admin_delegates_a_rater(cast: Cast, login: Login) -> None:
    today = timezone.localdate()
    response = post(
        login("admin"),
        "/delegasi-penilai",
        {
            "pegawai_id": cast.staf_a.pk,
            "rater_id": cast.kabid.pk,
            "start_date": today.isoformat(),
            "end_date": (today + timedelta(days=30)).isoformat(),
            "reason": "Kepala seksi cuti besar",
        },
    )
    assert response.status_code == 201, response.content
    data = body(response)
    assert (data["pegawai_id"], data["rater_id"]) == (cast.staf_a.pk, cast.kabid.pk)
    profile = body(login("staf_a").get(f"{API}/pegawai/{cast.staf_a.pk}"))
    assert profile["rater"]["id"] == cast.kabid.pk


def test_delegation_that_makes_a_cycle_is_refused(cast: Cast, login: Login) -> None:
    response = post(
        login("admin"),
        "/delegasi-penilai",
        {
            "pegawai_id": cast.kasi.pk,
            "rater_id": cast.staf_a.pk,
            "start_date": date(2024, 1, 1).isoformat(),
            "reason": "coba",
        },
    )
    data = assert_error(response, 400, "invalid")
    assert "melingkar" in data["detail"]
    assert not DelegasiPenilai.objects.exists()


def test_delegation_to_oneself_is_refused(cast: Cast, login: Login) -> None:
    response = post(
        login("admin"),
        "/delegasi-penilai",
        {
            "pegawai_id": cast.kasi.pk,
            "rater_id": cast.kasi.pk,
            "start_date": "2024-01-01",
            "reason": "coba",
        },
    )
    data = assert_error(response, 400, "invalid")
    assert "dirinya sendiri" in data["detail"]


# --- writes by people who may not write ---------------------------------------------------


def write_attempts(cast: Cast, client: Client) -> dict[str, Any]:
    today = timezone.localdate().isoformat()
    return {
        "unit create": post(
            client,
            "/units",
            {"instansi_id": cast.kab.pk, "code": "A", "name": "A", "kind": "BIDANG"},
        ),
        "unit update": patch(client, f"/units/{cast.seksi.pk}", {"name": "Diubah"}),
        "jabatan create": post(
            client,
            "/jabatan",
            {"unit_id": cast.seksi.pk, "code": "A", "name": "A", "jenis": "PELAKSANA"},
        ),
        "pegawai create": post(client, "/pegawai", new_pegawai(cast)),
        "pegawai update": patch(client, f"/pegawai/{cast.staf_a.pk}", {"name": "Diubah"}),
        "penempatan": post(
            client,
            f"/pegawai/{cast.staf_b.pk}/penempatan",
            {"jabatan_id": cast.j_perawat.pk, "start_date": today},
        ),
        "delegasi": post(
            client,
            "/delegasi-penilai",
            {
                "pegawai_id": cast.staf_a.pk,
                "rater_id": cast.kabid.pk,
                "start_date": today,
                "reason": "x",
            },
        ),
    }


@pytest.mark.parametrize("who", ["staf_a", "kasi", "kadis", "auditor"])
def test_only_admins_write(cast: Cast, login: Login, who: str) -> None:
    for label, response in write_attempts(cast, login(who)).items():
        data = assert_error(response, 403, "forbidden")
        assert "admin" in data["detail"], label
    assert UnitKerja.objects.get(pk=cast.seksi.pk).name == "Seksi Pelayanan Primer"
    assert not Pegawai.objects.filter(nip=NEW_NIP).exists()
    assert not DelegasiPenilai.objects.exists()
    assert Pegawai.objects.get(pk=cast.staf_b.pk).jabatan_id == cast.j_staf.pk


def test_superadmin_writes_anywhere(cast: Cast, login: Login) -> None:
    response = post(
        login("superadmin"),
        "/units",
        {
            "instansi_id": cast.kota.pk,
            "code": "DISDIK",
            "name": "Dinas Pendidikan",
            "kind": "DINAS",
        },
    )
    assert response.status_code == 201, response.content
