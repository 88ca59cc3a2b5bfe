"""Withdrawing a bimbingan session recorded by mistake (service, page, API): only its
pembimbing, with a reason, while it could still be corrected and before an action was marked
done; all-or-nothing, with the whole session kept in the audit event."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from kinerja.assessments.testing import YEAR
from kinerja.audit.models import AuditEvent
from kinerja.audit.testing import refused_unchanged
from kinerja.core.errors import Conflict, Refused, ServiceError
from kinerja.org.testing import Cast

from .. import guards, rules, services
from .. import services_corrections as corrections
from ..models import AksiSesi, Kasus, Sesi, StatusKasus
from .test_editing import a_session, body

Login = Callable[[str], Client]
DAY = date(YEAR, 11, 30)
API = "/api/v1/pengembangan"


@pytest.fixture(autouse=True)
def _pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guards, "today", lambda: DAY)


def rows() -> dict[str, list[Any]]:
    return {
        "sesi": list(Sesi.objects.order_by("id").values_list()),
        "aksi": list(AksiSesi.objects.order_by("id").values_list()),
        "kasus": list(Kasus.objects.order_by("id").values_list("id", "status")),
        "audit": list(AuditEvent.objects.order_by("id").values_list("id", flat=True)),
    }


def withdraw(cast: Cast, sesi: Sesi, by: str = "kasi", reason: str = "Pegawai keliru") -> None:
    corrections.sesi_withdraw(by=cast.user(by), sesi=sesi, reason=reason)


# --- the service ------------------------------------------------------------------------------


def test_the_pembimbing_withdraws_a_session_and_the_audit_keeps_it(cast: Cast) -> None:
    sesi = a_session(cast)
    assert sesi.kasus is not None and sesi.kasus.status == StatusKasus.DIBIMBING
    withdraw(cast, sesi, reason="  Sesi tidak pernah dilaksanakan ")
    assert not Sesi.objects.filter(pk=sesi.pk).exists()
    assert not AksiSesi.objects.filter(sesi_id=sesi.pk).exists()
    assert Kasus.objects.get(pk=sesi.kasus.pk).status == StatusKasus.TERBUKA
    [event] = AuditEvent.objects.filter(action="sesi_withdraw")
    assert event.target_id == str(sesi.pk) and event.actor_id == cast.user("kasi").pk
    assert event.old_values == {
        "pegawai_id": cast.staf_a.pk, "kasus_id": sesi.kasus.pk, "method": "COACHING",
        "date": f"{YEAR}-04-15", "period": 1, "notes": "Membahas laporan yang tertunda",
        "actions": [{"text": "Susun jadwal laporan", "due_date": f"{YEAR}-04-30"}],
    }  # fmt: skip
    assert event.new_values == {"reason": "Sesi tidak pernah dilaksanakan"}


def test_a_case_with_another_session_stays_in_bimbingan(cast: Cast) -> None:
    sesi = a_session(cast)
    assert sesi.kasus is not None
    services.sesi_record(by=cast.user("kasi"), pegawai=cast.staf_a, kasus=sesi.kasus,
                         method="MENTORING", day=date(YEAR, 5, 2), notes="Lanjutan")  # fmt: skip
    withdraw(cast, sesi)
    assert Kasus.objects.get(pk=sesi.kasus.pk).status == StatusKasus.DIBIMBING


def test_a_session_without_a_case_is_withdrawn(cast: Cast) -> None:
    sesi = a_session(cast, with_case=False)
    withdraw(cast, sesi)
    assert not Sesi.objects.filter(pk=sesi.pk).exists()
    [event] = AuditEvent.objects.filter(action="sesi_withdraw")
    assert event.old_values["kasus_id"] is None


@pytest.mark.parametrize("who", ["kabid", "staf_a", "staf_b", "admin", "auditor", "outsider"])
def test_only_the_pembimbing_may_withdraw(cast: Cast, who: str) -> None:
    sesi = a_session(cast)
    with refused_unchanged(Refused, "Hanya pembimbing", rows):
        withdraw(cast, sesi, by=who)


def test_a_reason_is_required(cast: Cast) -> None:
    sesi = a_session(cast)
    with refused_unchanged(ServiceError, "alasan", rows) as caught:
        withdraw(cast, sesi, reason="   ")
    assert caught.value.field == "reason"


def test_no_withdrawal_after_the_case_is_closed(cast: Cast) -> None:
    sesi = a_session(cast)
    assert sesi.kasus is not None
    services.kasus_close(by=cast.user("kasi"), kasus=sesi.kasus, note="Selesai")
    with refused_unchanged(Conflict, "sesi tidak dapat dihapus lagi", rows):
        withdraw(cast, sesi)


def test_no_withdrawal_after_b18(cast: Cast) -> None:
    sesi = a_session(cast)
    services.b18_submit(by=cast.user("staf_a"), sesi=sesi, answers=[4] * 9, place="Sukamaju",
                        day=date(YEAR, 4, 16))  # fmt: skip
    with refused_unchanged(Conflict, "B.1.8 atau B.1.9 sesi ini sudah diisi", rows):
        withdraw(cast, sesi)


def test_no_withdrawal_after_b19(cast: Cast) -> None:
    sesi = a_session(cast)
    items = [rules.NilaiKompetensi("Menyusun laporan", 3, "Tepat waktu sejak April")]
    services.b19_submit(by=cast.user("kasi"), sesi=sesi, items=items, place="Sukamaju",
                        day=date(YEAR, 4, 16))  # fmt: skip
    with refused_unchanged(Conflict, "tidak dapat dihapus", rows):
        withdraw(cast, sesi)


def test_no_withdrawal_after_an_action_was_marked_done(cast: Cast) -> None:
    sesi = a_session(cast)
    aksi = sesi.aksi.get()
    services.aksi_done(by=cast.user("staf_a"), aksi=aksi, day=date(YEAR, 4, 20))
    with refused_unchanged(Conflict, "Aksi sesi ini sudah ditandai selesai", rows):
        withdraw(cast, sesi)


# --- the pages --------------------------------------------------------------------------------


def test_the_pembimbing_withdraws_a_session_on_its_page(cast: Cast, login: Login) -> None:
    sesi = a_session(cast)
    assert sesi.kasus is not None
    kasi = login("kasi")
    url = f"/pengembangan/sesi/{sesi.pk}/hapus/"
    assert url in kasi.get(f"/pengembangan/sesi/{sesi.pk}/").content.decode()
    page = kasi.get(url).content.decode()
    assert "Membahas laporan yang tertunda" in page and 'name="reason"' in page
    blank = kasi.post(url, {"reason": ""})
    assert blank.status_code == 200 and "Bidang ini tidak boleh kosong." in blank.content.decode()
    assert Sesi.objects.filter(pk=sesi.pk).exists()
    done = kasi.post(url, {"reason": "Pegawai keliru"})
    assert done.status_code == 302 and done["Location"] == f"/pengembangan/kasus/{sesi.kasus.pk}/"
    assert not Sesi.objects.filter(pk=sesi.pk).exists()
    assert "Sesi bimbingan dihapus" in kasi.get(done["Location"]).content.decode()


def test_a_session_without_a_case_goes_back_to_the_case_list(cast: Cast, login: Login) -> None:
    sesi = a_session(cast, with_case=False)
    done = login("kasi").post(f"/pengembangan/sesi/{sesi.pk}/hapus/", {"reason": "Keliru"})
    assert done.status_code == 302 and done["Location"] == "/pengembangan/"


def test_who_sees_the_withdraw_page(cast: Cast, login: Login) -> None:
    sesi = a_session(cast)
    url = f"/pengembangan/sesi/{sesi.pk}/hapus/"
    staf = login("staf_a")
    assert url not in staf.get(f"/pengembangan/sesi/{sesi.pk}/").content.decode()
    assert staf.get(url).status_code == 403
    assert staf.post(url, {"reason": "x"}).status_code == 403
    assert login("kabid").post(url, {"reason": "x"}).status_code == 403  # sees it, not his
    assert login("outsider").get(url).status_code == 404
    services.aksi_done(by=cast.user("staf_a"), aksi=sesi.aksi.get(), day=date(YEAR, 4, 20))
    kasi = login("kasi")
    page = kasi.get(url).content.decode()
    assert "sudah ditandai selesai" in page and 'name="reason"' not in page
    refused = kasi.post(url, {"reason": "Keliru"})
    assert refused.status_code == 200 and "sudah ditandai selesai" in refused.content.decode()
    assert Sesi.objects.filter(pk=sesi.pk).exists()


# --- the API ----------------------------------------------------------------------------------


def post(client: Client, url: str, data: Any) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


def test_the_api_withdraws_a_session(cast: Cast, login: Login) -> None:
    sesi = a_session(cast)
    url = f"{API}/sesi/{sesi.pk}/tarik"
    kasi = login("kasi")
    assert body(post(kasi, url, {}), 422)["code"] == "invalid"
    assert body(post(kasi, url, {"reason": ""}), 422)["code"] == "invalid"
    blank = body(post(kasi, url, {"reason": "  "}), 400)
    assert blank["code"] == "invalid" and blank["errors"][0]["field"] == "reason"
    assert body(post(login("staf_a"), url, {"reason": "x"}), 403)["code"] == "forbidden"
    assert body(post(login("outsider"), url, {"reason": "x"}), 404)["code"] == "not_found"
    kasi = login("kasi")  # the login fixture logs its one client in as each person asked
    missing = post(kasi, f"{API}/sesi/{sesi.pk + 999}/tarik", {"reason": "x"})
    assert body(missing, 404)["code"] == "not_found"
    assert Sesi.objects.filter(pk=sesi.pk).exists()
    done = post(kasi, url, {"reason": "Pegawai keliru"})
    assert done.status_code == 204 and not Sesi.objects.filter(pk=sesi.pk).exists()
    assert body(post(kasi, url, {"reason": "lagi"}), 404)["code"] == "not_found"


def test_the_api_refuses_a_withdrawal_after_b18(cast: Cast, login: Login) -> None:
    sesi = a_session(cast)
    services.b18_submit(by=cast.user("staf_a"), sesi=sesi, answers=[4] * 9, place="Sukamaju",
                        day=date(YEAR, 4, 16))  # fmt: skip
    refused = body(post(login("kasi"), f"{API}/sesi/{sesi.pk}/tarik", {"reason": "x"}), 409)
    assert refused["code"] == "conflict" and "B.1.8" in refused["detail"]
    assert Sesi.objects.filter(pk=sesi.pk).exists()
