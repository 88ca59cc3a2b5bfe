"""Rencana tindak lanjut through the API: the owner finds theirs (`GET /skm/rtl/saya`, the
page "Rencana tindak lanjut SKM saya"), the staff list stays what the pimpinan and the admin
may read."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinerja.org.models import Pegawai
from kinerja.org.testing import Cast
from kinerja.surveys import services
from kinerja.surveys.models import RencanaTindakLanjut, SurveyPeriod
from kinerja.surveys.periods import PeriodKey

Login = Callable[[str], Client]
API = "/api/v1"


def rtl(
    cast: Cast, period: SurveyPeriod, key: PeriodKey, owner: Pegawai, *, whole_unit: bool = False
) -> RencanaTindakLanjut:
    return services.rtl_create(
        by=cast.admin,
        unit=period.layanan.unit,
        layanan=None if whole_unit else period.layanan,
        key=key,
        unsur=8,
        action=f"Tindakan {RencanaTindakLanjut.objects.count() + 1}",
        owner_id=owner.pk,
        due_date=key.end,
    )


def ids(answer: Any) -> list[int]:
    assert answer.status_code == 200, answer.content
    return [row["id"] for row in answer.json()]


def test_the_owner_lists_their_rtl_and_nobody_else_sees_them_there(
    login: Login, cast: Cast, period: SurveyPeriod, key: PeriodKey
) -> None:
    """perawat owns three actions (one done, one of the previous semester); staf_a owns one."""
    previous = key.previous()
    assert previous is not None
    mine = rtl(cast, period, key, cast.perawat)
    done = rtl(cast, period, key, cast.perawat, whole_unit=True)
    services.rtl_mark_done(by=cast.admin, item=done, note="Selesai")
    older = rtl(cast, period, previous, cast.perawat, whole_unit=True)
    theirs = rtl(cast, period, key, cast.staf_a)
    staff_query = {"instansi_id": str(cast.kab.pk), "period": key.text}

    perawat = login("perawat")
    # open first, by due date (as on /skm/rtl/saya/), every period
    assert ids(perawat.get(f"{API}/skm/rtl/saya")) == [older.pk, mine.pk, done.pk]
    own = {row["id"]: row for row in perawat.get(f"{API}/skm/rtl/saya").json()}
    assert own[done.pk]["done_at"] is not None and own[older.pk]["period"] == previous.text
    # the staff list is unchanged: the owner may not read the IKM of the puskesmas
    assert ids(perawat.get(f"{API}/skm/rtl", staff_query)) == []
    assert ids(login("staf_a").get(f"{API}/skm/rtl/saya")) == [theirs.pk]
    assert ids(login("kasi").get(f"{API}/skm/rtl/saya")) == []
    assert ids(login("outsider").get(f"{API}/skm/rtl/saya")) == []
    admin = login("admin")  # an account without a pegawai owns nothing
    assert ids(admin.get(f"{API}/skm/rtl/saya")) == []
    staff = admin.get(f"{API}/skm/rtl", staff_query).json()
    assert [row["id"] for row in staff] == [mine.pk, done.pk, theirs.pk]
    assert next(row for row in staff if row["id"] == mine.pk) == own[mine.pk]  # one shape
    assert ids(login("kapus").get(f"{API}/skm/rtl", staff_query)) == [mine.pk, done.pk, theirs.pk]
    assert Client().get(f"{API}/skm/rtl/saya").status_code == 401


def test_the_owner_can_mark_done_what_they_list(
    login: Login, cast: Cast, period: SurveyPeriod, key: PeriodKey
) -> None:
    item = rtl(cast, period, key, cast.staf_a)
    client = login("staf_a")
    [row] = client.get(f"{API}/skm/rtl/saya").json()
    assert row["id"] == item.pk and row["done_at"] is None
    answer = client.post(
        f"{API}/skm/rtl/{row['id']}/selesai", '{"note": "Loket dibuka"}', "application/json"
    )
    assert answer.status_code == 200
    [after] = client.get(f"{API}/skm/rtl/saya").json()
    assert after["done_at"] is not None


def test_the_owner_list_reads_the_nrr_of_every_action_in_one_query(
    login: Login, cast: Cast, period: SurveyPeriod, key: PeriodKey
) -> None:
    """One query for the actions and one for the NRR then and next of all of them, however
    many there are (followups.follow_ups)."""
    client = login("perawat")

    def count() -> int:
        with CaptureQueriesContext(connection) as q:
            client.get(f"{API}/skm/rtl/saya")
        return len(q.captured_queries)

    empty = count()
    rtl(cast, period, key, cast.perawat)
    one = count()
    assert one == empty + 1  # the NRR query, absent while there is no action
    for _more in range(3):
        rtl(cast, period, key, cast.perawat)
        assert count() == one


def test_an_owner_of_another_instansi_is_answered_like_an_id_nobody_has(
    login: Login, cast: Cast, period: SurveyPeriod, key: PeriodKey
) -> None:
    """Both are the same 400 naming the body key `owner_id`, so the ids of another instansi's
    pegawai cannot be found by trying them."""
    nobody = Pegawai.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000
    data = {
        "layanan_id": period.layanan_id,
        "period": key.text,
        "unsur": 8,
        "action": "Kanal pengaduan",
        "due_date": key.end.isoformat(),
    }

    def create(client: Client, owner_id: int, language: str = "id") -> Any:
        body = json.dumps(data | {"owner_id": owner_id})
        headers = {"Accept-Language": language}
        return client.post(f"{API}/skm/rtl", body, "application/json", headers=headers)

    for who in ("admin", "kapus"):
        client = login(who)
        outsider, missing = create(client, cast.outsider.pk), create(client, nobody)
        assert outsider.status_code == missing.status_code == 400
        assert (
            outsider.json()
            == missing.json()
            == {
                "detail": "Penanggung jawab harus pegawai instansi ini.",
                "code": "invalid",
                "errors": [
                    {"field": "owner_id", "message": "Penanggung jawab harus pegawai instansi ini."}
                ],
            }
        )
        owners = (cast.outsider.pk, nobody)
        english = [create(client, pk, "en").json() for pk in owners]
        assert english[0] == english[1] and english[0]["errors"][0]["field"] == "owner_id"
        assert english[0]["detail"] == "The person in charge must be an employee of this agency."
    auditor = login("auditor")  # reads the layanan, may not record: 403 whoever the owner is
    assert create(auditor, cast.outsider.pk).json() == create(auditor, nobody).json()
    assert create(auditor, nobody).status_code == 403
    assert not RencanaTindakLanjut.objects.exists()
    assert create(login("kapus"), cast.perawat.pk).status_code == 201


def test_the_page_puts_a_service_error_on_owner_id_on_its_owner_field() -> None:
    from kinerja.core.errors import ServiceError
    from kinerja.surveys.forms import RtlForm
    from kinerja.surveys.views import call

    form = RtlForm({}, owners=[])

    def refuse() -> None:
        raise ServiceError("Penanggung jawab harus pegawai instansi ini.", field="owner_id")

    assert call(form, refuse) is None
    assert "Penanggung jawab harus pegawai instansi ini." in form.errors["owner"]
