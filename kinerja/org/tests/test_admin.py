"""The Django admin shows organisation data read-only, limited to what the user may see, and
no personal data of a pegawai (email, telepon, tanggal lahir, jenis kelamin, the login)."""

import pytest
from django.test import Client

from kinerja.org.testing import Cast


def test_admin_of_kab_sees_only_kab_pegawai(client: Client, cast: Cast) -> None:
    client.force_login(cast.admin)
    page = client.get("/admin/org/pegawai/")
    assert page.status_code == 200
    body = page.content.decode()
    assert cast.staf_a.nip in body
    assert cast.outsider.nip not in body


def test_admin_cannot_open_other_instansi_row(client: Client, cast: Cast) -> None:
    client.force_login(cast.admin)
    response = client.get(f"/admin/org/pegawai/{cast.outsider.pk}/change/", follow=True)
    assert cast.outsider.nip not in response.content.decode()


def test_org_admin_is_read_only(client: Client, cast: Cast) -> None:
    client.force_login(cast.admin)
    assert client.get("/admin/org/pegawai/add/").status_code == 403
    response = client.post(
        f"/admin/org/pegawai/{cast.staf_a.pk}/change/", {"name": "Diubah Lewat Admin"}
    )
    assert response.status_code == 403
    cast.staf_a.refresh_from_db()
    assert cast.staf_a.name == "Dewi Lestari"


def test_auditor_reads_but_pegawai_cannot_enter_admin(client: Client, cast: Cast) -> None:
    client.force_login(cast.auditor)
    assert client.get("/admin/org/unitkerja/").status_code == 200
    client.force_login(cast.user("staf_a"))
    response = client.get("/admin/org/unitkerja/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_audit_events_only_for_superadmin(client: Client, cast: Cast) -> None:
    client.force_login(cast.admin)
    assert client.get("/admin/audit/auditevent/").status_code == 403
    client.force_login(cast.superadmin)
    assert client.get("/admin/audit/auditevent/").status_code == 200


PRIVATE_LABELS = ("Email", "Telepon", "Tanggal lahir", "Jenis kelamin", "User:")


def _private_values(cast: Cast) -> list[str]:
    p = cast.staf_a
    return [p.email, p.phone, "1 Jan. 1980", "Perempuan", f"/admin/accounts/user/{p.user_id}/"]


@pytest.mark.parametrize("who", ["admin", "auditor", "superadmin"])
def test_the_pegawai_page_shows_work_data_but_no_personal_data(
    client: Client, cast: Cast, who: str
) -> None:
    client.force_login(cast.user(who))
    page = client.get(f"/admin/org/pegawai/{cast.staf_a.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    for shown in (cast.staf_a.nip, "Dewi Lestari", "Penata (III/c)", "Pengelola Layanan"):
        assert shown in body
    for hidden in _private_values(cast):
        assert hidden not in body
    for label in PRIVATE_LABELS:
        assert f"<label>{label}" not in body


def test_the_pegawai_list_shows_no_personal_data(client: Client, cast: Cast) -> None:
    client.force_login(cast.admin)
    body = client.get("/admin/org/pegawai/").content.decode()
    assert cast.staf_a.nip in body
    for hidden in _private_values(cast):
        assert hidden not in body


@pytest.mark.parametrize(
    "query",
    [
        "email=p4@contoh.go.id",
        "phone__startswith=0812",
        "birth_date__year=1980",
        "gender=P",
        "user__email__startswith=p",
        "search_text__contains=dewi",
    ],
)
def test_the_list_cannot_be_filtered_by_a_personal_field(
    client: Client, cast: Cast, query: str
) -> None:
    """A filter on a hidden field would reveal it one guess at a time (the rows that match)."""
    client.force_login(cast.admin)
    response = client.get(f"/admin/org/pegawai/?{query}")
    assert response.status_code == 400
    assert cast.staf_a.nip not in response.content.decode()


def test_the_list_filters_still_work(client: Client, cast: Cast) -> None:
    client.force_login(cast.admin)
    response = client.get("/admin/org/pegawai/?jenis_asn__exact=PNS")
    assert response.status_code == 200
    assert cast.staf_a.nip in response.content.decode()
    response = client.get("/admin/org/jabatan/?jenis__exact=PELAKSANA&is_unit_head__exact=0")
    assert response.status_code == 200
    assert "PENGELOLA-LAYANAN" in response.content.decode()


def test_other_read_only_pages_show_their_allow_list(client: Client, cast: Cast) -> None:
    client.force_login(cast.admin)
    body = client.get(f"/admin/org/jabatan/{cast.j_kasi.pk}/change/").content.decode()
    assert "Kepala Seksi Pelayanan Primer" in body
    assert "Kepala Bidang Pelayanan Kesehatan" in body  # the atasan jabatan
    body = client.get(f"/admin/org/unitkerja/{cast.seksi.pk}/change/").content.decode()
    assert "Seksi Pelayanan Primer" in body
    assert "Bidang Pelayanan Kesehatan" in body  # the unit induk
