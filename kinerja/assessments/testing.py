"""Fixtures-building helpers for the assessments tests, on top of the named cast
(kinerja/org/testing.py), built through the real services.

    plan = approved_skp(cast, "staf_a")            # approved SKP: RHK linked up the chain, 2 IKIs
    realisasi(cast, plan, 2, "4")                  # an entry in TRIWULAN II (clock pinned there)
    ev = evaluation(cast, "staf_a", 2, "DI_ATAS", "SESUAI")            # opened and rated by kasi
    ev = evaluation(cast, "kasi", 2, perilaku="SESUAI", capaian="BAIK", finalize=True)

Who rates whom in the cast: kasi rates staf_a and staf_b; kabid rates kasi; kadis rates kabid and
kapus; kapus rates perawat. kadis has no rater in the system, so no approved SKP.
Unit heads (kasi, kabid, kapus) take their Rating Hasil Kerja from the Capaian Kinerja
Organisasi of their unit: pass `capaian=` (set by the admin) before finalising them.

Clock: the evaluation services read `guards.today()` and the realisasi services
`progress.services.timezone.localdate()`; `on_day(day)` pins both (as a context manager), and
every helper here runs on a day inside the period it works on. YEAR is the current year, and the
quarterly cadence (the default) applies unless a test sets another one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any
from unittest import mock

from django.utils import timezone

from kinerja.org.hierarchy import rater_for
from kinerja.org.models import Pegawai, UnitKerja
from kinerja.org.testing import Cast
from kinerja.plans import services as plans
from kinerja.plans.models import Iki, Rhk, Skp, StatusSkp
from kinerja.plans.rules import Period
from kinerja.progress import services as progress
from kinerja.progress.models import Realisasi

from . import guards, services
from .models import ANNUAL, CapaianOrganisasi, Evaluasi

YEAR = timezone.localdate().year

IKI_KUANTITAS = {"text": "Laporan layanan tersusun", "aspek": "KUANTITAS",
                 "target_value": "12", "target_unit": "laporan"}  # fmt: skip
IKI_KUALITAS = {"text": "Kepuasan pengguna layanan", "aspek": "KUALITAS",
                "target_value": "90", "target_unit": "%"}  # fmt: skip


@contextmanager
def on_day(day: date) -> Iterator[None]:
    """Pin "today" for the evaluation and realisasi services."""
    clock = SimpleNamespace(localdate=lambda: day, now=timezone.now)
    with (
        mock.patch.object(guards, "today", lambda: day),
        mock.patch.object(progress, "timezone", clock),
    ):
        yield


@dataclass
class Plan:
    skp: Skp
    rhk: Rhk
    iki: Iki  # KUANTITAS, 12 laporan, higher is better
    iki_kualitas: Iki  # KUALITAS, 90 %, latest value counts


def _pegawai(cast: Cast, who: str) -> Pegawai:
    pegawai = getattr(cast, who)
    assert isinstance(pegawai, Pegawai), who
    return pegawai


def _user_name(cast: Cast, pegawai: Pegawai) -> str:
    """The cast attribute naming this pegawai (a test may add members: `cast.staf_c = ...`)."""
    for name, member in vars(cast).items():
        if isinstance(member, Pegawai) and member.pk == pegawai.pk:
            return name
    raise LookupError(pegawai)


def _current_skp(pegawai: Pegawai, year: int) -> Skp | None:
    return Skp.objects.filter(pegawai=pegawai, year=year, is_current=True).first()


def _linked_rhk(cast: Cast, pegawai: Pegawai, year: int, text: str) -> Rhk:
    """A new Utama RHK in the pegawai's SKP, cascaded from their rater's (made as needed)."""
    rater = rater_for(pegawai)
    if rater is None:
        user = cast.user(_user_name(cast, pegawai))
        skp = _current_skp(pegawai, year) or plans.skp_create(by=user, pegawai=pegawai, year=year)
        return plans.rhk_save(by=user, skp=skp, jenis="UTAMA", text=text)
    rater_skp = _current_skp(rater, year)
    parent = rater_skp.rhk.filter(jenis="UTAMA").order_by("id").first() if rater_skp else None
    if parent is None:
        parent = _linked_rhk(cast, rater, year, f"Kinerja {rater.display_name}")
    rater_user = cast.user(_user_name(cast, rater))
    [rhk] = plans.rhk_cascade(by=rater_user, rhk=parent, assignments=[(pegawai, text)])
    return rhk


def approved_skp(cast: Cast, who: str, year: int = YEAR) -> Plan:
    """`who`'s current SKP for `year`, approved by their rater (built as needed): an Utama RHK
    intervening the rater's RHK with two IKIs. Idempotent: a second call returns the same."""
    pegawai = _pegawai(cast, who)
    user = cast.user(who)
    skp = _current_skp(pegawai, year)
    if skp is None or not skp.rhk.exists():
        _linked_rhk(cast, pegawai, year, f"Layanan {pegawai.display_name} terselenggara")
        skp = _current_skp(pegawai, year)
        assert skp is not None
    if skp.status != StatusSkp.DISETUJUI:
        for rhk in skp.rhk.all():
            if not rhk.iki.exists():
                plans.iki_save(by=user, rhk=rhk, values=IKI_KUANTITAS)
                plans.iki_save(by=user, rhk=rhk, values=IKI_KUALITAS)
        if skp.status != StatusSkp.DIAJUKAN:
            plans.skp_submit(by=user, skp=skp)
        rater = rater_for(pegawai)
        assert rater is not None, f"{who} has no rater"
        plans.skp_approve(by=cast.user(_user_name(cast, rater)), skp=skp)
        skp.refresh_from_db()
    first = skp.rhk.filter(jenis="UTAMA").order_by("id").first()
    assert first is not None
    iki, kualitas = list(first.iki.order_by("order", "id"))[:2]
    return Plan(skp, first, iki, kualitas)


def period_of(skp: Skp, period: int) -> Period:
    return services.evaluation_period(skp.instansi_id, skp.year, period)


def day_in(skp: Skp, period: int) -> date:
    """A day inside the period (the 15th day, or its last day when shorter)."""
    span = period_of(skp, period)
    return min(span.start + timedelta(days=14), span.end)


def realisasi(
    cast: Cast,
    plan: Plan,
    period: int,
    value: str | None = "3",
    *,
    iki: Iki | None = None,
    narrative: str = "",
    links: list[str] | None = None,
) -> Realisasi:
    """An entry by the SKP's owner on a day of `period` (the clock pinned to that day)."""
    day = day_in(plan.skp, period)
    owner = cast.user(_user_name(cast, plan.skp.pegawai))
    with on_day(day):
        entry, _created = progress.realisasi_record(
            by=owner, iki=iki or plan.iki, day=day, value=value, narrative=narrative,
            links=links or [],
        )  # fmt: skip
    return entry


def evaluation_day(skp: Skp, period: int) -> date:
    """The last day of the period (31 December for the annual evaluation)."""
    return period_of(skp, period).end


def capaian(
    cast: Cast,
    unit: UnitKerja,
    period: int,
    predikat: str,
    *,
    by: str = "admin",
    year: int = YEAR,
    reason: str = "Capaian rencana aksi unit periode ini",
) -> CapaianOrganisasi:
    return services.capaian_set(
        by=cast.user(by), unit=unit, year=year, period=period, predikat=predikat, reason=reason
    )


def evaluation(
    cast: Cast,
    who: str,
    period: int = 2,
    hasil: str = "SESUAI",
    perilaku: str = "SESUAI",
    *,
    finalize: bool = False,
    capaian_predikat: str | None = None,
    year: int = YEAR,
    **rate: Any,
) -> Evaluasi:
    """`who`'s evaluation for `period` (ANNUAL = 0 for the year) opened and rated by their rater
    on the period's last day; a unit head's hasil comes from `capaian_predikat` (set by the admin
    for their unit first) and `hasil` is ignored for them. `finalize=True` finalises it too."""
    plan = approved_skp(cast, who, year)
    skp = plan.skp
    rater = rater_for(skp.pegawai)
    assert rater is not None
    by = cast.user(_user_name(cast, rater))
    with on_day(evaluation_day(skp, period)):
        if capaian_predikat is not None:
            unit = skp.jabatan.unit
            capaian(cast, unit, period, capaian_predikat, year=year)
        evaluasi = services.evaluasi_open(by=by, skp=skp, period=period)
        head = evaluasi.is_unit_head
        evaluasi = services.evaluasi_rate(
            by=by,
            evaluasi=evaluasi,
            rating_hasil="" if head else hasil,
            rating_perilaku=perilaku,
            **rate,
        )
        if finalize:
            evaluasi = services.evaluasi_finalize(by=by, evaluasi=evaluasi)
    evaluasi.refresh_from_db()
    return evaluasi


def rater_name(cast: Cast, evaluasi: Evaluasi) -> str:
    """The cast name of the evaluation's rater (for `login(...)` / `cast.user(...)`)."""
    assert evaluasi.rater_id is not None
    return _user_name(cast, Pegawai.objects.get(pk=evaluasi.rater_id))


__all__ = [
    "ANNUAL",
    "YEAR",
    "Plan",
    "approved_skp",
    "capaian",
    "day_in",
    "evaluation",
    "evaluation_day",
    "on_day",
    "period_of",
    "rater_name",
    "realisasi",
]
