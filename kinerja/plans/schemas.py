"""API input/output schemas for SKP planning (docs/api.md, "Endpoints (SKP)").

Enumerations use the model choices, so the OpenAPI schema lists the allowed values and an
unknown value is a 422 before any service runs. Decimals (targets, baselines) are written as
JSON strings ("12.50") so no precision is lost; input accepts a number or a string.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from kinerja.core.params import Id, Year
from kinerja.core.params import In as BaseIn

from .models import Arah, Aspek, Cadence, JenisLampiran, JenisRhk, Pendekatan, Perspektif


class In(BaseIn):
    """Input: enum members arrive as their plain string values."""

    model_config = ConfigDict(use_enum_values=True, extra="forbid")


# --- performance year --------------------------------------------------------------------


class TahunIn(In):
    cadence: Cadence = Field(description="Periode evaluasi: BULANAN atau TRIWULANAN")


class PeriodeOut(Schema):
    number: int
    label: str
    start: date
    end: date


class TahunOut(Schema):
    instansi_id: int
    year: int
    cadence: str
    periods: list[PeriodeOut]


# --- SKP ---------------------------------------------------------------------------------


class PegawaiRef(Schema):
    id: int
    nip: str
    display_name: str


class JabatanRef(Schema):
    id: int
    name: str


class SkpItem(Schema):
    id: int
    pegawai: PegawaiRef
    year: int
    jabatan: JabatanRef
    status: str
    version: int
    is_current: bool
    pendekatan: str
    rater_id: int | None
    start_date: date
    end_date: date


class SkpPage(Schema):
    items: list[SkpItem]
    page: int
    has_next: bool


class SkpIn(In):
    pegawai_id: Id | None = Field(None, description="Bawaan: pegawai pemilik akun")
    year: Year
    pendekatan: Pendekatan = Pendekatan.KUANTITATIF


class SkpPatch(In):
    pendekatan: Pendekatan


class ReturnIn(In):
    note: str = Field(max_length=2000, description="Catatan pengembalian (wajib)")


class PersonOut(Schema):
    """Identity block of the official form: nama, NIP, pangkat/gol, jabatan, unit kerja."""

    name: str
    nip: str
    pangkat: str
    jabatan: str
    unit: str


class IkiOut(Schema):
    id: int
    rhk_id: int
    text: str
    aspek: str
    target_value: Decimal | None
    target_unit: str
    target_narrative: str
    target_display: str
    baseline: Decimal | None
    direction: str
    perspektif: str
    order: int


class ParentRhkOut(Schema):
    id: int
    text: str
    owner: str | None


class RhkOut(Schema):
    id: int
    skp_id: int
    number: int
    jenis: str
    text: str
    order: int
    source: str
    parent: ParentRhkOut | None
    ikis: list[IkiOut]


class PerilakuOut(Schema):
    code: int
    name: str
    guides: list[str]
    ekspektasi: str


class LampiranOut(Schema):
    id: int
    kind: str
    text: str
    order: int


class VersionOut(Schema):
    id: int
    version: int
    status: str
    is_current: bool


class SkpDetail(SkpItem):
    instansi_id: int
    instansi_name: str
    is_jpt: bool
    editable: bool
    return_note: str
    submitted_at: datetime | None
    approved_at: datetime | None
    identity: PersonOut = Field(description="Pegawai yang dinilai")
    rater: PersonOut | None = Field(description="Pejabat Penilai Kinerja")
    utama: list[RhkOut]
    tambahan: list[RhkOut]
    perilaku: list[PerilakuOut]
    lampiran: dict[str, list[LampiranOut]] = Field(
        description="Per bagian: DUKUNGAN_SUMBER_DAYA, SKEMA_PERTANGGUNGJAWABAN, KONSEKUENSI"
    )
    versions: list[VersionOut]
    problems: list[str] = Field(description="Yang masih menghalangi pengajuan")
    can_edit: bool
    can_rate: bool


# --- RHK, IKI, perilaku, lampiran, cascading ---------------------------------------------


class RhkIn(In):
    jenis: JenisRhk
    text: str = Field(max_length=2000)
    parent_id: Id | None = Field(None, description="RHK pimpinan yang diintervensi")
    source: str = Field("", max_length=200, description="Penugasan dari (RHK tambahan)")


class RhkPatch(In):
    """Only the fields sent change; `"parent_id": null` removes the link."""

    jenis: JenisRhk | None = None
    text: str | None = Field(None, max_length=2000)
    parent_id: Id | None = None
    source: str | None = Field(None, max_length=200)


class LinkableRhkOut(Schema):
    id: int
    skp_id: int
    jenis: str
    text: str


AspekOrBlank = Aspek | Literal[""]
PerspektifOrBlank = Perspektif | Literal[""]
Amount = Decimal | None


class IkiIn(In):
    text: str = Field(max_length=2000)
    aspek: AspekOrBlank = ""
    target_value: Amount = Field(None, max_digits=14, decimal_places=2)
    target_unit: str = Field("", max_length=60)
    target_narrative: str = Field("", max_length=2000)
    baseline: Amount = Field(None, max_digits=14, decimal_places=2)
    direction: Arah = Arah.NAIK
    perspektif: PerspektifOrBlank = ""


class IkiPatch(In):
    """Only the fields sent change; `null` clears a target value or baseline."""

    text: str | None = Field(None, max_length=2000)
    aspek: AspekOrBlank | None = None
    target_value: Amount = Field(None, max_digits=14, decimal_places=2)
    target_unit: str | None = Field(None, max_length=60)
    target_narrative: str | None = Field(None, max_length=2000)
    baseline: Amount = Field(None, max_digits=14, decimal_places=2)
    direction: Arah | None = None
    perspektif: PerspektifOrBlank | None = None


class EkspektasiIn(In):
    text: str = Field(max_length=2000, description="Kosong: hapus ekspektasi")


class EkspektasiOut(Schema):
    skp_id: int
    core_value: int
    name: str
    text: str


class LampiranIn(In):
    kind: JenisLampiran
    text: str = Field(max_length=2000)


class CascadeItem(In):
    pegawai_id: Id
    text: str = Field("", max_length=2000, description="Kosong: teks RHK pimpinan")


class CascadeIn(In):
    assignments: list[CascadeItem] = Field(max_length=200)


class CascadeOut(Schema):
    id: int
    skp_id: int
    pegawai_id: int
    text: str


# --- pohon kinerja and status board ------------------------------------------------------


class PohonNodeOut(Schema):
    rhk_id: int
    text: str
    jenis: str
    owner_id: int
    owner_name: str
    jabatan: str
    status: str
    orphan: bool = Field(description="RHK Utama di bawah pimpinan unit yang tidak terkait")
    uncovered: bool = Field(description="RHK pimpinan yang belum diturunkan ke siapa pun")
    children: list[PohonNodeOut]


class PohonCounts(Schema):
    skp: int
    rhk: int
    orphans: int
    uncovered: int


class PohonOut(Schema):
    unit_id: int
    unit_name: str
    year: int
    roots: list[PohonNodeOut]
    orphans: list[PohonNodeOut]
    counts: PohonCounts


class StatusCounts(Schema):
    pegawai: int
    tanpa_skp: int
    draf: int
    diajukan: int
    dikembalikan: int
    disetujui: int


class StatusRowOut(StatusCounts):
    unit_id: int
    unit_name: str
    depth: int


class StatusBoardOut(Schema):
    unit_id: int
    unit_name: str
    year: int
    rows: list[StatusRowOut]
    total: StatusCounts
