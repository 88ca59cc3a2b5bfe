"""API input/output schemas of the tindak lanjut area (docs/development.md). Decimals (JP,
progress) are JSON strings so no precision is lost."""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import ConfigDict

from kinerja.core.params import CoreValue, Id, Year
from kinerja.core.params import In as BaseIn


class In(BaseIn):
    model_config = ConfigDict(extra="forbid")


# The bounds of kinerja.development.rules (B18_SCALE, B19_MIN/B19_MAX).
B18Answer = Annotated[int, Field(ge=1, le=4)]
B19Nilai = Annotated[int, Field(ge=1, le=5)]


class KasusOut(Schema):
    id: int
    pegawai_id: int
    pegawai_name: str
    rater_id: int | None
    skp_id: int
    year: int
    period: int
    reason: str
    reason_label: str
    data: dict[str, Any] = Field(description="Data pemicu (progres, ekspektasi, periode, ...)")
    status: str
    opened_at: datetime
    closed_at: datetime | None
    closing_note: str


class KasusCloseIn(In):
    note: str = Field(min_length=1, max_length=2000)


class ScanIn(In):
    year: Year
    period: int = Field(ge=1, le=12)


class ScanOut(Schema):
    checked: int
    opened: int
    already_open: int
    closed_before: int = Field(
        description="kasus yang sudah ditutup penilai/admin: tidak dibuka lagi"
    )
    by_reason: dict[str, int]


class AksiIn(In):
    text: str = Field(max_length=300)
    due_date: date


class AksiOut(Schema):
    id: int
    text: str
    due_date: date
    done_on: date | None


class AksiDoneIn(In):
    date: date


class SesiIn(In):
    pegawai_id: Id
    kasus_id: Id | None = None
    method: str = Field(description="COACHING, KONSELING atau MENTORING")
    date: date
    notes: str = Field(max_length=10000)
    actions: list[AksiIn] = []


class SesiPatch(In):
    method: str | None = Field(None, description="COACHING, KONSELING atau MENTORING")
    date: dt.date | None = None  # `dt.`: the field's name would shadow the type
    notes: str | None = Field(None, max_length=10000)


class SesiWithdrawIn(In):
    reason: str = Field(min_length=1, max_length=500, description="Alasan penghapusan sesi")


class B18In(In):
    answers: list[B18Answer] = Field(
        description="9 jawaban, 1 (tidak setuju) sampai 4 (sangat setuju)"
    )
    place: str = Field(max_length=100)
    date: date


class B18Out(Schema):
    answers: list[int]
    place: str
    date: date


class NilaiIn(In):
    kompetensi: str = Field(max_length=200)
    nilai: B19Nilai = Field(description="1 sampai 5")
    alasan: str = Field(max_length=2000)


class B19In(In):
    items: list[NilaiIn]
    place: str = Field(max_length=100)
    date: date


class B19Out(Schema):
    evaluator_id: int
    place: str
    date: date
    items: list[NilaiIn]


class SesiOut(Schema):
    id: int
    kasus_id: int | None
    pegawai_id: int
    pembimbing_id: int
    year: int
    period: int
    method: str
    date: date
    notes: str
    predikat_before: str
    outcome: str | None = Field(description="MEMBAIK, TETAP, MEMBURUK, atau null bila belum ada")
    actions: list[AksiOut]
    b18: B18Out | None
    b19: B19Out | None


class PelatihanIn(In):
    name: str = Field(max_length=200)
    jp: Decimal
    mode: str = Field(description="KLASIKAL, E_LEARNING, COACHING_MENTORING, ON_THE_JOB")
    core_values: list[CoreValue] = Field([], description="Nilai BerAKHLAK, nomor 1 sampai 7")
    kompetensi: str = ""
    for_hasil: bool = False
    for_pelayanan: bool = False
    active: bool = True


class PelatihanPatch(In):
    name: str | None = None
    jp: Decimal | None = None
    mode: str | None = None
    core_values: list[CoreValue] | None = Field(None, description="Nomor 1 sampai 7")
    kompetensi: str | None = None
    for_hasil: bool | None = None
    for_pelayanan: bool | None = None
    active: bool | None = None


class PelatihanOut(Schema):
    id: int
    name: str
    jp: Decimal
    mode: str
    core_values: list[int]
    kompetensi: str
    for_hasil: bool
    for_pelayanan: bool
    active: bool


class RekomendasiOut(Schema):
    pelatihan: PelatihanOut
    reason: str
    accepted: bool


class RekomendasiListOut(Schema):
    basis: list[str]
    items: list[RekomendasiOut]


class RencanaIn(In):
    pegawai_id: Id
    pelatihan_id: Id
    year: Year
    reason: str = Field("", max_length=300)
    kasus_id: Id | None = None


class RencanaOut(Schema):
    id: int
    pegawai_id: int
    year: int
    pelatihan: PelatihanOut
    reason: str
    status: str
    accepted_at: datetime


class JpOut(Schema):
    id: int
    pegawai_id: int
    year: int
    rencana_id: int | None
    title: str
    mode: str
    jp: Decimal
    date: date
    certificate_url: str
    file_name: str
    sha256: str


class JpSummaryOut(Schema):
    year: int
    total: Decimal
    target: Decimal
    shortfall: Decimal
    met: bool
    by_mode: dict[str, Decimal]
    records: list[JpOut]


class JpRowOut(Schema):
    pegawai_id: int
    name: str
    nip: str
    unit: str
    total: Decimal
    shortfall: Decimal
    met: bool


class CandidateOut(Schema):
    pegawai_id: int
    name: str
    nip: str
    unit: str
    annual: str
    periodic: list[str]
    skm_konversi: Decimal | None
    reasons: list[str]


class TindakLanjutIn(In):
    evaluasi_id: Id
    action: str = Field(max_length=5000)
    date: date


class TindakLanjutOut(Schema):
    id: int
    evaluasi_id: int
    pegawai_id: int
    predikat: str
    action: str
    date: date
    recorded_by_id: int
