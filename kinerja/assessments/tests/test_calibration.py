"""Calibration and the instansi's evaluation settings, as stories with the named cast: kasi
rates staf_a (seksi); kabid heads the bidang above, kadis the dinas; kapus heads another
branch; admin and auditor belong to the kabupaten."""

from __future__ import annotations

from datetime import date

import pytest

from kinerja.audit.models import AuditEvent
from kinerja.core.errors import Conflict, Refused, ServiceError
from kinerja.org.testing import Cast

from .. import guards, rules
from ..models import Evaluasi, Kalibrasi, Keberatan, PengaturanPenilaian
from ..services_calibration import kalibrasi_apply, pengaturan_save
from ..testing import YEAR, evaluation

DAY = date(YEAR, 6, 30)
REASON = "Hasil kerja melampaui target seluruh IKI setelah reviu bukti dukung"


@pytest.fixture(autouse=True)
def _pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guards, "today", lambda: DAY)


def calibrate(cast: Cast, who: str, ev: Evaluasi, hasil: str = "DI_ATAS",
              perilaku: str = "DI_ATAS", reason: str = REASON) -> Kalibrasi:  # fmt: skip
    return kalibrasi_apply(
        by=cast.user(who), evaluasi=ev, rating_hasil=hasil, rating_perilaku=perilaku, reason=reason
    )


@pytest.mark.parametrize("who", ["kabid", "kadis", "admin"])
def test_pimpinan_or_admin_calibrates_keeping_both_values(cast: Cast, who: str) -> None:
    ev = evaluation(cast, "staf_a", 2, "SESUAI", "SESUAI")
    item = calibrate(cast, who, ev)
    assert (item.old_rating_hasil, item.old_rating_perilaku, item.old_predikat) == (
        "SESUAI", "SESUAI", rules.BAIK)  # fmt: skip
    assert (item.new_rating_hasil, item.new_rating_perilaku, item.new_predikat) == (
        "DI_ATAS", "DI_ATAS", rules.SANGAT_BAIK)  # fmt: skip
    assert item.reason == REASON and item.by == cast.user(who)
    ev.refresh_from_db()
    assert (ev.rating_hasil, ev.rating_perilaku, ev.predikat) == (
        "DI_ATAS", "DI_ATAS", rules.SANGAT_BAIK)  # fmt: skip
    assert ev.predikat_penilai == rules.BAIK  # the rater's value stays
    [event] = AuditEvent.objects.filter(action="kalibrasi_apply")
    assert event.old_values == {"rating_hasil": "SESUAI", "rating_perilaku": "SESUAI",
                                "predikat": "BAIK"}  # fmt: skip
    assert event.new_values["predikat"] == "SANGAT_BAIK" and event.new_values["reason"] == REASON
    assert event.scope == cast.kab.pk and event.target_id == str(ev.pk)


def test_a_second_calibration_starts_from_the_first(cast: Cast) -> None:
    ev = evaluation(cast, "staf_a", 2, "SESUAI", "SESUAI")
    calibrate(cast, "kabid", ev)
    second = calibrate(cast, "kadis", ev, "DI_BAWAH", "SESUAI")
    assert (second.old_predikat, second.new_predikat) == (rules.SANGAT_BAIK, rules.BUTUH_PERBAIKAN)
    assert Kalibrasi.objects.filter(evaluasi=ev).count() == 2


def test_a_final_evaluation_can_be_calibrated_and_stays_final(cast: Cast) -> None:
    ev = evaluation(cast, "staf_a", 2, "SESUAI", "SESUAI", finalize=True)
    calibrate(cast, "kabid", ev, "SESUAI", "DI_ATAS")
    ev.refresh_from_db()
    assert ev.status == "FINAL" and ev.predikat == rules.BAIK


@pytest.mark.parametrize("who", ["staf_b", "kapus", "perawat", "auditor", "outsider"])
def test_others_cannot_calibrate(cast: Cast, who: str) -> None:
    ev = evaluation(cast, "staf_a", 2, "SESUAI", "SESUAI")
    with pytest.raises(Refused, match="mengkalibrasi"):
        calibrate(cast, who, ev)
    assert not Kalibrasi.objects.exists()


def test_the_rated_pegawai_cannot_calibrate_themselves(cast: Cast) -> None:
    ev = evaluation(cast, "kasi", 2, perilaku="SESUAI", capaian_predikat=rules.BAIK)
    with pytest.raises(Refused):
        calibrate(cast, "kasi", ev, "SESUAI", "DI_ATAS")


def test_a_unit_heads_hasil_follows_the_capaian(cast: Cast) -> None:
    ev = evaluation(cast, "kasi", 2, perilaku="SESUAI", capaian_predikat=rules.BAIK)
    with pytest.raises(ServiceError, match="kepala unit") as caught:
        calibrate(cast, "kadis", ev, "DI_ATAS", "SESUAI")
    assert caught.value.field == "rating_hasil"
    item = calibrate(cast, "kadis", ev, "SESUAI", "DI_ATAS")  # perilaku may change
    assert item.new_predikat == rules.BAIK


def test_a_reason_is_required(cast: Cast) -> None:
    ev = evaluation(cast, "staf_a", 2, "SESUAI", "SESUAI")
    with pytest.raises(ServiceError, match="Alasan kalibrasi") as caught:
        calibrate(cast, "kabid", ev, reason="   ")
    assert caught.value.field == "reason"


def test_nothing_changed_is_refused(cast: Cast) -> None:
    ev = evaluation(cast, "staf_a", 2, "SESUAI", "SESUAI")
    with pytest.raises(ServiceError, match="Tidak ada rating yang berubah"):
        calibrate(cast, "kabid", ev, "SESUAI", "SESUAI")


@pytest.mark.parametrize(
    ("hasil", "perilaku", "field"),
    [("", "SESUAI", "rating_hasil"), ("SESUAI", "BAGUS", "rating_perilaku")],
)
def test_unknown_ratings_are_refused_by_field(
    cast: Cast, hasil: str, perilaku: str, field: str
) -> None:
    ev = evaluation(cast, "staf_a", 2, "SESUAI", "SESUAI")
    with pytest.raises(ServiceError) as caught:
        calibrate(cast, "kabid", ev, hasil, perilaku)
    assert caught.value.field == field


def test_an_unrated_evaluation_cannot_be_calibrated(cast: Cast) -> None:
    ev = evaluation(cast, "kasi", 2, perilaku="SESUAI")  # no capaian: no hasil, no predikat
    with pytest.raises(Conflict, match="belum dinilai"):
        calibrate(cast, "kadis", ev, "SESUAI", "DI_ATAS")


def test_no_calibration_after_a_keberatan_was_filed(cast: Cast) -> None:
    ev = evaluation(cast, "staf_a", 2, "SESUAI", "SESUAI", finalize=True)
    Keberatan.objects.create(
        evaluasi=ev, reason="Bukti dukung belum dipertimbangkan", decider=cast.kabid,
        predikat_before=ev.predikat,
    )  # fmt: skip
    with pytest.raises(Conflict, match="Keberatan"):
        calibrate(cast, "kadis", ev)
    ev.refresh_from_db()
    assert ev.predikat == rules.BAIK and not Kalibrasi.objects.exists()


# --- settings -------------------------------------------------------------------------------


def test_admin_saves_the_settings_with_an_audit_event(cast: Cast) -> None:
    found = pengaturan_save(by=cast.user("admin"), instansi=cast.kab, enforcement="BLOCK",
                            min_group_size=3, keberatan_days=21)  # fmt: skip
    assert (found.enforcement, found.min_group_size, found.keberatan_days) == ("BLOCK", 3, 21)
    assert guards.pengaturan_for(cast.kab.pk).enforcement == "BLOCK"
    again = pengaturan_save(by=cast.user("admin"), instansi=cast.kab, enforcement="WARN",
                            min_group_size=3, keberatan_days=21)  # fmt: skip
    assert again.pk == found.pk and PengaturanPenilaian.objects.count() == 1
    first, second = AuditEvent.objects.filter(action="pengaturan_penilaian_save").order_by("id")
    assert first.old_values == {"enforcement": "WARN", "min_group_size": 5, "keberatan_days": 14}
    assert (
        second.old_values["enforcement"] == "BLOCK" and second.new_values["enforcement"] == "WARN"
    )


@pytest.mark.parametrize("who", ["kadis", "staf_a", "auditor", "outsider"])
def test_only_the_instansi_admin_changes_settings(cast: Cast, who: str) -> None:
    with pytest.raises(Refused, match="admin kepegawaian"):
        pengaturan_save(by=cast.user(who), instansi=cast.kab, enforcement="BLOCK",
                        min_group_size=5, keberatan_days=14)  # fmt: skip
    assert not PengaturanPenilaian.objects.exists()


def test_admin_of_another_instansi_cannot(cast: Cast) -> None:
    with pytest.raises(Refused):
        pengaturan_save(by=cast.user("admin"), instansi=cast.kota, enforcement="BLOCK",
                        min_group_size=5, keberatan_days=14)  # fmt: skip


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"enforcement": "STOP"}, "enforcement"),
        ({"min_group_size": 0}, "min_group_size"),
        ({"min_group_size": 101}, "min_group_size"),
        ({"keberatan_days": 0}, "keberatan_days"),
        ({"keberatan_days": 91}, "keberatan_days"),
    ],
)
def test_bad_settings_are_refused_by_field(
    cast: Cast, values: dict[str, object], field: str
) -> None:
    args: dict[str, object] = {"enforcement": "WARN", "min_group_size": 5, "keberatan_days": 14}
    with pytest.raises(ServiceError) as caught:
        pengaturan_save(by=cast.user("admin"), instansi=cast.kab, **(args | values))  # type: ignore[arg-type]
    assert caught.value.field == field
    assert not PengaturanPenilaian.objects.exists()
