"""Writes on a version that a perubahan SKP replaces (services.lock_version, docs/progress.md §6).

Once the new version is approved, nothing new starts on the old one: no entry, feedback thread
or dialog kinerja (they would be missing on the version in force), while a reply still joins a
thread that stayed there (a period already evaluated). While the perubahan is pending, the old
version is the one in force and takes entries, through the ordinary path, which locks it
against the approval: a write and an approval never cross (the PostgreSQL tests below run them
at the same time).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.core.errors import Conflict
from kinerja.org.testing import Cast
from kinerja.plans import services as plans
from kinerja.plans.models import Skp
from kinerja.progress import feedback_services as feedback
from kinerja.progress import quick, services
from kinerja.progress.feedback_models import DialogKinerja, UmpanBalik
from kinerja.progress.models import Realisasi
from kinerja.progress.tests.test_services import TODAY
from kinerja.progress.tests.test_versions import copy_of, revise, skp_of, story
from kinerja.progress.tests.test_views import Login, ok, page

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks and the one-statement path"
)


def test_no_new_thread_or_dialog_on_a_replaced_version(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = story(cast, monkeypatch)
    old, kasi = s.plan.skp, cast.user("kasi")
    new = revise(cast, s)
    threads, dialogs = UmpanBalik.objects.count(), DialogKinerja.objects.count()
    with pytest.raises(Conflict, match="digantikan"):
        feedback.umpan_balik_add(
            by=kasi, skp=old, period=2, target_kind="PERILAKU", core_value=1, text="Lagi."
        )
    with pytest.raises(Conflict, match="digantikan"):
        feedback.dialog_kinerja_add(by=kasi, skp=old, period=2, held_on=TODAY, notes="Lagi")
    assert (UmpanBalik.objects.count(), DialogKinerja.objects.count()) == (threads, dialogs)
    thread = feedback.umpan_balik_add(
        by=kasi, skp=new, period=2, target_kind="PERILAKU", core_value=1, text="Di versi baru."
    )
    assert thread.skp_id == new.pk


def test_a_reply_joins_its_thread_where_it_is_now(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = story(cast, monkeypatch)
    old, staf = s.plan.skp, cast.user("staf_a")
    new = revise(cast, s)
    # TRIWULAN I was evaluated on the old version: its thread stayed and takes replies there.
    answer = feedback.umpan_balik_add(by=staf, skp=old, parent=s.q1_thread, text="Terima kasih.")
    assert (answer.skp_id, answer.parent_id, answer.period) == (old.pk, s.q1_thread.pk, 1)
    # TRIWULAN II's thread moved with its RHK: a reply sent from the old page is refused…
    replies = UmpanBalik.objects.filter(parent=s.on_rhk).count()
    with pytest.raises(Conflict, match="pindah ke versi SKP yang berlaku"):
        feedback.umpan_balik_add(by=staf, skp=old, parent=s.on_rhk, text="Siap, Pak.")
    assert UmpanBalik.objects.filter(parent=s.on_rhk).count() == replies
    # …and taken on the new version.
    s.on_rhk.refresh_from_db()
    reply = feedback.umpan_balik_add(by=staf, skp=new, parent=s.on_rhk, text="Siap, Pak.")
    assert reply.skp_id == new.pk


def test_while_the_perubahan_is_pending_the_old_version_takes_entries_that_then_follow(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = story(cast, monkeypatch)
    old, staf = s.plan.skp, cast.user("staf_a")
    new = revise(cast, s, approve=False)
    entry, created = services.realisasi_record(by=staf, iki=s.plan.iki, day=TODAY, value="5")
    assert created and entry.skp_id == old.pk
    plans.skp_approve(by=cast.user("kasi"), skp=new)
    entry.refresh_from_db()
    assert (entry.skp_id, entry.iki_id) == (new.pk, copy_of(s.plan.iki, new).pk)


@on_postgres
def test_the_one_statement_path_leaves_a_version_with_a_pending_perubahan_to_the_ordinary(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kinerja.accounts.services import api_token_create

    s = story(cast, monkeypatch)
    _token, raw = api_token_create(by=cast.user("staf_a"), name="hp")
    revise(cast, s, approve=False)
    count = Realisasi.objects.count()
    fast = quick.realisasi_record_quick(
        token=raw, iki_id=s.plan.iki.pk, day=TODAY, value="5", narrative="", key="k-pending"
    )
    assert fast is None and Realisasi.objects.count() == count


@on_postgres
def test_writes_lock_the_version_and_the_approval_locks_it_before_it_records(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = story(cast, monkeypatch)
    staf = cast.user("staf_a")
    new = revise(cast, s, approve=False)
    with CaptureQueriesContext(connection) as write:
        services.realisasi_record(by=staf, iki=s.plan.iki, day=TODAY, value="5")
    with CaptureQueriesContext(connection) as approval:
        plans.skp_approve(by=cast.user("kasi"), skp=new)

    def first(queries: CaptureQueriesContext, needle: str) -> int:
        return next(i for i, q in enumerate(queries.captured_queries) if needle in q["sql"])

    for queries in (write, approval):
        lock = first(queries, "FOR NO KEY UPDATE")
        assert 'FROM "plans_skp"' in queries.captured_queries[lock]["sql"]
        assert lock < first(queries, "audit_auditchainhead")


def test_the_old_versions_page_says_where_the_record_went_and_offers_no_new_writes(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, login: Login
) -> None:
    s = story(cast, monkeypatch)
    old = s.plan.skp
    new = revise(cast, s)
    staf_page = ok(login("staf_a").get(page(old)))
    assert 'id="versi-lama"' in staf_page and f'href="{page(new)}"' in staf_page
    assert f"versi {new.version} yang disetujui" in staf_page
    record_url = reverse("progress:record", args=[old.pk, s.plan.iki.pk])
    rencana_url = reverse("progress:rencana_aksi", args=[old.pk, s.plan.iki.pk])
    assert record_url not in staf_page and rencana_url not in staf_page
    assert 'id="versi-lama"' not in ok(login("staf_a").get(page(new)))
    kasi_page = ok(login("kasi").get(page(old)))
    assert reverse("progress:dialog", args=[old.pk]) not in kasi_page
    assert reverse("progress:umpan_balik", args=[old.pk, "PERILAKU", 0]) not in kasi_page
    # The TRIWULAN I thread stayed (its period was evaluated there) and takes replies.
    assert reverse("progress:balasan", args=[old.pk, s.q1_thread.pk]) in kasi_page
    kasi_new = ok(login("kasi").get(page(new)))
    assert reverse("progress:dialog", args=[new.pk]) in kasi_new


def test_while_the_perubahan_waits_the_old_page_still_takes_entries(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, login: Login
) -> None:
    s = story(cast, monkeypatch)
    revise(cast, s, approve=False)
    html = ok(login("staf_a").get(page(s.plan.skp)))
    assert 'id="versi-lama"' not in html
    assert reverse("progress:record", args=[s.plan.skp.pk, s.plan.iki.pk]) in html


# --- at the same time (PostgreSQL, two connections) ----------------------------------------


def _run(target: Callable[[], Any], out: dict[str, Any]) -> threading.Thread:
    def body() -> None:
        try:
            out["result"] = target()
        except BaseException as exc:  # reported by the test
            out["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=body)
    thread.start()
    return thread


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_an_entry_written_while_the_approval_waits_follows_to_the_new_version(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = story(cast, monkeypatch)
    staf, kasi = cast.user("staf_a"), cast.user("kasi")
    new = revise(cast, s, approve=False)
    inside, go = threading.Event(), threading.Event()
    stored = getattr(services, "store_evidence")  # noqa: B009 - imported there, patched there

    def held(*args: Any) -> None:  # the entry is saved, its transaction still open
        stored(*args)
        inside.set()
        assert go.wait(10)

    monkeypatch.setattr(services, "store_evidence", held)
    wrote: dict[str, Any] = {}
    writer = _run(
        lambda: services.realisasi_record(by=staf, iki=s.plan.iki, day=TODAY, value="7"), wrote
    )
    assert inside.wait(10)
    approved: dict[str, Any] = {}
    approver = _run(lambda: plans.skp_approve(by=kasi, skp=Skp.objects.get(pk=new.pk)), approved)
    approver.join(1.0)
    assert approver.is_alive()  # waiting for the entry's transaction
    go.set()
    writer.join(10)
    approver.join(10)
    assert "error" not in wrote and "error" not in approved, (wrote, approved)
    entry, _created = wrote["result"]
    assert skp_of(Realisasi, entry.pk) == new.pk


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_an_entry_sent_during_the_approval_is_refused_after_it(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = story(cast, monkeypatch)
    staf, kasi = cast.user("staf_a"), cast.user("kasi")
    new = revise(cast, s, approve=False)
    inside, go = threading.Event(), threading.Event()
    recorded = getattr(plans, "record")  # noqa: B009 - imported there, patched there

    def held(action: str, **kwargs: Any) -> None:  # the old version locked, the approval open
        recorded(action, **kwargs)
        if action == "skp_approve":
            inside.set()
            assert go.wait(10)

    monkeypatch.setattr(plans, "record", held)
    approved: dict[str, Any] = {}
    approver = _run(lambda: plans.skp_approve(by=kasi, skp=Skp.objects.get(pk=new.pk)), approved)
    assert inside.wait(10)
    wrote: dict[str, Any] = {}
    writer = _run(
        lambda: services.realisasi_record(by=staf, iki=s.plan.iki, day=TODAY, value="7"), wrote
    )
    writer.join(1.0)
    assert writer.is_alive()  # waiting for the approval
    count = Realisasi.objects.count()
    go.set()
    approver.join(10)
    writer.join(10)
    assert "error" not in approved, approved
    assert isinstance(wrote.get("error"), Conflict) and "digantikan" in str(wrote["error"])
    assert Realisasi.objects.count() == count
    assert not Realisasi.objects.filter(skp=s.plan.skp, period=2).exists()
