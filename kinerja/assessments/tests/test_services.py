"""Evaluation services as stories with the named cast: kasi rates staf_a and staf_b (Seksi
Pelayanan Primer); kabid rates kasi, the seksi's head, whose hasil follows the seksi's capaian;
kadis heads the dinas above; kapus heads another branch.

The clock is pinned to 30 June (the last day of TRIWULAN II) unless a test says otherwise.
"""

from __future__ import annotations

from datetime import date

import pytest

from kinerja.audit.models import AuditEvent
from kinerja.core.errors import Conflict, Refused, ServiceError
from kinerja.org import services as org
from kinerja.org.testing import Cast
from kinerja.plans import services as plans
from kinerja.progress.models import PeriodeTerkunci

from .. import guards, rules, services
from ..models import ANNUAL, CapaianOrganisasi, CatatanEvaluasi, Evaluasi, PengaturanPenilaian
from ..testing import YEAR, approved_skp, capaian, evaluation, on_day

DAY = date(YEAR, 6, 30)


@pytest.fixture(autouse=True)
def _pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guards, "today", lambda: DAY)


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def open_for(cast: Cast, who: str = "staf_a", period: int = 2, by: str = "kasi") -> Evaluasi:
    plan = approved_skp(cast, who)
    return services.evaluasi_open(by=cast.user(by), skp=plan.skp, period=period)


# --- opening --------------------------------------------------------------------------------


def test_rater_opens_an_evaluation_with_a_snapshot_and_an_audit_event(cast: Cast) -> None:
    evaluasi = open_for(cast)
    assert (evaluasi.pegawai_id, evaluasi.rater_id, evaluasi.unit_id) == (
        cast.staf_a.pk,
        cast.kasi.pk,
        cast.seksi.pk,
    )
    assert evaluasi.unit_path == cast.seksi.path and not evaluasi.is_unit_head
    assert (evaluasi.year, evaluasi.period, evaluasi.status) == (YEAR, 2, "DRAFT")
    assert evaluasi.predikat == "" and evaluasi.instansi_id == cast.kab.pk
    [event] = events("evaluasi_open")
    assert event.new_values == {"skp_id": evaluasi.skp_id, "period": 2, "is_unit_head": False}
    again = services.evaluasi_open(by=cast.user("kasi"), skp=evaluasi.skp, period=2)
    assert again.pk == evaluasi.pk and len(events("evaluasi_open")) == 1


def test_a_unit_head_evaluation_is_marked_and_takes_an_existing_capaian(cast: Cast) -> None:
    capaian(cast, cast.seksi, 2, "ISTIMEWA")
    evaluasi = open_for(cast, "kasi", by="kabid")
    assert evaluasi.is_unit_head and evaluasi.rating_hasil == "DI_ATAS"


@pytest.mark.parametrize("who", ["staf_b", "kabid", "admin", "staf_a", "auditor"])
def test_only_the_rater_opens(cast: Cast, who: str) -> None:
    with pytest.raises(Refused, match="Pejabat Penilai"):
        open_for(cast, by=who)
    assert not Evaluasi.objects.exists()


def test_a_draft_skp_cannot_be_evaluated(cast: Cast) -> None:
    skp = plans.skp_create(by=cast.user("staf_b"), pegawai=cast.staf_b, year=YEAR)
    with pytest.raises(Conflict, match="sudah disetujui"):
        services.evaluasi_open(by=cast.user("kasi"), skp=skp, period=2)


@pytest.mark.parametrize("period", [5, 13, 99])
def test_unknown_periods_are_refused(cast: Cast, period: int) -> None:
    with pytest.raises(ServiceError, match=f"Periode {period} tidak dikenal"):
        open_for(cast, period=period)


def test_periods_follow_a_monthly_cadence(cast: Cast) -> None:
    plans.tahun_set_cadence(by=cast.user("admin"), instansi=cast.kab, year=YEAR, cadence="BULANAN")
    assert open_for(cast, period=6).period == 6
    assert [p.number for p in services.evaluation_periods(cast.kab.pk, YEAR)] == [
        *range(1, 13),
        ANNUAL,
    ]


def test_a_period_that_has_not_started_cannot_be_evaluated(cast: Cast) -> None:
    with pytest.raises(Conflict, match=f"TRIWULAN III {YEAR} baru dapat dimulai 01-07-{YEAR}"):
        open_for(cast, period=3)
    # the annual evaluation opens with the last period (1 October under triwulan)
    with pytest.raises(Conflict, match=f"TAHUNAN {YEAR} baru dapat dimulai 01-10-{YEAR}"):
        open_for(cast, period=ANNUAL)
    with on_day(date(YEAR, 10, 1)):
        assert open_for(cast, period=ANNUAL).is_annual


# --- rating and the matrix ------------------------------------------------------------------


def test_every_matrix_cell_is_applied_and_audited(cast: Cast) -> None:
    evaluasi = open_for(cast)
    for hasil in rules.RATINGS:
        for perilaku in rules.RATINGS:
            evaluasi = services.evaluasi_rate(
                by=cast.user("kasi"), evaluasi=evaluasi, rating_hasil=hasil,
                rating_perilaku=perilaku,
            )  # fmt: skip
            assert evaluasi.predikat == rules.predikat(hasil, perilaku)
            assert evaluasi.predikat_penilai == evaluasi.predikat
    last = events("evaluasi_rate")[-1]
    assert last.old_values["rating_perilaku"] == "SESUAI"
    assert last.new_values == {
        "rating_hasil": "DI_BAWAH",
        "rating_perilaku": "DI_BAWAH",
        "predikat": "SANGAT_KURANG",
        "status": "DRAFT",
    }
    assert len(events("evaluasi_rate")) == 9


def test_catatan_rekomendasi_is_kept_unless_given(cast: Cast) -> None:
    evaluasi = open_for(cast)
    kasi = cast.user("kasi")
    services.evaluasi_rate(by=kasi, evaluasi=evaluasi, rating_hasil="SESUAI",
                           rating_perilaku="SESUAI", catatan=" Ikuti pelatihan data ")  # fmt: skip
    evaluasi = services.evaluasi_rate(
        by=kasi, evaluasi=evaluasi, rating_hasil="DI_ATAS", rating_perilaku="SESUAI"
    )
    assert evaluasi.catatan == "Ikuti pelatihan data"


@pytest.mark.parametrize(
    ("hasil", "perilaku", "field"),
    [("", "SESUAI", "rating_hasil"), ("BAGUS", "SESUAI", "rating_hasil"),
     ("SESUAI", "", "rating_perilaku"), ("SESUAI", "sesuai", "rating_perilaku")],
)  # fmt: skip
def test_bad_ratings_are_refused_by_field(
    cast: Cast, hasil: str, perilaku: str, field: str
) -> None:
    evaluasi = open_for(cast)
    with pytest.raises(ServiceError, match="Di Atas, Sesuai, atau Di Bawah") as caught:
        services.evaluasi_rate(by=cast.user("kasi"), evaluasi=evaluasi, rating_hasil=hasil,
                               rating_perilaku=perilaku)  # fmt: skip
    assert caught.value.field == field
    evaluasi.refresh_from_db()
    assert evaluasi.rating_hasil == "" and not events("evaluasi_rate")


@pytest.mark.parametrize("who", ["kabid", "staf_a", "staf_b", "admin"])
def test_only_the_rater_rates(cast: Cast, who: str) -> None:
    evaluasi = open_for(cast)
    with pytest.raises(Refused):
        services.evaluasi_rate(by=cast.user(who), evaluasi=evaluasi, rating_hasil="DI_ATAS",
                               rating_perilaku="DI_ATAS")  # fmt: skip


def test_a_final_evaluation_cannot_be_rated_again(cast: Cast) -> None:
    evaluasi = evaluation(cast, "staf_a", 2, finalize=True)
    with pytest.raises(Conflict, match="sudah final"):
        services.evaluasi_rate(by=cast.user("kasi"), evaluasi=evaluasi, rating_hasil="DI_ATAS",
                               rating_perilaku="DI_ATAS")  # fmt: skip


# --- the head of a unit ---------------------------------------------------------------------


def test_a_unit_head_hasil_follows_the_capaian_set_later(cast: Cast) -> None:
    kabid = cast.user("kabid")
    evaluasi = open_for(cast, "kasi", by="kabid")
    evaluasi = services.evaluasi_rate(by=kabid, evaluasi=evaluasi, rating_perilaku="DI_ATAS")
    assert (evaluasi.rating_hasil, evaluasi.predikat) == ("", "")
    with pytest.raises(Conflict, match="Capaian kinerja organisasi Seksi Pelayanan Primer"):
        services.evaluasi_finalize(by=kabid, evaluasi=evaluasi)
    capaian(cast, cast.seksi, 2, "ISTIMEWA", by="kabid")
    evaluasi.refresh_from_db()
    assert (evaluasi.rating_hasil, evaluasi.predikat) == ("DI_ATAS", "SANGAT_BAIK")
    [follow] = events("evaluasi_follow_capaian")
    assert follow.old_values["predikat"] == "" and follow.new_values["predikat"] == "SANGAT_BAIK"
    capaian(cast, cast.seksi, 2, "KURANG", by="kabid")  # five grades onto three ratings
    evaluasi.refresh_from_db()
    assert (evaluasi.rating_hasil, evaluasi.predikat) == ("DI_BAWAH", "BUTUH_PERBAIKAN")
    assert services.evaluasi_finalize(by=kabid, evaluasi=evaluasi).status == "FINAL"


def test_the_rater_cannot_override_a_unit_heads_hasil(cast: Cast) -> None:
    capaian(cast, cast.seksi, 2, "BAIK")
    evaluasi = open_for(cast, "kasi", by="kabid")
    with pytest.raises(ServiceError, match="mengikuti capaian kinerja organisasi") as caught:
        services.evaluasi_rate(by=cast.user("kabid"), evaluasi=evaluasi, rating_hasil="DI_ATAS",
                               rating_perilaku="SESUAI")  # fmt: skip
    assert caught.value.field == "rating_hasil"
    same = services.evaluasi_rate(by=cast.user("kabid"), evaluasi=evaluasi,
                                  rating_hasil="SESUAI", rating_perilaku="SESUAI")  # fmt: skip
    assert same.predikat == "BAIK"


# --- catatan per RHK and per value -----------------------------------------------------------


def test_rater_writes_updates_and_removes_feedback_per_rhk_and_value(cast: Cast) -> None:
    plan = approved_skp(cast, "staf_a")
    evaluasi = open_for(cast)
    kasi = cast.user("kasi")
    note = services.catatan_set(by=kasi, evaluasi=evaluasi, rhk=plan.rhk, text=" Tepat waktu ")
    assert note is not None and note.text == "Tepat waktu"
    services.catatan_set(by=kasi, evaluasi=evaluasi, rhk=plan.rhk, text="Lengkap dan tepat")
    services.catatan_set(by=kasi, evaluasi=evaluasi, core_value=1, text="Ramah pada pasien")
    notes = CatatanEvaluasi.objects.order_by("id").values_list("rhk_id", "core_value", "text")
    assert list(notes) == [(plan.rhk.pk, None, "Lengkap dan tepat"), (None, 1, "Ramah pada pasien")]
    updated = events("catatan_set")[1]
    assert updated.old_values == {"text": "Tepat waktu"}
    assert updated.new_values == {"text": "Lengkap dan tepat", "rhk_id": plan.rhk.pk}
    assert services.catatan_set(by=kasi, evaluasi=evaluasi, core_value=1, text="  ") is None
    assert CatatanEvaluasi.objects.count() == 1
    [removed] = events("catatan_delete")
    assert removed.old_values == {"text": "Ramah pada pasien", "core_value": 1}


def test_catatan_targets_are_checked(cast: Cast) -> None:
    other = approved_skp(cast, "staf_b")
    evaluasi = open_for(cast)
    kasi = cast.user("kasi")
    with pytest.raises(ServiceError, match="bukan bagian dari SKP"):
        services.catatan_set(by=kasi, evaluasi=evaluasi, rhk=other.rhk, text="x")
    for value in (0, 8):
        with pytest.raises(ServiceError, match="1 sampai 7"):
            services.catatan_set(by=kasi, evaluasi=evaluasi, core_value=value, text="x")
    with pytest.raises(ServiceError, match="Pilih satu RHK"):
        services.catatan_set(by=kasi, evaluasi=evaluasi, text="x")
    with pytest.raises(ServiceError, match="Pilih satu RHK"):
        services.catatan_set(by=kasi, evaluasi=evaluasi, rhk=other.rhk, core_value=2, text="x")
    with pytest.raises(Refused):
        services.catatan_set(by=cast.user("staf_a"), evaluasi=evaluasi, core_value=2, text="x")
    assert not CatatanEvaluasi.objects.exists()


def test_no_feedback_after_finalisation(cast: Cast) -> None:
    evaluasi = evaluation(cast, "staf_a", 2, finalize=True)
    with pytest.raises(Conflict, match="sudah final"):
        services.catatan_set(by=cast.user("kasi"), evaluasi=evaluasi, core_value=3, text="x")


# --- capaian kinerja organisasi -------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "unit", "allowed"),
    [("kabid", "seksi", True), ("kadis", "seksi", True), ("kadis", "bidang", True),
     ("admin", "dinkes", True), ("kasi", "seksi", False), ("kabid", "bidang", False),
     ("kapus", "seksi", False), ("staf_a", "seksi", False), ("auditor", "seksi", False),
     ("outsider", "seksi", False), ("kadis", "dinkes", False)],
)  # fmt: skip
def test_the_leader_above_or_an_admin_sets_the_capaian(
    cast: Cast, who: str, unit: str, allowed: bool
) -> None:
    target = getattr(cast, unit)
    if allowed:
        item = capaian(cast, target, 2, "BAIK", by=who)
        assert (item.unit_id, item.predikat, item.set_by_id) == (target.pk, "BAIK",
                                                                  cast.user(who).pk)  # fmt: skip
    else:
        with pytest.raises(Refused, match="pimpinan unit di atasnya"):
            capaian(cast, target, 2, "BAIK", by=who)
        assert not CapaianOrganisasi.objects.exists()


def test_an_admin_who_heads_the_unit_does_not_set_its_capaian(cast: Cast) -> None:
    """The head's rating hasil kerja follows the capaian: kasi, made an admin, may not set the
    seksi's (his own rating) but may set another unit's."""
    org.peran_grant(by=cast.superadmin, user=cast.user("kasi"), instansi=cast.kab, role="ADMIN")
    with pytest.raises(Refused, match="pimpinan unit di atasnya"):
        capaian(cast, cast.seksi, 2, "ISTIMEWA", by="kasi")
    assert not CapaianOrganisasi.objects.exists()
    assert capaian(cast, cast.puskesmas, 2, "BAIK", by="kasi").set_by_id == cast.user("kasi").pk


def test_capaian_needs_a_reason_a_known_grade_and_period(cast: Cast) -> None:
    with pytest.raises(ServiceError, match="Alasan") as caught:
        capaian(cast, cast.seksi, 2, "BAIK", reason="  ")
    assert caught.value.field == "reason"
    with pytest.raises(ServiceError, match="Pilih capaian"):
        capaian(cast, cast.seksi, 2, "SANGAT_BAIK")
    with pytest.raises(ServiceError, match="Periode 7 tidak dikenal"):
        capaian(cast, cast.seksi, 7, "BAIK")
    assert not CapaianOrganisasi.objects.exists()


def test_changing_a_capaian_is_audited_with_both_values(cast: Cast) -> None:
    capaian(cast, cast.seksi, ANNUAL, "BAIK", reason="Target tercapai")
    capaian(cast, cast.seksi, ANNUAL, "ISTIMEWA", reason="Melampaui target", by="kabid")
    item = CapaianOrganisasi.objects.get()
    assert (item.period, item.predikat, item.reason) == (ANNUAL, "ISTIMEWA", "Melampaui target")
    first, second = events("capaian_set")
    assert first.old_values == {} and second.old_values == {
        "predikat": "BAIK",
        "reason": "Target tercapai",
    }
    assert second.target_type == "unit" and second.target_id == str(cast.seksi.pk)


def test_capaian_cannot_change_under_a_final_head_evaluation(cast: Cast) -> None:
    evaluation(cast, "kasi", 2, perilaku="SESUAI", capaian_predikat="BAIK", finalize=True)
    with pytest.raises(Conflict, match="buka kembali evaluasinya"):
        capaian(cast, cast.seksi, 2, "ISTIMEWA")
    assert CapaianOrganisasi.objects.get().predikat == "BAIK"


# --- finalisation and the distribution pattern ----------------------------------------------


def test_finalisation_issues_the_predicate_and_locks_the_period(cast: Cast) -> None:
    evaluasi = evaluation(cast, "staf_a", 2, "DI_ATAS", "SESUAI")
    final = services.evaluasi_finalize(by=cast.user("kasi"), evaluasi=evaluasi)
    assert (final.status, final.predikat) == ("FINAL", "BAIK")
    assert final.finalized_by_id == cast.user("kasi").pk
    assert final.finalized_at is not None
    assert PeriodeTerkunci.objects.filter(skp=evaluasi.skp, period=2).exists()
    [event] = events("evaluasi_finalize")
    assert event.new_values["predikat"] == "BAIK" and event.new_values["warnings"] == []
    with pytest.raises(Conflict, match="sudah final"):
        services.evaluasi_finalize(by=cast.user("kasi"), evaluasi=final)


def test_an_unrated_evaluation_cannot_be_finalised(cast: Cast) -> None:
    evaluasi = open_for(cast)
    with pytest.raises(ServiceError, match="Isi rating hasil kerja dan rating perilaku"):
        services.evaluasi_finalize(by=cast.user("kasi"), evaluasi=evaluasi)
    with pytest.raises(Refused):
        services.evaluasi_finalize(by=cast.user("kabid"), evaluasi=evaluasi)
    assert not PeriodeTerkunci.objects.exists()


def both_baik(cast: Cast) -> Evaluasi:
    """staf_a final Baik, staf_b rated Baik: 100 % Baik in a Baik seksi and no Butuh Perbaikan
    or Kurang, breaching both rules of the Baik pattern."""
    capaian(cast, cast.seksi, 2, "BAIK")
    evaluation(cast, "staf_a", 2, finalize=True)
    return evaluation(cast, "staf_b", 2)


def test_warn_finalises_a_breaching_group_and_records_the_warnings(cast: Cast) -> None:
    PengaturanPenilaian.objects.create(instansi=cast.kab, min_group_size=2)
    evaluasi = both_baik(cast)
    final = services.evaluasi_finalize(by=cast.user("kasi"), evaluasi=evaluasi)
    assert final.status == "FINAL"
    warnings = events("evaluasi_finalize")[-1].new_values["warnings"]
    assert warnings == [
        "Pola distribusi tidak terpenuhi: paling banyak 70% pegawai berpredikat Baik "
        "(sekarang 2 dari 2).",
        "Pola distribusi tidak terpenuhi: harus ada pegawai berpredikat Butuh Perbaikan "
        "dan/atau Kurang/Misconduct (sekarang 0 dari 2).",
    ]


def test_block_refuses_a_breaching_group_naming_the_rules(cast: Cast) -> None:
    PengaturanPenilaian.objects.create(instansi=cast.kab, min_group_size=2, enforcement="BLOCK")
    evaluasi = both_baik(cast)
    with pytest.raises(Conflict) as caught:
        services.evaluasi_finalize(by=cast.user("kasi"), evaluasi=evaluasi)
    assert "paling banyak 70% pegawai berpredikat Baik (sekarang 2 dari 2)" in caught.value.message
    assert "harus ada pegawai berpredikat Butuh Perbaikan" in caught.value.message
    evaluasi.refresh_from_db()
    assert evaluasi.status == "DRAFT"
    assert not PeriodeTerkunci.objects.filter(skp=evaluasi.skp).exists()
    # a pattern that holds: staf_b Butuh Perbaikan makes 50 % Baik and one BP
    kasi = cast.user("kasi")
    services.evaluasi_rate(by=kasi, evaluasi=evaluasi, rating_hasil="DI_BAWAH",
                           rating_perilaku="SESUAI")  # fmt: skip
    assert services.evaluasi_finalize(by=kasi, evaluasi=evaluasi).status == "FINAL"


def test_block_only_warns_below_the_minimum_group_size(cast: Cast) -> None:
    PengaturanPenilaian.objects.create(instansi=cast.kab, enforcement="BLOCK")  # minimum 5
    evaluasi = both_baik(cast)
    assert services.evaluasi_finalize(by=cast.user("kasi"), evaluasi=evaluasi).status == "FINAL"
    assert len(events("evaluasi_finalize")[-1].new_values["warnings"]) == 2


def test_a_unit_head_counts_in_the_group_above(cast: Cast) -> None:
    """kasi (head of the seksi) is in the bidang's group, not the seksi's."""
    PengaturanPenilaian.objects.create(instansi=cast.kab, min_group_size=1, enforcement="BLOCK")
    capaian(cast, cast.seksi, 2, "BUTUH_PERBAIKAN")
    capaian(cast, cast.bidang, 2, "ISTIMEWA")
    head = evaluation(cast, "kasi", 2, perilaku="SESUAI")  # hasil Di Bawah → Butuh Perbaikan
    assert head.predikat == "BUTUH_PERBAIKAN"
    assert services.group_breaches(head) == []  # Istimewa: only Sangat Baik ≤ 70 %
    staf = evaluation(cast, "staf_a", 2, "SESUAI", "SESUAI")  # Baik in a Butuh Perbaikan seksi
    assert [v.rule for v in services.group_breaches(staf)] == [
        "paling sedikit 60% pegawai berpredikat Butuh Perbaikan"
    ]
    assert services.evaluasi_finalize(by=cast.user("kabid"), evaluasi=head).status == "FINAL"
    with pytest.raises(Conflict, match="paling sedikit 60%"):
        services.evaluasi_finalize(by=cast.user("kasi"), evaluasi=staf)


def test_no_capaian_above_means_no_pattern(cast: Cast) -> None:
    PengaturanPenilaian.objects.create(instansi=cast.kab, min_group_size=1, enforcement="BLOCK")
    evaluasi = evaluation(cast, "staf_a", 2, "DI_ATAS", "DI_ATAS")
    assert services.group_breaches(evaluasi) == []
    assert services.evaluasi_finalize(by=cast.user("kasi"), evaluasi=evaluasi).status == "FINAL"


# --- reopening ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["kasi", "kabid", "kadis", "admin"])
def test_pimpinan_or_admin_reopens_with_a_reason(cast: Cast, who: str) -> None:
    evaluasi = evaluation(cast, "staf_a", 2, finalize=True)
    reopened = services.evaluasi_reopen(by=cast.user(who), evaluasi=evaluasi, reason=" Bukti baru ")
    assert (reopened.status, reopened.finalized_at, reopened.reopen_reason) == (
        "DRAFT",
        None,
        "Bukti baru",
    )
    assert reopened.predikat == "BAIK"  # ratings stay; the rater may change them
    assert not PeriodeTerkunci.objects.exists()
    [event] = events("evaluasi_reopen")
    assert event.old_values["status"] == "FINAL" and event.new_values["reason"] == "Bukti baru"
    assert event.actor_id == cast.user(who).pk


@pytest.mark.parametrize("who", ["staf_a", "staf_b", "kapus", "perawat", "auditor", "outsider"])
def test_others_cannot_reopen(cast: Cast, who: str) -> None:
    evaluasi = evaluation(cast, "staf_a", 2, finalize=True)
    with pytest.raises(Refused, match="membuka kembali"):
        services.evaluasi_reopen(by=cast.user(who), evaluasi=evaluasi, reason="x")
    evaluasi.refresh_from_db()
    assert evaluasi.status == "FINAL"


def test_the_rated_head_cannot_reopen_their_own_evaluation(cast: Cast) -> None:
    evaluasi = evaluation(cast, "kasi", 2, capaian_predikat="BAIK", finalize=True)
    with pytest.raises(Refused):
        services.evaluasi_reopen(by=cast.user("kasi"), evaluasi=evaluasi, reason="x")
    assert services.evaluasi_reopen(by=cast.user("kabid"), evaluasi=evaluasi, reason="x")


def test_reopening_needs_a_reason_and_a_final_evaluation(cast: Cast) -> None:
    draft = evaluation(cast, "staf_b", 2)
    with pytest.raises(Conflict, match="belum final"):
        services.evaluasi_reopen(by=cast.user("kabid"), evaluasi=draft, reason="x")
    final = evaluation(cast, "staf_a", 2, finalize=True)
    with pytest.raises(ServiceError, match="Alasan membuka kembali") as caught:
        services.evaluasi_reopen(by=cast.user("kabid"), evaluasi=final, reason=" ")
    assert caught.value.field == "reason"
    assert PeriodeTerkunci.objects.filter(skp=final.skp).exists()
