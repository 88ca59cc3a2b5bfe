"""The Django admin shows organisation data read-only, limited to what the user may see."""

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
