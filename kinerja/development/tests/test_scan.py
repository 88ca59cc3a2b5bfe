"""The batched early-warning scan: the same cases as the scan that read one SKP at a time, and
a number of queries that does not grow with the number of SKPs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import transaction

from kinerja.assessments.testing import YEAR
from kinerja.audit.models import AuditEvent
from kinerja.core.errors import ServiceError
from kinerja.org.testing import Cast
from kinerja.plans import services as plans
from kinerja.plans.models import Skp, StatusSkp
from kinerja.plans.rules import Period
from kinerja.progress.models import Realisasi

from .. import rules, scan_reads, services
from ..models import Kasus, PengaturanPengembangan, StatusKasus
from ..scan import ScanResult, _span, decide, scan, skp_progress, triggers_for
from .scan_data import on_track, varied

APRIL = date(YEAR, 4, 10)
DAYS = (date(YEAR, 2, 15), APRIL, date(YEAR, 7, 1), date(YEAR, 11, 30), date(YEAR + 1, 1, 5))
FIXED_QUERIES = 2  # the instansi's threshold and cadence
BATCH_QUERIES = 7  # the SKPs, earlier versions, entries, predikat, IKIs, values, open cases

Snapshot = tuple[object, list[tuple[Any, ...]], int]


def scan_one_by_one(
    *, instansi_id: int, year: int, period: int, today: date, unit_path: str | None = None
) -> ScanResult:
    """The scan as it was before the batches (one SKP at a time through `triggers_for`)."""
    threshold = services.pengaturan_for(instansi_id).progress_threshold
    result = ScanResult()
    skps = Skp.objects.filter(
        instansi_id=instansi_id, year=year, is_current=True, status=StatusSkp.DISETUJUI
    ).order_by("id")
    if unit_path is not None:
        skps = skps.filter(unit_path__startswith=unit_path)
    span: Period | None = None
    for skp in skps:
        if span is None:
            span = _span(skp, period, today)
        result.checked += 1
        for trigger in triggers_for(skp, span, today, threshold):
            kasus, created = services.kasus_open(
                by=None, skp=skp, period=period, reason=trigger.reason, data=trigger.data
            )
            if created:
                result.opened += 1
                result.by_reason[trigger.reason] += 1
            elif kasus.status == StatusKasus.SELESAI:
                result.closed_before += 1
            else:
                result.already_open += 1
    return result


def run_and_undo(action: Callable[..., ScanResult], where: dict[str, Any]) -> Snapshot:
    """The result (or the refusal), the cases and the audit events of a scan, then rolled back."""
    with transaction.atomic():
        try:
            outcome: object = action(**where)
        except ServiceError as exc:
            outcome = exc.message
        cases = sorted(
            Kasus.objects.values_list(
                "instansi_id", "pegawai_id", "rater_id", "skp_id", "unit_path", "year",
                "period", "reason", "data", "status",
            ),
            key=repr,
        )  # fmt: skip
        events = AuditEvent.objects.filter(action="kasus_open").count()
        transaction.set_rollback(True)
    return outcome, cases, events


def scenarios(cast: Cast) -> list[dict[str, Any]]:
    """KAB quarterly (each period, a period that does not exist, one unit's subtree), KOTA
    monthly with a threshold of 50 % (some months, the 13th), on days before, in and after."""
    kab = [(cast.kab.pk, p, d, None) for p in (1, 2, 3, 4, 5) for d in DAYS[1::2]]
    unit = [(cast.kab.pk, p, d, cast.seksi.path) for p in (1, 2) for d in DAYS[2:4]]
    kota = [(cast.kota.pk, p, d, None) for p in (1, 4, 12, 13) for d in DAYS[1::2]]
    return [
        {"instansi_id": i, "year": YEAR, "period": p, "today": d, "unit_path": u}
        for i, p, d, u in kab + unit + kota
    ]


def test_the_batched_scan_opens_the_same_cases_as_one_by_one(cast: Cast) -> None:
    # The cadence first: it is fixed once the year holds records (assessments/receivers.py).
    plans.tahun_set_cadence(by=cast.superadmin, instansi=cast.kota, year=YEAR, cadence="BULANAN")
    checked = varied(cast)
    PengaturanPengembangan.objects.create(instansi=cast.kota, progress_threshold=50)
    # Cases already there: some open, some closed by a person (neither is opened again).
    scan(instansi_id=cast.kab.pk, year=YEAR, period=1, today=date(YEAR, 11, 30))
    for kasus in list(Kasus.objects.order_by("id"))[::2]:
        services.kasus_close(by=cast.admin, kasus=kasus, note="Sudah dibahas")
    assert Kasus.objects.filter(status=StatusKasus.SELESAI).exists()
    seen: set[str] = set()
    opening = reopening = closed_seen = 0
    for where in scenarios(cast):
        before = run_and_undo(scan_one_by_one, where)
        assert run_and_undo(scan, where) == before, where
        assert run_and_undo(scan, where | {"batch_size": 4}) == before, where
        if isinstance(before[0], ScanResult):
            seen |= set(before[0].by_reason)
            opening += before[0].opened > 0
            reopening += before[0].already_open > 0
            closed_seen += before[0].closed_before > 0
        else:
            assert "belum dimulai" in str(before[0]) or "tidak ada" in str(before[0])
    assert seen == set(rules.REASONS)  # the comparison is not vacuous
    assert opening >= 8 and reopening >= 5 and closed_seen >= 1
    assert len(checked) == 37


def test_batched_facts_are_the_facts_of_each_skp(cast: Cast) -> None:
    checked = varied(cast)
    progress_seen = set()
    for instansi in (cast.kab, cast.kota):
        mine = [s for s in checked if s.instansi_id == instansi.pk]
        threshold = services.pengaturan_for(instansi.pk).progress_threshold
        for number in (1, 2, 3, 4):
            facts = scan_reads.batch_facts(
                [s.pk for s in mine], instansi_id=instansi.pk, period=number
            )
            assert set(facts) == {s.pk for s in mine}
            for skp in mine:
                assert facts[skp.pk].progress == skp_progress(skp, number), (skp.pk, number)
                in_force = Realisasi.objects.in_force().filter(skp=skp, period=number)
                assert facts[skp.pk].entries == in_force.count(), (skp.pk, number)
                progress_seen.add(facts[skp.pk].progress)
                span = _span(skp, number, date(YEAR, 12, 31))
                for today in (APRIL, DAYS[-1]):
                    assert decide(
                        facts[skp.pk], year=YEAR, span=span, today=today, threshold=threshold
                    ) == triggers_for(skp, span, today, threshold)
    assert None in progress_seen and len(progress_seen) > 20


def test_the_reads_do_not_grow_with_the_number_of_skps(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    on_track(cast, 3)
    with django_assert_num_queries(FIXED_QUERIES + BATCH_QUERIES):
        result = scan(instansi_id=cast.kab.pk, year=YEAR, period=1, today=APRIL)
    assert (result.checked, result.opened) == (3, 0)
    on_track(cast, 27)
    with django_assert_num_queries(FIXED_QUERIES + BATCH_QUERIES):
        result = scan(instansi_id=cast.kab.pk, year=YEAR, period=1, today=APRIL)
    assert (result.checked, result.opened) == (30, 0)
    # In batches of 7: 7, 7, 7, 7 and 2 SKPs.
    with django_assert_num_queries(FIXED_QUERIES + 5 * BATCH_QUERIES):
        result = scan(instansi_id=cast.kab.pk, year=YEAR, period=1, today=APRIL, batch_size=7)
    assert (result.checked, result.opened) == (30, 0)
    # A last batch that is full reads once more to learn that nothing follows.
    with django_assert_num_queries(FIXED_QUERIES + 3 * BATCH_QUERIES + 1):
        scan(instansi_id=cast.kab.pk, year=YEAR, period=1, today=APRIL, batch_size=10)


def test_cases_already_open_cost_no_query(cast: Cast, django_assert_num_queries: Any) -> None:
    varied(cast)
    first = scan(instansi_id=cast.kab.pk, year=YEAR, period=1, today=date(YEAR, 11, 30))
    assert first.opened > 10
    with django_assert_num_queries(FIXED_QUERIES + BATCH_QUERIES):
        again = scan(instansi_id=cast.kab.pk, year=YEAR, period=1, today=date(YEAR, 11, 30))
    assert (again.checked, again.opened, again.already_open) == (first.checked, 0, first.opened)


def test_an_instansi_without_skps_reads_its_settings_and_one_empty_batch(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(2):
        result = scan(instansi_id=cast.kota.pk, year=YEAR, period=9, today=APRIL)
    assert result.checked == 0  # no SKP: the period is not even looked at (as before)


def test_a_batch_of_nothing_reads_nothing(db: None, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        assert scan_reads.batch_facts([], instansi_id=1, period=1) == {}
