"""JSON API for team monitoring: the rater's team this period (what /realisasi/tim/ shows) and
the per-unit roll-up for pimpinan (/realisasi/unit/). The same queries as the pages, with the
same rules on who may read (docs/progress.md); a fixed number of queries whatever the size."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from kinerja.core.errors import NotFound, Refused
from kinerja.core.params import Id
from kinerja.org.access import access_for
from kinerja.plans.queries import current_year

from . import team_queries
from .evidence_api import download_url
from .team_access import NOT_FOR_YOU, chosen_unit, default_unit, may_see_unit
from .team_queries import STATUS_LABELS, MemberProgress, UnitRow

router = Router(tags=["Pemantauan"])

Status = Literal["belum_melapor", "tertinggal", "sesuai", "tanpa_skp"]


class MonitoringPeriodOut(Schema):
    number: int
    label: str
    start: datetime.date
    end: datetime.date


class LatestEvidenceOut(Schema):
    bukti_id: int
    name: str
    kind: Literal["file", "link"]
    url: str = Field(
        description="Tautan bukti, atau alamat unduh berkas di halaman (perlu login sesi)"
    )
    download_url: str | None = Field(
        description=(
            "Alamat unduh berkas lewat API (`GET /api/v1/realisasi/bukti/{id}`, token atau "
            "sesi); null untuk tautan"
        )
    )
    date: datetime.date


class TeamMemberOut(Schema):
    pegawai_id: int
    name: str
    nip: str
    jabatan: str
    unit_id: int | None
    unit_name: str
    skp_id: int | None
    skp_status: str | None
    period: MonitoringPeriodOut | None
    iki_count: int
    iki_reported: int
    progress: Decimal | None
    expected: Decimal | None
    last_report: datetime.date | None
    latest_evidence: LatestEvidenceOut | None
    overdue_follow_ups: int
    status: str
    status_label: str


class UnitRefOut(Schema):
    id: int
    name: str


class TeamMonitoringOut(Schema):
    year: int
    reference_day: datetime.date
    is_rater: bool
    period: MonitoringPeriodOut | None
    counts: dict[str, int]
    units: list[UnitRefOut]
    members: list[TeamMemberOut]


class UnitRowOut(Schema):
    unit_id: int
    name: str
    is_self: bool
    pegawai: int
    approved: int
    reported: int
    lagging: int
    overdue_follow_ups: int
    progress: Decimal | None


class UnitRollupOut(Schema):
    unit: UnitRefOut
    parent: UnitRefOut | None
    year: int
    rows: list[UnitRowOut]
    total: UnitRowOut


def _period(period: Any) -> MonitoringPeriodOut | None:
    if period is None:
        return None
    return MonitoringPeriodOut(
        number=period.number, label=period.label, start=period.start, end=period.end
    )


def _member(row: MemberProgress) -> TeamMemberOut:
    evidence = row.evidence
    return TeamMemberOut(
        pegawai_id=row.pegawai_id, name=row.name, nip=row.nip, jabatan=row.jabatan,
        unit_id=row.unit_id, unit_name=row.unit_name, skp_id=row.skp_id,
        skp_status=row.skp_status, period=_period(row.period), iki_count=row.iki_count,
        iki_reported=row.iki_reported, progress=row.progress, expected=row.expected,
        last_report=row.last_report,
        latest_evidence=None if evidence is None else LatestEvidenceOut(
            bukti_id=evidence.bukti_id, name=evidence.name,
            kind="file" if evidence.is_file else "link",
            url=evidence.href,
            download_url=download_url(evidence.bukti_id) if evidence.is_file else None,
            date=evidence.date,
        ),
        overdue_follow_ups=row.overdue, status=row.status, status_label=row.status_label,
    )  # fmt: skip


def _unit_row(row: UnitRow) -> UnitRowOut:
    return UnitRowOut(
        unit_id=row.unit_id, name=row.name, is_self=row.is_self, pegawai=row.pegawai,
        approved=row.approved, reported=row.reported, lagging=row.lagging,
        overdue_follow_ups=row.overdue, progress=row.progress,
    )  # fmt: skip


@router.get(
    "/realisasi/tim",
    response=TeamMonitoringOut,
    summary="Pemantauan tim: setiap pegawai yang Anda nilai, capaian periode ini",
    description=(
        "Yang ditampilkan halaman Pemantauan tim: IKI yang dilaporkan periode ini, capaian "
        "rata-rata tahun berjalan dan harapan proporsional, laporan terakhir, bukti terbaru, "
        "tindak lanjut lewat tenggat, status. `counts` per status sebelum saringan `status`. "
        "`period` yang tidak ada pada siklus tahun itu (triwulanan 1–4, bulanan 1–12): 400. "
        "`unit_id` harus salah satu `units`: unit lain 400, unit yang tidak ada (atau instansi "
        "lain) 404. Bukan pejabat penilai: `is_rater` false dan daftar kosong; saringan tetap "
        "diperiksa dengan aturan yang sama (tanpa tim, setiap `unit_id` bukan unit tim Anda)."
    ),
)
def team(
    request: HttpRequest,
    year: int | None = Query(None, ge=2000, le=2100),  # type: ignore[type-arg]
    period: int | None = Query(None, ge=1, le=12),  # type: ignore[type-arg]
    unit_id: Id | None = None,
    status: Status | None = None,
) -> Any:
    """The filters are checked the same way whoever asks (team_queries.team_progress): someone
    who rates nobody gets the 400 of a bad `period`, and for any `unit_id` the answer a rater
    gets for a unit none of the team works in (400 for a unit of an instansi they may read, 404
    for an unknown one or another instansi's); with valid filters, `is_rater` false and no
    members."""
    chosen_year = year if year is not None else current_year()
    data = team_queries.team_progress(
        request.user, year=chosen_year, period=period, unit_id=unit_id, status=status
    )
    if data.refused:  # the page falls back and says so; the API refuses
        raise data.refused[0]
    return TeamMonitoringOut(
        year=data.year,
        reference_day=data.reference_day,
        is_rater=data.is_rater,
        period=_period(data.period),
        counts=data.counts or dict.fromkeys(STATUS_LABELS, 0),
        units=[UnitRefOut(id=uid, name=name) for uid, name in data.units],
        members=[_member(row) for row in data.rows],
    )


@router.get(
    "/realisasi/unit",
    response=UnitRollupOut,
    summary="Pemantauan unit: capaian per sub-unit (pimpinan, admin, auditor)",
    description=(
        "Pegawai unit itu sendiri, lalu setiap sub-unit langsung dengan seluruh pohonnya. "
        "Tanpa `unit_id`: unit tertinggi yang Anda pimpin (atau unit akar instansi Anda untuk "
        "admin/auditor). Unit yang tidak ada atau milik instansi lain: 404 (menyebut "
        "`unit_id`); unit instansi Anda di luar unit yang Anda pimpin: 403; bukan pimpinan, "
        "admin atau auditor: 403."
    ),
)
def unit(
    request: HttpRequest,
    unit_id: Id | None = None,
    year: int | None = Query(None, ge=2000, le=2100),  # type: ignore[type-arg]
) -> Any:
    access = access_for(request.user)
    if unit_id is None:
        try:
            chosen = default_unit(access)
        except PermissionDenied:
            raise Refused(str(NOT_FOR_YOU)) from None
        except Http404:
            raise NotFound(_("Belum ada unit kerja.")) from None
    else:
        chosen = chosen_unit(request.user, unit_id)
    chosen_year = year if year is not None else current_year()
    rows = team_queries.unit_rollup(request.user, chosen, year=chosen_year)
    parent = chosen.parent if chosen.parent_id else None
    return UnitRollupOut(
        unit=UnitRefOut(id=chosen.pk, name=chosen.name),
        parent=UnitRefOut(id=parent.pk, name=parent.name)
        if parent is not None and may_see_unit(access, parent)
        else None,
        year=chosen_year,
        rows=[_unit_row(r) for r in rows],
        total=_unit_row(team_queries.rollup_total(rows)),
    )
