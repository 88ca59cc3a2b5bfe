"""Realisasi services and progress queries, as stories with the named cast: staf_a reports on
her approved SKP (kasi rates her), staf_b is her peer in the same seksi.

The clock is fixed at 15 May of the current year (TRIWULAN II under the default quarterly
cadence) through `fixed_today`, so "the current period" does not depend on the day the suite
runs. Helpers here are shared by test_api.py and test_evidence.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from kinerja.audit.models import AuditEvent
from kinerja.core.errors import Conflict, Refused, ServiceError
from kinerja.org.models import Pegawai
from kinerja.org.testing import Cast
from kinerja.plans import services as plans
from kinerja.plans.models import Iki, Skp, StatusSkp
from kinerja.progress import queries, services
from kinerja.progress.models import BuktiDukung, Realisasi, RencanaAksi
from kinerja.progress.services import Upload
from kinerja.progress.tests.test_rules import PDF, PNG

YEAR = timezone.localdate().year
TODAY = date(YEAR, 5, 15)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200


def fix_clock(monkeypatch: pytest.MonkeyPatch, today: date = TODAY) -> None:
    """The progress services' "today" (only they read it; SKP planning keeps the real one)."""
    monkeypatch.setattr(services, "timezone", SimpleNamespace(localdate=lambda: today))


@dataclass
class Plan:
    skp: Skp
    iki: Iki  # KUANTITAS, 12 kali, higher is better
    iki_kualitas: Iki  # KUALITAS, 90 %, latest value counts
    iki_waktu: Iki  # WAKTU, 3 hari from a baseline of 5, lower is better


IKI_KUANTITAS = {"text": "Posyandu terlaksana", "aspek": "KUANTITAS", "target_value": "12",
                 "target_unit": "kali"}  # fmt: skip
IKI_KUALITAS = {"text": "Kepuasan peserta", "aspek": "KUALITAS", "target_value": "90",
                "target_unit": "%"}  # fmt: skip
IKI_WAKTU = {"text": "Waktu tunggu laporan", "aspek": "WAKTU", "target_value": "3",
             "target_unit": "hari", "baseline": "5", "direction": "TURUN"}  # fmt: skip


def make_plan(cast: Cast, who: str = "staf_a", *, approve: bool = True) -> Plan:
    """`who` (staf_a or staf_b) gets an SKP with an RHK cascaded from kasi and three IKIs."""
    kasi, user = cast.user("kasi"), cast.user(who)
    pegawai: Pegawai = getattr(cast, who)
    kasi_skp = Skp.objects.filter(pegawai=cast.kasi, year=YEAR).first() or plans.skp_create(
        by=kasi, pegawai=cast.kasi, year=YEAR
    )
    top = plans.rhk_save(by=kasi, skp=kasi_skp, jenis="UTAMA", text=f"Layanan primer {who}")
    [rhk] = plans.rhk_cascade(by=kasi, rhk=top, assignments=[(pegawai, "Posyandu aktif")])
    iki = plans.iki_save(by=user, rhk=rhk, values=IKI_KUANTITAS)
    kualitas = plans.iki_save(by=user, rhk=rhk, values=IKI_KUALITAS)
    waktu = plans.iki_save(by=user, rhk=rhk, values=IKI_WAKTU)
    skp = rhk.skp
    if approve:
        plans.skp_submit(by=user, skp=skp)
        plans.skp_approve(by=kasi, skp=skp)
    skp.refresh_from_db()
    return Plan(skp, iki, kualitas, waktu)


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


@pytest.fixture
def plan(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> Plan:
    fix_clock(monkeypatch)
    return make_plan(cast)


def record(cast: Cast, plan: Plan, **kwargs: Any) -> tuple[Realisasi, bool]:
    values: dict[str, Any] = {"by": cast.user("staf_a"), "iki": plan.iki, "day": TODAY,
                              "value": "3"} | kwargs  # fmt: skip
    return services.realisasi_record(**values)


# --- who records, on which SKP -------------------------------------------------------------


def test_owner_records_a_value_with_evidence_and_an_audit_event(cast: Cast, plan: Plan) -> None:
    entry, created = record(
        cast,
        plan,
        value="3,5",
        narrative="Posyandu Melati dan Mawar",
        uploads=[Upload("foto.png", PNG), Upload("laporan.pdf", PDF)],
        links=[" https://drive.example.go.id/bukti/1 "],
    )
    assert created
    assert entry.value == Decimal("3.5") and entry.period == 2 and entry.date == TODAY
    assert entry.instansi_id == cast.kab.pk and entry.pegawai_id == cast.staf_a.pk
    kinds = sorted((b.content_type, b.url) for b in entry.bukti.all())
    assert kinds == [
        ("", "https://drive.example.go.id/bukti/1"),
        ("application/pdf", ""),
        ("image/png", ""),
    ]
    stored = BuktiDukung.objects.exclude(file="").order_by("id").first()
    assert stored is not None and stored.size == len(PNG) and len(stored.sha256) == 64
    name = stored.file.name or ""
    assert name.startswith("bukti/") and name.endswith(".png")
    assert "foto" not in name  # the storage name is random, not the user's
    assert len(media_files()) == 2
    event = AuditEvent.objects.get(action="realisasi_record")
    assert event.target_type == "skp" and event.target_id == str(plan.skp.pk)
    assert event.new_values["realisasi_id"] == entry.pk and event.new_values["value"] == "3.5"


@pytest.mark.parametrize("who", ["staf_b", "kasi", "kabid", "admin", "superadmin"])
def test_only_the_owner_records(cast: Cast, plan: Plan, who: str) -> None:
    with pytest.raises(Refused):
        record(cast, plan, by=cast.user(who))
    assert not Realisasi.objects.exists()


def test_the_skp_must_be_approved(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    fix_clock(monkeypatch)
    plan = make_plan(cast, approve=False)
    assert plan.skp.status == StatusSkp.DRAFT
    with pytest.raises(Conflict, match="disetujui"):
        record(cast, plan)
    plans.skp_submit(by=cast.user("staf_a"), skp=plan.skp)
    plan.skp.refresh_from_db()
    with pytest.raises(Conflict):
        record(cast, plan)
    assert not Realisasi.objects.exists()


# --- dates and periods ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (date(YEAR, 5, 16), "masa depan"),
        (date(YEAR + 1, 1, 2), "masa depan"),
        (date(YEAR - 1, 12, 31), "masa SKP"),
        (date(YEAR, 3, 31), "periode berjalan"),  # TRIWULAN I is over
        (date(YEAR, 1, 1), "periode berjalan"),
    ],
)
def test_date_must_be_in_the_current_period(
    cast: Cast, plan: Plan, day: date, message: str
) -> None:
    with pytest.raises(ServiceError, match=message) as caught:
        record(cast, plan, day=day)
    assert caught.value.field == "date"
    assert not Realisasi.objects.exists()


def test_any_day_of_the_current_period_up_to_today(cast: Cast, plan: Plan) -> None:
    for day in (date(YEAR, 4, 1), date(YEAR, 5, 1), TODAY):
        entry, _ = record(cast, plan, day=day)
        assert entry.period == 2


def test_monthly_cadence_makes_the_period_a_month(cast: Cast, plan: Plan) -> None:
    plans.tahun_set_cadence(by=cast.user("admin"), instansi=cast.kab, year=YEAR, cadence="BULANAN")
    with pytest.raises(ServiceError, match="APRIL"):
        record(cast, plan, day=date(YEAR, 4, 30))
    entry, _ = record(cast, plan, day=date(YEAR, 5, 2))
    assert entry.period == 5


# --- content --------------------------------------------------------------------------------


def test_a_quantitative_indicator_needs_a_value(cast: Cast, plan: Plan) -> None:
    with pytest.raises(ServiceError) as caught:
        record(cast, plan, value=None, narrative="sudah dilaksanakan")
    assert caught.value.field == "value"


@pytest.mark.parametrize("value", ["banyak", "1e20", "NaN", "Infinity"])
def test_value_must_be_a_sane_number(cast: Cast, plan: Plan, value: str) -> None:
    with pytest.raises(ServiceError) as caught:
        record(cast, plan, value=value)
    assert caught.value.field == "value"


def test_qualitative_skp_takes_a_narrative_but_not_nothing(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    fix_clock(monkeypatch)
    kasi, staf = cast.user("kasi"), cast.user("staf_b")
    kasi_skp = plans.skp_create(by=kasi, pegawai=cast.kasi, year=YEAR)
    top = plans.rhk_save(by=kasi, skp=kasi_skp, jenis="UTAMA", text="Layanan primer")
    [rhk] = plans.rhk_cascade(by=kasi, rhk=top, assignments=[(cast.staf_b, "Edukasi gizi")])
    plans.skp_set_pendekatan(by=staf, skp=rhk.skp, pendekatan="KUALITATIF")
    iki = plans.iki_save(
        by=staf,
        rhk=rhk,
        values={"text": "Edukasi gizi", "aspek": "KUALITAS", "target_narrative": "Rutin"},
    )
    plans.skp_submit(by=staf, skp=rhk.skp)
    plans.skp_approve(by=kasi, skp=rhk.skp)
    with pytest.raises(ServiceError) as caught:
        services.realisasi_record(by=staf, iki=iki, day=TODAY, narrative="   ")
    assert caught.value.field == "narrative"
    entry, _ = services.realisasi_record(
        by=staf, iki=iki, day=TODAY, narrative="  Penyuluhan di dua desa  "
    )
    assert entry.value is None and entry.narrative == "Penyuluhan di dua desa"
    progress = queries.iki_progress(rhk.skp)[iki.pk]
    assert progress.narrative_only and progress.percent is None
    assert progress.entries == [entry]


# --- idempotency ----------------------------------------------------------------------------


def test_a_retry_with_the_same_key_returns_the_first_entry(cast: Cast, plan: Plan) -> None:
    first, created = record(cast, plan, idempotency_key="hp-0001", uploads=[Upload("a.png", PNG)])
    again, created_again = record(
        cast, plan, idempotency_key="hp-0001", uploads=[Upload("a.png", PNG)]
    )
    assert created and not created_again
    assert again.pk == first.pk and again.value == Decimal("3")
    assert Realisasi.objects.count() == 1
    assert BuktiDukung.objects.count() == 1 and len(media_files()) == 1
    assert events("realisasi_record") == 1


@pytest.mark.parametrize(
    "changed",
    [
        {"value": "99"},
        {"value": "3,5"},
        {"value": "1.200"},  # refused as a value: certainly not the first entry's
        {"uploads": []},
        {"uploads": [Upload("a.png", PNG + b"lain")]},
        {"uploads": [Upload("a.png", PNG)], "links": ["https://contoh.go.id/foto"]},
    ],
)
def test_a_retry_with_the_same_key_but_other_content_is_refused(
    cast: Cast, plan: Plan, changed: dict[str, Any]
) -> None:
    first, _created = record(cast, plan, idempotency_key="hp-0001", uploads=[Upload("a.png", PNG)])
    content: dict[str, Any] = {"uploads": [Upload("a.png", PNG)]} | changed
    with pytest.raises(Conflict, match="sudah dikirim dengan isi yang lain"):
        record(cast, plan, idempotency_key="hp-0001", **content)
    assert list(Realisasi.objects.all()) == [first] and first.value == Decimal("3")
    assert BuktiDukung.objects.count() == 1 and len(media_files()) == 1
    assert events("realisasi_record") == 1


def test_a_retry_may_write_the_same_number_another_way(cast: Cast, plan: Plan) -> None:
    first, _created = record(cast, plan, idempotency_key="hp-0001", value="3")
    again, created = record(cast, plan, idempotency_key="hp-0001", value="3,00")
    assert again.pk == first.pk and not created


def test_without_a_key_every_submission_is_an_entry(cast: Cast, plan: Plan) -> None:
    record(cast, plan)
    record(cast, plan)
    assert Realisasi.objects.count() == 2


def test_a_key_reused_for_another_indicator_is_a_conflict(cast: Cast, plan: Plan) -> None:
    record(cast, plan, idempotency_key="hp-0002")
    with pytest.raises(Conflict):
        record(cast, plan, iki=plan.iki_kualitas, value="80", idempotency_key="hp-0002")
    assert Realisasi.objects.count() == 1


def test_keys_belong_to_their_user(cast: Cast, plan: Plan) -> None:
    other = make_plan(cast, "staf_b")
    record(cast, plan, idempotency_key="same")
    mine, created = services.realisasi_record(
        by=cast.user("staf_b"), iki=other.iki, day=TODAY, value="1", idempotency_key="same"
    )
    assert created and mine.skp_id == other.skp.pk
    assert Realisasi.objects.count() == 2


def test_a_replay_by_someone_else_is_not_a_replay(cast: Cast, plan: Plan) -> None:
    record(cast, plan, idempotency_key="k")
    with pytest.raises(Refused):
        record(cast, plan, by=cast.user("staf_b"), idempotency_key="k")


def test_a_key_longer_than_64_is_refused(cast: Cast, plan: Plan) -> None:
    with pytest.raises(ServiceError):
        record(cast, plan, idempotency_key="x" * 65)
    entry, _ = record(cast, plan, idempotency_key="x" * 64)
    assert entry.idempotency_key == "x" * 64


# --- corrections ----------------------------------------------------------------------------


def test_a_correction_keeps_the_original(cast: Cast, plan: Plan) -> None:
    original, _ = record(cast, plan, value="3")
    staf = cast.user("staf_a")
    fixed = services.realisasi_correct(
        by=staf, realisasi=original, value="4", reason="  salah hitung  "
    )
    assert fixed.corrects_id == original.pk and fixed.correction_reason == "salah hitung"
    assert fixed.date == original.date and fixed.period == original.period
    assert Realisasi.objects.count() == 2
    assert list(Realisasi.objects.in_force()) == [fixed]
    original.refresh_from_db()
    assert original.value == Decimal("3")  # never overwritten
    assert original.corrected_by == fixed
    event = AuditEvent.objects.get(action="realisasi_correct")
    assert event.old_values["realisasi_id"] == original.pk
    assert Decimal(event.old_values["value"]) == Decimal(3)
    assert event.new_values["reason"] == "salah hitung"
    # The correction itself can be corrected: the trail grows, one entry stays in force.
    again = services.realisasi_correct(by=staf, realisasi=fixed, value="5", reason="lagi")
    assert list(Realisasi.objects.in_force()) == [again]
    assert queries.iki_progress(plan.skp)[plan.iki.pk].realised == Decimal("5")


def test_an_entry_is_corrected_only_once(cast: Cast, plan: Plan) -> None:
    original, _ = record(cast, plan)
    staf = cast.user("staf_a")
    services.realisasi_correct(by=staf, realisasi=original, value="4", reason="salah")
    with pytest.raises(Conflict):
        services.realisasi_correct(by=staf, realisasi=original, value="6", reason="lagi")
    assert Realisasi.objects.count() == 2


def test_a_correction_needs_a_reason_and_the_owner(cast: Cast, plan: Plan) -> None:
    original, _ = record(cast, plan)
    with pytest.raises(ServiceError) as caught:
        services.realisasi_correct(
            by=cast.user("staf_a"), realisasi=original, value="4", reason=" "
        )
    assert caught.value.field == "reason"
    for who in ("kasi", "staf_b", "admin"):
        with pytest.raises(Refused):
            services.realisasi_correct(
                by=cast.user(who), realisasi=original, value="4", reason="oleh orang lain"
            )
    assert Realisasi.objects.count() == 1


def test_a_past_period_cannot_be_corrected(
    cast: Cast, plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    original, _ = record(cast, plan)
    fix_clock(monkeypatch, date(YEAR, 7, 1))
    with pytest.raises(ServiceError, match="periode berjalan"):
        services.realisasi_correct(
            by=cast.user("staf_a"), realisasi=original, value="4", reason="terlambat"
        )


# --- evidence -------------------------------------------------------------------------------


def test_a_too_big_file_is_refused_and_nothing_is_written(
    cast: Cast, plan: Plan, settings: Any
) -> None:
    settings.KINERJA_EVIDENCE_MAX_BYTES = len(PNG) + 10
    big = PDF + b"%" * 100
    with pytest.raises(ServiceError, match="terlalu besar") as caught:
        record(cast, plan, uploads=[Upload("foto.png", PNG), Upload("besar.pdf", big)])
    assert caught.value.field == "files"
    assert not Realisasi.objects.exists() and not BuktiDukung.objects.exists()
    assert media_files() == []  # the good file before it was not stored either
    assert events("realisasi_record") == 0


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("virus.pdf", EXE),
        ("halaman.png", b"<html><script>alert(1)</script></html>"),
        ("gambar.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("kosong.pdf", b""),
    ],
)
def test_a_wrong_type_is_refused_and_nothing_is_written(
    cast: Cast, plan: Plan, name: str, content: bytes
) -> None:
    with pytest.raises(ServiceError) as caught:
        record(cast, plan, uploads=[Upload("foto.png", PNG), Upload(name, content)])
    assert caught.value.field == "files"
    assert not Realisasi.objects.exists() and media_files() == []


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://x.example/a", "drive/bukti"])
def test_links_must_be_http(cast: Cast, plan: Plan, link: str) -> None:
    with pytest.raises(ServiceError) as caught:
        record(cast, plan, uploads=[Upload("foto.png", PNG)], links=[link])
    assert caught.value.field == "links"
    assert not Realisasi.objects.exists() and media_files() == []


def test_path_tricks_in_names_do_not_reach_storage(cast: Cast, plan: Plan) -> None:
    entry, _ = record(
        cast,
        plan,
        uploads=[
            Upload("../../../../etc/cron.d/evil.png", PNG),
            Upload("..\\..\\web.config\x00.pdf", PDF),
            Upload("laporan\u202efdp.exe", PDF),
        ],
    )
    names = sorted(b.file_name for b in entry.bukti.all())
    assert names == ["evil.png", "laporanfdp.pdf", "web.config.pdf"]
    root = Path(settings.MEDIA_ROOT).resolve()
    for path in media_files():
        assert path.resolve().is_relative_to(root / "bukti")


def test_uploads_from_refuses_a_big_file_before_reading_it(settings: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.KINERJA_EVIDENCE_MAX_BYTES = 10
    with pytest.raises(ServiceError, match="terlalu besar"):
        services.uploads_from([SimpleUploadedFile("a.png", PNG)])
    [upload] = services.uploads_from([SimpleUploadedFile("a.png", PNG[:10])])
    assert upload == Upload("a.png", PNG[:10])


# --- rencana aksi ---------------------------------------------------------------------------


def test_rencana_aksi_is_added_by_the_owner_and_can_be_referred_to(cast: Cast, plan: Plan) -> None:
    staf = cast.user("staf_a")
    step = services.rencana_aksi_add(by=staf, iki=plan.iki, period=2, text=" Jadwal posyandu ")
    assert step.text == "Jadwal posyandu" and step.skp_id == plan.skp.pk
    assert events("rencana_aksi_add") == 1
    entry, _ = record(cast, plan, rencana_aksi_id=step.pk)
    assert entry.rencana_aksi == step
    other = services.rencana_aksi_add(by=staf, iki=plan.iki_kualitas, period=2, text="Survei")
    with pytest.raises(ServiceError) as caught:
        record(cast, plan, rencana_aksi_id=other.pk)
    assert caught.value.field == "rencana_aksi_id"
    earlier = services.rencana_aksi_add(by=staf, iki=plan.iki, period=1, text="Triwulan I")
    with pytest.raises(ServiceError, match="untuk periode lain") as caught:
        record(cast, plan, rencana_aksi_id=earlier.pk)
    assert caught.value.field == "rencana_aksi_id"
    theirs = make_plan(cast, "staf_b")
    foreign = services.rencana_aksi_add(by=cast.user("staf_b"), iki=theirs.iki, period=2, text="x")
    for unknown in (999_999, foreign.pk):  # no such id, another SKP's: the same 400
        with pytest.raises(ServiceError, match=f"dengan id {unknown} tidak ditemukan") as caught:
            record(cast, plan, rencana_aksi_id=unknown)
        assert caught.value.status == 400 and caught.value.field == "rencana_aksi_id"
    assert Realisasi.objects.count() == 1


def test_rencana_aksi_refusals(cast: Cast, plan: Plan) -> None:
    staf = cast.user("staf_a")
    with pytest.raises(ServiceError) as caught:
        services.rencana_aksi_add(by=staf, iki=plan.iki, period=5, text="Triwulan ke-5?")
    assert caught.value.field == "period"
    with pytest.raises(ServiceError) as caught:
        services.rencana_aksi_add(by=staf, iki=plan.iki, period=2, text="  ")
    assert caught.value.field == "text"
    for who in ("staf_b", "kasi"):  # another pegawai, the rater: refused in its own words
        with pytest.raises(Refused) as refused:
            services.rencana_aksi_add(by=cast.user(who), iki=plan.iki, period=2, text="x")
        assert refused.value.message == "Hanya pemilik SKP yang dapat menambah rencana aksi."
    assert not RencanaAksi.objects.exists()


# --- progress -------------------------------------------------------------------------------


def test_progress_sums_kuantitas_and_takes_the_latest_kualitas_and_waktu(
    cast: Cast, plan: Plan, django_assert_max_num_queries: Any
) -> None:
    staf = cast.user("staf_a")
    record(cast, plan, day=date(YEAR, 4, 10), value="3")
    wrong, _ = record(cast, plan, day=date(YEAR, 5, 2), value="30")
    services.realisasi_correct(by=staf, realisasi=wrong, value="3", reason="salah ketik")
    record(cast, plan, iki=plan.iki_kualitas, day=date(YEAR, 4, 30), value="95")
    record(cast, plan, iki=plan.iki_kualitas, day=date(YEAR, 5, 10), value="72")
    record(cast, plan, iki=plan.iki_waktu, day=date(YEAR, 4, 3), value="6")
    record(cast, plan, iki=plan.iki_waktu, day=date(YEAR, 5, 12), value="4")
    with django_assert_max_num_queries(3):
        progress = queries.iki_progress(plan.skp)
    kuantitas, kualitas, waktu = (progress[i.pk] for i in (plan.iki, plan.iki_kualitas,
                                                           plan.iki_waktu))  # fmt: skip
    assert (kuantitas.realised, kuantitas.percent) == (Decimal("6"), Decimal("50.00"))
    assert len(kuantitas.entries) == 2  # the corrected entry is not in force
    assert (kualitas.realised, kualitas.percent) == (Decimal("72"), Decimal("80.00"))
    # lower is better from a baseline of 5 to a target of 3: 4 days is half way
    assert (waktu.realised, waktu.percent) == (Decimal("4"), Decimal("50.00"))
    assert queries.rhk_progress(progress) == {plan.iki.rhk_id: Decimal("60.00")}


def test_a_kuantitas_iki_measured_in_percent_takes_the_latest_value(cast: Cast, plan: Plan) -> None:
    """24 % reported twice is a coverage of 24 %, not 48 %."""
    Iki.objects.filter(pk=plan.iki.pk).update(target_unit="persen", target_value=Decimal("50"))
    record(cast, plan, day=date(YEAR, 4, 10), value="24")
    record(cast, plan, day=date(YEAR, 5, 2), value="24")
    progress = queries.iki_progress(Skp.objects.get(pk=plan.skp.pk))[plan.iki.pk]
    assert (progress.realised, progress.percent) == (Decimal("24"), Decimal("48.00"))


def test_progress_without_entries_is_empty(cast: Cast, plan: Plan) -> None:
    progress = queries.iki_progress(plan.skp)
    assert all(p.realised is None and p.percent is None for p in progress.values())
    assert queries.rhk_progress(progress) == {plan.iki.rhk_id: None}


def test_progress_up_to_a_period(cast: Cast, plan: Plan) -> None:
    record(cast, plan, value="3")
    assert queries.iki_progress(plan.skp, period=1)[plan.iki.pk].realised is None
    assert queries.iki_progress(plan.skp, period=2)[plan.iki.pk].realised == Decimal("3")


def test_over_achievement_is_shown_and_capped(cast: Cast, plan: Plan) -> None:
    record(cast, plan, value="18")
    assert queries.iki_progress(plan.skp)[plan.iki.pk].percent == Decimal("150.00")
    record(cast, plan, value="100")
    assert queries.iki_progress(plan.skp)[plan.iki.pk].percent == Decimal("200.00")
