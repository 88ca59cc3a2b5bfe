"""Catalogue, development plans, JP with certificates, follow-up records, and who reads what."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kinerja.assessments.testing import YEAR, approved_skp, evaluation, realisasi
from kinerja.audit.models import AuditEvent
from kinerja.core.errors import Conflict, Refused, ServiceError
from kinerja.org.testing import Cast
from kinerja.progress.services import Upload
from kinerja.progress.tests.test_rules import PDF, PNG

from .. import guards, rules, services
from .. import services_training as training
from ..models import (
    CatatanJp,
    CatatanTindakLanjut,
    EvaluasiB19,
    Kasus,
    Pelatihan,
    RencanaPengembangan,
    Sesi,
    UmpanBalikB18,
)

DAY = date(YEAR, 11, 30)
LEADERSHIP = {"name": "Kepemimpinan", "jp": "12", "mode": "KLASIKAL", "core_values": [6],
              "kompetensi": "Memimpin tim", "for_hasil": True}  # fmt: skip


@pytest.fixture(autouse=True)
def _pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guards, "today", lambda: DAY)


def catalogue_item(cast: Cast, **values: object) -> Pelatihan:
    return training.pelatihan_save(
        by=cast.user("admin"), instansi_id=cast.kab.pk, values={**LEADERSHIP, **values}
    )


# --- catalogue --------------------------------------------------------------------------------


def test_the_admin_keeps_the_catalogue(cast: Cast) -> None:
    item = catalogue_item(cast)
    assert (item.jp, item.core_values, item.for_hasil) == (Decimal("12"), [6], True)
    changed = training.pelatihan_save(
        by=cast.user("admin"), instansi_id=cast.kab.pk, pelatihan=item, values={"jp": "16"}
    )
    assert changed.jp == Decimal("16") and changed.name == "Kepemimpinan"
    event = AuditEvent.objects.filter(action="pelatihan_save").last()
    assert event is not None and event.old_values["jp"] == "12.0"  # as stored


@pytest.mark.parametrize("who", ["kasi", "kadis", "auditor", "staf_a"])
def test_only_admins_keep_the_catalogue(cast: Cast, who: str) -> None:
    with pytest.raises(Refused):
        training.pelatihan_save(by=cast.user(who), instansi_id=cast.kab.pk, values=LEADERSHIP)


@pytest.mark.parametrize(
    ("values", "field"),
    [({"name": " "}, "name"), ({"jp": "0"}, "jp"), ({"jp": "-2"}, "jp"), ({"jp": "dua"}, "jp"),
     ({"mode": "KURSUS"}, "mode"), ({"core_values": [8]}, "core_values"),
     ({"core_values": "6"}, "core_values")],
)  # fmt: skip
def test_catalogue_inputs_are_checked(cast: Cast, values: dict[str, object], field: str) -> None:
    with pytest.raises(ServiceError) as caught:
        catalogue_item(cast, **values)
    assert caught.value.field == field


def test_a_name_is_once_per_catalogue(cast: Cast) -> None:
    catalogue_item(cast)
    with pytest.raises(Conflict):
        catalogue_item(cast, name="kepemimpinan")


# --- plans and JP -----------------------------------------------------------------------------


def test_the_pegawai_or_the_rater_accepts_a_recommendation_into_the_plan(cast: Cast) -> None:
    item = catalogue_item(cast)
    plan = training.rencana_accept(
        by=cast.user("kasi"), pegawai=cast.staf_a, pelatihan=item, year=YEAR, reason="hasil"
    )
    assert (plan.rater_id, plan.unit_path, plan.status) == (
        cast.kasi.pk, cast.seksi.path, "DIRENCANAKAN"
    )  # fmt: skip
    with pytest.raises(Conflict):
        training.rencana_accept(
            by=cast.user("staf_a"), pegawai=cast.staf_a, pelatihan=item, year=YEAR
        )
    for who in ("staf_b", "kabid", "auditor", "kapus"):
        with pytest.raises(Refused):
            training.rencana_accept(
                by=cast.user(who), pegawai=cast.staf_a, pelatihan=item, year=YEAR + 1
            )
    kota_item = training.pelatihan_save(
        by=cast.superadmin, instansi_id=cast.kota.pk, values=LEADERSHIP
    )
    with pytest.raises(ServiceError):
        training.rencana_accept(by=cast.user("staf_a"), pegawai=cast.staf_a, pelatihan=kota_item,
                                year=YEAR)  # fmt: skip


def test_a_plan_item_is_completed_with_a_certificate(cast: Cast) -> None:
    item = catalogue_item(cast)
    plan = training.rencana_accept(by=cast.user("staf_a"), pegawai=cast.staf_a, pelatihan=item,
                                   year=YEAR)  # fmt: skip
    record = training.jp_record(
        by=cast.user("staf_a"), pegawai=cast.staf_a, day=date(YEAR, 9, 1), rencana=plan,
        certificate=Upload("../Sertifikat Kepemimpinan.pdf", PDF),
    )  # fmt: skip
    assert (record.title, record.mode, record.jp) == ("Kepemimpinan", "KLASIKAL", Decimal("12"))
    assert record.file_name == "Sertifikat Kepemimpinan.pdf"
    assert record.content_type == "application/pdf" and record.file.read() == PDF
    plan.refresh_from_db()
    assert plan.status == "SELESAI"
    with pytest.raises(Conflict):
        training.jp_record(by=cast.user("staf_a"), pegawai=cast.staf_a, day=date(YEAR, 9, 1),
                           rencana=plan, certificate=Upload("s.pdf", PDF))  # fmt: skip


def test_jp_add_up_against_the_20_jp_entitlement(cast: Cast) -> None:
    for title, jp, mode in [("Pelatihan A", "12", "KLASIKAL"), ("Modul B", "6,5", "E_LEARNING")]:
        training.jp_record(
            by=cast.user("staf_a"),
            pegawai=cast.staf_a,
            day=date(YEAR, 5, 2),
            title=title,
            mode=mode,
            jp=jp,
            certificate=Upload("s.png", PNG),
        )
    rows = CatatanJp.objects.filter(pegawai=cast.staf_a, year=YEAR).values_list("mode", "jp")
    summary = rules.jp_summary(rows)
    assert (summary.total, summary.shortfall, summary.met) == (
        Decimal("18.5"), Decimal("1.5"), False
    )  # fmt: skip


@pytest.mark.parametrize(
    ("upload", "message"),
    [(Upload("s.pdf", b""), "kosong"), (Upload("s.html", b"<html></html>"), "tidak diizinkan"),
     (Upload("s.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100), "PDF atau gambar")],
)  # fmt: skip
def test_the_certificate_is_checked_by_its_content(
    cast: Cast, upload: Upload, message: str
) -> None:
    with pytest.raises(ServiceError, match=message):
        training.jp_record(by=cast.user("staf_a"), pegawai=cast.staf_a, day=date(YEAR, 5, 2),
                           title="X", mode="KLASIKAL", jp="2", certificate=upload)  # fmt: skip
    assert CatatanJp.objects.count() == 0


def test_jp_inputs_and_the_recorder_are_checked(cast: Cast) -> None:
    args = {"pegawai": cast.staf_a, "title": "X", "mode": "KLASIKAL", "jp": "2",
            "certificate": Upload("s.pdf", PDF)}  # fmt: skip
    for who in ("kasi", "staf_b", "auditor"):
        with pytest.raises(Refused):
            training.jp_record(by=cast.user(who), day=date(YEAR, 5, 2), **args)  # type: ignore[arg-type]
    with pytest.raises(ServiceError, match="masa depan"):
        training.jp_record(by=cast.user("staf_a"), day=date(YEAR, 12, 2), **args)  # type: ignore[arg-type]
    with pytest.raises(ServiceError, match="setengah"):
        training.jp_record(by=cast.user("staf_a"), day=date(YEAR, 5, 2), **{**args, "jp": "1.2"})  # type: ignore[arg-type]
    done = training.jp_record(by=cast.user("admin"), day=date(YEAR, 5, 2), **args)  # type: ignore[arg-type]
    assert done.recorded_by_id == cast.admin.pk


# --- follow-up records -----------------------------------------------------------------------


def test_follow_up_is_recorded_by_the_admin_for_sangat_kurang_only(cast: Cast) -> None:
    plan = approved_skp(cast, "staf_b")
    realisasi(cast, plan, 1, "1")
    low = evaluation(cast, "staf_b", 1, "DI_BAWAH", "DI_BAWAH", finalize=True)
    assert low.predikat == "SANGAT_KURANG"
    for who in ("auditor", "kasi", "kadis"):
        with pytest.raises(Refused):
            training.tindak_lanjut_record(by=cast.user(who), evaluasi=low, action="x", day=DAY)
    with pytest.raises(ServiceError):
        training.tindak_lanjut_record(by=cast.user("admin"), evaluasi=low, action=" ", day=DAY)
    record = training.tindak_lanjut_record(
        by=cast.user("admin"), evaluasi=low, action="Penempatan sementara dibahas", day=DAY
    )
    assert record.predikat == "SANGAT_KURANG"
    good = evaluation(cast, "staf_a", 1, "SESUAI", "SESUAI", finalize=True)
    with pytest.raises(Conflict):
        training.tindak_lanjut_record(by=cast.user("admin"), evaluasi=good, action="x", day=DAY)
    seen = {
        who: CatatanTindakLanjut.objects.visible_to(cast.user(who)).count()
        for who in ("admin", "auditor", "kasi", "kabid", "kadis", "staf_b", "outsider")
    }
    assert seen == {"admin": 1, "auditor": 1, "kasi": 0, "kabid": 0, "kadis": 0, "staf_b": 0,
                    "outsider": 0}  # fmt: skip


# --- visibility of coaching notes ------------------------------------------------------------


def test_coaching_notes_are_for_the_pegawai_rater_pimpinan_and_admin_only(cast: Cast) -> None:
    plan = approved_skp(cast, "staf_a")
    kasus, _ = services.kasus_open(by=None, skp=plan.skp, period=1, reason="PROGRES_RENDAH",
                                   data={})  # fmt: skip
    sesi = services.sesi_record(
        by=cast.user("kasi"),
        pegawai=cast.staf_a,
        kasus=kasus,
        method="MENTORING",
        day=date(YEAR, 4, 15),
        notes="Rahasia",
    )
    services.b18_submit(by=cast.user("staf_a"), sesi=sesi, answers=[3] * 9, place="X",
                        day=date(YEAR, 4, 16))  # fmt: skip
    readers = {"staf_a", "kasi", "kabid", "kadis", "admin", "superadmin"}
    for who in readers | {"staf_b", "kapus", "perawat", "auditor", "outsider"}:
        user = cast.user(who)
        expected = 1 if who in readers else 0
        assert Kasus.objects.visible_to(user).count() == expected, who
        assert Sesi.objects.visible_to(user).count() == expected, who
        assert UmpanBalikB18.objects.filter(sesi__in=Sesi.objects.visible_to(user)).count() == (
            expected
        ), who
    assert EvaluasiB19.objects.count() == 0


def test_plans_and_jp_are_also_read_by_the_auditor_but_not_by_peers(cast: Cast) -> None:
    item = catalogue_item(cast)
    training.rencana_accept(by=cast.user("staf_a"), pegawai=cast.staf_a, pelatihan=item, year=YEAR)
    training.jp_record(
        by=cast.user("staf_a"),
        pegawai=cast.staf_a,
        day=date(YEAR, 5, 2),
        title="X",
        mode="KLASIKAL",
        jp="2",
        certificate=Upload("s.pdf", PDF),
    )
    for who, expected in [("staf_a", 1), ("kasi", 1), ("kabid", 1), ("admin", 1), ("auditor", 1),
                          ("staf_b", 0), ("kapus", 0), ("outsider", 0)]:  # fmt: skip
        user = cast.user(who)
        assert RencanaPengembangan.objects.visible_to(user).count() == expected, who
        assert CatatanJp.objects.visible_to(user).count() == expected, who
    assert Pelatihan.objects.visible_to(cast.user("staf_b")).count() == 1
    assert Pelatihan.objects.visible_to(cast.user("outsider")).count() == 0
