"""The JSON API (/api/v1/): cross-instansi isolation, and writes by people who may not write.

Stories use the named cast from kinerja/org/testing.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kinerja.org.models import DelegasiPenilai, Pegawai, UnitKerja
from kinerja.org.testing import Cast

from .api_helpers import (
    API,
    NEW_NIP,
    Login,
    assert_error,
    body,
    directory,
    names,
    new_pegawai,
    patch,
    post,
)

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
