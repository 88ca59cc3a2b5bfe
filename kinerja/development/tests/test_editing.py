"""Correcting a recorded bimbingan session (service, page, API) and a catalogue item (page):
who may, the rules a correction keeps, when it is no longer possible, and the audit trail."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from kinerja.assessments.testing import YEAR, approved_skp
from kinerja.audit.models import AuditEvent
from kinerja.core.errors import Conflict, Refused, ServiceError
from kinerja.org.testing import Cast

from .. import guards, rules, services
from .. import services_corrections as corrections
from .. import services_training as training
from ..models import Pelatihan, Sesi
from .helpers import a_case

Login = Callable[[str], Client]
DAY = date(YEAR, 11, 30)
API = "/api/v1/pengembangan"


@pytest.fixture(autouse=True)
def _pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guards, "today", lambda: DAY)


def a_session(cast: Cast, *, with_case: bool = True) -> Sesi:
    kasus = a_case(cast) if with_case else None
    if not with_case:
        approved_skp(cast, "staf_a")
    return services.sesi_record(
        by=cast.user("kasi"), pegawai=cast.staf_a, kasus=kasus, method="COACHING",
        day=date(YEAR, 4, 15), notes="Membahas laporan yang tertunda",
        actions=[("Susun jadwal laporan", date(YEAR, 4, 30))],
    )  # fmt: skip


def update(cast: Cast, sesi: Sesi, by: str = "kasi", **changes: Any) -> Sesi:
    values = {"method": sesi.method, "day": sesi.date, "notes": sesi.notes, **changes}
    return corrections.sesi_update(by=cast.user(by), sesi=sesi, **values)


# --- the service ------------------------------------------------------------------------------


def test_the_pembimbing_corrects_a_session_and_the_audit_keeps_both_versions(cast: Cast) -> None:
    sesi = a_session(cast)
    changed = update(cast, sesi, method="MENTORING", day=date(YEAR, 4, 14), notes=" Ditambah ")
    stored = Sesi.objects.get(pk=sesi.pk)
    assert (stored.method, stored.date, stored.notes) == (
        "MENTORING",
        date(YEAR, 4, 14),
        "Ditambah",
    )
    assert changed.period == stored.period == 1  # a case's session keeps the case's period
    [event] = AuditEvent.objects.filter(action="sesi_update")
    assert event.target_id == str(sesi.pk) and event.actor_id == cast.user("kasi").pk
    assert event.old_values == {"method": "COACHING", "date": f"{YEAR}-04-15",
                                "notes": "Membahas laporan yang tertunda"}  # fmt: skip
    assert event.new_values == {"method": "MENTORING", "date": f"{YEAR}-04-14",
                                "notes": "Ditambah"}  # fmt: skip


def test_an_unchanged_session_writes_no_audit_event(cast: Cast) -> None:
    sesi = a_session(cast)
    update(cast, sesi, notes=sesi.notes + "  ")
    assert not AuditEvent.objects.filter(action="sesi_update").exists()


def test_a_session_without_a_case_moves_to_the_period_of_its_new_date(cast: Cast) -> None:
    sesi = a_session(cast, with_case=False)
    assert sesi.period == 2  # April: triwulan II
    update(cast, sesi, day=date(YEAR, 2, 10))
    stored = Sesi.objects.get(pk=sesi.pk)
    assert stored.period == 1 and stored.date == date(YEAR, 2, 10)
    [event] = AuditEvent.objects.filter(action="sesi_update")
    assert event.old_values == {"date": f"{YEAR}-04-15", "period": 2}
    assert event.new_values == {"date": f"{YEAR}-02-10", "period": 1}


@pytest.mark.parametrize("who", ["kabid", "staf_a", "staf_b", "admin", "auditor", "outsider"])
def test_only_the_pembimbing_may_correct(cast: Cast, who: str) -> None:
    sesi = a_session(cast)
    with pytest.raises(Refused):
        update(cast, sesi, by=who, notes="Diubah")
    assert Sesi.objects.get(pk=sesi.pk).notes == "Membahas laporan yang tertunda"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"method": "CERAMAH"}, "method", "metode"),
        ({"day": date(YEAR, 12, 1)}, "date", "masa depan"),
        ({"day": date(YEAR - 1, 12, 31)}, "date", f"tahun {YEAR}"),
        ({"day": date(YEAR, 5, 2)}, "date", "tenggat aksi (30-04"),
        ({"notes": "   "}, "notes", "catatan"),
    ],
)
def test_a_correction_keeps_the_rules_of_recording(
    cast: Cast, change: dict[str, Any], field: str, words: str
) -> None:
    sesi = a_session(cast)
    with pytest.raises(ServiceError) as caught:
        update(cast, sesi, **{"notes": "Diubah", **change})
    assert caught.value.field == field and words in caught.value.message.lower()
    stored = Sesi.objects.get(pk=sesi.pk)
    assert (stored.method, stored.date, stored.notes) == (
        "COACHING", date(YEAR, 4, 15), "Membahas laporan yang tertunda"
    )  # fmt: skip
    assert not AuditEvent.objects.filter(action="sesi_update").exists()


def test_no_correction_after_the_case_is_closed(cast: Cast) -> None:
    sesi = a_session(cast)
    assert sesi.kasus is not None
    services.kasus_close(by=cast.user("kasi"), kasus=sesi.kasus, note="Selesai")
    with pytest.raises(Conflict, match="sudah selesai"):
        update(cast, sesi, notes="Diubah")


def test_no_correction_after_b18(cast: Cast) -> None:
    sesi = a_session(cast)
    services.b18_submit(by=cast.user("staf_a"), sesi=sesi, answers=[4] * 9, place="Sukamaju",
                        day=date(YEAR, 4, 16))  # fmt: skip
    with pytest.raises(Conflict, match=r"B\.1\.8"):
        update(cast, sesi, notes="Diubah")


def test_no_correction_after_b19(cast: Cast) -> None:
    sesi = a_session(cast)
    items = [rules.NilaiKompetensi("Menyusun laporan", 3, "Tepat waktu sejak April")]
    services.b19_submit(by=cast.user("kasi"), sesi=sesi, items=items, place="Sukamaju",
                        day=date(YEAR, 4, 16))  # fmt: skip
    with pytest.raises(Conflict, match=r"B\.1\.9"):
        update(cast, sesi, notes="Diubah")


# --- the session pages ------------------------------------------------------------------------


def test_the_pembimbing_corrects_a_session_on_its_page(cast: Cast, login: Login) -> None:
    sesi = a_session(cast)
    kasi = login("kasi")
    detail = kasi.get(f"/pengembangan/sesi/{sesi.pk}/").content.decode()
    assert f"/pengembangan/sesi/{sesi.pk}/ubah/" in detail
    page = kasi.get(f"/pengembangan/sesi/{sesi.pk}/ubah/")
    assert page.status_code == 200 and "Membahas laporan yang tertunda" in page.content.decode()
    form = {"method": "KONSELING", "date": f"{YEAR}-04-15", "notes": "Catatan baru"}
    done = kasi.post(f"/pengembangan/sesi/{sesi.pk}/ubah/", form)
    assert done.status_code == 302 and done["Location"] == f"/pengembangan/sesi/{sesi.pk}/"
    assert Sesi.objects.get(pk=sesi.pk).notes == "Catatan baru"
    assert "Sesi bimbingan diperbarui" in kasi.get(done["Location"]).content.decode()


def test_a_refused_correction_shows_why_in_indonesian(cast: Cast, login: Login) -> None:
    sesi = a_session(cast)
    kasi = login("kasi")
    url = f"/pengembangan/sesi/{sesi.pk}/ubah/"
    future = kasi.post(url, {"method": "COACHING", "date": f"{YEAR}-12-05", "notes": "x"})
    assert future.status_code == 200
    assert "Tanggal bimbingan tidak boleh di masa depan." in future.content.decode()
    blank = kasi.post(url, {"method": "COACHING", "date": f"{YEAR}-04-15", "notes": ""})
    assert blank.status_code == 200 and "Bidang ini tidak boleh kosong." in blank.content.decode()
    assert Sesi.objects.get(pk=sesi.pk).notes == "Membahas laporan yang tertunda"


def test_who_sees_the_session_edit_page(cast: Cast, login: Login) -> None:
    sesi = a_session(cast)
    url = f"/pengembangan/sesi/{sesi.pk}/ubah/"
    assert login("staf_a").get(url).status_code == 403  # sees the session, may not change it
    assert url not in login("staf_a").get(f"/pengembangan/sesi/{sesi.pk}/").content.decode()
    assert login("outsider").get(url).status_code == 404
    services.b18_submit(by=cast.user("staf_a"), sesi=sesi, answers=[4] * 9, place="Sukamaju",
                        day=date(YEAR, 4, 16))  # fmt: skip
    kasi = login("kasi")
    assert url not in kasi.get(f"/pengembangan/sesi/{sesi.pk}/").content.decode()
    refused = kasi.post(url, {"method": "COACHING", "date": f"{YEAR}-04-15", "notes": "x"})
    assert refused.status_code == 200 and "sudah diisi" in refused.content.decode()


# --- the session API --------------------------------------------------------------------------


def patch(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.patch(url, json.dumps(data), content_type="application/json")


def body(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    data: dict[str, Any] = json.loads(response.content)
    return data


def test_the_api_corrects_a_session(cast: Cast, login: Login) -> None:
    sesi = a_session(cast)
    url = f"{API}/sesi/{sesi.pk}"
    kasi = login("kasi")
    changed = body(patch(kasi, url, {"notes": "Lewat API"}), 200)
    assert changed["notes"] == "Lewat API" and changed["method"] == "COACHING"
    assert changed["date"] == f"{YEAR}-04-15"
    blank = body(patch(kasi, url, {"notes": " "}), 400)
    assert blank["code"] == "invalid" and blank["errors"][0]["field"] == "notes"
    assert body(patch(kasi, url, {"colour": "x"}), 422)["code"] == "invalid"
    assert body(patch(kasi, f"{API}/sesi/{sesi.pk + 999}", {"notes": "x"}), 404)["code"] == (
        "not_found"
    )
    assert body(patch(login("staf_a"), url, {"notes": "x"}), 403)["code"] == "forbidden"
    assert body(patch(login("outsider"), url, {"notes": "x"}), 404)["code"] == "not_found"
    services.b18_submit(by=cast.user("staf_a"), sesi=sesi, answers=[4] * 9, place="Sukamaju",
                        day=date(YEAR, 4, 16))  # fmt: skip
    assert body(patch(login("kasi"), url, {"notes": "x"}), 409)["code"] == "conflict"
    assert Sesi.objects.get(pk=sesi.pk).notes == "Lewat API"


# --- the catalogue pages ----------------------------------------------------------------------

LEADERSHIP = {"name": "Kepemimpinan", "jp": "12", "mode": "KLASIKAL", "core_values": [6],
              "kompetensi": "Memimpin tim", "for_hasil": True}  # fmt: skip


def catalogue_item(cast: Cast) -> Pelatihan:
    return training.pelatihan_save(
        by=cast.user("admin"), instansi_id=cast.kab.pk, values=LEADERSHIP
    )


def edited(**values: Any) -> dict[str, Any]:
    form = {"name": "Kepemimpinan", "jp": "12", "mode": "KLASIKAL", "core_values": ["6"],
            "kompetensi": "Memimpin tim", "for_hasil": "on", "active": "on"}  # fmt: skip
    return {k: v for k, v in {**form, **values}.items() if v is not None}


def test_the_admin_edits_and_switches_off_a_catalogue_item(cast: Cast, login: Login) -> None:
    item = catalogue_item(cast)
    admin = login("admin")
    listing = admin.get("/pengembangan/pelatihan/").content.decode()
    assert f"/pengembangan/pelatihan/{item.pk}/ubah/" in listing
    page = admin.get(f"/pengembangan/pelatihan/{item.pk}/ubah/").content.decode()
    assert 'value="Kepemimpinan"' in page and "checked" in page
    done = admin.post(f"/pengembangan/pelatihan/{item.pk}/ubah/",
                      edited(jp="16", active=None, core_values=["6", "7"]))  # fmt: skip
    assert done.status_code == 302 and done["Location"] == "/pengembangan/pelatihan/"
    stored = Pelatihan.objects.get(pk=item.pk)
    assert (stored.jp, stored.active, stored.core_values) == (Decimal(16), False, [6, 7])
    listing = admin.get("/pengembangan/pelatihan/").content.decode()
    assert "Pelatihan diperbarui" in listing and "nonaktif" in listing
    event = AuditEvent.objects.filter(action="pelatihan_save").last()
    assert event is not None and event.old_values["active"] is True
    assert event.new_values["active"] is False


def test_a_catalogue_edit_with_a_taken_name_is_refused_on_the_form(
    cast: Cast, login: Login
) -> None:
    item = catalogue_item(cast)
    training.pelatihan_save(by=cast.user("admin"), instansi_id=cast.kab.pk,
                            values={**LEADERSHIP, "name": "Pelayanan Prima"})  # fmt: skip
    page = login("admin").post(f"/pengembangan/pelatihan/{item.pk}/ubah/",
                               edited(name="pelayanan prima"))  # fmt: skip
    assert page.status_code == 200 and "sudah ada di katalog" in page.content.decode()
    assert Pelatihan.objects.get(pk=item.pk).name == "Kepemimpinan"


def test_who_may_edit_the_catalogue(cast: Cast, login: Login) -> None:
    item = catalogue_item(cast)
    url = f"/pengembangan/pelatihan/{item.pk}/ubah/"
    staf = login("staf_a")
    assert url not in staf.get("/pengembangan/pelatihan/").content.decode()
    assert staf.get(url).status_code == 403
    assert staf.post(url, edited(jp="1")).status_code == 403
    assert login("outsider").get(url).status_code == 404  # another instansi's catalogue
    kota = training.pelatihan_save(by=cast.superadmin, instansi_id=cast.kota.pk, values=LEADERSHIP)
    assert login("admin").get(f"/pengembangan/pelatihan/{kota.pk}/ubah/").status_code == 404
    assert Pelatihan.objects.get(pk=item.pk).jp == 12
