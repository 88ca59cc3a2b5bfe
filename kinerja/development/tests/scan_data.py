"""Data for the early-warning scan tests: many SKPs written straight through the ORM (the scan
reads them; how they were planned does not matter to it), on top of the named cast.

    skps = on_track(cast, 30)            # approved SKPs of KAB that raise nothing in TRIWULAN I
    varied(cast)                         # a seeded mix of every case the scan distinguishes
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from kinerja.assessments.models import Evaluasi, StatusEvaluasi
from kinerja.assessments.testing import YEAR
from kinerja.org.models import Instansi, Jabatan, Pegawai
from kinerja.org.testing import Cast
from kinerja.plans.models import Aspek, Iki, Rhk, Skp, StatusSkp
from kinerja.plans.rules import periods
from kinerja.progress.models import PeriodeTerkunci, Realisasi

_seq = iter(range(100, 10_000))


def pegawai(instansi: Instansi, jabatan: Jabatan) -> Pegawai:
    n = next(_seq)
    return Pegawai.objects.create(
        instansi=instansi, jenis_asn="PNS", nip=f"19900101201501{n:04d}"[:18],
        name=f"Pegawai Uji {n}", gender="1", birth_date=date(1990, 1, 1), jabatan=jabatan,
    )  # fmt: skip


def skp(
    who: Pegawai,
    jabatan: Jabatan,
    rater: Pegawai | None,
    *,
    year: int = YEAR,
    status: str = StatusSkp.DISETUJUI,
    is_current: bool = True,
    version: int = 1,
) -> Skp:
    return Skp.objects.create(
        instansi_id=who.instansi_id, pegawai=who, year=year, jabatan=jabatan,
        unit_path=jabatan.unit.path, rater=rater, start_date=date(year, 1, 1),
        end_date=date(year, 12, 31), status=status, is_current=is_current, version=version,
    )  # fmt: skip


def iki(
    plan: Skp,
    aspek: str = Aspek.KUANTITAS,
    target: str | None = "12",
    *,
    baseline: str | None = None,
    direction: str = "NAIK",
) -> Iki:
    rhk = Rhk.objects.filter(skp=plan).first() or Rhk.objects.create(
        skp=plan, jenis="UTAMA", text="Layanan terselenggara"
    )
    return Iki.objects.create(
        rhk=rhk, text=f"Indikator {aspek}", aspek=aspek,
        target_value=None if target is None else Decimal(target),
        target_narrative="Laporan naratif" if target is None else "",
        baseline=None if baseline is None else Decimal(baseline), direction=direction,
    )  # fmt: skip


def entry(
    cast: Cast,
    indicator: Iki,
    period: int,
    value: str | None,
    *,
    day: date | None = None,
    corrects: Realisasi | None = None,
) -> Realisasi:
    plan = indicator.rhk.skp
    span = periods(plan.year, "TRIWULANAN")[period - 1]
    return Realisasi.objects.create(
        instansi_id=plan.instansi_id, skp=plan, iki=indicator, pegawai_id=plan.pegawai_id,
        period=period, date=day or span.start + timedelta(days=9),
        value=None if value is None else Decimal(value),
        narrative="" if value is not None else "Kegiatan terlaksana", corrects=corrects,
        created_by=cast.superadmin,
    )  # fmt: skip


def evaluasi(plan: Skp, period: int, predikat: str, *, final: bool = True) -> Evaluasi:
    found = Evaluasi.objects.create(
        instansi_id=plan.instansi_id, skp=plan, pegawai_id=plan.pegawai_id,
        rater_id=plan.rater_id, unit=plan.jabatan.unit, unit_path=plan.unit_path,
        year=plan.year, period=period, predikat=predikat,
        status=StatusEvaluasi.FINAL if final else StatusEvaluasi.DRAFT,
    )  # fmt: skip
    if final:
        PeriodeTerkunci.objects.create(skp=plan, period=period)
    return found


def on_track(cast: Cast, n: int) -> list[Skp]:
    """`n` approved SKPs in kasi's seksi, each with 12 of 12 laporan in TRIWULAN I: no trigger
    holds for TRIWULAN I on any day of the year."""
    made = []
    for _ in range(n):
        plan = skp(pegawai(cast.kab, cast.j_staf), cast.j_staf, cast.kasi)
        entry(cast, iki(plan), 1, "12")
        made.append(plan)
    return made


PREDIKAT = ("SANGAT_BAIK", "BAIK", "BUTUH_PERBAIKAN", "KURANG", "SANGAT_KURANG")
ASPEK = (Aspek.KUANTITAS, Aspek.KUALITAS, Aspek.WAKTU, Aspek.BIAYA)


def varied(cast: Cast, n: int = 36, seed: int = 20260) -> list[Skp]:
    """A seeded mix over KAB (two units) and KOTA: quantitative and narrative IKIs, higher and
    lower is better, with and without a baseline (and a baseline equal to the target), summed
    and latest-value aspects, entries in several periods (some on the same day, some values
    with cents, some narrative only), corrections, SKPs without entries, final and draft
    evaluations with weak and good predikat (final ones lock their period), a pegawai with two
    current approved SKPs, and SKPs the scan must skip (a draft, an old version, another year).
    Returns the SKPs the scan checks."""
    rnd = random.Random(seed)  # test data, not secrets
    homes = [
        (cast.kab, cast.j_staf, cast.kasi),
        (cast.kab, cast.j_perawat, cast.kapus),
        (cast.kota, cast.outsider.jabatan, None),
    ]
    checked = []
    for i in range(n):
        instansi, jabatan, rater = homes[i % len(homes)]
        assert jabatan is not None
        plan = skp(pegawai(instansi, jabatan), jabatan, rater)
        checked.append(plan)
        shape = rnd.random()
        if shape < 0.1:
            continue  # an approved SKP without any IKI
        indicators = []
        for _ in range(rnd.randint(1, 4)):
            aspek = rnd.choice(ASPEK)
            if rnd.random() < 0.2:
                indicators.append(iki(plan, aspek, None))  # narrative
                continue
            target = rnd.choice(["12", "90", "4.5", "100"])
            baseline = rnd.choice([None, None, "2", target])
            direction = rnd.choice(["NAIK", "NAIK", "TURUN"])
            if direction == "TURUN" and baseline is not None and baseline != target:
                baseline = str(Decimal(target) * 2)
            indicators.append(iki(plan, aspek, target, baseline=baseline, direction=direction))
        if shape < 0.25:
            continue  # IKIs, no entries
        for indicator in indicators:
            for _ in range(rnd.randint(0, 4)):
                period = rnd.randint(1, 4)
                span = periods(YEAR, "TRIWULANAN")[period - 1]
                day = span.start + timedelta(days=rnd.choice([3, 3, 20, 40, 80]))
                if indicator.target_value is None or rnd.random() < 0.15:
                    value = None
                else:
                    value = rnd.choice(["1", "3", "0.10", "0.20", "7.35", "45", "0"])
                made = entry(cast, indicator, period, value, day=min(day, span.end))
                if rnd.random() < 0.2:  # corrected: the correction is the entry in force
                    fixed = rnd.choice(["2", "0.15", "12"]) if value is not None else None
                    entry(cast, indicator, period, fixed, day=made.date, corrects=made)
        for period in (1, 2):
            if rnd.random() < 0.35:
                evaluasi(plan, period, rnd.choice(PREDIKAT), final=rnd.random() < 0.75)
    # A pegawai with a second current approved SKP (another jabatan): one case per reason.
    first = checked[0]
    second = skp(first.pegawai, cast.j_perawat, cast.kapus)
    checked.append(second)
    # Never checked: a draft, a superseded version, another year.
    who = pegawai(cast.kab, cast.j_staf)
    skp(who, cast.j_staf, cast.kasi, status=StatusSkp.DRAFT)
    old = skp(pegawai(cast.kab, cast.j_staf), cast.j_staf, cast.kasi, is_current=False)
    entry(cast, iki(old), 1, "1")
    skp(pegawai(cast.kab, cast.j_staf), cast.j_staf, cast.kasi, year=YEAR - 1)
    return checked
