"""The SKP JSON API (/api/v1/): isolation between instansi, token auth, and the OpenAPI schema.

Stories use the named cast from kinerja/org/testing.py: kasi rates staf_a and staf_b, kabid
rates kasi, the outsider works in another instansi.
"""

from __future__ import annotations

from django.test import Client

from kinerja.accounts.services import api_token_create
from kinerja.org.testing import Cast
from kinerja.plans import services
from kinerja.plans.api import router as skp_router
from kinerja.plans.api_items import router as items_router
from kinerja.plans.models import Lampiran, Skp

from .api_helpers import (
    API,
    IKI,
    YEAR,
    Login,
    Plan,
    assert_error,
    delete,
    get,
    ok,
    patch,
    post,
    put,
    send,
)

# --- isolation ----------------------------------------------------------------------------


def test_outsider_gets_404_on_every_kab_skp_id(cast: Cast, login: Login, plan: Plan) -> None:
    lampiran = services.lampiran_add(
        by=cast.user("staf_a"), skp=plan.staf_skp, kind="KONSEKUENSI", text="Teguran"
    )
    client = login("outsider")
    before = Skp.objects.values_list("id", "status", "pendekatan").order_by("id")
    for skp in (plan.kasi_skp.pk, plan.staf_skp.pk):
        for response in [
            get(client, f"/skp/{skp}"),
            patch(client, f"/skp/{skp}", {"pendekatan": "KUALITATIF"}),
            post(client, f"/skp/{skp}/submit"),
            post(client, f"/skp/{skp}/return", {"note": "x"}),
            post(client, f"/skp/{skp}/approve"),
            post(client, f"/skp/{skp}/revise"),
            post(client, f"/skp/{skp}/rhk", {"jenis": "UTAMA", "text": "x"}),
            get(client, f"/skp/{skp}/linkable-rhk"),
            put(client, f"/skp/{skp}/ekspektasi/1", {"text": "x"}),
            post(client, f"/skp/{skp}/lampiran", {"kind": "KONSEKUENSI", "text": "x"}),
        ]:
            assert_error(response, 404, "not_found")
    for rhk in (plan.kasi_rhk.pk, plan.staf_rhk.pk):
        for response in [
            patch(client, f"/rhk/{rhk}", {"text": "x"}),
            delete(client, f"/rhk/{rhk}"),
            post(client, f"/rhk/{rhk}/iki", IKI),
            post(client, f"/rhk/{rhk}/cascade", {"assignments": [{"pegawai_id": 1}]}),
        ]:
            assert_error(response, 404, "not_found")
    for response in [
        patch(client, f"/iki/{plan.iki.pk}", {"text": "x"}),
        delete(client, f"/iki/{plan.iki.pk}"),
        delete(client, f"/lampiran/{lampiran.pk}"),
        get(client, "/skp/999999"),
        delete(client, "/rhk/999999"),
    ]:
        assert_error(response, 404, "not_found")
    assert list(before) == list(
        Skp.objects.values_list("id", "status", "pendekatan").order_by("id")
    )
    assert Lampiran.objects.filter(pk=lampiran.pk).exists()


def test_anonymous_gets_401(cast: Cast, client: Client, plan: Plan) -> None:
    assert_error(get(client, f"/skp/{plan.staf_skp.pk}"), 401, "unauthorized")
    assert_error(post(client, "/skp", {"year": YEAR}), 401, "unauthorized")


def test_token_auth_works(cast: Cast, plan: Plan) -> None:
    _token, raw = api_token_create(by=cast.user("staf_a"), name="aplikasi seluler")
    client = Client(enforce_csrf_checks=True)
    auth = {"headers": {"Authorization": f"Bearer {raw}"}}
    mine = send(client, "get", "/skp", **auth)
    assert [s["id"] for s in ok(mine)["items"]] == [plan.staf_skp.pk]
    lampiran = post(
        client,
        f"/skp/{plan.staf_skp.pk}/lampiran",
        {"kind": "KONSEKUENSI", "text": "Teguran"},
        **auth,
    )
    assert ok(lampiran, 201)["text"] == "Teguran"
    assert ok(post(client, f"/skp/{plan.staf_skp.pk}/submit", **auth))["status"] == "DIAJUKAN"


# --- OpenAPI ------------------------------------------------------------------------------


def test_openapi_lists_every_skp_endpoint(client: Client) -> None:
    schema = ok(client.get(f"{API}/openapi.json"))
    paths = schema["paths"]
    expected = {
        "/tahun-kinerja/{instansi_id}/{year}": {"put"},
        "/tahun-kinerja/{instansi_id}/{year}/periode": {"get"},
        "/skp": {"get", "post"},
        "/skp/{skp_id}": {"get", "patch"},
        "/skp/{skp_id}/submit": {"post"},
        "/skp/{skp_id}/return": {"post"},
        "/skp/{skp_id}/approve": {"post"},
        "/skp/{skp_id}/revise": {"post"},
        "/skp/{skp_id}/rhk": {"post"},
        "/rhk/{rhk_id}": {"patch", "delete"},
        "/skp/{skp_id}/linkable-rhk": {"get"},
        "/rhk/{rhk_id}/iki": {"post"},
        "/iki/{iki_id}": {"patch", "delete"},
        "/skp/{skp_id}/ekspektasi/{core_value}": {"put"},
        "/skp/{skp_id}/lampiran": {"post"},
        "/lampiran/{lampiran_id}": {"delete"},
        "/rhk/{rhk_id}/cascade": {"post"},
        "/pohon-kinerja": {"get"},
        "/status-skp": {"get"},
    }
    for path, methods in expected.items():
        operations = paths[f"/api/v1{path}"]
        assert methods <= set(operations), path
        for method in methods:
            assert operations[method]["tags"] == ["SKP"], (path, method)
            assert operations[method]["summary"], (path, method)
    # …and nothing in the SKP routers is left out of this list.
    mounted = skp_router.path_operations | items_router.path_operations
    assert set(mounted) == set(expected)
    components = schema["components"]["schemas"]
    assert {"SkpDetail", "RhkIn", "IkiIn", "CascadeIn", "PohonNodeOut"} <= set(components)
    assert components["RhkIn"]["additionalProperties"] is False
