import json

from django.test import Client

from kinerja.audit.models import AuditEvent
from kinerja.org.models import PeranAkses
from kinerja.org.testing import Cast


def _post(client: Client, body: dict[str, object]) -> tuple[int, dict[str, object]]:
    response = client.post("/api/v1/peran-akses", json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


def test_admin_grants_auditor_role_to_a_pegawai(client: Client, cast: Cast) -> None:
    client.force_login(cast.admin)
    status, body = _post(
        client, {"username": cast.kapus.nip, "instansi_id": cast.kab.pk, "role": "AUDITOR"}
    )
    assert status == 201
    assert body["role"] == "AUDITOR"
    assert PeranAkses.objects.filter(user=cast.kapus.user, role="AUDITOR").exists()
    assert AuditEvent.objects.filter(
        action="peran_grant", target_id=str(cast.kapus.user_id)
    ).exists()


def test_granting_twice_is_a_conflict(client: Client, cast: Cast) -> None:
    client.force_login(cast.admin)
    status, body = _post(
        client, {"username": "auditor", "instansi_id": cast.kab.pk, "role": "AUDITOR"}
    )
    assert status == 409
    assert body["code"] == "conflict"


def test_unknown_role_and_unknown_user_are_refused(client: Client, cast: Cast) -> None:
    client.force_login(cast.admin)
    status, body = _post(
        client, {"username": "auditor", "instansi_id": cast.kab.pk, "role": "RAJA"}
    )
    assert status == 400
    assert "Peran tidak dikenal" in str(body["detail"])
    status, body = _post(
        client, {"username": "tidak-ada", "instansi_id": cast.kab.pk, "role": "ADMIN"}
    )
    assert status == 404


def test_pegawai_and_other_instansi_admin_cannot_grant(client: Client, cast: Cast) -> None:
    client.force_login(cast.user("kadis"))
    status, body = _post(
        client, {"username": "auditor", "instansi_id": cast.kab.pk, "role": "ADMIN"}
    )
    assert status == 403
    assert body["code"] == "forbidden"
    client.force_login(cast.admin)
    status, _ = _post(client, {"username": "auditor", "instansi_id": cast.kota.pk, "role": "ADMIN"})
    assert status == 404
    assert not PeranAkses.objects.filter(instansi=cast.kota).exists()


def test_a_peran_for_a_pegawai_of_another_instansi_is_refused_on_the_username(
    client: Client, cast: Cast
) -> None:
    client.force_login(cast.admin)
    status, body = _post(
        client, {"username": cast.outsider.nip, "instansi_id": cast.kab.pk, "role": "ADMIN"}
    )
    assert status == 403
    assert body["code"] == "forbidden"
    errors = body["errors"]
    assert isinstance(errors, list) and [error["field"] for error in errors] == ["username"]
    assert "pegawai instansi lain" in str(body["detail"])
    assert not PeranAkses.objects.filter(user=cast.outsider.user).exists()
