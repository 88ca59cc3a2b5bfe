"""What the team page and the unit roll-up read after a perubahan SKP when an evaluated period's
records stayed on the old version (docs/progress.md §6): the story of test_versions.py, where
TRIWULAN I (evaluated before the change) keeps its entry, thread and dialog on version 1."""

from __future__ import annotations

from datetime import date

import pytest

from kinerja.org.testing import Cast
from kinerja.progress import feedback_services as feedback
from kinerja.progress.feedback_models import DialogKinerja
from kinerja.progress.team_queries import team_progress, unit_rollup
from kinerja.progress.tests.test_services import TODAY, YEAR
from kinerja.progress.tests.test_versions import Q1_DAY, pin, revise, skp_of, story


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
