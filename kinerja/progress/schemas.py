"""API input/output schemas for realisasi, evidence and rencana aksi (docs/progress.md).

Decimals (values, targets, percentages) are written as JSON strings ("12.50") so no precision is
lost; input accepts a number or a string ("12,5" too, as people type it).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from kinerja.core.params import In as CheckedIn


class In(CheckedIn):
    """No NUL or lone surrogate in any text (kinerja.core.params.In), and no unknown field."""

    model_config = ConfigDict(extra="forbid")


class BuktiOut(Schema):
    id: int
    kind: Literal["file", "link"]
    url: str = Field(
        description="Tautan bukti, atau alamat unduh berkas di halaman (perlu login sesi)"
    )
    download_url: str | None = Field(
        None,
        description=(
            "Alamat unduh berkas lewat API (`GET /api/v1/realisasi/bukti/{id}`, token atau "
            "sesi); null untuk tautan"
        ),
    )
    file_name: str = ""
    content_type: str = ""
    size: int = 0


class RealisasiOut(Schema):
    id: int
    skp_id: int
    iki_id: int
    period: int
    date: date
    value: Decimal | None
    narrative: str
    rencana_aksi_id: int | None
    corrects_id: int | None = Field(description="Entri yang dikoreksi oleh entri ini")
    corrected_by_id: int | None = Field(description="Entri yang menggantikan entri ini")
    in_force: bool = Field(description="False bila entri ini sudah dikoreksi")
    correction_reason: str
    created_by_id: int
    created_at: datetime
    bukti: list[BuktiOut]


class IkiProgressOut(Schema):
    iki_id: int
    rhk_id: int
    text: str
    aspek: str
    target_value: Decimal | None
    target_unit: str
    target_narrative: str
    baseline: Decimal | None
    direction: str
    realised: Decimal | None = Field(description="Kuantitas/Biaya: jumlah; Kualitas/Waktu: terbaru")
    percent: Decimal | None = Field(description="0–200; null bila tidak dapat dihitung")
    narrative_only: bool = Field(description="Indikator kualitatif: lihat uraian entri")


class RhkProgressOut(Schema):
    rhk_id: int
    percent: Decimal | None = Field(description="Rata-rata capaian IKI kuantitatifnya")


class RealisasiListOut(Schema):
    skp_id: int
    period: int | None
    entries: list[RealisasiOut]
    iki: list[IkiProgressOut]
    rhk: list[RhkProgressOut]


class CorrectIn(In):
    value: Decimal | str | None = Field(None, description="Nilai baru (angka)")
    narrative: str = Field("", max_length=4000)
    reason: str = Field(..., min_length=1, max_length=300, description="Alasan koreksi")


class RencanaAksiIn(In):
    period: int = Field(..., ge=1, le=12, description="Nomor periode (bulan 1–12 / triwulan 1–4)")
    text: str = Field(..., min_length=1, max_length=2000)


class RencanaAksiOut(Schema):
    id: int
    skp_id: int
    iki_id: int
    period: int
    text: str
    created_at: datetime
