"""Closing the annual evaluation of the kabupaten as a background task (run immediately in
tests): kasi rates staf_a (Baik) and staf_b (Sangat Baik) in the seksi (capaian Baik), kabid
rates kasi (head of the seksi: hasil from the seksi's capaian, counted in the bidang's group,
capaian Istimewa), kapus rates perawat (Butuh Perbaikan; the puskesmas has no capaian).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import date
from typing import Any

import pytest

from kinerja.audit.models import AuditEvent
from kinerja.core.errors import Conflict, Refused
from kinerja.org.testing import Cast
from kinerja.progress.models import PeriodeTerkunci

from .. import closing, guards, rules, services
from ..models import ANNUAL, Evaluasi, PengaturanPenilaian, PenutupanTahunan
from ..testing import YEAR, approved_skp, capaian, evaluation

DAY = date(YEAR, 12, 31)
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
Commit = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


@pytest.fixture(autouse=True)
def _setup(monkeypatch: pytest.MonkeyPatch, settings: Any) -> Iterator[None]:
    monkeypatch.setattr(guards, "today", lambda: DAY)
    settings.TASKS = IMMEDIATE
    yield


def annual_story(cast: Cast) -> dict[str, Evaluasi]:
    capaian(cast, cast.seksi, ANNUAL, rules.BAIK)
    capaian(cast, cast.bidang, ANNUAL, rules.ISTIMEWA)
    found = {
        "staf_a": evaluation(cast, "staf_a", ANNUAL, "SESUAI", "SESUAI"),
        "staf_b": evaluation(cast, "staf_b", ANNUAL, "DI_ATAS", "DI_ATAS"),
        "kasi": evaluation(cast, "kasi", ANNUAL, perilaku="SESUAI"),
        "perawat": evaluation(cast, "perawat", ANNUAL, "DI_BAWAH", "SESUAI"),
    }
    # kapus: opened, not rated yet
    found["kapus"] = services.evaluasi_open(
        by=cast.user("kadis"), skp=approved_skp(cast, "kapus").skp, period=ANNUAL
    )
    return found


def close(cast: Cast, commit: Commit, who: str = "admin") -> PenutupanTahunan:
    with commit(execute=True):
        run = closing.penutupan_request(by=cast.user(who), instansi=cast.kab, year=YEAR)
    run.refresh_from_db()
    return run


def test_closing_finalises_every_rated_evaluation_with_a_recap(
    cast: Cast, django_capture_on_commit_callbacks: Commit
) -> None:
    found = annual_story(cast)
    run = close(cast, django_capture_on_commit_callbacks)
    assert run.status == "SELESAI" and run.error == ""
    assert (run.total, run.done) == (4, 4) and run.started_at and run.finished_at
    final = dict(Evaluasi.objects.filter(period=ANNUAL).values_list("pegawai__name", "status"))
    assert final == {"Dewi Lestari": "FINAL", "Bambang Pamungkas": "FINAL",
                     "Agus Salim": "FINAL", "Yohanes Manurung": "FINAL",
                     "Ratna Sari": "DRAFT"}  # fmt: skip
    kasi = Evaluasi.objects.get(pk=found["kasi"].pk)
    assert (kasi.rating_hasil, kasi.predikat, kasi.predikat_penilai) == ("SESUAI", "BAIK", "BAIK")
    locked = set(PeriodeTerkunci.objects.filter(period=ANNUAL).values_list("skp_id", flat=True))
    assert locked == {found[w].skp_id for w in ("staf_a", "staf_b", "kasi", "perawat")}
    s = run.summary
    assert (s["finalised"], s["blocked"], s["evaluations"], s["final"]) == (4, 0, 5, 4)
    assert s["predikat"] == {"SANGAT_BAIK": 1, "BAIK": 2, "BUTUH_PERBAIKAN": 1, "KURANG": 0,
                             "SANGAT_KURANG": 0}  # fmt: skip
    units = {u["name"]: u for u in s["units"]}
    assert units["Seksi Pelayanan Primer"]["counts"]["BAIK"] == 2  # staf_a and kasi
    assert units["Puskesmas Sukamaju"]["unrated"] == 1
    [breach] = s["breaches"]  # the seksi: Baik needs a Butuh Perbaikan or Kurang
    assert breach["name"] == "Seksi Pelayanan Primer" and breach["advisory"]
    assert breach["violations"] == [
        "Pola distribusi tidak terpenuhi: harus ada pegawai berpredikat Butuh Perbaikan "
        "dan/atau Kurang/Misconduct (sekarang 0 dari 2)."
    ]
    assert s["groups"] == 2 and s["blocked_units"] == []
    assert s["unrated"]["count"] == 1
    assert s["unrated"]["items"][0]["name"] == "Ratna Sari"
    assert s["enforcement"] == "WARN"
    [batch] = AuditEvent.objects.filter(action="evaluasi_finalize_batch")
    assert batch.new_values["evaluasi"] == {
        str(found[w].pk): p for w, p in
        (("staf_a", "BAIK"), ("staf_b", "SANGAT_BAIK"), ("kasi", "BAIK"),
         ("perawat", "BUTUH_PERBAIKAN"))
    }  # fmt: skip
    assert batch.target_id == str(run.pk) and batch.new_values["count"] == 4
    [done] = AuditEvent.objects.filter(action="penutupan_tahunan_selesai")
    assert done.new_values["finalised"] == 4 and done.new_values["breaches"] == 1


def test_approved_skps_without_an_annual_evaluation_are_listed(
    cast: Cast, django_capture_on_commit_callbacks: Commit
) -> None:
    evaluation(cast, "staf_a", ANNUAL, "SESUAI", "SESUAI")
    approved_skp(cast, "staf_b")
    run = close(cast, django_capture_on_commit_callbacks)
    missing = run.summary["without_evaluation"]
    assert "Bambang Pamungkas" in [m["name"] for m in missing["items"]]
    assert missing["count"] >= 1 and run.summary["finalised"] == 1


def test_block_keeps_breaching_groups_open_and_lists_them(
    cast: Cast, django_capture_on_commit_callbacks: Commit
) -> None:
    PengaturanPenilaian.objects.create(instansi=cast.kab, enforcement="BLOCK", min_group_size=2)
    found = annual_story(cast)
    run = close(cast, django_capture_on_commit_callbacks)
    status = dict(Evaluasi.objects.filter(period=ANNUAL).values_list("pk", "status"))
    assert status[found["staf_a"].pk] == status[found["staf_b"].pk] == "DRAFT"
    assert status[found["kasi"].pk] == status[found["perawat"].pk] == "FINAL"
    [blocked] = run.summary["blocked_units"]
    assert blocked["name"] == "Seksi Pelayanan Primer" and blocked["evaluations"] == 2
    assert "harus ada pegawai" in blocked["violations"][0]
    assert (run.summary["finalised"], run.summary["blocked"]) == (2, 2)
    assert run.summary["breaches"][0]["blocked"] is True
    assert not PeriodeTerkunci.objects.filter(skp_id=found["staf_a"].skp_id).exists()


def test_progress_advances_batch_by_batch(
    cast: Cast, django_capture_on_commit_callbacks: Commit, monkeypatch: pytest.MonkeyPatch
) -> None:
    annual_story(cast)
    monkeypatch.setattr(closing, "BATCH", 3)
    seen: list[dict[str, Any]] = []
    original = closing._progress

    def spy(run: PenutupanTahunan, **values: Any) -> None:
        seen.append(values)
        original(run, **values)

    monkeypatch.setattr(closing, "_progress", spy)
    run = close(cast, django_capture_on_commit_callbacks)
    assert [v["done"] for v in seen if set(v) == {"done"}] == [3, 4]
    assert {"total": 4} in seen and run.done == 4
    assert AuditEvent.objects.filter(action="evaluasi_finalize_batch").count() == 2


def test_a_second_request_while_one_runs_is_refused(cast: Cast) -> None:
    closing.penutupan_request(by=cast.user("admin"), instansi=cast.kab, year=YEAR)
    with pytest.raises(Conflict, match="sedang berjalan"):
        closing.penutupan_request(by=cast.user("admin"), instansi=cast.kab, year=YEAR)


@pytest.mark.parametrize("who", ["kadis", "auditor", "staf_a", "outsider"])
def test_only_the_instansi_admin_closes(cast: Cast, who: str) -> None:
    with pytest.raises(Refused, match="admin kepegawaian"):
        closing.penutupan_request(by=cast.user(who), instansi=cast.kab, year=YEAR)
    assert not PenutupanTahunan.objects.exists()


def test_a_failed_run_is_marked_and_can_be_requested_again(
    cast: Cast, django_capture_on_commit_callbacks: Commit, monkeypatch: pytest.MonkeyPatch
) -> None:
    annual_story(cast)

    def broken(run: PenutupanTahunan, todo: list[Any], timings: dict[str, float]) -> None:
        raise RuntimeError("disk penuh")

    monkeypatch.setattr(closing, "_finalise", broken)
    close(cast, django_capture_on_commit_callbacks)  # the task backend records the failure
    failed = PenutupanTahunan.objects.get()
    assert failed.status == "GAGAL" and "disk penuh" in failed.error
    monkeypatch.undo()
    monkeypatch.setattr(guards, "today", lambda: DAY)
    again = close(cast, django_capture_on_commit_callbacks)
    assert again.status == "SELESAI" and again.summary["finalised"] == 4


def test_a_finished_run_is_not_repeated(
    cast: Cast, django_capture_on_commit_callbacks: Commit
) -> None:
    annual_story(cast)
    run = close(cast, django_capture_on_commit_callbacks)
    assert closing.run_closing(run.pk).status == "SELESAI"
    assert AuditEvent.objects.filter(action="penutupan_tahunan_selesai").count() == 1


def test_without_a_worker_the_request_waits_in_the_database_queue(
    cast: Cast, settings: Any, django_capture_on_commit_callbacks: Commit
) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    run = close(cast, django_capture_on_commit_callbacks)
    assert run.status == "ANTRE"
    [queued] = DBTaskResult.objects.all()
    assert queued.args_kwargs["args"] == [run.pk]
