"""API input/output schemas for SKM (docs/skm.md). Decimals are JSON strings ("83.33")."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, field_validator
from pydantic_core import PydanticCustomError

from kinerja.core.params import Id, Year

from .demographics import Category
from .rules import IkmResult

# The largest population a layanan stores (a PositiveIntegerField); Krejcie–Morgan's minimum
# sample no longer grows long before it.
POPULATION_MAX = 2**31 - 1
# A citizen's numbers are JSON integers, nothing that merely converts to one: strict, so that
# true, "4" and 4.0 are a 422 naming the field ("Harus bilangan bulat."), as the OpenAPI's
# `type: integer` says. (The questionnaire page posts a form, read by forms.QuestionnaireForm.)
Answer = Annotated[int, Field(strict=True, ge=1, le=4)]


def has_nul(value: object) -> bool:
    """PostgreSQL cannot store U+0000 in text: such a string is refused, not a 500."""
    return isinstance(value, str) and "\x00" in value


class In(Schema):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if has_nul(value):
            raise PydanticCustomError("nul_character", "Teks tidak boleh memuat karakter NUL.")
        return value


class LayananIn(In):
    unit_id: Id
    name: str = Field(min_length=1, max_length=200)
    code: str = Field(min_length=1, max_length=40, description="Kode singkat untuk /s/<kode>/")
    population: int = Field(
        0, ge=0, le=POPULATION_MAX, description="Populasi pengguna per periode (0 sampai 2³¹−1)"
    )
    active: bool = True


class LayananOut(Schema):
    id: int
    instansi_id: int
    unit_id: int
    unit_name: str
    name: str
    code: str
    population: int
    active: bool
    public_path: str


class PeriodIn(In):
    kind: Literal["SEMESTER", "TRIWULAN", "TAHUN"]
    year: Year
    number: int = Field(1, ge=1, le=4)


class PeriodOut(Schema):
    id: int
    layanan_id: int
    key: str
    label: str
    start: date
    end: date


class IkmOut(Schema):
    respondents: int
    nrr: list[Decimal] = Field(description="NRR U1..U9, 4 desimal")
    ikm: Decimal
    ikm_konversi: Decimal
    mutu: Literal["A", "B", "C", "D"]
    kinerja: str


def ikm_out(result: IkmResult | None) -> IkmOut | None:
    if result is None:
        return None
    return IkmOut(
        respondents=result.respondents,
        nrr=list(result.nrr),
        ikm=result.ikm,
        ikm_konversi=result.ikm_konversi,
        mutu=result.mutu,  # type: ignore[arg-type]
        kinerja=result.kinerja_label,
    )


class IkmRowOut(Schema):
    id: int
    name: str
    unit_name: str
    respondents: int
    minimum_sample: int | None = Field(description="Minimum Krejcie–Morgan (None: populasi kosong)")
    sample_short: bool
    result: IkmOut | None
    previous: IkmOut | None


class OverviewOut(Schema):
    instansi_id: int
    period: str
    label: str
    total: IkmRowOut = Field(
        description="Sum of the layanan listed: the whole instansi for admin and auditor, only "
        "the caller's unit subtree for a unit head (see total_scope)"
    )
    total_scope: Literal["instansi", "visible_units"] = Field(
        description="instansi: total is the instansi's IKM; visible_units: only the layanan "
        "the caller may read (a unit head's subtree), not the instansi's figure"
    )
    units: list[IkmRowOut]
    layanan: list[IkmRowOut]


class UnsurOut(Schema):
    code: str
    label: str
    nrr: Decimal
    previous: Decimal | None
    weakest: bool


class DemographicOut(Schema):
    code: str = Field(
        description="Kode tetap: nilai pilihan kuesioner (L, P; SD…S3; PNS…LAINNYA) atau "
        "kelompok usia (<20, 20-29, 30-39, 40-49, 50+)"
    )
    label: str = Field(description="Teks kategori dalam bahasa permintaan (Accept-Language)")
    count: int


class DemographicsOut(Schema):
    """Respondents per category, every category in the questionnaire's order (0 included)."""

    jenis_kelamin: list[DemographicOut]
    usia: list[DemographicOut]
    pendidikan: list[DemographicOut]
    pekerjaan: list[DemographicOut]


def demographics_out(profile: dict[str, list[Category]]) -> DemographicsOut:
    rows = {
        name: [DemographicOut(code=c.code, label=c.label, count=c.count) for c in items]
        for name, items in profile.items()
    }
    return DemographicsOut(**rows)


class DetailOut(Schema):
    layanan: LayananOut
    period: str
    label: str
    ikm: IkmRowOut
    unsur: list[UnsurOut]
    demographics: DemographicsOut
    saran: list[str]


class ImportErrorOut(Schema):
    row: int
    message: str


class AlreadyStoredOut(Schema):
    count: int = Field(description="Baris file yang sama persis dengan jawaban kertas tersimpan")
    rows: list[int] = Field(description="Nomor baris spreadsheet (judul = baris 1), urut")
    files: list[str] = Field(description="Nama file impor sebelumnya untuk layanan dan periode")


class ImportOut(Schema):
    rows: int
    dry_run: bool
    ok: bool
    errors: list[ImportErrorOut]
    already_stored: AlreadyStoredOut | None = Field(
        None, description="Hanya bila ada baris yang sudah tersimpan (peringatan, bukan kesalahan)"
    )


class RtlIn(In):
    layanan_id: Id | None = Field(None, description="Layanan; kosong untuk RTL seluruh unit")
    unit_id: Id | None = Field(None, description="Unit (bila tanpa layanan)")
    period: str = Field(description="mis. SEMESTER-2026-1")
    unsur: int = Field(ge=1, le=9)
    action: str = Field(min_length=1)
    owner_id: Id
    due_date: date


class RtlOut(Schema):
    id: int
    unit_id: int
    layanan_id: int | None
    period: str
    unsur: int
    action: str
    owner_id: int
    due_date: date
    done_at: datetime | None
    nrr_then: Decimal | None
    nrr_next: Decimal | None
    improved: bool | None


class DoneIn(In):
    note: str = ""


class PetugasOut(Schema):
    pegawai_id: int
    start: date
    end: date
    respondents: int
    nrr_kompetensi: Decimal
    nrr_perilaku: Decimal
    ikm: IkmOut


class PetugasQuery(Schema):
    period: str | None = Field(
        None, description="Periode tetap: TRIWULAN-2026-1, SEMESTER-2026-1 atau TAHUN-2026-1"
    )


class PetugasFeedbackOut(Schema):
    period: str
    label: str
    enough: bool
    withheld: Literal["below_minimum", "complementary"] | None = Field(
        description=(
            "below_minimum: kurang dari 3 responden; complementary: disembunyikan agar periode "
            "lain yang kecil tidak dapat dihitung dari selisih (mis. tahun dikurangi triwulan)"
        )
    )
    minimum_respondents: int
    feedback: PetugasOut | None


class ChoiceOut(Schema):
    """A choice whose value is sent back as this text (jenis kelamin, pendidikan, pekerjaan)."""

    value: str
    label: str


class NumberChoiceOut(Schema):
    """A choice whose value is sent back as this JSON integer (an answer, a petugas id)."""

    value: int
    label: str


class QuestionOut(Schema):
    code: str
    label: str
    answers: list[NumberChoiceOut] = Field(description="Nilai 1..4 dengan teks resmi")


class FormOut(Schema):
    token: str = Field(description="Token sekali pakai; kirim kembali bersama jawaban")
    layanan: str
    unit: str
    period: str
    questions: list[QuestionOut]
    jenis_kelamin: list[ChoiceOut]
    pendidikan: list[ChoiceOut]
    pekerjaan: list[ChoiceOut]
    petugas: list[NumberChoiceOut] = Field(description="Nilai untuk petugas_id")


class ResponseIn(In):
    token: str
    answers: list[Answer] = Field(
        min_length=9, max_length=9, description="U1..U9, masing-masing 1–4"
    )
    usia: int = Field(strict=True, ge=10, le=120)
    jenis_kelamin: Literal["L", "P"]
    pendidikan: Literal["SD", "SMP", "SMA", "D3", "S1", "S2", "S3"]
    pekerjaan: Literal["PNS", "TNI", "POLRI", "SWASTA", "WIRAUSAHA", "LAINNYA"]
    saran: str = Field("", max_length=2000)
    petugas_id: Annotated[Id, Field(strict=True)] | None = None
    website: str = Field("", description="Jebakan robot: harus kosong")


class AcceptedOut(Schema):
    accepted: bool
    message: str


class PublicRowOut(Schema):
    name: str
    unit_name: str
    respondents: int | None
    result: IkmOut | None
    withheld: Literal["below_minimum", "complementary"] | None = Field(
        description=(
            "Mengapa nilai tidak ditampilkan: below_minimum (responden kurang dari minimum) atau "
            "complementary (disembunyikan agar nilai kelompok kecil tidak dapat dihitung dari "
            "selisih total dan nilai lain)"
        )
    )


class TrendOut(Schema):
    period: str
    label: str
    result: IkmOut | None


class TransparencyOut(Schema):
    instansi: str
    period: str | None
    minimum_respondents: int
    total: IkmOut | None
    units: list[PublicRowOut]
    layanan: list[PublicRowOut]
    trend: list[TrendOut]
