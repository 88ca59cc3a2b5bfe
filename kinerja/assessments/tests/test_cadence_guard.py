"""A year's cadence (monthly or quarterly) is fixed once anything of that year is recorded by
period (assessments/receivers.refuse_cadence_change): periods are stored as numbers, so a later
change would turn TRIWULAN II into FEBRUARI and step around a final evaluation's lock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client

from kinerja.audit.models import AuditEvent
from kinerja.core.errors import Conflict
from kinerja.org.testing import Cast
from kinerja.plans import services as plans
from kinerja.plans.models import TahunKinerja
from kinerja.progress import feedback_services
from kinerja.progress import services as progress

from .. import services
from ..testing import YEAR, approved_skp, capaian, on_day, realisasi

Login = Callable[[str], Client]
Q2_DAY = date(YEAR, 5, 15)


def record_realisasi(cast: Cast) -> None:
    realisasi(cast, approved_skp(cast, "staf_a"), 2, "3")


def record_rencana_aksi(cast: Cast) -> None:
    plan = approved_skp(cast, "staf_a")
    with on_day(Q2_DAY):
        progress.rencana_aksi_add(by=cast.user("staf_a"), iki=plan.iki, period=3, text="Rapat")


def record_umpan_balik(cast: Cast) -> None:
    plan = approved_skp(cast, "staf_a")
    with on_day(Q2_DAY):
        feedback_services.umpan_balik_add(
            by=cast.user("kasi"), skp=plan.skp, period=2, target_kind="RHK", rhk=plan.rhk,
            text="Lanjutkan.",
        )  # fmt: skip


def record_dialog_kinerja(cast: Cast) -> None:
    plan = approved_skp(cast, "staf_a")
    with on_day(Q2_DAY):
        feedback_services.dialog_kinerja_add(
            by=cast.user("kasi"), skp=plan.skp, period=2, held_on=Q2_DAY, notes="Dialog"
        )


def record_evaluasi(cast: Cast) -> None:
    plan = approved_skp(cast, "staf_a")
    with on_day(date(YEAR, 6, 30)):
        services.evaluasi_open(by=cast.user("kasi"), skp=plan.skp, period=2)


def record_capaian(cast: Cast) -> None:
    with on_day(date(YEAR, 6, 30)):
        capaian(cast, cast.puskesmas, 2, "BAIK")


RECORDS = {
    "realisasi": record_realisasi,
    "rencana aksi": record_rencana_aksi,
    "umpan balik": record_umpan_balik,
    "dialog kinerja": record_dialog_kinerja,
    "evaluasi": record_evaluasi,
    "capaian organisasi": record_capaian,
}


def set_cadence(cast: Cast, cadence: str, year: int = YEAR) -> TahunKinerja:
    return plans.tahun_set_cadence(
        by=cast.user("admin"), instansi=cast.kab, year=year, cadence=cadence
    )


def cadence_events() -> int:
    return AuditEvent.objects.filter(action="tahun_set_cadence").count()


def test_the_cadence_changes_freely_while_nothing_is_recorded(cast: Cast) -> None:
    approved_skp(cast, "staf_a")  # an approved plan alone holds nothing by period
    assert set_cadence(cast, "BULANAN").cadence == "BULANAN"
    assert set_cadence(cast, "TRIWULANAN").cadence == "TRIWULANAN"
    assert cadence_events() == 2


@pytest.mark.parametrize("kind", list(RECORDS))
def test_anything_recorded_by_period_fixes_the_cadence(cast: Cast, kind: str) -> None:
    RECORDS[kind](cast)
    before = cadence_events()
    with pytest.raises(Conflict, match=f"tahun {YEAR} tidak dapat diubah lagi") as refused:
        set_cadence(cast, "BULANAN")
    assert refused.value.field == "cadence"
    assert not TahunKinerja.objects.filter(instansi=cast.kab, year=YEAR, cadence="BULANAN")
    assert cadence_events() == before  # nothing written, no audit event


def test_the_same_cadence_again_and_other_years_stay_open(cast: Cast) -> None:
    record_realisasi(cast)
    assert set_cadence(cast, "TRIWULANAN").cadence == "TRIWULANAN"  # no change: accepted
    assert set_cadence(cast, "BULANAN", year=YEAR + 1).cadence == "BULANAN"


def test_the_api_answers_409_naming_the_field(cast: Cast, login: Login) -> None:
    record_realisasi(cast)
    answer = login("admin").put(
        f"/api/v1/tahun-kinerja/{cast.kab.pk}/{YEAR}",
        {"cadence": "BULANAN"},
        content_type="application/json",
    )
    assert answer.status_code == 409
    body = answer.json()
    assert body["code"] == "conflict" and "tidak dapat diubah lagi" in body["detail"]
    assert body["errors"] == [{"field": "cadence", "message": body["detail"]}]
