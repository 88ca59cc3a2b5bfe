"""Demo SKM data for `seed_demo`: a few layanan of the demo kabupaten (Disdukcapil, two
puskesmas, a kecamatan), the previous and the running semester, a few hundred answers (bulk,
a generator, not citizens: one audit event sums it up) and a rencana tindak lanjut for the
weakest unsur of one layanan, so that `make run` shows the IKM pages and the public page."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from kinerja.audit import services as audit
from kinerja.org.models import Instansi, Pegawai, UnitKerja

from . import queries, rules
from .models import UNSUR_FIELDS, Layanan, RencanaTindakLanjut, SkmResponse, Sumber, SurveyPeriod
from .periods import PeriodKey, key_on

# (unit code or kind, layanan name, code, population, answer bias per unsur)
PLAN: tuple[tuple[str, str, str, int, tuple[int, ...]], ...] = (
    ("DISDUKCAPIL", "Penerbitan KTP-el", "ktp-el", 1200, (0, 0, -1, 1, 0, 0, 0, -1, 0)),
    ("DISDUKCAPIL", "Akta Kelahiran", "akta-lahir", 400, (0, 0, 0, 1, 0, 0, 0, 0, 0)),
    ("PUSKESMAS", "Poli Umum", "poli-umum", 3000, (0, 0, -1, 1, 0, 0, 0, -1, -1)),
    ("PUSKESMAS", "Poli Kesehatan Ibu dan Anak", "poli-kia", 900, (0, 0, 0, 1, 0, 1, 1, -1, 0)),
    ("KECAMATAN", "PATEN Kecamatan", "paten", 600, (0, -1, -1, 1, 0, 0, 0, -1, 0)),
)  # fmt: skip
SARAN = (
    "Antrian mohon dipercepat.",
    "Petugas ramah, terima kasih.",
    "Ruang tunggu panas, mohon kipas angin.",
    "Informasi persyaratan dipasang lebih jelas.",
    "Kotak pengaduan tidak pernah dibuka.",
)


@dataclass(frozen=True)
class SkmSummary:
    layanan: int
    responses: int


def _units(instansi: Instansi) -> dict[str, list[UnitKerja]]:
    found: dict[str, list[UnitKerja]] = {}
    dukcapil = UnitKerja.objects.filter(instansi=instansi, code="DISDUKCAPIL").first()
    if dukcapil:
        found["DISDUKCAPIL"] = [dukcapil]
    for kind, count in (("PUSKESMAS", 2), ("KECAMATAN", 1)):
        units = list(
            UnitKerja.objects.filter(instansi=instansi, kind=kind).order_by("path")[:count]
        )
        if units:
            found[kind] = units
    return found


def _answer(rng: random.Random, bias: int, lift: int) -> int:
    return max(
        1, min(4, rng.choice((2, 3, 3, 3, 4, 4)) + bias + (lift if rng.random() < 0.3 else 0))
    )


def seed_skm(*, instansi: Instansi, seed: int) -> SkmSummary:
    rng = random.Random(seed)
    today = timezone.localdate()
    now_key = key_on("SEMESTER", today)
    keys = tuple(k for k in (now_key.previous(), now_key) if k is not None)
    units = _units(instansi)
    made: list[tuple[Layanan, tuple[int, ...]]] = []
    for where, name, code, population, bias in PLAN:
        for n, unit in enumerate(units.get(where, [])):
            suffix = "" if n == 0 else f"-{n + 1}"
            item = Layanan.objects.create(
                instansi=instansi,
                unit=unit,
                name=name,
                code=f"{code}{suffix}",
                population=population,
            )
            made.append((item, bias))
    rows: list[SkmResponse] = []
    periods: list[SurveyPeriod] = []
    for item, bias in made:
        petugas = list(
            Pegawai.objects.filter(jabatan__unit_id=item.unit_id).values_list("pk", flat=True)[:4]
        )
        for number, key in enumerate(keys):
            period = SurveyPeriod.objects.create(
                instansi=instansi,
                layanan=item,
                kind=key.kind,
                year=key.year,
                number=key.number,
                start=key.start,
                end=key.end,
                label=key.label,
            )
            periods.append(period)
            for _ in range(rng.randint(25, 45)):
                answers = [_answer(rng, b, number) for b in bias]
                rows.append(
                    SkmResponse(
                        instansi=instansi,
                        unit_id=item.unit_id,
                        layanan=item,
                        period=period,
                        **dict(zip(UNSUR_FIELDS, answers, strict=True)),
                        usia=rng.randint(17, 75),
                        jenis_kelamin=rng.choice("LP"),
                        pendidikan=rng.choice(("SD", "SMP", "SMA", "SMA", "D3", "S1", "S2")),
                        pekerjaan=rng.choice(("PNS", "SWASTA", "WIRAUSAHA", "LAINNYA", "LAINNYA")),
                        saran=rng.choice(SARAN) if rng.random() < 0.25 else "",
                        petugas_id=rng.choice(petugas) if petugas and rng.random() < 0.4 else None,
                        source=Sumber.ONLINE if rng.random() < 0.7 else Sumber.PAPER,
                    )
                )
    SkmResponse.objects.bulk_create(rows, batch_size=2000)
    zone = timezone.get_current_timezone()
    for period in periods:  # answers of a past semester carry a date in it
        if period.end < today:
            moment = datetime.combine(period.end - timedelta(days=10), time(10), tzinfo=zone)
            SkmResponse.objects.filter(instansi_id=period.instansi_id, period=period).update(
                created_at=moment
            )
    _follow_up(instansi, made, keys[0])
    audit.record(
        "seed_demo_skm",
        by=None,
        scope=instansi.pk,
        target_type="instansi",
        target_id=instansi.pk,
        new={"layanan": len(made), "responses": len(rows)},
    )
    return SkmSummary(len(made), len(rows))


def _follow_up(
    instansi: Instansi, made: list[tuple[Layanan, tuple[int, ...]]], key: PeriodKey
) -> None:
    """The first layanan's weakest unsur of the previous semester gets an action, done."""
    if not made:
        return
    item = made[0][0]
    result = queries.detail(item, key).row.result
    owner = Pegawai.objects.filter(
        jabatan__unit_id=item.unit_id, jabatan__is_unit_head=True
    ).first()
    if result is None or owner is None:
        return
    weakest = rules.weakest_unsur(result.nrr) + 1

    def action(**values: Any) -> None:
        RencanaTindakLanjut.objects.create(
            instansi=instansi, unit_id=item.unit_id, layanan=item,
            kind=key.kind, year=key.year, number=key.number, **values,
        )  # fmt: skip

    action(
        unsur=weakest,
        action=f"Perbaikan unsur {rules.UNSUR[weakest - 1][1]}: SOP baru dan papan informasi.",
        owner=owner,
        due_date=(key.next() or key).start + timedelta(days=30),
        done_at=timezone.now(),
        done_note="SOP terbit dan papan informasi terpasang.",
    )
    # An open action owned by an ordinary pegawai: "Rencana tindak lanjut SKM saya" shows it.
    staff = Pegawai.objects.filter(
        jabatan__unit_id__in=[layanan.unit_id for layanan, _bias in made],
        jabatan__is_unit_head=False,
    )
    second = staff.order_by("pk").first()
    if second is not None:
        action(
            unsur=9,
            action="Tambah kursi ruang tunggu dan antrean daring.",
            owner=second,
            due_date=(key.next() or key).end,
        )
