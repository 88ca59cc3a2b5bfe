"""Admin services (layanan, periods, RTL) with their permissions and audit, and the IKM queries
(roll-up by sums, previous period, sample adequacy, petugas feedback)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from kinerja.audit.models import AuditEvent
from kinerja.core.errors import Conflict, Refused, ServiceError
from kinerja.org.testing import Cast
from kinerja.surveys import followups, queries, rules, services
from kinerja.surveys.models import Layanan, SurveyPeriod
from kinerja.surveys.periods import PeriodKey, parse_key

from .factories import add_answers


def test_layanan_create_is_audited_and_admin_only(cast: Cast) -> None:
    item = services.layanan_save(
        by=cast.admin, unit=cast.puskesmas, name="Poli Gigi", code=" Poli-Gigi ", population=50
    )
    assert item.code == "poli-gigi" and item.instansi_id == cast.kab.pk
    event = AuditEvent.objects.get(action="skm_layanan_create")
    assert event.scope == cast.kab.pk and event.new_values["code"] == "poli-gigi"
    for who in ("kadis", "auditor", "staf_a"):
        with pytest.raises(Refused):
            services.layanan_save(by=cast.user(who), unit=cast.puskesmas, name="X", code="x")
    with pytest.raises(Refused):  # the admin of KAB is nobody in KOTA
        services.layanan_save(by=cast.admin, unit=cast.outsider.jabatan.unit, name="X", code="x")  # type: ignore[union-attr]


def test_layanan_code_rules(cast: Cast, layanan: Layanan) -> None:
    with pytest.raises(ServiceError, match="huruf kecil"):
        services.layanan_save(by=cast.admin, unit=cast.seksi, name="X", code="ada spasi")
    with pytest.raises(Conflict, match="sudah dipakai"):
        services.layanan_save(by=cast.admin, unit=cast.seksi, name="X", code="poli-sukamaju")
    with pytest.raises(ServiceError, match="negatif"):
        services.layanan_save(by=cast.admin, unit=cast.seksi, name="X", code="x", population=-1)
    same = services.layanan_save(
        by=cast.admin,
        unit=cast.puskesmas,
        name="Poli Umum 2",
        code="poli-sukamaju",
        layanan=layanan,
    )
    assert same.name == "Poli Umum 2"
    assert AuditEvent.objects.get(action="skm_layanan_update").old_values["name"] == "Poli Umum"


def test_periods_do_not_overlap(cast: Cast, layanan: Layanan) -> None:
    key = PeriodKey("SEMESTER", 2026, 1)
    period = services.period_open(by=cast.admin, layanan=layanan, key=key)
    assert (period.start, period.end, period.label) == (
        date(2026, 1, 1),
        date(2026, 6, 30),
        "Semester I 2026",
    )
    with pytest.raises(Conflict, match="bertumpang tindih"):
        services.period_open(by=cast.admin, layanan=layanan, key=PeriodKey("TRIWULAN", 2026, 2))
    services.period_open(by=cast.admin, layanan=layanan, key=PeriodKey("TRIWULAN", 2026, 3))
    with pytest.raises(Refused):
        services.period_open(
            by=cast.user("kapus"), layanan=layanan, key=PeriodKey("TAHUN", 2027, 1)
        )


def test_period_keys() -> None:
    assert parse_key("triwulan-2026-4").end == date(2026, 12, 31)
    assert PeriodKey("SEMESTER", 2026, 1).previous() == PeriodKey("SEMESTER", 2025, 2)
    assert PeriodKey("TRIWULAN", 2026, 4).next() == PeriodKey("TRIWULAN", 2027, 1)
    assert PeriodKey("TAHUN", 2026, 1).label == "Tahun 2026"
    for bad in ("SEMESTER-2026-3", "BULAN-2026-1", "x"):
        with pytest.raises(ValueError):
            parse_key(bad)


def test_period_keys_stop_at_2000_and_2100() -> None:
    assert PeriodKey("SEMESTER", 2000, 1).previous() is None
    assert PeriodKey("TRIWULAN", 2000, 2).previous() == PeriodKey("TRIWULAN", 2000, 1)
    assert PeriodKey("TAHUN", 2000, 1).previous() is None
    assert PeriodKey("TAHUN", 2001, 1).previous() == PeriodKey("TAHUN", 2000, 1)
    assert PeriodKey("TRIWULAN", 2100, 4).next() is None
    assert PeriodKey("SEMESTER", 2100, 1).next() == PeriodKey("SEMESTER", 2100, 2)
    for year in (1999, 2101):
        with pytest.raises(ValueError, match="di luar rentang 2000–2100"):
            PeriodKey("SEMESTER", year, 1)


@pytest.mark.parametrize(
    "bad", ["SEMESTER-1999-1", "SEMESTER-2101-1", "SEMESTER-²⁰²⁶-1", "SEMESTER-2026-1\x00",
            "SEMESTER-" + "9" * 5000 + "-1", "\x00" * 3, "TAHUN-02026-1"],
)  # fmt: skip
def test_malformed_period_keys_are_value_errors(bad: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_key(bad)
    assert "\x00" not in str(caught.value) and len(str(caught.value)) < 120


def test_the_first_and_last_periods_have_no_neighbour_figures(cast: Cast) -> None:
    first, last = PeriodKey("SEMESTER", 2000, 1), PeriodKey("TRIWULAN", 2100, 4)
    poli = services.layanan_save(by=cast.admin, unit=cast.puskesmas, name="Poli", code="poli")
    for key in (first, last):
        add_answers(services.period_open(by=cast.admin, layanan=poli, key=key), [(4,) * 9])
        detail = queries.detail(poli, key)
        assert detail.row.result is not None and detail.row.previous is None
    rtl = services.rtl_create(
        by=cast.admin, unit=cast.puskesmas, layanan=poli, key=last, unsur=1, action="SOP",
        owner_id=cast.perawat.pk, due_date=last.end,
    )  # fmt: skip
    follow_up = followups.follow_ups([rtl])[0]
    assert follow_up.nrr_then == Decimal("4.0000") and follow_up.nrr_next is None
    assert queries.report_data(queries.detail(poli, first)).previous_label is None


def _two_layanan(cast: Cast) -> tuple[SurveyPeriod, SurveyPeriod, SurveyPeriod]:
    key = PeriodKey("SEMESTER", 2026, 1)
    poli = services.layanan_save(
        by=cast.admin, unit=cast.puskesmas, name="Poli", code="poli", population=100
    )
    kia = services.layanan_save(by=cast.admin, unit=cast.seksi, name="KIA", code="kia")
    p1 = services.period_open(by=cast.admin, layanan=poli, key=key)
    p0 = services.period_open(by=cast.admin, layanan=poli, key=PeriodKey("SEMESTER", 2025, 2))
    p2 = services.period_open(by=cast.admin, layanan=kia, key=key)
    return p1, p0, p2


def test_overview_adds_sums_never_averages(cast: Cast) -> None:
    p1, p0, p2 = _two_layanan(cast)
    add_answers(p1, [(4,) * 9, (3,) * 9, (3,) * 9])
    add_answers(p0, [(2,) * 9])
    add_answers(p2, [(1,) * 9])
    view = queries.overview(Layanan.objects.all(), cast.kab.pk, PeriodKey("SEMESTER", 2026, 1))
    kia, poli = view.layanan  # unit path order: the seksi comes before the puskesmas
    assert poli.result is not None and poli.result.nrr[0] == Decimal("3.3333")
    assert poli.result.ikm_konversi == Decimal("83.33") and poli.result.mutu == "B"
    assert poli.previous is not None and poli.previous.ikm_konversi == Decimal("50.00")
    assert poli.change == Decimal("33.33")
    assert poli.minimum == 80 and poli.short  # Krejcie–Morgan for 100 users
    assert kia.result is not None and kia.result.mutu == "D" and kia.minimum is None
    # Instansi: (4+3+3+1)/4 = 2.75 → 68.75, not the mean of 83.33 and 25.
    assert view.total.result == rules.ikm_from_answers([(4,) * 9, (3,) * 9, (3,) * 9, (1,) * 9])
    assert view.total.result.ikm_konversi == Decimal("68.75")
    assert {u.name: u.respondents for u in view.units} == {
        "Puskesmas Sukamaju": 3,
        "Seksi Pelayanan Primer": 1,
    }


def test_detail_weakest_unsur_demographics_and_follow_up(cast: Cast) -> None:
    p1, p0, _p2 = _two_layanan(cast)
    low_u8 = (4, 4, 4, 4, 4, 4, 4, 1, 4)
    add_answers(p0, [low_u8, low_u8], saran="")
    add_answers(p1, [(4, 4, 4, 4, 4, 4, 4, 3, 4)] * 2, saran="Kotak saran diperbaiki", usia=45)
    key0 = PeriodKey("SEMESTER", 2025, 2)
    d0 = queries.detail(p0.layanan, key0)
    assert [u.weakest for u in d0.unsur].index(True) == 7
    # By code: declared order, young to old, and the categories nobody chose with 0.
    assert d0.demographics["jenis_kelamin"] == {"L": 1, "P": 1}
    assert d0.demographics["usia"] == {"<20": 0, "20-29": 0, "30-39": 2, "40-49": 0, "50+": 0}
    assert list(d0.demographics["pendidikan"].items()) == [
        ("SD", 0), ("SMP", 0), ("SMA", 2), ("D3", 0), ("S1", 0), ("S2", 0), ("S3", 0),
    ]  # fmt: skip
    assert list(d0.demographics["pekerjaan"]) == [
        "PNS", "TNI", "POLRI", "SWASTA", "WIRAUSAHA", "LAINNYA"
    ]  # fmt: skip
    assert d0.demographics["pekerjaan"]["SWASTA"] == 2
    # The labels, for the pages and the report, in the same order.
    labelled = {name: [(c.label, c.count) for c in rows] for name, rows in d0.profile.items()}
    assert labelled["jenis_kelamin"] == [("Laki-laki", 1), ("Perempuan", 1)]
    assert [label for label, _n in labelled["usia"]] == ["< 20", "20–29", "30–39", "40–49", "≥ 50"]
    assert [label for label, _n in labelled["pendidikan"]] == [
        "SD ke bawah", "SMP", "SMA", "D1/D2/D3", "D4/S1", "S2", "S3"
    ]  # fmt: skip
    assert labelled["pekerjaan"][3] == ("Swasta", 2)
    assert queries.report_data(d0).demographics["pekerjaan"]["Swasta"] == 2
    item = services.rtl_create(
        by=cast.user("kapus"),
        unit=cast.puskesmas,
        layanan=p0.layanan,
        key=key0,
        unsur=8,
        action="Sediakan kanal pengaduan WhatsApp",
        owner_id=cast.perawat.pk,
        due_date=date(2026, 1, 31),
    )
    [follow] = queries.detail(p0.layanan, key0).tindak_lanjut
    assert follow.nrr_then == Decimal("1.0000") and follow.nrr_next == Decimal("3.0000")
    assert follow.improved is True
    d1 = queries.detail(p1.layanan, PeriodKey("SEMESTER", 2026, 1))
    assert d1.saran == ["Kotak saran diperbaiki"] * 2 and d1.unsur[7].previous == Decimal("1.0000")
    done = services.rtl_mark_done(by=cast.user("perawat"), item=item, note="Sudah jalan")
    assert done.done_at is not None
    with pytest.raises(Conflict):
        services.rtl_mark_done(by=cast.admin, item=item)
    assert AuditEvent.objects.filter(action__in=["skm_rtl_create", "skm_rtl_done"]).count() == 2


def test_rtl_permissions_and_checks(cast: Cast, layanan: Layanan, key: PeriodKey) -> None:
    def make(by: str, **kw: object) -> object:
        values: dict[str, object] = {
            "unit": cast.puskesmas,
            "layanan": layanan,
            "key": key,
            "unsur": 3,
            "action": "Tambah loket",
            "owner_id": cast.perawat.pk,
            "due_date": key.end,
        }
        values.update(kw)
        return services.rtl_create(by=cast.user(by), **values)  # type: ignore[arg-type]

    for who in ("kasi", "staf_a", "perawat", "auditor"):
        with pytest.raises(Refused):
            make(who)
    make("kadis")  # the dinas head is above the puskesmas
    with pytest.raises(ServiceError, match="U1–U9"):
        make("admin", unsur=10)
    with pytest.raises(ServiceError, match="instansi ini"):
        make("admin", owner_id=cast.outsider.pk)
    with pytest.raises(ServiceError, match="sebelum periode"):
        make("admin", due_date=key.start - timedelta(days=1))
    with pytest.raises(ServiceError, match="Tuliskan"):
        make("admin", action="  ")
    item = make("admin")
    with pytest.raises(Refused):
        services.rtl_mark_done(by=cast.user("staf_a"), item=item)  # type: ignore[arg-type]


def test_petugas_feedback_needs_three_responses(cast: Cast, period: SurveyPeriod) -> None:
    today = timezone.localdate()
    add_answers(period, [(4,) * 9, (3,) * 9], petugas=cast.perawat)
    assert queries.petugas_feedback(cast.perawat.pk, today, today) is None
    add_answers(period, [(2, 2, 2, 2, 2, 1, 2, 2, 2)], petugas=cast.perawat)
    add_answers(period, [(1,) * 9] * 5, petugas=cast.kapus)
    found = queries.petugas_feedback(cast.perawat.pk, today, today)
    assert found is not None and found.respondents == 3
    assert found.nrr_kompetensi == Decimal("2.6667") and found.nrr_perilaku == Decimal("3.0000")
    assert found.ikm.respondents == 3
    yesterday = today - timedelta(days=1)
    assert queries.petugas_feedback(cast.perawat.pk, yesterday, yesterday) is None
