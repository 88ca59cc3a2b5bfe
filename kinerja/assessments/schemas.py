"""API schemas of the evaluation (docs/evaluation.md). Ratings and predicates are the codes of
rules.py (DI_ATAS/SESUAI/DI_BAWAH; SANGAT_BAIK … SANGAT_KURANG; ISTIMEWA … for organisations)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from kinerja.core.params import Id, Year
from kinerja.core.params import In as BaseIn
from kinerja.progress.schemas import IkiProgressOut, RealisasiOut

RatingCode = Literal["DI_ATAS", "SESUAI", "DI_BAWAH"]
OrgCode = Literal["ISTIMEWA", "BAIK", "BUTUH_PERBAIKAN", "KURANG", "SANGAT_KURANG"]


class In(BaseIn):
    model_config = ConfigDict(extra="forbid")


class EvaluasiPersonOut(Schema):
    id: int
    name: str
    nip: str


class EvaluasiOut(Schema):
    id: int
    skp_id: int
    pegawai: EvaluasiPersonOut
    rater: EvaluasiPersonOut | None
    unit_id: int
    unit_name: str
    year: int
    period: int = Field(description="1–4 triwulan atau 1–12 bulan; 0 = evaluasi tahunan")
    period_label: str
    is_unit_head: bool = Field(description="Rating hasil kerja mengikuti capaian unitnya")
    rating_hasil: str = Field(description="Kosong selama belum dinilai (atau bagi pegawai yang "
                                          "dinilai selama belum final)")  # fmt: skip
    rating_perilaku: str
    predikat: str
    predikat_penilai: str = Field(description="Predikat dari pejabat penilai sebelum kalibrasi "
                                              "atau keputusan keberatan")  # fmt: skip
    catatan: str
    status: Literal["DRAFT", "FINAL"]
    finalized_at: datetime | None
    reopen_reason: str


class TeamRowOut(Schema):
    skp_id: int
    pegawai: EvaluasiPersonOut
    jabatan: str
    unit_name: str
    evaluasi_id: int | None
    status: Literal["BELUM", "DRAFT", "FINAL"]
    predikat: str


class TeamOut(Schema):
    year: int
    period: int
    period_label: str
    rows: list[TeamRowOut]
    counts: dict[str, int] = Field(description="Jumlah predikat yang sudah diberikan")


class ReplyOut(Schema):
    author: str
    text: str
    created_at: datetime


class FeedbackOut(Schema):
    id: int
    period: int
    author: str
    text: str
    created_at: datetime
    realisasi_id: int | None
    replies: list[ReplyOut]


class IkiBlockOut(Schema):
    progress: IkiProgressOut
    entries: list[RealisasiOut] = Field(description="Realisasi berlaku periode ini (tahunan: "
                                                    "setahun) dengan bukti dukung")  # fmt: skip


class EvaluasiRhkOut(Schema):
    rhk_id: int
    jenis: str
    text: str
    intervensi: str = Field(description="RHK pimpinan yang diintervensi")
    percent: Decimal | None
    iki: list[IkiBlockOut]
    feedback: list[FeedbackOut]
    catatan: str


class ValueOut(Schema):
    code: int
    name: str
    guides: list[str]
    ekspektasi: str
    feedback: list[FeedbackOut]
    catatan: str


class CapaianOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    year: int
    period: int
    predikat: str
    reason: str
    set_by: str
    set_at: datetime


class PeriodResultOut(Schema):
    period: int
    label: str
    evaluasi_id: int | None
    status: str
    rating_hasil: str
    rating_perilaku: str
    predikat: str


class EvaluasiDetailOut(Schema):
    evaluasi: EvaluasiOut
    capaian: CapaianOut | None = Field(description="Capaian kinerja organisasi unitnya")
    pattern: list[str] = Field(description="Aturan pola distribusi dari capaian itu")
    rhk: list[EvaluasiRhkOut]
    values: list[ValueOut]
    realisasi_feedback: list[FeedbackOut]
    periodic: list[PeriodResultOut] = Field(description="Evaluasi tahunan: hasil periodik")


class RateIn(In):
    rating_hasil: RatingCode | Literal[""] = Field(
        "", description="Kosongkan untuk kepala unit (mengikuti capaian unitnya)"
    )
    rating_perilaku: RatingCode
    catatan: str | None = Field(None, max_length=5000, description="Catatan/rekomendasi")


class CatatanIn(In):
    rhk_id: Id | None = None
    core_value: int | None = Field(None, ge=1, le=7)
    text: str = Field(..., max_length=5000, description="Kosong: hapus umpan balik ini")


class CatatanOut(Schema):
    rhk_id: int | None
    core_value: int | None
    text: str


class ReasonIn(In):
    reason: str = Field(..., min_length=1, max_length=2000)


class CapaianIn(In):
    unit_id: Id
    year: Year
    period: int = Field(..., ge=0, le=12)
    predikat: OrgCode
    reason: str = Field(..., min_length=1, max_length=2000)


class CapaianUnitOut(Schema):
    unit_id: int
    unit_name: str
    path: str
    capaian: CapaianOut | None
