"""JSON API of the distribution pattern, calibration, rater consistency, the instansi's settings
and the annual closing: the same queries and services as the pages (views_distribution.py).

A unit is reachable by its head, a leader above it, and the instansi's admins and auditors
(guards.may_read_unit); an evaluation through `Evaluasi.objects.visible_to`; anything else is a
404. The services decide who may write (403) and which rule refuses (400/409).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from kinerja.core.errors import NotFound, localize
from kinerja.core.params import Id, In, Year
from kinerja.org.access import access_for
from kinerja.org.models import Instansi, UnitKerja
from kinerja.plans.api_items import actor

from . import calibration_queries, closing, distribution, guards
from . import distribution_rules as dr
from .models import Evaluasi, Kalibrasi, PengaturanPenilaian, PenutupanTahunan
from .services_calibration import (
    MAX_KEBERATAN_DAYS,
    MAX_MIN_GROUP_SIZE,
    kalibrasi_apply,
    pengaturan_save,
)

router = Router(tags=["Pola distribusi dan kalibrasi"])

RatingCode = Literal["DI_ATAS", "SESUAI", "DI_BAWAH"]


class PeriodQuery(In):
    model_config = ConfigDict(extra="ignore")  # the query string: other parameters may come

    year: Year
    period: int = Field(0, ge=0, le=12, description="0 = evaluasi tahunan")


class ViolationOut(Schema):
    rule: str
    message: str
    count: int
    total: int
    advisory: bool


class RuleOut(Schema):
    text: str
    holds: bool | None


class GroupOut(Schema):
    unit_id: int
    unit_name: str
    capaian: str
    capaian_label: str
    total: int
    counts: dict[str, int]
    shares: dict[str, Decimal]
    advisory: bool
    blocks: bool
    rules: list[RuleOut]
    violations: list[ViolationOut]


class DistributionOut(Schema):
    unit_id: int
    year: int
    period: int
    enforcement: str
    min_group_size: int
    groups: list[GroupOut]
    ungrouped: dict[str, int]
    counted_above: int
    unrated: int


class RaterOut(Schema):
    rater_id: int
    name: str
    total: int
    counts: dict[str, int]
    shares: dict[str, Decimal]
    leniency: Decimal
    flag: Literal["LENIENT", "SEVERE", ""]


class ConsistencyOut(Schema):
    unit_id: int
    year: int
    period: int
    threshold: Decimal
    min_rated: int
    unit_counts: dict[str, int]
    instansi_counts: dict[str, int]
    unit_leniency: Decimal
    instansi_leniency: Decimal
    raters: list[RaterOut]


class CalibrationRowOut(Schema):
    evaluasi_id: int
    pegawai_id: int
    name: str
    nip: str
    unit_name: str
    rater_name: str
    is_unit_head: bool
    rating_hasil: str
    rating_perilaku: str
    predikat: str
    predikat_penilai: str
    status: str
    calibrations: int
    has_keberatan: bool
    realisasi: int
    bukti: int
    progress: Decimal | None
    answered_360: int


class KalibrasiIn(In):
    rating_hasil: RatingCode
    rating_perilaku: RatingCode
    reason: str = Field(..., max_length=2000)


class KalibrasiOut(Schema):
    id: int
    evaluasi_id: int
    old_rating_hasil: str
    old_rating_perilaku: str
    old_predikat: str
    new_rating_hasil: str
    new_rating_perilaku: str
    new_predikat: str
    reason: str
    at: datetime


class PengaturanIn(In):
    enforcement: Literal["WARN", "BLOCK"]
    min_group_size: int = Field(
        ge=1, le=MAX_MIN_GROUP_SIZE, description="Ukuran kelompok minimum (1 sampai 100 pegawai)"
    )
    keberatan_days: int = Field(
        ge=1, le=MAX_KEBERATAN_DAYS, description="Batas waktu keberatan (1 sampai 90 hari)"
    )


class PengaturanOut(Schema):
    instansi_id: int
    enforcement: str
    min_group_size: int
    keberatan_days: int


class PenutupanIn(In):
    instansi_id: Id
    year: Year


class PenutupanOut(Schema):
    id: int
    instansi_id: int
    year: int
    status: str
    total: int
    done: int
    error: str
    summary: dict[str, Any]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


# --- helpers --------------------------------------------------------------------------------


def _unit(request: HttpRequest, unit_id: int) -> UnitKerja:
    unit = UnitKerja.objects.filter(pk=unit_id).first()
    if unit is None or not guards.may_read_unit(request.user, unit):
        raise NotFound(
            _("Unit kerja dengan id %(unit_id)s tidak ditemukan.") % {"unit_id": unit_id}
        )
    return unit


def _instansi(request: HttpRequest, instansi_id: int) -> Instansi:
    found = Instansi.objects.filter(pk=instansi_id).first()
    if found is None or not access_for(request.user).can_read_instansi(instansi_id):
        raise NotFound(
            _("Instansi dengan id %(instansi_id)s tidak ditemukan.") % {"instansi_id": instansi_id}
        )
    return found


def _group_out(g: distribution.Group, enforcement: str) -> GroupOut:
    return GroupOut(
        unit_id=g.unit_id, unit_name=g.unit_name, capaian=g.check.org_predikat,
        capaian_label=g.org_label, total=g.check.total, counts=g.check.counts, shares=g.shares,
        advisory=g.check.advisory, blocks=g.check.blocks(enforcement),
        rules=[RuleOut(text=localize(line.text), holds=line.holds) for line in g.lines],
        violations=[ViolationOut(rule=localize(v.rule), message=localize(v.message),
                                 count=v.count, total=v.total, advisory=v.advisory)
                    for v in g.check.violations],
    )  # fmt: skip


def _pengaturan_out(p: PengaturanPenilaian) -> PengaturanOut:
    return PengaturanOut(
        instansi_id=p.instansi_id,
        enforcement=p.enforcement,
        min_group_size=p.min_group_size,
        keberatan_days=p.keberatan_days,
    )


def _kalibrasi_out(k: Kalibrasi) -> KalibrasiOut:
    return KalibrasiOut(
        id=k.pk, evaluasi_id=k.evaluasi_id, old_rating_hasil=k.old_rating_hasil,
        old_rating_perilaku=k.old_rating_perilaku, old_predikat=k.old_predikat,
        new_rating_hasil=k.new_rating_hasil, new_rating_perilaku=k.new_rating_perilaku,
        new_predikat=k.new_predikat, reason=k.reason, at=k.at,
    )  # fmt: skip


def _penutupan_out(run: PenutupanTahunan) -> PenutupanOut:
    return PenutupanOut(
        id=run.pk, instansi_id=run.instansi_id, year=run.year, status=run.status,
        total=run.total, done=run.done, error=run.error, summary=run.summary,
        created_at=run.created_at, started_at=run.started_at, finished_at=run.finished_at,
    )  # fmt: skip


# --- endpoints ------------------------------------------------------------------------------


@router.get(
    "/penilaian/distribusi/unit/{unit_id}",
    response=DistributionOut,
    summary="Hitungan predikat per kelompok unit dan pola distribusi yang berlaku",
)
def distribution_of(request: HttpRequest, unit_id: Id, q: Query[PeriodQuery]) -> Any:
    data = distribution.unit_distribution(
        _unit(request, unit_id), year=q.year, period=q.period,
        reader=access_for(request.user).pegawai_id,
    )  # fmt: skip
    return DistributionOut(
        unit_id=unit_id, year=q.year, period=q.period, enforcement=data.enforcement,
        min_group_size=data.min_group_size,
        groups=[_group_out(g, data.enforcement) for g in data.groups],
        ungrouped=data.ungrouped, counted_above=data.counted_above, unrated=data.unrated,
    )  # fmt: skip


@router.get(
    "/penilaian/konsistensi/unit/{unit_id}",
    response=ConsistencyOut,
    summary="Sebaran predikat setiap pejabat penilai dibanding unit dan instansi",
)
def consistency_of(request: HttpRequest, unit_id: Id, q: Query[PeriodQuery]) -> Any:
    data = distribution.consistency(
        _unit(request, unit_id), year=q.year, period=q.period,
        reader=access_for(request.user).pegawai_id,
    )  # fmt: skip
    return ConsistencyOut(
        unit_id=unit_id, year=q.year, period=q.period, threshold=dr.CONSISTENCY_THRESHOLD,
        min_rated=dr.CONSISTENCY_MIN_RATED, unit_counts=data.unit_counts,
        instansi_counts=data.instansi_counts, unit_leniency=data.unit_leniency,
        instansi_leniency=data.instansi_leniency,
        raters=[RaterOut(rater_id=r.rater_id, name=r.name, total=r.total, counts=r.counts,
                         shares=r.shares, leniency=r.leniency, flag=r.flag)  # type: ignore[arg-type]
                for r in data.raters],
    )  # fmt: skip


@router.get(
    "/penilaian/kalibrasi/unit/{unit_id}",
    response=list[CalibrationRowOut],
    summary="Semua predikat unit berdampingan dengan ringkasan buktinya",
)
def calibration_of(request: HttpRequest, unit_id: Id, q: Query[PeriodQuery]) -> Any:
    rows = calibration_queries.calibration_rows(
        _unit(request, unit_id), year=q.year, period=q.period,
        reader=access_for(request.user).pegawai_id,
    )  # fmt: skip
    fields = CalibrationRowOut.model_fields
    return [CalibrationRowOut(**{k: getattr(r, k) for k in fields}) for r in rows]


@router.post("/penilaian/evaluasi/{evaluasi_id}/kalibrasi", response={201: KalibrasiOut},
             summary="Kalibrasi rating oleh pimpinan (dengan alasan)")  # fmt: skip
def calibrate(request: HttpRequest, evaluasi_id: Id, body: KalibrasiIn) -> Any:
    evaluasi = Evaluasi.objects.visible_to(request.user).filter(pk=evaluasi_id).first()
    if evaluasi is None:
        raise NotFound(
            _("Evaluasi dengan id %(evaluasi_id)s tidak ditemukan.") % {"evaluasi_id": evaluasi_id}
        )
    item = kalibrasi_apply(by=actor(request), evaluasi=evaluasi, rating_hasil=body.rating_hasil,
                           rating_perilaku=body.rating_perilaku, reason=body.reason)  # fmt: skip
    return Status(201, _kalibrasi_out(item))


@router.get(
    "/penilaian/pengaturan/{instansi_id}",
    response=PengaturanOut,
    summary="Pengaturan penilaian instansi",
)
def settings_of(request: HttpRequest, instansi_id: Id) -> Any:
    return _pengaturan_out(guards.pengaturan_for(_instansi(request, instansi_id).pk))


@router.put("/penilaian/pengaturan/{instansi_id}", response=PengaturanOut,
            summary="Ubah pengaturan penilaian (admin instansi)")  # fmt: skip
def settings_save(request: HttpRequest, instansi_id: Id, body: PengaturanIn) -> Any:
    saved = pengaturan_save(by=actor(request), instansi=_instansi(request, instansi_id),
                            **body.model_dump())  # fmt: skip
    return _pengaturan_out(saved)


@router.post("/penilaian/penutupan", response={202: PenutupanOut},
             summary="Mulai penutupan evaluasi tahunan (tugas latar belakang)")  # fmt: skip
def closing_start(request: HttpRequest, body: PenutupanIn) -> Any:
    instansi = _instansi(request, body.instansi_id)
    run = closing.penutupan_request(by=actor(request), instansi=instansi, year=body.year)
    return Status(202, _penutupan_out(run))


@router.get(
    "/penilaian/penutupan/{penutupan_id}",
    response=PenutupanOut,
    summary="Kemajuan dan hasil penutupan evaluasi tahunan",
)
def closing_status(request: HttpRequest, penutupan_id: Id) -> Any:
    run = PenutupanTahunan.objects.filter(pk=penutupan_id).first()
    if run is None or not access_for(request.user).can_audit_instansi(run.instansi_id):
        raise NotFound(
            _("Penutupan dengan id %(penutupan_id)s tidak ditemukan.")
            % {"penutupan_id": penutupan_id}
        )
    return _penutupan_out(run)
