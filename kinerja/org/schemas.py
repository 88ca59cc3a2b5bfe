"""API input/output schemas for organisation data."""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema

from kinerja.core.params import Id, In


class InstansiOut(Schema):
    id: int
    code: str
    name: str
    kind: str


class UnitOut(Schema):
    id: int
    instansi_id: int
    parent_id: int | None
    code: str
    name: str
    kind: str
    depth: int


class UnitTreeOut(UnitOut):
    child_count: int
    pegawai_count: int
    head_name: str | None


class UnitIn(In):
    instansi_id: Id
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    kind: str
    parent_id: Id | None = None


class UnitPatch(In):
    code: str | None = Field(None, min_length=1, max_length=40)
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: str | None = None
    parent_id: Id | None = None
    move_to_root: bool = False


class JabatanOut(Schema):
    id: int
    instansi_id: int
    unit_id: int
    parent_id: int | None
    code: str
    name: str
    jenis: str
    is_unit_head: bool


class JabatanIn(In):
    unit_id: Id
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    jenis: str
    parent_id: Id | None = None
    is_unit_head: bool = False


class PegawaiRow(Schema):
    id: int
    nip: str
    name: str
    display_name: str
    jenis_asn: str
    pangkat_golongan: str
    jabatan_id: int | None
    jabatan_name: str | None
    unit_id: int | None
    unit_name: str | None


class PegawaiPage(Schema):
    items: list[PegawaiRow]
    page: int
    has_next: bool


class PejabatPenilaiOut(Schema):
    id: int
    nip: str
    display_name: str
    jabatan_name: str | None


class PenempatanOut(Schema):
    id: int
    jabatan_id: int
    jabatan_name: str
    kind: str
    start_date: date
    end_date: date | None


class PegawaiOut(Schema):
    id: int
    instansi_id: int
    nip: str
    name: str
    display_name: str
    front_title: str
    back_title: str
    jenis_asn: str
    pangkat_golongan: str
    gender: str
    jabatan_id: int | None
    jabatan_name: str | None
    unit_id: int | None
    unit_name: str | None
    rater: PejabatPenilaiOut | None
    private: bool
    email: str | None = None
    phone: str | None = None
    birth_date: date | None = None
    history: list[PenempatanOut] = []


class PegawaiIn(In):
    instansi_id: Id
    nip: str = Field(min_length=18, max_length=18)
    jenis_asn: str = "PNS"
    name: str = Field(min_length=1, max_length=150)
    front_title: str = ""
    back_title: str = ""
    pangkat_golongan: str = ""
    email: str = ""
    phone: str = ""


class PegawaiPatch(In):
    name: str | None = Field(None, min_length=1, max_length=150)
    front_title: str | None = None
    back_title: str | None = None
    pangkat_golongan: str | None = None
    email: str | None = None
    phone: str | None = None


class PenempatanIn(In):
    jabatan_id: Id
    start_date: date
    kind: str = "DEFINITIF"
    reference: str = ""


class DelegasiIn(In):
    pegawai_id: Id
    rater_id: Id
    start_date: date
    end_date: date | None = None
    reason: str = Field(min_length=1, max_length=300)


class DelegasiOut(Schema):
    id: int
    pegawai_id: int
    rater_id: int
    start_date: date
    end_date: date | None
    reason: str


class MeOut(Schema):
    user_id: int
    username: str
    full_name: str
    roles: list[str]
    pegawai_id: int | None
    instansi_ids: list[int]
