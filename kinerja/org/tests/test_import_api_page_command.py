"""Importing through the API, the page (preview, then save) and the management command."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from kinerja.org.models import Pegawai
from kinerja.org.testing import Cast

from .import_helpers import BAD_GENDER_NIP, NIP_A, NIP_B, NIP_C, THREE_PEGAWAI, pegawai_csv

# --- API -----------------------------------------------------------------------------------


def api_post(client: Client, kind: str, content: bytes, **data: Any) -> Any:
    upload = io.BytesIO(content)
    upload.name = "data.csv"
    return client.post(f"/api/v1/imports/{kind}", {"file": upload, **data})


def test_api_dry_run_by_default(cast: Cast, login: Any) -> None:
    client = login("admin")

    response = api_post(client, "pegawai", THREE_PEGAWAI, instansi_id=cast.kab.pk)

    assert response.status_code == 200, response.content
    assert response.json() == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "dry_run": True,
        "errors": [],
    }
    assert not Pegawai.objects.filter(nip=NIP_A).exists()


def test_api_imports_for_real(cast: Cast, login: Any) -> None:
    client = login("admin")

    response = api_post(client, "pegawai", THREE_PEGAWAI, instansi_id=cast.kab.pk, dry_run="false")

    assert response.status_code == 200, response.content
    assert response.json()["created"] == 3
    assert response.json()["dry_run"] is False
    assert Pegawai.objects.filter(nip=NIP_A).exists()


def test_api_errors_are_422_and_write_nothing(cast: Cast, login: Any) -> None:
    client = login("admin")
    content = pegawai_csv(f"{NIP_A},PNS,Siti,,,,,", f"{BAD_GENDER_NIP},PNS,X,,,,,")

    response = api_post(client, "pegawai", content, instansi_id=cast.kab.pk, dry_run="false")

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "import_invalid"
    assert "tidak ada data yang disimpan" in body["detail"]
    assert [e["row"] for e in body["errors"]] == [3]
    assert set(body["errors"][0]) == {"row", "message"}
    assert body["errors"][0]["message"].startswith("Baris 3: NIP tidak valid: digit ke-15")
    assert not Pegawai.objects.filter(nip=NIP_A).exists()
    preview = api_post(client, "pegawai", content, instansi_id=cast.kab.pk)
    assert preview.status_code == 200
    assert (preview.json()["created"], len(preview.json()["errors"])) == (1, 1)


def test_api_refuses_non_admins_and_bad_files(cast: Cast, login: Any) -> None:
    client = login("kasi")
    response = api_post(client, "pegawai", THREE_PEGAWAI, instansi_id=cast.kab.pk)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"

    client = login("admin")
    upload = io.BytesIO(b"hello")
    upload.name = "data.pdf"
    response = client.post(
        "/api/v1/imports/unit", {"file": upload, "instansi_id": cast.kab.pk, "dry_run": "true"}
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Jenis file tidak didukung")
    assert api_post(client, "gaji", THREE_PEGAWAI, instansi_id=cast.kab.pk).status_code == 422
    missing = client.post("/api/v1/imports/unit", {"instansi_id": cast.kab.pk})
    assert (missing.status_code, missing.json()["code"]) == (422, "invalid")


# --- page ----------------------------------------------------------------------------------


def page_post(
    client: Client, cast: Cast, content: bytes, action: str, kind: str = "pegawai"
) -> Any:
    upload = io.BytesIO(content)
    upload.name = "pegawai.csv"
    return client.post(
        reverse("org:import"),
        {"instansi": cast.kab.pk, "kind": kind, "file": upload, "action": action},
    )


def test_page_is_for_admins_only(cast: Cast, login: Any) -> None:
    assert login("kasi").get(reverse("org:import")).status_code == 403
    assert login("auditor").get(reverse("org:import")).status_code == 403
    response = login("admin").get(reverse("org:import"))
    assert response.status_code == 200
    assert b"Pratinjau" in response.content
    assert cast.kota.name.encode() not in response.content  # only the instansi they administer


def test_page_preview_then_save_without_uploading_again(cast: Cast, login: Any) -> None:
    client = login("admin")

    response = page_post(client, cast, THREE_PEGAWAI, "preview")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<dd data-count="created">3</dd>' in html
    assert not Pegawai.objects.filter(nip=NIP_A).exists()
    assert 'value="confirm"' in html
    token = response.context["pending"]["token"]
    saved = client.post(reverse("org:import"), {"action": "confirm", "token": token}, follow=True)
    assert saved.status_code == 200
    assert "Impor tersimpan: 3 baru, 0 diubah, 0 tidak berubah." in saved.content.decode()
    assert Pegawai.objects.filter(nip__in=[NIP_A, NIP_B, NIP_C]).count() == 3
    again = client.post(reverse("org:import"), {"action": "confirm", "token": token}, follow=True)
    assert "Pratinjau tidak ditemukan" in again.content.decode()


def test_page_preview_lists_errors(cast: Cast, login: Any) -> None:
    client = login("admin")
    content = pegawai_csv(f"{NIP_A},PNS,Siti,,,,,", f"{BAD_GENDER_NIP},PNS,X,,,,,")

    response = page_post(client, cast, content, "save")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<dd data-count="errors">1</dd>' in html
    assert "<td>3</td><td>NIP tidak valid: digit ke-15" in html
    assert response.context["pending"] is None
    assert not Pegawai.objects.filter(nip=NIP_A).exists()


def test_page_direct_save_and_bad_file(cast: Cast, login: Any) -> None:
    client = login("admin")

    response = page_post(client, cast, THREE_PEGAWAI, "save")
    assert response.status_code == 302
    assert Pegawai.objects.filter(nip=NIP_A).exists()

    response = page_post(client, cast, b"\x00\x01", "preview")
    assert response.status_code == 200
    assert "File .csv ini bukan teks" in response.content.decode()


# --- command -------------------------------------------------------------------------------


def test_command_imports_and_reports(cast: Cast, tmp_path: Path) -> None:
    path = tmp_path / "pegawai.csv"
    path.write_bytes(THREE_PEGAWAI)
    out = io.StringIO()

    call_command(
        "import_org",
        "--instansi",
        "KAB",
        "--kind",
        "pegawai",
        str(path),
        "--as",
        "admin",
        stdout=out,
    )

    assert "3 baru, 0 diubah, 0 tidak berubah" in out.getvalue()
    assert Pegawai.objects.filter(nip=NIP_A).exists()


def test_command_exits_2_on_errors(cast: Cast, tmp_path: Path) -> None:
    path = tmp_path / "pegawai.csv"
    path.write_bytes(pegawai_csv(f"{BAD_GENDER_NIP},PNS,X,,,,,"))
    err = io.StringIO()

    with pytest.raises(CommandError) as caught:
        call_command("import_org", "--instansi", "KAB", "--kind", "pegawai", str(path), stderr=err)

    assert caught.value.returncode == 2
    assert "Baris 2: NIP tidak valid: digit ke-15" in err.getvalue()


def test_command_dry_run_writes_nothing(cast: Cast, tmp_path: Path) -> None:
    path = tmp_path / "pegawai.csv"
    path.write_bytes(THREE_PEGAWAI)
    out = io.StringIO()

    call_command(
        "import_org", "--instansi", "KAB", "--kind", "pegawai", str(path), "--dry-run", stdout=out
    )

    assert "Pratinjau" in out.getvalue()
    assert not Pegawai.objects.filter(nip=NIP_A).exists()
