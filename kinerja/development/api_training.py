"""JSON API of the training catalogue, recommendations, development plans, JP (with the
certificate upload), unit views (below 20 JP, penghargaan candidates) and follow-up records."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from kinerja.assessments.guards import may_read_unit
from kinerja.assessments.models import Evaluasi
from kinerja.core.errors import NotFound, Refused, ServiceError
from kinerja.core.formkeys import header_key
from kinerja.core.params import Id, Year
from kinerja.org.access import access_for
from kinerja.org.models import Instansi, Pegawai, UnitKerja
from kinerja.plans.api_items import actor, not_found
from kinerja.progress.services import Upload, max_upload_bytes

from . import guards, queries, rules
from . import services_training as training
from .models import CatatanJp, CatatanTindakLanjut, Kasus, Pelatihan, RencanaPengembangan
from .schemas import (
    CandidateOut,
    JpOut,
    JpRowOut,
    JpSummaryOut,
    PelatihanIn,
    PelatihanOut,
    PelatihanPatch,
    RekomendasiListOut,
    RekomendasiOut,
    RencanaIn,
    RencanaOut,
    TindakLanjutIn,
    TindakLanjutOut,
)

router = Router(tags=["Pengembangan kompetensi"])


class TooLarge(ServiceError):
    status = 413
    code = "too_large"


def pelatihan_out(p: Pelatihan) -> PelatihanOut:
    return PelatihanOut(id=p.pk, name=p.name, jp=p.jp, mode=p.mode, core_values=p.core_values,
                        kompetensi=p.kompetensi, for_hasil=p.for_hasil,
                        for_pelayanan=p.for_pelayanan, active=p.active)  # fmt: skip


def rencana_out(r: RencanaPengembangan) -> RencanaOut:
    return RencanaOut(id=r.pk, pegawai_id=r.pegawai_id, year=r.year,
                      pelatihan=pelatihan_out(r.pelatihan), reason=r.reason, status=r.status,
                      accepted_at=r.accepted_at)  # fmt: skip


def jp_out(j: CatatanJp) -> JpOut:
    return JpOut(id=j.pk, pegawai_id=j.pegawai_id, year=j.year, rencana_id=j.rencana_id,
                 title=j.title, mode=j.mode, jp=j.jp, date=j.date,
                 certificate_url=reverse("development:sertifikat", args=[j.pk]),
                 file_name=j.file_name, sha256=j.sha256)  # fmt: skip


def readable_pegawai(request: HttpRequest, pegawai_id: int, *, auditors: bool = True) -> Pegawai:
    pegawai = Pegawai.objects.select_related("jabatan__unit").filter(pk=pegawai_id).first()
    if pegawai is None or not guards.may_read_person(request.user, pegawai, auditors=auditors):
        raise NotFound(
            _("Pegawai dengan id %(pegawai_id)s tidak ditemukan.") % {"pegawai_id": pegawai_id}
        )
    return pegawai


def readable_unit(request: HttpRequest, unit_id: int) -> UnitKerja:
    unit = UnitKerja.objects.filter(pk=unit_id).first()
    if unit is None or not may_read_unit(request.user, unit):
        raise not_found(_("Unit kerja"), unit_id)
    return unit


def _home_instansi(request: HttpRequest, instansi_id: int | None) -> int:
    access = access_for(request.user)
    found = instansi_id or access.home_instansi_id or next(iter(access.instansi_ids), None)
    # A superadmin may read every instansi, also one that does not exist: ask the table.
    if found is None or not Instansi.objects.visible_to(request.user).filter(pk=found).exists():
        raise NotFound(
            _("Instansi dengan id %(instansi_id)s tidak ditemukan.") % {"instansi_id": found}
            if found
            else _("Instansi tidak ditemukan.")
        )
    return found


# --- catalogue --------------------------------------------------------------------------------


@router.get("/pengembangan/pelatihan", response=list[PelatihanOut], summary="Katalog pelatihan")
def pelatihan_list(request: HttpRequest, instansi_id: Id | None = None) -> list[PelatihanOut]:
    found = Pelatihan.objects.visible_to(request.user)
    if instansi_id is not None:
        found = found.filter(instansi_id=instansi_id)
    return [pelatihan_out(p) for p in found]


@router.post(
    "/pengembangan/pelatihan", response={201: PelatihanOut}, summary="Tambah pelatihan (admin)"
)
def pelatihan_create(request: HttpRequest, body: PelatihanIn, instansi_id: Id | None = None) -> Any:
    home = _home_instansi(request, instansi_id)
    item = training.pelatihan_save(
        by=actor(request), instansi_id=home, values=body.model_dump(), form_key=header_key(request)
    )
    return Status(201, pelatihan_out(item))


@router.patch(
    "/pengembangan/pelatihan/{pelatihan_id}", response=PelatihanOut, summary="Ubah pelatihan"
)
def pelatihan_update(request: HttpRequest, pelatihan_id: Id, body: PelatihanPatch) -> PelatihanOut:
    item = Pelatihan.objects.visible_to(request.user).filter(pk=pelatihan_id).first()
    if item is None:
        raise not_found(_("Pelatihan"), pelatihan_id)
    values = body.model_dump(exclude_none=True)
    saved = training.pelatihan_save(
        by=actor(request), instansi_id=item.instansi_id, values=values, pelatihan=item
    )
    return pelatihan_out(saved)


# --- recommendations and plans ----------------------------------------------------------------


@router.get(
    "/pengembangan/pegawai/{pegawai_id}/rekomendasi",
    response=RekomendasiListOut,
    summary="Rekomendasi pelatihan dari rating, umpan balik 360 dan SKM",
)
def rekomendasi(request: HttpRequest, pegawai_id: Id, year: Year) -> RekomendasiListOut:
    pegawai = readable_pegawai(request, pegawai_id, auditors=False)
    found = queries.recommendations(pegawai, year, guards.today())
    return RekomendasiListOut(
        basis=found.basis,
        items=[RekomendasiOut(pelatihan=pelatihan_out(i.pelatihan), reason=i.reason,
                              accepted=i.accepted) for i in found.items],
    )  # fmt: skip


@router.get("/pengembangan/rencana", response=list[RencanaOut], summary="Rencana pengembangan")
def rencana_list(request: HttpRequest, pegawai_id: Id, year: Year) -> list[RencanaOut]:
    readable_pegawai(request, pegawai_id)
    found = RencanaPengembangan.objects.visible_to(request.user).filter(
        pegawai_id=pegawai_id, year=year
    )
    return [rencana_out(r) for r in found.select_related("pelatihan")]


@router.post(
    "/pengembangan/rencana",
    response={201: RencanaOut},
    summary="Terima pelatihan ke rencana pengembangan (pegawai, penilai, admin)",
)
def rencana_create(request: HttpRequest, body: RencanaIn) -> Any:
    pegawai = readable_pegawai(request, body.pegawai_id)
    pelatihan = Pelatihan.objects.visible_to(request.user).filter(pk=body.pelatihan_id).first()
    if pelatihan is None:
        raise not_found(_("Pelatihan"), body.pelatihan_id)
    kasus = None
    if body.kasus_id is not None:
        kasus = Kasus.objects.visible_to(request.user).filter(pk=body.kasus_id).first()
        if kasus is None:
            raise not_found(_("Kasus"), body.kasus_id)
    plan = training.rencana_accept(by=actor(request), pegawai=pegawai, pelatihan=pelatihan,
                                   year=body.year, reason=body.reason, kasus=kasus,
                                   form_key=header_key(request))  # fmt: skip
    return Status(201, rencana_out(plan))


# --- JP ---------------------------------------------------------------------------------------


@router.get(
    "/pengembangan/pegawai/{pegawai_id}/jp", response=JpSummaryOut, summary="JP pegawai per tahun"
)
def jp_of(request: HttpRequest, pegawai_id: Id, year: Year) -> JpSummaryOut:
    readable_pegawai(request, pegawai_id)
    records = list(CatatanJp.objects.filter(pegawai_id=pegawai_id, year=year))
    summary = rules.jp_summary((r.mode, r.jp) for r in records)
    return JpSummaryOut(year=year, total=summary.total, target=summary.target,
                        shortfall=summary.shortfall, met=summary.met, by_mode=summary.by_mode,
                        records=[jp_out(r) for r in records])  # fmt: skip


@router.post(
    "/pengembangan/jp",
    response={201: JpOut},
    summary="Catat JP dengan sertifikat (pegawai sendiri atau admin)",
    description=(
        "Multipart: `pegawai_id`, `date`, `rencana_id` (menyelesaikan rencana; judul, moda dan "
        "JP diambil dari katalog bila kosong) atau `title`, `mode`, `jp`; `certificate` (PDF, "
        "JPG, PNG, WEBP; jenis diperiksa dari isi berkas). Berkas terlalu besar: 413."
    ),
)
def jp_create(
    request: HttpRequest,
    pegawai_id: Form[Id],
    date: Form[datetime.date],
    certificate: File[UploadedFile],
    rencana_id: Form[Id | None] = None,
    title: Form[str] = "",
    mode: Form[str] = "",
    jp: Form[str] = "",
) -> Any:
    pegawai = readable_pegawai(request, pegawai_id)
    rencana = None
    if rencana_id is not None:
        rencana = RencanaPengembangan.objects.filter(pk=rencana_id, pegawai=pegawai).first()
        if rencana is None:
            raise not_found(_("Rencana pengembangan"), rencana_id)
    limit = max_upload_bytes()
    if certificate.size is not None and certificate.size > limit:
        raise TooLarge(_("Sertifikat terlalu besar; paling besar %(limit_mb)s MB.")
                       % {"limit_mb": limit // (1024 * 1024)}, field="certificate")  # fmt: skip
    upload = Upload(certificate.name or "sertifikat", certificate.read())
    record = training.jp_record(by=actor(request), pegawai=pegawai, day=date, certificate=upload,
                                rencana=rencana, title=title, mode=mode, jp=jp or None,
                                form_key=header_key(request))  # fmt: skip
    return Status(201, jp_out(record))


@router.get(
    "/pengembangan/unit/{unit_id}/jp", response=list[JpRowOut], summary="JP per pegawai di unit"
)
def jp_unit(
    request: HttpRequest, unit_id: Id, year: Year, below_only: bool = False
) -> list[JpRowOut]:
    unit = readable_unit(request, unit_id)
    return [JpRowOut(pegawai_id=r.pegawai_id, name=r.name, nip=r.nip, unit=r.unit, total=r.total,
                     shortfall=r.shortfall, met=r.met)
            for r in queries.jp_unit(unit, year, below_only=below_only)]  # fmt: skip


@router.get(
    "/pengembangan/unit/{unit_id}/penghargaan",
    response=list[CandidateOut],
    summary="Kandidat penghargaan di unit (Sangat Baik, Baik konsisten, SKM kuat)",
)
def penghargaan(request: HttpRequest, unit_id: Id, year: Year) -> list[CandidateOut]:
    unit = readable_unit(request, unit_id)
    return [CandidateOut(pegawai_id=c.pegawai_id, name=c.name, nip=c.nip, unit=c.unit,
                         annual=c.annual, periodic=c.periodic, skm_konversi=c.skm_konversi,
                         reasons=c.reasons)
            for c in queries.candidates(unit, year, guards.today())]  # fmt: skip


# --- follow-up records ------------------------------------------------------------------------


def tl_out(t: CatatanTindakLanjut) -> TindakLanjutOut:
    return TindakLanjutOut(id=t.pk, evaluasi_id=t.evaluasi_id, pegawai_id=t.pegawai_id,
                           predikat=t.predikat, action=t.action, date=t.date,
                           recorded_by_id=t.recorded_by_id)  # fmt: skip


@router.get(
    "/pengembangan/tindak-lanjut",
    response=list[TindakLanjutOut],
    summary="Catatan tindak lanjut Kurang/Sangat Kurang (admin dan auditor)",
)
def tl_list(request: HttpRequest) -> list[TindakLanjutOut]:
    access = access_for(request.user)
    if not (access.is_superuser or access.admin_instansi_ids or access.auditor_instansi_ids):
        raise Refused(_("Catatan tindak lanjut hanya untuk admin dan auditor instansi."))
    return [tl_out(t) for t in CatatanTindakLanjut.objects.visible_to(request.user)[:500]]


@router.post(
    "/pengembangan/tindak-lanjut",
    response={201: TindakLanjutOut},
    summary="Catat tindak lanjut (admin)",
)
def tl_create(request: HttpRequest, body: TindakLanjutIn) -> Any:
    evaluasi = Evaluasi.objects.visible_to(request.user).filter(pk=body.evaluasi_id).first()
    if evaluasi is None:
        raise not_found(_("Evaluasi"), body.evaluasi_id)
    record = training.tindak_lanjut_record(
        by=actor(request),
        evaluasi=evaluasi,
        action=body.action,
        day=body.date,
        form_key=header_key(request),
    )
    return Status(201, tl_out(record))
