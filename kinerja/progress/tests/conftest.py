"""`plan`, the fixture of the feedback tests (a module may define its own): staf_a's and
staf_b's SKP approved by the kasi, and one realisasi of staf_a in the running period."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.utils import timezone

from kinerja.org.testing import Cast
from kinerja.plans import services as plans
from kinerja.plans.models import Rhk, Skp
from kinerja.progress import services as progress
from kinerja.progress.models import Realisasi


@dataclass
class Plan:
    skp: Skp
    rhk: Rhk
    realisasi: Realisasi
    period: int
    other_period: int
    staf_b_skp: Skp


@pytest.fixture
def plan(cast: Cast) -> Plan:
    today = timezone.localdate()
    kasi, staf_a, staf_b = cast.user("kasi"), cast.user("staf_a"), cast.user("staf_b")
    kasi_skp = plans.skp_create(by=kasi, pegawai=cast.kasi, year=today.year)
    top = plans.rhk_save(by=kasi, skp=kasi_skp, jenis="UTAMA", text="Layanan primer")
    rhk_a, rhk_b = plans.rhk_cascade(
        by=kasi, rhk=top, assignments=[(cast.staf_a, "Posyandu"), (cast.staf_b, "Imunisasi")]
    )
    ikis = []
    for rhk, who in ((rhk_a, staf_a), (rhk_b, staf_b)):
        ikis.append(
            plans.iki_save(
                by=who,
                rhk=rhk,
                values={
                    "text": "Kegiatan",
                    "aspek": "KUANTITAS",
                    "target_value": "12",
                    "target_unit": "kali",
                },
            )
        )
        plans.skp_submit(by=who, skp=rhk.skp)
        plans.skp_approve(by=kasi, skp=rhk.skp)
    realisasi, _ = progress.realisasi_record(by=staf_a, iki=ikis[0], day=today, value="3")
    period = realisasi.period
    return Plan(
        skp=Skp.objects.get(pk=rhk_a.skp_id),
        rhk=rhk_a,
        realisasi=realisasi,
        period=period,
        other_period=1 if period != 1 else 2,
        staf_b_skp=Skp.objects.get(pk=rhk_b.skp_id),
    )
