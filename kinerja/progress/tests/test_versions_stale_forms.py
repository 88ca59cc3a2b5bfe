"""Forms on a page loaded before a perubahan SKP was approved post the old version's address.
What they name — an entry, a thread, a follow-up — moved to the approved version (an UPDATE,
same id), so the page's forms act where it is now and say so (views.on_this_plan); the API,
asked on the old SKP, answers 409 naming the version that holds it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from kinerja.org.testing import Cast
from kinerja.progress import feedback_services as feedback
from kinerja.progress import services
from kinerja.progress.feedback_models import TindakLanjut, UmpanBalik
from kinerja.progress.models import Realisasi
from kinerja.progress.tests.test_services import TODAY, make_plan
from kinerja.progress.tests.test_versions import Story, copy_of, revise, skp_of, story

Login = Callable[[str], Client]
MOVED = "sudah pindah ke versi 2 SKP yang berlaku"


def moved_story(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> tuple[Story, TindakLanjut, int]:
    s = story(cast, monkeypatch)
    dialog = feedback.dialog_kinerja_add(
        by=cast.user("kasi"), skp=s.plan.skp, period=2, held_on=TODAY, notes="Tindak lanjut",
        follow_ups=[feedback.FollowUp(text="Unggah daftar hadir", due_date=TODAY)],
    )  # fmt: skip
    item = dialog.tindak_lanjut.get()
    new = revise(cast, s)
    return s, item, new.pk


def notes(answer: object) -> list[str]:
    return [str(m) for m in get_messages(answer.wsgi_request)]  # type: ignore[attr-defined]


def test_a_correction_from_the_old_page_lands_on_the_version_in_force(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, login: Login
) -> None:
    s, _item, new = moved_story(cast, monkeypatch)
    client = login("staf_a")
    answer = client.post(
        reverse("progress:correct", args=[s.plan.skp.pk, s.correction.pk]),
        {"value": "5", "reason": "Salah ketik"},
    )
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("progress:skp", args=[new]))
    fixed = Realisasi.objects.get(corrects=s.correction)
    assert (fixed.skp_id, str(fixed.value)) == (new, "5.00")
    assert any(MOVED in m for m in notes(answer))


def test_a_reply_and_a_comment_from_the_old_page_join_the_moved_thread_and_entry(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, login: Login
) -> None:
    s, _item, new = moved_story(cast, monkeypatch)
    staf = login("staf_a")
    answer = staf.post(
        reverse("progress:balasan", args=[s.plan.skp.pk, s.on_rhk.pk]),
        {"text": "Sudah saya unggah."},
    )
    assert answer.status_code == 302 and any(MOVED in m for m in notes(answer))
    reply = UmpanBalik.objects.get(parent=s.on_rhk, text="Sudah saya unggah.")
    assert reply.skp_id == new == skp_of(UmpanBalik, s.on_rhk.pk)
    kasi = login("kasi")
    answer = kasi.post(
        reverse("progress:umpan_balik", args=[s.plan.skp.pk, "REALISASI", s.correction.pk]),
        {"text": "Angkanya sesuai."},
    )
    assert answer.status_code == 302
    thread = UmpanBalik.objects.get(text="Angkanya sesuai.")
    assert (thread.skp_id, thread.realisasi_id) == (new, s.correction.pk)


def test_a_follow_up_from_the_old_page_is_marked_done(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, login: Login
) -> None:
    s, item, new = moved_story(cast, monkeypatch)
    client = login("kasi")
    answer = client.post(reverse("progress:tindak_lanjut_done", args=[s.plan.skp.pk, item.pk]))
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("progress:skp", args=[new]))
    item.refresh_from_db()
    assert item.done_at is not None


def test_what_is_on_no_version_of_the_plan_is_still_404(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, login: Login
) -> None:
    s, item, _new = moved_story(cast, monkeypatch)
    staf = login("staf_a")
    other = story_entry_of_staf_b(cast)
    assert (
        staf.post(
            reverse("progress:correct", args=[s.plan.skp.pk, other.pk]),
            {"value": "1", "reason": "x"},
        ).status_code
        == 404
    )
    assert (
        staf.post(
            reverse("progress:balasan", args=[s.plan.skp.pk, 999999]), {"text": "Halo"}
        ).status_code
        == 404
    )
    assert (
        login("kasi")
        .post(reverse("progress:tindak_lanjut_done", args=[s.plan.skp.pk, item.pk + 1000]))
        .status_code
        == 404
    )


def story_entry_of_staf_b(cast: Cast) -> Realisasi:
    plan = make_plan(cast, "staf_b")
    entry, _created = services.realisasi_record(
        by=cast.user("staf_b"), iki=plan.iki, day=TODAY, value="1"
    )
    return entry


def test_the_api_names_the_version_that_holds_a_moved_thread_or_entry(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, login: Login
) -> None:
    s, _item, new = moved_story(cast, monkeypatch)
    url = f"/api/v1/skp/{s.plan.skp.pk}/umpan-balik"
    reply = login("staf_a").post(
        url, {"parent_id": s.on_rhk.pk, "text": "Siap."}, content_type="application/json"
    )
    assert reply.status_code == 409
    assert reply.json()["detail"] == (
        f"Umpan balik dengan id {s.on_rhk.pk} sudah pindah ke versi SKP yang berlaku "
        f"(SKP {new}); kirim ke SKP itu."
    )
    comment = login("kasi").post(
        url,
        {"target_kind": "REALISASI", "realisasi_id": s.correction.pk, "text": "Baik."},
        content_type="application/json",
    )
    assert comment.status_code == 409 and f"(SKP {new})" in comment.json()["detail"]
    assert not UmpanBalik.objects.filter(text__in=["Siap.", "Baik."], skp_id=s.plan.skp.pk)


def test_a_report_sent_again_after_the_move_leads_to_where_the_entry_is(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, login: Login
) -> None:
    s = story(cast, monkeypatch)
    client = login("staf_a")
    url = reverse("progress:record", args=[s.plan.skp.pk, s.plan.iki.pk])
    sent = {"date": TODAY.isoformat(), "value": "2", "idempotency_key": "halaman-1"}
    assert client.post(url, sent).status_code == 302
    entry = Realisasi.objects.get(idempotency_key="halaman-1")
    new = revise(cast, s)
    again = client.post(url, sent)  # the phone retries the same form after the approval
    copy = copy_of(s.plan.iki, new)
    assert again.status_code == 302
    assert again["Location"] == reverse("progress:skp", args=[new.pk]) + f"#iki-{copy.pk}"
    assert Realisasi.objects.filter(idempotency_key="halaman-1").get().pk == entry.pk
    assert skp_of(Realisasi, entry.pk) == new.pk
