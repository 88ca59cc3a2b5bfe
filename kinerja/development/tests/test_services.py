"""Early warning and bimbingan kinerja as stories with the named cast: kasi rates staf_a and
staf_b (Seksi Pelayanan Primer); kabid heads the bidang above; kapus heads another branch."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from kinerja.assessments.testing import YEAR, approved_skp, evaluation, realisasi
from kinerja.audit.models import AuditEvent
from kinerja.core.errors import Conflict, Refused, ServiceError
from kinerja.org.testing import Cast

from .. import guards, rules, services
from ..models import Kasus, Sesi, StatusKasus
from ..scan import scan, skp_progress
from .helpers import a_case

APRIL = date(YEAR, 4, 10)


@pytest.fixture(autouse=True)
def _pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guards, "today", lambda: date(YEAR, 11, 30))


def reasons(who_id: int) -> set[str]:
    return set(Kasus.objects.filter(pegawai_id=who_id).values_list("reason", flat=True))


# --- triggers and the scan -----------------------------------------------------------------


def test_scan_opens_a_case_for_each_trigger_with_its_data(cast: Cast) -> None:
    plan = approved_skp(cast, "staf_a")
    realisasi(cast, plan, 1, "1")  # 1 of 12 laporan, nothing for the kualitas IKI
    approved_skp(cast, "staf_b")  # nothing at all in TRIWULAN I
    assert skp_progress(plan.skp, 1) == Decimal("4.17")  # (8.33 + 0) / 2, half up
    result = scan(instansi_id=cast.kab.pk, year=YEAR, period=1, today=APRIL)
    assert (result.checked, result.opened) == (2, 3)
    assert reasons(cast.staf_a.pk) == {rules.PROGRES_RENDAH}
    assert reasons(cast.staf_b.pk) == {rules.PROGRES_RENDAH, rules.REALISASI_KOSONG}
    kasus = Kasus.objects.get(pegawai=cast.staf_a, reason=rules.PROGRES_RENDAH)
    assert kasus.rater_id == cast.kasi.pk and kasus.period == 1
    assert kasus.data == {"progres": "4.17", "ekspektasi": "24.66", "ambang": "80"}
    assert AuditEvent.objects.filter(action="kasus_open").count() == 3


def test_the_scan_is_idempotent(cast: Cast) -> None:
    approved_skp(cast, "staf_b")
    first = scan(instansi_id=cast.kab.pk, year=YEAR, period=1, today=APRIL)
    again = scan(instansi_id=cast.kab.pk, year=YEAR, period=1, today=APRIL)
    assert (first.opened, again.opened, again.already_open) == (2, 0, 2)
    assert Kasus.objects.count() == 2


def test_a_closed_case_is_not_raised_again_by_the_scan_but_a_rater_may(cast: Cast) -> None:
    plan = approved_skp(cast, "staf_b")
    scan(instansi_id=cast.kab.pk, year=YEAR, period=1, today=APRIL)
    for kasus in Kasus.objects.all():
        services.kasus_close(by=cast.user("kasi"), kasus=kasus, note="Sudah dibahas")
    again = scan(instansi_id=cast.kab.pk, year=YEAR, period=1, today=APRIL)
    assert (again.opened, again.already_open, again.closed_before) == (0, 0, 2)
    assert not Kasus.objects.exclude(status=StatusKasus.SELESAI).exists()
    reason = Kasus.objects.values_list("reason", flat=True).first()
    assert reason is not None
    kasus, created = services.kasus_open(
        by=cast.user("kasi"), skp=plan.skp, period=1, reason=reason, data={}
    )
    assert created and kasus.status == StatusKasus.TERBUKA
    later = scan(instansi_id=cast.kab.pk, year=YEAR, period=1, today=APRIL)
    assert (later.opened, later.already_open, later.closed_before) == (0, 1, 1)


def test_on_track_progress_raises_nothing(cast: Cast) -> None:
    plan = approved_skp(cast, "staf_a")
    realisasi(cast, plan, 1, "6")
    realisasi(cast, plan, 1, "90", iki=plan.iki_kualitas)
    result = scan(instansi_id=cast.kab.pk, year=YEAR, period=1, today=APRIL)
    assert (result.checked, result.opened) == (1, 0)


def test_the_threshold_is_configurable_per_instansi(cast: Cast) -> None:
    plan = approved_skp(cast, "staf_a")
    realisasi(cast, plan, 1, "1")
    with pytest.raises(Refused):
        services.pengaturan_save(
            by=cast.user("kasi"), instansi_id=cast.kab.pk, progress_threshold=10
        )
    with pytest.raises(ServiceError):
        services.pengaturan_save(
            by=cast.user("admin"), instansi_id=cast.kab.pk, progress_threshold=0
        )
    services.pengaturan_save(by=cast.user("admin"), instansi_id=cast.kab.pk, progress_threshold=15)
    # 15 % of 24.66 is 3.70: 4.17 is above it
    assert scan(instansi_id=cast.kab.pk, year=YEAR, period=1, today=APRIL).opened == 0


def test_missing_realisasi_waits_for_the_end_of_the_period(cast: Cast) -> None:
    approved_skp(cast, "staf_b")
    scan(instansi_id=cast.kab.pk, year=YEAR, period=1, today=date(YEAR, 3, 31))
    assert reasons(cast.staf_b.pk) == {rules.PROGRES_RENDAH}


def test_a_final_butuh_perbaikan_predikat_raises_a_case(cast: Cast) -> None:
    plan = approved_skp(cast, "staf_a")
    realisasi(cast, plan, 1, "6")
    realisasi(cast, plan, 1, "90", iki=plan.iki_kualitas)
    ev = evaluation(cast, "staf_a", 1, "DI_BAWAH", "SESUAI", finalize=True)
    assert ev.predikat == "BUTUH_PERBAIKAN"
    scan(instansi_id=cast.kab.pk, year=YEAR, period=1, today=APRIL)
    kasus = Kasus.objects.get(pegawai=cast.staf_a)
    assert kasus.reason == rules.PREDIKAT_RENDAH
    assert kasus.data == {"periode": "TRIWULAN I", "predikat": "Butuh Perbaikan"}


def test_a_draft_evaluation_raises_nothing(cast: Cast) -> None:
    plan = approved_skp(cast, "staf_a")
    realisasi(cast, plan, 1, "6")
    realisasi(cast, plan, 1, "90", iki=plan.iki_kualitas)
    evaluation(cast, "staf_a", 1, "DI_BAWAH", "DI_BAWAH")
    assert scan(instansi_id=cast.kab.pk, year=YEAR, period=1, today=APRIL).opened == 0


def test_a_period_that_has_not_started_or_does_not_exist_is_refused(cast: Cast) -> None:
    approved_skp(cast, "staf_a")
    with pytest.raises(ServiceError, match="belum dimulai"):
        scan(instansi_id=cast.kab.pk, year=YEAR, period=3, today=APRIL)
    with pytest.raises(ServiceError, match="tidak ada"):
        scan(instansi_id=cast.kab.pk, year=YEAR, period=5, today=APRIL)


def test_the_command_reports_what_it_opened(cast: Cast, capsys: pytest.CaptureFixture[str]) -> None:
    approved_skp(cast, "staf_b")
    call_command("peringatan_dini", "KAB", str(YEAR), "1")
    out = capsys.readouterr().out
    assert "1 SKP diperiksa, 2 kasus baru" in out and "REALISASI_KOSONG: 1" in out


def test_manual_case_opening_is_for_the_rater_or_an_admin(cast: Cast) -> None:
    plan = approved_skp(cast, "staf_a")
    for who in ("staf_a", "staf_b", "kapus", "auditor"):
        with pytest.raises(Refused):
            services.kasus_open(by=cast.user(who), skp=plan.skp, period=1,
                                reason=rules.PROGRES_RENDAH, data={})  # fmt: skip
    kasus, created = services.kasus_open(
        by=cast.user("kasi"), skp=plan.skp, period=1, reason=rules.PROGRES_RENDAH, data={}
    )
    assert created and kasus.status == StatusKasus.TERBUKA
    with pytest.raises(ServiceError):
        services.kasus_open(by=None, skp=plan.skp, period=1, reason="LAIN", data={})


# --- sessions and formats -------------------------------------------------------------------


def a_session(cast: Cast, by: str = "kasi") -> Sesi:
    kasus = a_case(cast)
    return services.sesi_record(
        by=cast.user(by), pegawai=cast.staf_a, kasus=kasus, method="COACHING",
        day=date(YEAR, 4, 15), notes="Membahas laporan yang tertunda",
        actions=[("Susun jadwal laporan", date(YEAR, 4, 30))],
    )  # fmt: skip


def test_the_rater_turns_a_case_into_a_coaching_session(cast: Cast) -> None:
    sesi = a_session(cast)
    assert sesi.pembimbing_id == cast.kasi.pk and sesi.period == 1 and sesi.rater_id == cast.kasi.pk
    assert [a.text for a in sesi.aksi.all()] == ["Susun jadwal laporan"]
    assert Kasus.objects.get().status == StatusKasus.DIBIMBING
    [event] = AuditEvent.objects.filter(action="sesi_record")
    assert event.new_values["actions"] == 1


def test_a_pimpinan_above_may_coach_too(cast: Cast) -> None:
    assert a_session(cast, by="kabid").pembimbing_id == cast.kabid.pk


@pytest.mark.parametrize("who", ["staf_a", "staf_b", "kapus", "admin", "auditor", "outsider"])
def test_others_may_not_record_a_session(cast: Cast, who: str) -> None:
    with pytest.raises(Refused):
        a_session(cast, by=who)


def test_session_inputs_are_checked(cast: Cast) -> None:
    kasus = a_case(cast)
    base: dict[str, Any] = {"by": cast.user("kasi"), "pegawai": cast.staf_a, "kasus": kasus,
            "method": "COACHING", "day": date(YEAR, 4, 15), "notes": "Catatan"}  # fmt: skip
    changes: list[tuple[dict[str, Any], str]] = [
        ({"method": "CERAMAH"}, "method"),
        ({"notes": "  "}, "notes"),
        ({"day": date(YEAR, 12, 25)}, "date"),
        ({"actions": [("Aksi", date(YEAR, 4, 1))]}, "actions"),
        ({"actions": [(" ", date(YEAR, 5, 1))]}, "actions"),
        ({"pegawai": cast.staf_b}, "kasus"),
    ]
    for change, field in changes:
        with pytest.raises(ServiceError) as caught:
            services.sesi_record(**{**base, **change})
        assert caught.value.field == field, change
    assert Sesi.objects.count() == 0  # all-or-nothing
    services.kasus_close(by=cast.user("kasi"), kasus=kasus, note="Selesai")
    with pytest.raises(Conflict):
        services.sesi_record(**base)


def test_b18_is_filled_once_by_the_pegawai(cast: Cast) -> None:
    sesi = a_session(cast)
    args = {"sesi": sesi, "answers": [4, 3, 4, 3, 4, 4, 3, 4, 4], "place": "Sukamaju",
            "day": date(YEAR, 4, 16)}  # fmt: skip
    for who in ("kasi", "kabid", "staf_b"):
        with pytest.raises(Refused):
            services.b18_submit(by=cast.user(who), **args)  # type: ignore[arg-type]
    with pytest.raises(ServiceError, match="9 pernyataan"):
        services.b18_submit(by=cast.user("staf_a"), **{**args, "answers": [4] * 8})  # type: ignore[arg-type]
    with pytest.raises(ServiceError, match="tanggal bimbingan"):
        services.b18_submit(by=cast.user("staf_a"), **{**args, "day": date(YEAR, 4, 1)})  # type: ignore[arg-type]
    form = services.b18_submit(by=cast.user("staf_a"), **args)  # type: ignore[arg-type]
    assert form.answers == [4, 3, 4, 3, 4, 4, 3, 4, 4]
    with pytest.raises(Conflict):
        services.b18_submit(by=cast.user("staf_a"), **args)  # type: ignore[arg-type]


def test_b19_is_filled_once_by_the_pimpinan(cast: Cast) -> None:
    sesi = a_session(cast)
    items = [rules.NilaiKompetensi("Manajemen waktu", 3, "Laporan mulai tepat waktu"),
             rules.NilaiKompetensi("Komunikasi", 4, "Aktif bertanya")]  # fmt: skip
    day = date(YEAR, 4, 20)
    for who in ("staf_a", "staf_b", "kapus", "admin"):
        with pytest.raises(Refused):
            services.b19_submit(by=cast.user(who), sesi=sesi, items=items, place="X", day=day)
    with pytest.raises(ServiceError, match="1 sampai 5"):
        services.b19_submit(by=cast.user("kabid"), sesi=sesi, place="X", day=day,
                            items=[rules.NilaiKompetensi("Komunikasi", 7, "x")])  # fmt: skip
    form = services.b19_submit(
        by=cast.user("kabid"), sesi=sesi, items=items, place="Dinkes", day=day
    )
    assert form.evaluator_id == cast.kabid.pk
    assert [(n.kompetensi, n.nilai) for n in form.nilai.all()] == [
        ("Manajemen waktu", 3), ("Komunikasi", 4)
    ]  # fmt: skip
    with pytest.raises(Conflict):
        services.b19_submit(by=cast.user("kasi"), sesi=sesi, items=items, place="X", day=day)


def test_agreed_actions_are_marked_done(cast: Cast) -> None:
    aksi = a_session(cast).aksi.get()
    with pytest.raises(Refused):
        services.aksi_done(by=cast.user("staf_b"), aksi=aksi, day=date(YEAR, 4, 20))
    with pytest.raises(ServiceError):
        services.aksi_done(by=cast.user("staf_a"), aksi=aksi, day=date(YEAR, 4, 1))
    assert services.aksi_done(by=cast.user("staf_a"), aksi=aksi, day=date(YEAR, 4, 20)).done_on
    with pytest.raises(Conflict):
        services.aksi_done(by=cast.user("kasi"), aksi=aksi, day=date(YEAR, 4, 21))


def test_outcome_follows_the_next_final_predikat(cast: Cast) -> None:
    plan = approved_skp(cast, "staf_a")
    realisasi(cast, plan, 1, "3")
    evaluation(cast, "staf_a", 1, "DI_BAWAH", "SESUAI", finalize=True)
    scan(instansi_id=cast.kab.pk, year=YEAR, period=1, today=APRIL)
    kasus = Kasus.objects.get(pegawai=cast.staf_a, reason=rules.PREDIKAT_RENDAH)
    sesi = services.sesi_record(
        by=cast.user("kasi"), pegawai=cast.staf_a, kasus=kasus, method="KONSELING",
        day=date(YEAR, 4, 15), notes="Konseling",
    )  # fmt: skip
    assert sesi.predikat_before == "BUTUH_PERBAIKAN" and services.sesi_outcome(sesi) is None
    realisasi(cast, plan, 2, "4")
    evaluation(cast, "staf_a", 2, "SESUAI", "SESUAI", finalize=True)
    assert services.sesi_outcome(sesi) == "MEMBAIK"
