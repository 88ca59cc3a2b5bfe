"""The JSON API (/api/v1/): writes by an admin, and their errors.

Stories use the named cast from kinerja/org/testing.py.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from kinerja.org.models import DelegasiPenilai, Pegawai, Penempatan, UnitKerja
from kinerja.org.testing import Cast

from .api_helpers import API, NEW_NIP, Login, assert_error, body, new_pegawai, patch, post


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
    assert {e["field"] for e in data["errors"]} == {"code", "name", "kind"}


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
    assert [e["field"] for e in data["errors"]] == ["nip"]


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


@pytest.mark.parametrize("extra", [{"nmae": "Unit X"}, {"parent": 1}])
def test_a_key_the_body_does_not_have_is_refused_not_dropped(
    login: Login, cast: Cast, extra: dict[str, Any]
) -> None:
    """A misspelt or unknown key is a 422 naming it (every input schema, core.params.In)."""
    payload = {"instansi_id": cast.kab.pk, "code": "X", "name": "Unit X", "kind": "LAINNYA"}
    error = assert_error(post(login("admin"), "/units", payload | extra), 422, "invalid")
    [key] = extra
    assert error["errors"] == [{"field": key, "message": "Isian ini tidak dikenal."}]
    assert not UnitKerja.objects.filter(code="X").exists()
