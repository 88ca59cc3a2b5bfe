"""Umpan balik berkelanjutan and dialog kinerja: who may write, threads per period, who is told,
and the JSON API.

The story: kasi rates staf_a and staf_b; kabid rates kasi (so kabid and kadis are above staf_a's
rater); the outsider works in another instansi. staf_a's SKP is approved and has one realisasi
in the current period.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from kinerja.accounts.models import User
from kinerja.audit.models import AuditEvent
from kinerja.core.errors import Conflict, Refused, ServiceError
from kinerja.notify.models import Notification
from kinerja.notify.services import preference_set
from kinerja.org.testing import Cast
from kinerja.plans import services as plans
from kinerja.progress import feedback_services as feedback
from kinerja.progress.feedback_models import DialogKinerja, TindakLanjut, UmpanBalik

from .conftest import Plan

API = "/api/v1"
Login = Callable[[str], Client]


def on_rhk(cast: Cast, plan: Plan, who: str = "kasi", **extra: Any) -> UmpanBalik:
    values: dict[str, Any] = {"period": plan.period, "target_kind": "RHK", "rhk": plan.rhk}
    values.update(extra)
    return feedback.umpan_balik_add(
        by=cast.user(who), skp=plan.skp, text=values.pop("text", "Bagus, lanjutkan."), **values
    )


def notices(user: User) -> list[Notification]:
    return list(Notification.objects.filter(user=user))


# --- who may write ------------------------------------------------------------------------


def test_rater_starts_a_thread_and_the_owner_is_told(cast: Cast, plan: Plan) -> None:
    mark = AuditEvent.objects.count()
    item = on_rhk(cast, plan)
    assert (item.author_id, item.rhk_id, item.parent_id) == (cast.kasi.pk, plan.rhk.pk, None)
    assert item.instansi_id == plan.skp.instansi_id
    [notice] = notices(cast.user("staf_a"))
    assert notice.kind == "umpan_balik"
    assert notice.title == "Agus Salim memberi umpan balik tentang rencana hasil kerja"
    assert notice.url == f"/realisasi/skp/{plan.skp.pk}/#ub-{item.pk}"  # the thread on the page
    assert notices(cast.user("kasi")) == []
    [event] = AuditEvent.objects.order_by("id")[mark:]
    assert (event.action, event.target_id, event.actor_id) == (
        "umpan_balik_add", str(plan.skp.pk), cast.user("kasi").pk,
    )  # fmt: skip
    assert event.new_values["umpan_balik_id"] == item.pk


@pytest.mark.parametrize("above", ["kabid", "kadis"])
def test_raters_above_may_give_feedback(cast: Cast, plan: Plan, above: str) -> None:
    item = on_rhk(cast, plan, above, target_kind="PERILAKU", rhk=None, core_value=3)
    assert item.author_id == getattr(cast, above).pk
    assert len(notices(cast.user("staf_a"))) == 1


@pytest.mark.parametrize("who", ["staf_b", "perawat", "kapus", "outsider", "admin", "auditor"])
def test_others_may_not_give_feedback(cast: Cast, plan: Plan, who: str) -> None:
    with pytest.raises(Refused, match="Hanya pejabat penilai"):
        on_rhk(cast, plan, who)
    assert not UmpanBalik.objects.exists()
    assert not Notification.objects.exists()


def test_owner_may_only_reply(cast: Cast, plan: Plan) -> None:
    with pytest.raises(Refused, match="hanya dapat membalas"):
        on_rhk(cast, plan, "staf_a")
    thread = on_rhk(cast, plan)
    reply = feedback.umpan_balik_add(
        by=cast.user("staf_a"), skp=plan.skp, text="Terima kasih, Pak.", parent=thread
    )
    assert (reply.parent_id, reply.period, reply.target_kind, reply.rhk_id) == (
        thread.pk, thread.period, "RHK", plan.rhk.pk,
    )  # fmt: skip
    [told] = notices(cast.user("kasi"))
    assert told.title == "Dewi Lestari membalas umpan balik tentang rencana hasil kerja"
    assert told.body == "Terima kasih, Pak."


def test_owner_reply_tells_the_thread_author_and_the_rater(cast: Cast, plan: Plan) -> None:
    thread = on_rhk(cast, plan, "kabid")
    feedback.umpan_balik_add(by=cast.user("staf_a"), skp=plan.skp, text="Siap.", parent=thread)
    assert len(notices(cast.user("kabid"))) == 1
    assert len(notices(cast.user("kasi"))) == 1


def test_replies_stay_one_level_deep(cast: Cast, plan: Plan) -> None:
    thread = on_rhk(cast, plan)
    reply = feedback.umpan_balik_add(
        by=cast.user("staf_a"), skp=plan.skp, text="Baik.", parent=thread
    )
    again = feedback.umpan_balik_add(
        by=cast.user("kasi"), skp=plan.skp, text="Ditunggu laporannya.", parent=reply
    )
    assert again.parent_id == thread.pk
    assert len(notices(cast.user("staf_a"))) == 2


def test_peer_may_not_reply(cast: Cast, plan: Plan) -> None:
    thread = on_rhk(cast, plan)
    with pytest.raises(Refused, match="membalas"):
        feedback.umpan_balik_add(by=cast.user("staf_b"), skp=plan.skp, text="x", parent=thread)


# --- what may be written ------------------------------------------------------------------


def test_feedback_on_a_realisasi_and_on_each_core_value(cast: Cast, plan: Plan) -> None:
    item = on_rhk(cast, plan, target_kind="REALISASI", rhk=None, realisasi=plan.realisasi)
    assert item.realisasi_id == plan.realisasi.pk
    for code in range(1, 8):
        on_rhk(cast, plan, target_kind="PERILAKU", rhk=None, core_value=code)
    assert UmpanBalik.objects.filter(target_kind="PERILAKU").count() == 7
    assert Notification.objects.filter(title__endswith="perilaku Berorientasi Pelayanan").exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"text": "   "}, "text"),
        ({"period": 13}, "period"),
        ({"period": None}, "period"),
        ({"target_kind": "LAIN"}, "target_kind"),
        ({"rhk": None}, "rhk_id"),
        ({"target_kind": "PERILAKU", "rhk": None, "core_value": 8}, "core_value"),
        ({"target_kind": "PERILAKU", "rhk": None}, "core_value"),
        ({"target_kind": "REALISASI", "rhk": None}, "realisasi_id"),
    ],
)
def test_bad_feedback_is_refused(
    cast: Cast, plan: Plan, change: dict[str, Any], field: str
) -> None:
    with pytest.raises(ServiceError) as caught:
        on_rhk(cast, plan, **change)
    assert caught.value.field == field
    assert not UmpanBalik.objects.exists()


def test_a_thread_is_about_exactly_one_thing(cast: Cast, plan: Plan) -> None:
    """A reference that belongs to another kind of target is refused, not dropped."""
    cases: list[tuple[dict[str, Any], str]] = [
        ({"core_value": 2}, "core_value"),
        ({"realisasi": plan.realisasi}, "realisasi_id"),
        ({"target_kind": "REALISASI", "rhk": plan.rhk, "realisasi": plan.realisasi}, "rhk_id"),
        ({"target_kind": "REALISASI", "rhk": None, "realisasi": plan.realisasi,
          "core_value": 1}, "core_value"),
        ({"target_kind": "PERILAKU", "core_value": 1}, "rhk_id"),
        ({"target_kind": "PERILAKU", "rhk": None, "core_value": 1,
          "realisasi": plan.realisasi}, "realisasi_id"),
    ]  # fmt: skip
    for change, field in cases:
        with pytest.raises(ServiceError) as caught:
            on_rhk(cast, plan, **change)
        assert caught.value.field == field, change
    assert caught.value.message == (
        "realisasi_id harus kosong untuk target_kind PERILAKU: satu utas umpan balik hanya "
        "tentang satu hal."
    )
    assert not UmpanBalik.objects.exists()


def test_targets_of_another_skp_or_period_are_refused(cast: Cast, plan: Plan) -> None:
    other_rhk = plan.staf_b_skp.rhk.get()
    with pytest.raises(ServiceError, match="milik SKP lain"):
        on_rhk(cast, plan, rhk=other_rhk)
    with pytest.raises(ServiceError, match="tercatat pada periode"):
        on_rhk(
            cast, plan, target_kind="REALISASI", rhk=None, realisasi=plan.realisasi,
            period=plan.other_period,
        )  # fmt: skip
    thread = feedback.umpan_balik_add(
        by=cast.user("kasi"), skp=plan.staf_b_skp, text="x", period=plan.period,
        target_kind="RHK", rhk=other_rhk,
    )  # fmt: skip
    with pytest.raises(ServiceError, match="SKP lain"):
        feedback.umpan_balik_add(by=cast.user("kasi"), skp=plan.skp, text="y", parent=thread)
    with pytest.raises(ServiceError, match="periode yang sama"):
        feedback.umpan_balik_add(
            by=cast.user("staf_b"), skp=plan.staf_b_skp, text="y", parent=thread,
            period=plan.other_period,
        )  # fmt: skip


def test_no_feedback_before_approval(cast: Cast, plan: Plan) -> None:
    year = timezone.localdate().year
    draft = plans.skp_create(by=cast.user("perawat"), pegawai=cast.perawat, year=year)
    assert draft.rater_id == cast.kapus.pk
    with pytest.raises(Conflict, match="sudah disetujui"):
        feedback.umpan_balik_add(
            by=cast.user("kapus"), skp=draft, text="x", period=1, target_kind="PERILAKU",
            core_value=1,
        )  # fmt: skip


def test_the_database_keeps_exactly_one_target(cast: Cast, plan: Plan) -> None:
    base = {
        "instansi_id": plan.skp.instansi_id, "skp": plan.skp, "period": plan.period,
        "author": cast.kasi, "text": "x",
    }  # fmt: skip
    for bad in (
        {"target_kind": "RHK", "rhk": plan.rhk, "core_value": 1},
        {"target_kind": "RHK"},
        {"target_kind": "PERILAKU", "core_value": 9},
        {"target_kind": "REALISASI", "rhk": plan.rhk},
        {"target_kind": "PERILAKU", "core_value": 2, "realisasi": plan.realisasi},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            UmpanBalik.objects.create(**base, **bad)


def test_threads_are_kept_per_period(cast: Cast, plan: Plan, login: Login) -> None:
    now = on_rhk(cast, plan, text="Periode ini")
    on_rhk(cast, plan, text="Periode lain", period=plan.other_period)
    feedback.umpan_balik_add(by=cast.user("staf_a"), skp=plan.skp, text="Balasan", parent=now)
    client = login("staf_a")
    data = ok(client.get(f"{API}/skp/{plan.skp.pk}/umpan-balik", {"period": plan.period}))
    assert [t["text"] for t in data] == ["Periode ini"]
    assert [r["text"] for r in data[0]["replies"]] == ["Balasan"]
    assert data[0]["author"] == {"id": cast.kasi.pk, "name": cast.kasi.display_name}
    every = ok(client.get(f"{API}/skp/{plan.skp.pk}/umpan-balik"))
    assert sorted(t["period"] for t in every) == sorted([plan.period, plan.other_period])


# --- email after commit -------------------------------------------------------------------


def test_email_leaves_only_after_commit(
    cast: Cast, plan: Plan, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        on_rhk(cast, plan)
    assert mail.outbox == []  # the transaction has not committed yet
    assert len(callbacks) == 1
    callbacks[0]()
    [message] = mail.outbox
    assert message.to == [cast.staf_a.email]
    assert message.subject.startswith("[Kinerja] Agus Salim memberi umpan balik")
    assert "Bagus, lanjutkan." in message.body


def test_a_rolled_back_feedback_sends_nothing(
    cast: Cast, plan: Plan, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ServiceError):
        on_rhk(cast, plan, core_value=9, target_kind="PERILAKU", rhk=None)
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_digest_users_get_no_instant_email(
    cast: Cast, plan: Plan, django_capture_on_commit_callbacks: Any
) -> None:
    preference_set(by=cast.user("staf_a"), email_mode="DIGEST")
    with django_capture_on_commit_callbacks(execute=True):
        on_rhk(cast, plan)
    assert mail.outbox == []
    assert len(notices(cast.user("staf_a"))) == 1


# --- dialog kinerja -----------------------------------------------------------------------


def add_dialog(cast: Cast, plan: Plan, who: str = "kasi", **extra: Any) -> DialogKinerja:
    today = timezone.localdate()
    values: dict[str, Any] = {
        "period": plan.period,
        "held_on": today,
        "notes": "Membahas capaian posyandu.",
        "follow_ups": [
            feedback.FollowUp("Lengkapi bukti dukung", today + timedelta(days=7)),
            feedback.FollowUp("Jadwalkan kunjungan", today + timedelta(days=14), cast.kasi.pk),
        ],
    }
    values.update(extra)
    return feedback.dialog_kinerja_add(by=cast.user(who), skp=plan.skp, **values)


def test_rater_records_a_dialog_and_the_pegawai_is_told(cast: Cast, plan: Plan) -> None:
    dialog = add_dialog(cast, plan)
    assert dialog.created_by_id == cast.kasi.pk
    owners = list(dialog.tindak_lanjut.values_list("owner_id", flat=True))
    assert owners == [cast.staf_a.pk, cast.kasi.pk]
    [notice] = notices(cast.user("staf_a"))
    assert notice.kind == "dialog_kinerja" and "Tindak lanjut: 2" in notice.body
    assert AuditEvent.objects.filter(action="dialog_kinerja_add").count() == 1


@pytest.mark.parametrize("who", ["staf_a", "staf_b", "outsider", "admin"])
def test_only_raters_record_dialogs(cast: Cast, plan: Plan, who: str) -> None:
    with pytest.raises(Refused):
        add_dialog(cast, plan, who)
    assert not DialogKinerja.objects.exists()


def test_bad_dialogs_are_refused(cast: Cast, plan: Plan) -> None:
    today = timezone.localdate()
    with pytest.raises(ServiceError, match="masa depan"):
        add_dialog(cast, plan, held_on=today + timedelta(days=1))
    with pytest.raises(ServiceError, match="wajib diisi"):
        add_dialog(cast, plan, notes=" ")
    span = feedback.check_period(plan.skp, plan.period)
    before = span.start - timedelta(days=1)
    with pytest.raises(ServiceError) as caught:
        add_dialog(cast, plan, held_on=before)  # filed under a period that had not begun
    assert caught.value.field == "held_on" and caught.value.message == (
        f"Tanggal dialog {before:%d-%m-%Y} sebelum periode {span.label} dimulai "
        f"({span.start:%d-%m-%Y})."
    )
    with pytest.raises(ServiceError, match="sebelum dialog") as caught:
        add_dialog(cast, plan, follow_ups=[feedback.FollowUp("x", today - timedelta(days=1))])
    assert caught.value.field == "follow_ups.0.due_date"
    latest = date(today.year + 1, 12, 31)  # the end of the next year, at the latest
    with pytest.raises(ServiceError) as caught:
        good = feedback.FollowUp("x", today)
        add_dialog(cast, plan, follow_ups=[good, feedback.FollowUp("x", date(2099, 1, 1))])
    assert caught.value.field == "follow_ups.1.due_date"
    assert caught.value.message == f"Tenggat tindak lanjut paling lambat {latest:%d-%m-%Y}."
    with pytest.raises(ServiceError, match="Penanggung jawab") as caught:
        good = feedback.FollowUp("x", today)
        add_dialog(cast, plan, follow_ups=[good, feedback.FollowUp("x", today, cast.staf_b.pk)])
    assert caught.value.field == "follow_ups.1.owner_id"  # the second, from 0 as in the schema
    with pytest.raises(ServiceError, match="wajib diisi") as caught:
        add_dialog(cast, plan, follow_ups=[feedback.FollowUp(" ", today)])
    assert caught.value.field == "follow_ups.0.text"
    with pytest.raises(ServiceError, match="Periode"):
        add_dialog(cast, plan, period=13)
    assert not DialogKinerja.objects.exists()
    assert not TindakLanjut.objects.exists()
    accepted = add_dialog(cast, plan, follow_ups=[feedback.FollowUp("x", latest)])
    assert accepted.tindak_lanjut.get().due_date == latest  # the last day allowed


def test_follow_ups_are_marked_done_by_their_owner_or_the_rater(cast: Cast, plan: Plan) -> None:
    dialog = add_dialog(cast, plan)
    mine, raters = dialog.tindak_lanjut.order_by("id")
    with pytest.raises(Refused):
        feedback.tindak_lanjut_done(by=cast.user("staf_b"), tindak_lanjut=mine)
    feedback.tindak_lanjut_done(by=cast.user("staf_a"), tindak_lanjut=mine)
    mine.refresh_from_db()
    assert mine.done_at is not None
    with pytest.raises(Conflict):
        feedback.tindak_lanjut_done(by=cast.user("kasi"), tindak_lanjut=mine)
    with pytest.raises(Refused):  # the pegawai does not close the rater's own follow-up
        feedback.tindak_lanjut_done(by=cast.user("staf_a"), tindak_lanjut=raters)
    feedback.tindak_lanjut_done(by=cast.user("kasi"), tindak_lanjut=raters)
    assert AuditEvent.objects.filter(action="tindak_lanjut_done").count() == 2


# --- the JSON API -------------------------------------------------------------------------


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return json.loads(response.content)


def post(client: Client, path: str, payload: dict[str, Any]) -> Any:
    return client.post(f"{API}{path}", data=json.dumps(payload), content_type="application/json")


def error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    data: dict[str, Any] = json.loads(response.content)
    assert set(data) == {"detail", "code", "errors"} and data["code"] == code
    return data


def test_api_feedback_story(cast: Cast, plan: Plan, login: Login) -> None:
    path = f"/skp/{plan.skp.pk}/umpan-balik"
    kasi = login("kasi")
    started = ok(
        post(kasi, path, {"period": plan.period, "target_kind": "REALISASI",
                          "realisasi_id": plan.realisasi.pk, "text": "Bukti lengkap."}),
        201,
    )  # fmt: skip
    assert started["realisasi_id"] == plan.realisasi.pk and started["replies"] == []
    staf = login("staf_a")
    error(post(staf, path, {"period": plan.period, "target_kind": "PERILAKU",
                            "core_value": 1, "text": "x"}), 403, "forbidden")  # fmt: skip
    reply = ok(post(staf, path, {"parent_id": started["id"], "text": "Terima kasih."}), 201)
    assert reply["parent_id"] == started["id"] and reply["target_kind"] == "REALISASI"
    error(post(staf, path, {"parent_id": 999999, "text": "x"}), 404, "not_found")
    error(post(staf, path, {"parent_id": started["id"], "text": ""}), 400, "invalid")
    other_rhk = plan.staf_b_skp.rhk.get()
    kasi = login("kasi")
    error(
        post(kasi, path, {"period": plan.period, "target_kind": "RHK", "rhk_id": other_rhk.pk,
                          "text": "x"}), 404, "not_found",
    )  # fmt: skip
    [thread] = ok(kasi.get(f"{API}{path}"))
    assert [r["text"] for r in thread["replies"]] == ["Terima kasih."]


def test_api_a_thread_with_a_second_target_is_400(plan: Plan, login: Login) -> None:
    """An RHK thread that also names a core value is refused naming core_value (it was stored
    as an RHK thread, the value dropped)."""
    payload = {"period": plan.period, "target_kind": "RHK", "rhk_id": plan.rhk.pk,
               "core_value": 2, "text": "x"}  # fmt: skip
    data = error(post(login("kasi"), f"/skp/{plan.skp.pk}/umpan-balik", payload), 400, "invalid")
    assert [e["field"] for e in data["errors"]] == ["core_value"]
    assert data["detail"].startswith("core_value harus kosong untuk target_kind RHK")
    assert not UmpanBalik.objects.exists()


@pytest.mark.parametrize("who", ["staf_b", "outsider", "perawat"])
def test_api_outsiders_get_404(cast: Cast, plan: Plan, login: Login, who: str) -> None:
    thread = on_rhk(cast, plan)
    dialog = add_dialog(cast, plan)
    client = login(who)
    base = f"/skp/{plan.skp.pk}"
    error(client.get(f"{API}{base}/umpan-balik"), 404, "not_found")
    error(post(client, f"{base}/umpan-balik", {"parent_id": thread.pk, "text": "x"}), 404,
          "not_found")  # fmt: skip
    error(client.get(f"{API}{base}/dialog"), 404, "not_found")
    error(post(client, f"{base}/dialog", {"period": 1, "held_on": "2020-01-02", "notes": "x"}),
          404, "not_found")  # fmt: skip
    item = dialog.tindak_lanjut.first()
    assert item is not None
    error(post(client, f"/tindak-lanjut/{item.pk}/done", {}), 404, "not_found")


def test_api_readers_who_may_not_write_get_403(cast: Cast, plan: Plan, login: Login) -> None:
    """The auditor reads every SKP of the instansi but may not write feedback."""
    thread = on_rhk(cast, plan)
    auditor = login("auditor")
    assert len(ok(auditor.get(f"{API}/skp/{plan.skp.pk}/umpan-balik"))) == 1
    path = f"/skp/{plan.skp.pk}/umpan-balik"
    error(post(auditor, path, {"parent_id": thread.pk, "text": "x"}), 403, "forbidden")


def test_api_dialog_story(cast: Cast, plan: Plan, login: Login) -> None:
    today = timezone.localdate()
    path = f"/skp/{plan.skp.pk}/dialog"
    payload = {
        "period": plan.period, "held_on": today.isoformat(), "notes": "Dialog triwulan.",
        "follow_ups": [
            {"text": "Unggah bukti", "due_date": (today + timedelta(days=3)).isoformat()},
            {"text": "Cek ke lapangan", "due_date": (today + timedelta(days=5)).isoformat(),
             "owner_id": cast.kasi.pk},
        ],
    }  # fmt: skip
    error(post(login("staf_a"), path, payload), 403, "forbidden")
    kasi = login("kasi")
    created = ok(post(kasi, path, payload), 201)
    assert [t["owner"]["id"] for t in created["tindak_lanjut"]] == [cast.staf_a.pk, cast.kasi.pk]
    assert created["created_by"]["id"] == cast.kasi.pk
    staf = login("staf_a")
    [listed] = ok(staf.get(f"{API}{path}", {"period": plan.period}))
    assert listed["id"] == created["id"]
    assert ok(staf.get(f"{API}{path}", {"period": plan.other_period})) == []
    first = created["tindak_lanjut"][0]["id"]
    done = ok(post(staf, f"/tindak-lanjut/{first}/done", {}))
    assert done["done_at"] is not None
    error(post(staf, f"/tindak-lanjut/{first}/done", {}), 409, "conflict")
    second = created["tindak_lanjut"][1]["id"]
    error(post(staf, f"/tindak-lanjut/{second}/done", {}), 403, "forbidden")


@pytest.mark.parametrize("who", ["unknown", "outsider", "staf_b"])
def test_api_a_follow_up_owner_not_allowed_is_one_400(
    cast: Cast, plan: Plan, login: Login, who: str
) -> None:
    """An owner_id that exists nowhere is refused exactly like another instansi's pegawai or a
    peer: a 400 naming the follow-up's owner_id, so the answer does not tell which ids exist."""
    today = timezone.localdate().isoformat()
    owner = 999999 if who == "unknown" else getattr(cast, who).pk
    dialog = {"period": plan.period, "held_on": today, "notes": "x",
              "follow_ups": [{"text": "Cek", "due_date": today},
                             {"text": "Cek", "due_date": today, "owner_id": owner}]}  # fmt: skip
    data = error(post(login("kasi"), f"/skp/{plan.skp.pk}/dialog", dialog), 400, "invalid")
    message = "Penanggung jawab tindak lanjut harus pegawai atau pejabat penilainya."
    assert data["errors"] == [{"field": "follow_ups.1.owner_id", "message": message}]
    assert data["detail"] == message
    assert not DialogKinerja.objects.exists() and not TindakLanjut.objects.exists()


def test_api_unknown_fields_are_422_and_nothing_is_written(
    cast: Cast, plan: Plan, login: Login
) -> None:
    kasi = login("kasi")
    today = timezone.localdate().isoformat()
    thread = {"target_kind": "RHK", "rhk_id": plan.rhk.pk, "text": "x", "catatan": "?"}
    body = error(post(kasi, f"/skp/{plan.skp.pk}/umpan-balik", thread), 422, "invalid")
    assert body["errors"] == [{"field": "catatan", "message": "Isian ini tidak dikenal."}]
    dialog = {"period": plan.period, "held_on": today, "notes": "x",
              "follow_ups": [{"text": "x", "due_date": today, "extra": 1}]}  # fmt: skip
    body = error(post(kasi, f"/skp/{plan.skp.pk}/dialog", dialog), 422, "invalid")
    unknown = {"field": "follow_ups.0.extra", "message": "Isian ini tidak dikenal."}
    assert body["errors"] == [unknown]
    assert not UmpanBalik.objects.exists() and not DialogKinerja.objects.exists()


def test_api_thread_list_queries_do_not_grow(
    cast: Cast, plan: Plan, login: Login, django_assert_num_queries: Any
) -> None:
    for n in range(3):
        thread = on_rhk(cast, plan, text=f"Utas {n}")
        for m in range(2):
            feedback.umpan_balik_add(
                by=cast.user("staf_a"), skp=plan.skp, text=f"Balasan {m}", parent=thread
            )
    client = login("staf_a")
    client.get(f"{API}/skp/{plan.skp.pk}/umpan-balik")  # warm the session
    with django_assert_num_queries(9):
        data = ok(client.get(f"{API}/skp/{plan.skp.pk}/umpan-balik"))
    assert len(data) == 3 and all(len(t["replies"]) == 2 for t in data)


def test_an_unknown_part_of_the_skp_is_named_with_a_capital(plan: Plan, login: Login) -> None:
    """The 404 of a realisasi that is not on this SKP reads as a sentence, like other 404s."""
    other = plan.realisasi.pk + 1000  # no entry of this SKP
    answer = post(
        login("kasi"),
        f"/skp/{plan.skp.pk}/umpan-balik",
        {"period": plan.period, "target_kind": "REALISASI", "realisasi_id": other, "text": "x"},
    )
    data = error(answer, 404, "not_found")
    assert data["detail"] == f"Realisasi dengan id {other} tidak ditemukan pada SKP ini."


def test_api_404_names_go_through_gettext(
    cast: Cast, plan: Plan, login: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The name in a 404 of the feedback API is a catalogue entry, not a literal."""
    from kinerja.progress import feedback_api

    monkeypatch.setattr(feedback_api, "_", lambda message: f"«{message}»")
    kasi = login("kasi")
    data = error(post(kasi, "/tindak-lanjut/999999/done", {}), 404, "not_found")
    assert data["detail"] == "«Tindak lanjut» dengan id 999999 tidak ditemukan."


def test_api_404_of_a_follow_up_in_english(plan: Plan, login: Login) -> None:
    """ "Tindak lanjut" is an existing catalogue entry ("Follow-up")."""
    answer = login("kasi").post(f"{API}/tindak-lanjut/999999/done", HTTP_ACCEPT_LANGUAGE="en")
    data = error(answer, 404, "not_found")
    assert data["detail"] == "Follow-up with id 999999 not found."
