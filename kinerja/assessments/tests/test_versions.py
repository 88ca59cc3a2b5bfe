"""A perubahan SKP (a new version approved mid-year) does not get a period evaluated twice: the
evaluation opened on the earlier version is the period's, on the team list, in the API and at
the annual closing, and its lock holds for the copy's realisasi. staf_a reports, kasi rates."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date
from typing import Any

import pytest
from django.test import Client

from kinerja.core.errors import Conflict
from kinerja.org.testing import Cast
from kinerja.plans import services as plans
from kinerja.plans.models import Iki, Skp
from kinerja.progress import services as progress
from kinerja.progress.models import Realisasi

from .. import closing, queries, services
from ..models import ANNUAL, Evaluasi
from ..testing import YEAR, Plan, approved_skp, evaluation, on_day

MID_Q2 = date(YEAR, 5, 15)
MID_Q4 = date(YEAR, 11, 15)
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
Commit = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def revised(cast: Cast, plan: Plan) -> Skp:
    """Version 2 of staf_a's SKP, submitted and approved by kasi."""
    staf = cast.user("staf_a")
    copy = plans.skp_revise(by=staf, skp=plan.skp)
    plans.skp_submit(by=staf, skp=copy)
    plans.skp_approve(by=cast.user("kasi"), skp=copy)
    copy.refresh_from_db()
    return copy


def finalised_q2(cast: Cast, plan: Plan) -> Evaluasi:
    kasi = cast.user("kasi")
    with on_day(MID_Q2):
        evaluasi = services.evaluasi_open(by=kasi, skp=plan.skp, period=2)
        services.evaluasi_rate(by=kasi, evaluasi=evaluasi, rating_hasil="SESUAI",
                               rating_perilaku="SESUAI")  # fmt: skip
        return services.evaluasi_finalize(by=kasi, evaluasi=evaluasi)


def test_the_period_evaluated_before_the_perubahan_is_not_evaluated_again(cast: Cast) -> None:
    plan = approved_skp(cast, "staf_a")
    first = finalised_q2(cast, plan)
    copy = revised(cast, plan)
    assert copy.is_current and copy.version == 2
    with on_day(MID_Q2):
        again = services.evaluasi_open(by=cast.user("kasi"), skp=copy, period=2)
    assert again.pk == first.pk and again.skp_id == plan.skp.pk
    assert Evaluasi.objects.filter(pegawai=cast.staf_a, year=YEAR, period=2).count() == 1
    with on_day(MID_Q4):
        later = services.evaluasi_open(by=cast.user("kasi"), skp=copy, period=4)
    assert later.skp_id == copy.pk  # a period not yet evaluated goes on the version in force


def test_the_team_list_shows_the_earlier_versions_evaluation(cast: Cast) -> None:
    plan = approved_skp(cast, "staf_a")
    first = finalised_q2(cast, plan)
    copy = revised(cast, plan)
    rows = {row.skp.pegawai_id: row for row in queries.team(cast.user("kasi"), YEAR, 2)}
    row = rows[cast.staf_a.pk]
    assert row.skp.pk == copy.pk and row.evaluasi is not None and row.evaluasi.pk == first.pk
    assert row.predikat == first.predikat != ""


def test_the_lock_of_the_earlier_version_holds_for_the_copy(cast: Cast) -> None:
    plan = approved_skp(cast, "staf_a")
    finalised_q2(cast, plan)
    copy = revised(cast, plan)
    iki = Iki.objects.filter(rhk__skp=copy).order_by("rhk__order", "order", "id").first()
    assert iki is not None
    with on_day(MID_Q2), pytest.raises(Conflict, match="TRIWULAN II terkunci"):
        progress.realisasi_record(by=cast.user("staf_a"), iki=iki, day=MID_Q2, value="2")
    assert not Realisasi.objects.filter(skp=copy).exists()
    with on_day(MID_Q4):
        _entry, created = progress.realisasi_record(
            by=cast.user("staf_a"), iki=iki, day=MID_Q4, value="2"
        )
    assert created


def test_the_api_returns_the_existing_evaluation(
    cast: Cast, login: Callable[[str], Client]
) -> None:
    plan = approved_skp(cast, "staf_a")
    first = finalised_q2(cast, plan)
    copy = revised(cast, plan)
    with on_day(MID_Q2):
        response = login("kasi").post(f"/api/v1/penilaian/skp/{copy.pk}/evaluasi/2")
    assert response.status_code == 200, response.content
    assert json.loads(response.content)["evaluasi"]["id"] == first.pk


def test_the_closing_does_not_list_a_copy_whose_year_was_evaluated(
    cast: Cast, settings: Any, django_capture_on_commit_callbacks: Commit
) -> None:
    settings.TASKS = IMMEDIATE
    # Final, since a perubahan is not approved while the year's evaluation is a draft
    # (receivers.refuse_while_the_running_period_is_drafted).
    evaluation(cast, "staf_a", ANNUAL, "SESUAI", "SESUAI", finalize=True)
    revised(cast, approved_skp(cast, "staf_a"))
    approved_skp(cast, "staf_b")
    with on_day(date(YEAR, 12, 31)), django_capture_on_commit_callbacks(execute=True):
        run = closing.penutupan_request(by=cast.user("admin"), instansi=cast.kab, year=YEAR)
    run.refresh_from_db()
    names = [m["name"] for m in run.summary["without_evaluation"]["items"]]
    assert cast.staf_b.display_name in names and cast.staf_a.display_name not in names
    assert run.summary["finalised"] == 0  # staf_a's was final already; staf_b has none
