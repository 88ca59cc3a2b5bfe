"""Umpan balik and dialog kinerja on the realisasi page (the HTML forms): the rater comments on
an entry, an RHK or a BerAKHLAK value, the pegawai replies, a dialog records its follow-ups; who
may not write is refused, bad input comes back in place, a double tap counts once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kinerja.notify.models import Notification
from kinerja.org.testing import Cast
from kinerja.progress.feedback_models import DialogKinerja, TindakLanjut, UmpanBalik

from .conftest import Plan

Login = Callable[[str], Client]
KEY = "0123456789abcdef0123456789abcdef"


def page(plan: Plan) -> str:
    return reverse("progress:skp", args=[plan.skp.pk])


def comment_url(plan: Plan, kind: str, target: int) -> str:
    return reverse("progress:umpan_balik", args=[plan.skp.pk, kind, target])


def html_of(response: Any, status: int = 200) -> str:
    assert response.status_code == status, (response.status_code, response.content[:300])
    return str(response.content.decode())


def test_the_rater_comments_on_an_entry_and_the_pegawai_replies(
    cast: Cast, login: Login, plan: Plan
) -> None:
    url = comment_url(plan, "REALISASI", plan.realisasi.pk)
    kasi = login("kasi")
    assert url in html_of(kasi.get(page(plan)))  # the form is offered to the rater
    sent = kasi.post(url, {"text": "Bagus, tambah foto kegiatan.", "form_key": KEY})
    assert sent.status_code == 302 and sent["Location"].endswith(f"#entri-{plan.realisasi.pk}")
    thread = UmpanBalik.objects.get()
    assert (thread.realisasi_id, thread.period, thread.author_id) == (
        plan.realisasi.pk, plan.period, cast.kasi.pk,
    )  # fmt: skip
    note = Notification.objects.get(user=cast.user("staf_a"))
    assert "memberi umpan balik tentang realisasi" in note.title
    staf = login("staf_a")
    mine = html_of(staf.get(page(plan)))
    assert "Bagus, tambah foto kegiatan." in mine and url not in mine  # owners only reply
    reply_url = reverse("progress:balasan", args=[plan.skp.pk, thread.pk])
    assert reply_url in mine
    replied = staf.post(reply_url, {"text": "Siap, Pak.", "form_key": KEY})
    assert replied.status_code == 302
    reply = UmpanBalik.objects.get(parent=thread)
    assert reply.author_id == cast.staf_a.pk
    assert Notification.objects.filter(user=cast.user("kasi"), kind="umpan_balik").count() == 1
    assert "Siap, Pak." in html_of(login("kasi").get(page(plan)))


def test_a_double_tap_sends_one_comment(login: Login, plan: Plan) -> None:
    kasi = login("kasi")
    url = comment_url(plan, "RHK", plan.rhk.pk)
    data = {"text": "Perjelas targetnya.", "period": str(plan.period), "form_key": KEY}
    first, second = kasi.post(url, data), kasi.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert UmpanBalik.objects.filter(rhk=plan.rhk).count() == 1


def test_perilaku_feedback_names_the_core_value(cast: Cast, login: Login, plan: Plan) -> None:
    kasi = login("kasi")
    url = comment_url(plan, "PERILAKU", 0)
    sent = kasi.post(url, {"text": "Tetap ramah.", "period": str(plan.period), "core_value": "1"})
    assert sent.status_code == 302 and sent["Location"].endswith("#perilaku")
    assert UmpanBalik.objects.get().core_value == 1
    html = html_of(login("staf_a").get(page(plan)))
    assert "Berorientasi Pelayanan" in html and "Tetap ramah." in html


def test_bad_input_comes_back_in_place(login: Login, plan: Plan) -> None:
    kasi = login("kasi")
    url = comment_url(plan, "REALISASI", plan.realisasi.pk)
    html = html_of(kasi.post(url, {"text": "   "}), 400)
    assert "Bidang ini tidak boleh kosong." in html
    assert '<details class="add feedback" open>' in html
    html = html_of(kasi.post(url, {"text": "x" * 5001}), 400)
    assert "5000" in html
    rhk = comment_url(plan, "RHK", plan.rhk.pk)
    html_of(kasi.post(rhk, {"text": "Oke", "period": "99"}), 400)
    assert not UmpanBalik.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("staf_b", 404), ("outsider", 404), ("staf_a", 403)])
def test_who_may_not_start_a_thread(login: Login, plan: Plan, who: str, status: int) -> None:
    response = login(who).post(comment_url(plan, "RHK", plan.rhk.pk), {"text": "x", "period": "1"})
    assert response.status_code == status
    assert not UmpanBalik.objects.exists()


def test_the_auditor_reads_the_threads_but_may_not_write(
    cast: Cast, login: Login, plan: Plan
) -> None:
    from kinerja.progress import feedback_services

    thread = feedback_services.umpan_balik_add(
        by=cast.user("kasi"), skp=plan.skp, text="Catatan kasi", period=plan.period,
        target_kind="RHK", rhk=plan.rhk,
    )  # fmt: skip
    auditor = login("auditor")
    html = html_of(auditor.get(page(plan)))
    assert "Catatan kasi" in html and "/balas/" not in html and "/umpan-balik/" not in html
    reply = reverse("progress:balasan", args=[plan.skp.pk, thread.pk])
    assert auditor.post(reply, {"text": "x"}).status_code == 403
    assert UmpanBalik.objects.count() == 1


def test_unknown_targets_are_404(login: Login, plan: Plan) -> None:
    kasi = login("kasi")
    other = plan.staf_b_skp.rhk.get()
    for url in (
        comment_url(plan, "LAIN", 0),
        comment_url(plan, "RHK", other.pk),  # an RHK of another SKP
        comment_url(plan, "REALISASI", 999999),
        reverse("progress:balasan", args=[plan.skp.pk, 999999]),
    ):
        assert kasi.post(url, {"text": "x", "period": "1"}).status_code == 404
    assert not UmpanBalik.objects.exists()


def dialog_data(**extra: str) -> dict[str, str]:
    today = timezone.localdate().isoformat()
    data = {"held_on": today, "notes": "Dibahas capaian posyandu.", "form_key": KEY}
    return data | extra


def test_the_rater_records_a_dialog_with_follow_ups(cast: Cast, login: Login, plan: Plan) -> None:
    kasi = login("kasi")
    url = reverse("progress:dialog", args=[plan.skp.pk])
    due = timezone.localdate().isoformat()
    data = dialog_data(
        period=str(plan.period),
        follow_up_1_text="Tambah dua kunjungan", follow_up_1_due=due,
        follow_up_1_owner=str(cast.staf_a.pk),
        follow_up_2_text="Siapkan formulir", follow_up_2_due=due,
        follow_up_2_owner=str(cast.kasi.pk),
    )  # fmt: skip
    sent = kasi.post(url, data)
    assert sent.status_code == 302 and sent["Location"].endswith("#dialog")
    assert kasi.post(url, data).status_code == 302  # double tap
    dialog = DialogKinerja.objects.get()
    owners = sorted(dialog.tindak_lanjut.values_list("owner_id", flat=True))
    assert owners == sorted([cast.staf_a.pk, cast.kasi.pk])
    staf = login("staf_a")
    html = html_of(staf.get(page(plan)))
    assert "Dibahas capaian posyandu." in html and "Tambah dua kunjungan" in html
    assert reverse("progress:dialog", args=[plan.skp.pk]) not in html  # the pegawai only reads
    mine = dialog.tindak_lanjut.get(owner=cast.staf_a)
    theirs = dialog.tindak_lanjut.get(owner=cast.kasi)
    done_url = reverse("progress:tindak_lanjut_done", args=[plan.skp.pk, mine.pk])
    assert done_url in html
    assert staf.post(done_url).status_code == 302
    assert TindakLanjut.objects.get(pk=mine.pk).done_at is not None
    again = staf.post(done_url, follow=True)
    assert "sudah ditandai selesai" in html_of(again)
    other = reverse("progress:tindak_lanjut_done", args=[plan.skp.pk, theirs.pk])
    assert staf.post(other).status_code == 403
    assert TindakLanjut.objects.get(pk=theirs.pk).done_at is None


def test_a_bad_dialog_comes_back_with_its_errors(cast: Cast, login: Login, plan: Plan) -> None:
    kasi = login("kasi")
    url = reverse("progress:dialog", args=[plan.skp.pk])
    no_due = dialog_data(
        period=str(plan.period), follow_up_1_text="Tanpa tenggat",
        follow_up_1_owner=str(cast.staf_a.pk),
    )  # fmt: skip
    html = html_of(kasi.post(url, no_due), 400)
    assert "Isi tenggat tindak lanjut ini." in html and "Tanpa tenggat" in html
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    html = html_of(kasi.post(url, dialog_data(period=str(plan.period), held_on=tomorrow)), 400)
    assert "Tanggal dialog tidak boleh di masa depan." in html
    assert login("staf_a").post(url, dialog_data(period=str(plan.period))).status_code == 403
    assert not DialogKinerja.objects.exists()


def test_a_retried_api_post_with_the_same_key_makes_one_thread(login: Login, plan: Plan) -> None:
    kasi = login("kasi")
    body = {"text": "Lewat API", "period": plan.period, "target_kind": "RHK", "rhk_id": plan.rhk.pk}
    url = f"/api/v1/skp/{plan.skp.pk}/umpan-balik"
    sent = [
        kasi.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=KEY)
        for _ in range(2)
    ]
    assert [r.status_code for r in sent] == [201, 201]
    assert sent[0].json()["id"] == sent[1].json()["id"]
    assert UmpanBalik.objects.count() == 1


def test_a_follow_up_refused_by_the_service_is_shown_on_its_own_row(
    cast: Cast, login: Login, plan: Plan
) -> None:
    """Rows 1 and 3 filled, row 3 due before the dialog: the message sits under row 3's due
    date (the service names `follow_ups.1.due_date`)."""
    today = timezone.localdate()
    html = html_of(
        login("kasi").post(
            reverse("progress:dialog", args=[plan.skp.pk]),
            dialog_data(
                period=str(plan.period),
                follow_up_1_text="Baik", follow_up_1_due=today.isoformat(),
                follow_up_3_text="Terlambat",
                follow_up_3_due=(today - timedelta(days=9)).isoformat(),
            ),
        ),
        400,
    )  # fmt: skip
    due3 = html.split('for="dlg-follow_up_3_due"', 1)[1].split('for="dlg-follow_up_3_owner"')[0]
    assert "Tenggat tindak lanjut tidak boleh sebelum dialog." in due3  # under row 3's tenggat
    assert html.count("Tenggat tindak lanjut tidak boleh sebelum dialog.") == 1
    assert not DialogKinerja.objects.exists()


def test_a_reader_who_may_not_write_gets_403_even_for_an_invalid_form(
    login: Login, plan: Plan
) -> None:
    response = login("auditor").post(comment_url(plan, "RHK", plan.rhk.pk), {"text": ""})
    assert response.status_code == 403


def test_threads_dialogs_and_plans_name_their_period(cast: Cast, login: Login, plan: Plan) -> None:
    """The period's name ("TRIWULAN IV-AKHIR", "MARET") as in the page's heading, not its number."""
    from kinerja.plans.rules import periods
    from kinerja.progress import feedback_services, services

    kasi = cast.user("kasi")
    feedback_services.umpan_balik_add(
        by=kasi, skp=plan.skp, text="Catatan kasi", period=plan.period,
        target_kind="RHK", rhk=plan.rhk,
    )  # fmt: skip
    feedback_services.dialog_kinerja_add(
        by=kasi, skp=plan.skp, period=plan.period, held_on=timezone.localdate(), notes="Dialog"
    )
    services.rencana_aksi_add(
        by=cast.user("staf_a"), iki=plan.realisasi.iki, period=plan.period, text="Rapat posyandu"
    )
    label = next(
        p.label for p in periods(plan.skp.year, services.cadence_of(plan.skp))
        if p.number == plan.period
    )  # fmt: skip
    client = login("staf_a")
    for language in ("id", "en"):
        client.cookies["django_language"] = language
        html = html_of(client.get(page(plan)))
        assert html.count(f"· {label}") == 1  # the thread
        assert f"{label} · " in html  # the dialog: "<label> · dicatat oleh …"
        assert f'<small class="muted">{label}</small> Rapat posyandu' in html  # rencana aksi
        assert f"periode {plan.period}" not in html and f"period {plan.period} " not in html
