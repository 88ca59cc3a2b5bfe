"""What the reads show after a perubahan SKP when an evaluated period's records stayed on the old
version (docs/progress.md §6): the story of test_versions.py, where TRIWULAN I (evaluated, here
final, before the change) keeps its entry, thread and dialog on version 1. The year's progress
of an IKI counts the entries of its earlier copies (kinerja/progress/lineage.py) on every
surface: the realisasi page and API, the team page, the early-warning scan."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kinerja.accounts.services import api_token_create
from kinerja.development.scan import skp_progress
from kinerja.development.scan_reads import batch_facts
from kinerja.org.testing import Cast
from kinerja.progress import feedback_services as feedback
from kinerja.progress import queries, views
from kinerja.progress.feedback_models import DialogKinerja
from kinerja.progress.lineage import earlier_copies
from kinerja.progress.models import Realisasi
from kinerja.progress.team_queries import team_progress, unit_rollup
from kinerja.progress.tests.test_services import TODAY, YEAR
from kinerja.progress.tests.test_versions import Q1_DAY, copy_of, pin, revise, skp_of, story
from kinerja.progress.tests.test_views import ok, page

Login = Callable[[str], Client]


def test_overdue_follow_ups_of_a_dialog_left_on_the_old_version_still_count(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = story(cast, monkeypatch)
    kasi = cast.user("kasi")
    pin(monkeypatch, Q1_DAY)
    q1 = feedback.dialog_kinerja_add(
        by=kasi, skp=s.plan.skp, period=1, held_on=Q1_DAY, notes="Tindak lanjut triwulan I",
        follow_ups=[feedback.FollowUp("Rekap posyandu", date(YEAR, 3, 1))],
    )  # fmt: skip
    pin(monkeypatch, TODAY)
    new = revise(cast, s)
    assert skp_of(DialogKinerja, q1.pk) == s.plan.skp.pk  # TRIWULAN I stays where it is evaluated
    [row] = [r for r in team_progress(kasi, year=YEAR).rows if r.pegawai_id == cast.staf_a.pk]
    assert row.skp_id == new.pk
    # The team page counts the pegawai's follow-ups of the year on every version, as the unit
    # roll-up does (it read only the version in force: 0 here, 1 there).
    assert row.overdue == 1
    seksi = [u for u in unit_rollup(cast.user("kabid"), cast.bidang, year=YEAR)
             if u.name == "Seksi Pelayanan Primer"]  # fmt: skip
    assert [u.overdue for u in seksi] == [1]


def test_earlier_copies_follow_each_chain_back_and_stop_outside_the_versions_read() -> None:
    # 30 on version 3 was copied from 20 (version 2), copied from 10 (version 1); 31 is new;
    # 21 was copied from 99, which is not among the versions read; 5 and 6 copy each other.
    links = {30: 20, 20: 10, 10: None, 31: None, 21: 99, 5: 6, 6: 5}
    assert earlier_copies([30, 31, 21], links) == {20: 30, 10: 30}
    assert earlier_copies([5], links) == {6: 5}  # a loop ends where it began
    assert earlier_copies([], links) == {}


def test_the_year_counts_what_an_evaluated_period_kept_on_the_old_version(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, client: Client, login: Login
) -> None:
    s = story(cast, monkeypatch, final_q1=True)
    kasi, old = cast.user("kasi"), s.plan.skp

    def dewi(period: int | None = None) -> Any:
        data = team_progress(kasi, year=YEAR, period=period)
        return next(r for r in data.rows if r.pegawai_id == cast.staf_a.pk)

    before, before_q1 = dewi(), dewi(1)
    assert (before_q1.iki_reported, before_q1.last_report) == (1, Q1_DAY)
    new = revise(cast, s)
    assert skp_of(Realisasi, s.q1_entry.pk) == old.pk  # TRIWULAN I stayed with its evaluation
    kuantitas = copy_of(s.plan.iki, new)
    # The version in force counts the TRIWULAN I entry (2) with the moved correction (4).
    item = queries.iki_progress(new)[kuantitas.pk]
    assert item.realised == 6 and [e.pk for e in item.entries] == [s.correction.pk, s.q1_entry.pk]
    # The team page: the same progress as before the approval, and TRIWULAN I still reported.
    now, q1 = dewi(), dewi(1)
    assert now.skp_id == new.pk and (now.progress, now.status) == (before.progress, before.status)
    assert (q1.skp_id, q1.iki_reported, q1.last_report, q1.status) == (
        new.pk, 1, Q1_DAY, before_q1.status
    )  # fmt: skip
    # The early-warning scan, one SKP at a time and in its batch, reads the same.
    batch = batch_facts([new.pk], instansi_id=new.instansi_id, period=2)[new.pk]
    assert batch.progress == skp_progress(new, 2)
    assert batch.progress is not None and batch.progress > 0
    # The realisasi page lists the entry, read only, saying where it is (its day: 15 May).
    monkeypatch.setattr(views, "timezone", SimpleNamespace(localdate=lambda: TODAY))
    html = ok(login("staf_a").get(page(new)))
    assert f'id="entri-{s.q1_entry.pk}"' in html and "pada versi 1" in html
    assert reverse("progress:correct", args=[new.pk, s.q1_entry.pk]) not in html
    assert reverse("progress:correct", args=[new.pk, s.correction.pk]) in html  # TRIWULAN II's
    # The API lists it with the version that holds it.
    _token, raw = api_token_create(by=cast.user("staf_a"), name="hp")
    answer = client.get(
        f"/api/v1/skp/{new.pk}/realisasi", headers={"Authorization": f"Bearer {raw}"}
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    listed = {e["id"]: e for e in body["entries"]}
    assert listed[s.q1_entry.pk]["skp_id"] == old.pk
    [iki] = [i for i in body["iki"] if i["iki_id"] == kuantitas.pk]
    assert Decimal(str(iki["realised"])) == 6
