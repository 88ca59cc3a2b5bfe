"""The JSON API (/api/v1/): reads of instansi, units, jabatan and pegawai (the directory).

Stories use the named cast from kinerja/org/testing.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from kinerja.org.testing import Cast

from .api_helpers import API, Login, assert_error, body, directory, names


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
