"""SKM JSON API for staff: layanan, periods, IKM per layanan/unit/instansi, paper import,
rencana tindak lanjut and petugas feedback. Same services and queries as the pages
(docs/skm.md). Reads start from `visible_to`; a layanan the caller may not read is a 404; the
services decide who may write (403)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from kinerja.accounts.models import User
from kinerja.core.errors import NotFound, ServiceError, localize
from kinerja.core.formkeys import header_key
from kinerja.core.params import Id
from kinerja.org.access import access_for
from kinerja.org.import_api import ImportInvalidOut, import_invalid
from kinerja.org.models import Pegawai, UnitKerja

from . import followups, queries, services
from .import_overlap import AlreadyStored
from .importing import skm_import
from .models import Layanan, RencanaTindakLanjut, SurveyPeriod
from .periods import PeriodKey, parse_key
from .petugas_queries import petugas_window
from .report_views import may_see_feedback
from .schemas import (
    AlreadyStoredOut,
    DetailOut,
    DoneIn,
    IkmRowOut,
    ImportErrorOut,
    ImportOut,
    LayananIn,
    LayananOut,
    OverviewOut,
    PeriodIn,
    PeriodOut,
    PetugasFeedbackOut,
    PetugasOut,
    PetugasQuery,
    RtlIn,
    RtlOut,
    UnsurOut,
    demographics_out,
    ikm_out,
)

router = Router(tags=["SKM"])


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _key(text: str) -> PeriodKey:
    try:
        return parse_key(text)
    except ValueError as exc:
        raise ServiceError(localize(exc), field="period") from exc


def _layanan(request: HttpRequest, pk: int) -> Layanan:
    found = Layanan.objects.visible_to(request.user).select_related("unit", "instansi")
    item = found.filter(pk=pk).first()
    if item is None:
        raise NotFound(_("Layanan %(pk)s tidak ditemukan.") % {"pk": pk})
    return item


def layanan_out(item: Layanan) -> LayananOut:
    return LayananOut(
        id=item.pk,
        instansi_id=item.instansi_id,
        unit_id=item.unit_id,
        unit_name=item.unit.name,
        name=item.name,
        code=item.code,
        population=item.population,
        active=item.active,
        public_path=reverse("skm_form", kwargs={"code": item.code}),
    )


def period_out(p: SurveyPeriod) -> PeriodOut:
    return PeriodOut(
        id=p.pk, layanan_id=p.layanan_id, key=p.key, label=p.label, start=p.start, end=p.end
    )


def row_out(r: queries.IkmRow) -> IkmRowOut:
    return IkmRowOut(
        id=r.id,
        name=r.name,
        unit_name=r.unit_name,
        respondents=r.respondents,
        minimum_sample=r.minimum,
        sample_short=r.short,
        result=ikm_out(r.result),
        previous=ikm_out(r.previous),
    )


def _unit(request: HttpRequest, unit_id: int) -> UnitKerja:
    unit = UnitKerja.objects.visible_to(request.user).filter(pk=unit_id).first()
    if unit is None:
        raise NotFound(_("Unit %(unit_id)s tidak ditemukan.") % {"unit_id": unit_id})
    return unit


@router.get("/skm/layanan", response=list[LayananOut], summary="Daftar layanan yang terlihat")
def layanan_list(request: HttpRequest, instansi_id: Id | None = None) -> list[LayananOut]:
    rows = Layanan.objects.visible_to(request.user).select_related("unit")
    if instansi_id is not None:
        rows = rows.filter(instansi_id=instansi_id)
    return [layanan_out(item) for item in rows.order_by("unit__path", "name")]


@router.post("/skm/layanan", response={201: LayananOut}, summary="Tambah layanan (admin instansi)")
def layanan_create(request: HttpRequest, payload: LayananIn) -> Status[LayananOut]:
    unit = _unit(request, payload.unit_id)
    item = services.layanan_save(
        by=_user(request),
        unit=unit,
        name=payload.name,
        code=payload.code,
        population=payload.population,
        active=payload.active,
        form_key=header_key(request),
    )
    return Status(201, layanan_out(item))


@router.get("/skm/layanan/{layanan_id}", response=LayananOut, summary="Satu layanan")
def layanan_detail(request: HttpRequest, layanan_id: Id) -> LayananOut:
    return layanan_out(_layanan(request, layanan_id))


@router.put("/skm/layanan/{layanan_id}", response=LayananOut, summary="Ubah layanan (admin)")
def layanan_update(request: HttpRequest, layanan_id: Id, payload: LayananIn) -> LayananOut:
    item = _layanan(request, layanan_id)
    unit = _unit(request, payload.unit_id)
    saved = services.layanan_save(
        by=_user(request),
        unit=unit,
        name=payload.name,
        code=payload.code,
        population=payload.population,
        active=payload.active,
        layanan=item,
    )
    return layanan_out(saved)


@router.get("/skm/layanan/{layanan_id}/periode", response=list[PeriodOut], summary="Periode")
def period_list(request: HttpRequest, layanan_id: Id) -> list[PeriodOut]:
    item = _layanan(request, layanan_id)
    return [period_out(p) for p in SurveyPeriod.objects.filter(layanan=item).order_by("-start")]


@router.post(
    "/skm/layanan/{layanan_id}/periode", response={201: PeriodOut}, summary="Buka periode (admin)"
)
def period_create(request: HttpRequest, layanan_id: Id, payload: PeriodIn) -> Status[PeriodOut]:
    item = _layanan(request, layanan_id)
    try:
        key = PeriodKey(payload.kind, payload.year, payload.number)
    except ValueError as exc:
        raise ServiceError(localize(exc), field="number") from exc
    return Status(201, period_out(services.period_open(by=_user(request), layanan=item, key=key)))


@router.get("/skm/ikm", response=OverviewOut, summary="IKM per layanan, unit dan instansi")
def ikm_overview(request: HttpRequest, instansi_id: Id, period: str) -> OverviewOut:
    key = _key(period)
    access = access_for(request.user)
    if not (access.can_read_instansi(instansi_id)):
        raise NotFound(
            _("Instansi %(instansi_id)s tidak ditemukan.") % {"instansi_id": instansi_id}
        )
    rows = Layanan.objects.visible_to(request.user).filter(instansi_id=instansi_id)
    view = queries.overview(rows, instansi_id, key)
    return OverviewOut(
        instansi_id=instansi_id,
        period=key.text,
        label=key.label,
        total=row_out(view.total),
        total_scope="instansi"
        if queries.sees_whole_instansi(access, instansi_id)
        else "visible_units",
        units=[row_out(r) for r in view.units],
        layanan=[row_out(r) for r in view.layanan],
    )


@router.get("/skm/layanan/{layanan_id}/ikm/{period}", response=DetailOut, summary="IKM layanan")
def ikm_detail(request: HttpRequest, layanan_id: Id, period: str) -> DetailOut:
    item = _layanan(request, layanan_id)
    detail = queries.detail(item, _key(period))
    return DetailOut(
        layanan=layanan_out(item),
        period=detail.key.text,
        label=detail.key.label,
        ikm=row_out(detail.row),
        unsur=[
            UnsurOut(code=u.code, label=u.label, nrr=u.nrr, previous=u.previous, weakest=u.weakest)
            for u in detail.unsur
        ],
        demographics=demographics_out(detail.profile),
        saran=detail.saran,
    )


@router.post(
    "/skm/layanan/{layanan_id}/impor",
    response={200: ImportOut, 422: ImportInvalidOut},
    summary="Impor kuesioner kertas (CSV/XLSX, semua atau tidak sama sekali)",
    exclude_none=True,
    description=(
        "Pratinjau (dry_run, bawaan) selalu 200 dengan daftar kesalahan (`ok` false bila ada); "
        "penyimpanan yang menemukan kesalahan: 422 `import_invalid`, tidak ada yang disimpan."
    ),
)
def import_paper(
    request: HttpRequest,
    layanan_id: Id,
    period: Form[str],
    file: File[UploadedFile],
    dry_run: Form[bool] = True,
) -> Status[ImportOut] | Status[ImportInvalidOut]:
    item = _layanan(request, layanan_id)
    key = _key(period)
    found = SurveyPeriod.objects.filter(
        layanan=item, kind=key.kind, year=key.year, number=key.number
    ).first()
    if found is None:
        raise ServiceError(
            _("Periode %(label)s belum dibuka untuk layanan ini.") % {"label": key.label},
            field="period",
        )
    result = skm_import(
        by=_user(request),
        layanan=item,
        period=found,
        file_name=file.name or "",
        content=file.read(),
        dry_run=dry_run,
    )
    if result.errors and not dry_run:
        return import_invalid(result.errors)
    return Status(
        200,
        ImportOut(
            rows=result.rows,
            dry_run=result.dry_run,
            ok=result.ok,
            errors=[ImportErrorOut(row=e.row, message=e.message) for e in result.errors],
            already_stored=_already_stored_out(result.already_stored),
        ),
    )


def _already_stored_out(found: AlreadyStored) -> AlreadyStoredOut | None:
    if not found.count:
        return None
    return AlreadyStoredOut(count=found.count, rows=found.rows, files=found.files)


def rtl_out(f: followups.FollowUp) -> RtlOut:
    item = f.item
    return RtlOut(
        id=item.pk,
        unit_id=item.unit_id,
        layanan_id=item.layanan_id,
        period=PeriodKey(item.kind, item.year, item.number).text,
        unsur=item.unsur,
        action=item.action,
        owner_id=item.owner_id,
        due_date=item.due_date,
        done_at=item.done_at,
        nrr_then=f.nrr_then,
        nrr_next=f.nrr_next,
        improved=f.improved,
    )


@router.get(
    "/skm/rtl",
    response=list[RtlOut],
    summary="Rencana tindak lanjut",
    description=(
        "RTL satu instansi dan periode pada layanan dan unit yang boleh Anda baca (admin, "
        "auditor, pimpinan unit untuk subtree-nya). RTL milik Anda sebagai penanggung jawab: "
        "GET /skm/rtl/saya."
    ),
)
def rtl_list(request: HttpRequest, instansi_id: Id, period: str) -> list[RtlOut]:
    key = _key(period)
    rows = RencanaTindakLanjut.objects.visible_to(request.user).filter(
        instansi_id=instansi_id, kind=key.kind, year=key.year, number=key.number
    )
    return [rtl_out(f) for f in followups.follow_ups(rows.order_by("due_date", "id"))]


@router.get(
    "/skm/rtl/saya",
    response=list[RtlOut],
    summary="Rencana tindak lanjut saya (sebagai penanggung jawab)",
    description=(
        "Semua RTL yang penanggung jawabnya pegawai akun ini, dari semua periode, seperti "
        "halaman /skm/rtl/saya/: yang belum selesai dahulu, lalu menurut tenggat. Kosong untuk "
        "akun tanpa data pegawai."
    ),
)
def rtl_mine(request: HttpRequest) -> list[RtlOut]:
    rows = RencanaTindakLanjut.objects.owned_by(access_for(request.user).pegawai_id)
    return [rtl_out(f) for f in followups.follow_ups(rows)]


@router.post("/skm/rtl", response={201: RtlOut}, summary="Catat rencana tindak lanjut")
def rtl_create(request: HttpRequest, payload: RtlIn) -> Status[RtlOut]:
    if (payload.layanan_id is None) == (payload.unit_id is None):
        raise ServiceError(_("Isi layanan_id atau unit_id (salah satu)."), field="layanan_id")
    item = _layanan(request, payload.layanan_id) if payload.layanan_id is not None else None
    unit = item.unit if item is not None else _unit(request, payload.unit_id)  # type: ignore[arg-type]
    saved = services.rtl_create(
        by=_user(request),
        unit=unit,
        layanan=item,
        key=_key(payload.period),
        unsur=payload.unsur,
        action=payload.action,
        owner_id=payload.owner_id,
        due_date=payload.due_date,
        form_key=header_key(request),
    )
    return Status(201, rtl_out(followups.follow_ups([saved])[0]))


@router.post("/skm/rtl/{rtl_id}/selesai", response=RtlOut, summary="Tandai RTL selesai")
def rtl_done(request: HttpRequest, rtl_id: Id, payload: DoneIn) -> RtlOut:
    item = RencanaTindakLanjut.objects.filter(pk=rtl_id).first()
    readable = item is not None and (
        RencanaTindakLanjut.objects.visible_to(request.user).filter(pk=rtl_id).exists()
        or access_for(request.user).pegawai_id == item.owner_id
    )
    if item is None or not readable:
        raise NotFound(_("Rencana tindak lanjut %(rtl_id)s tidak ditemukan.") % {"rtl_id": rtl_id})
    saved = services.rtl_mark_done(by=_user(request), item=item, note=payload.note)
    return rtl_out(followups.follow_ups([saved])[0])


FREE_WINDOW = gettext_noop(
    "Rentang tanggal bebas (start/end) tidak diterima: dua rentang yang berselisih sehari "
    "memperlihatkan jawaban satu warga. Pilih periode tetap, mis. period=TRIWULAN-2026-1 "
    "(triwulan, semester atau tahun)."
)


@router.get(
    "/skm/petugas/{pegawai_id}",
    response=PetugasFeedbackOut,
    summary="Umpan balik masyarakat untuk petugas per periode tetap (agregat, minimal 3 responden)",
)
def petugas(
    request: HttpRequest, pegawai_id: Id, filters: Query[PetugasQuery]
) -> PetugasFeedbackOut:
    for free in ("start", "end"):
        if free in request.GET:
            raise ServiceError(_(FREE_WINDOW), field=free)
    if not filters.period:
        raise ServiceError(_("Pilih periode, mis. period=TRIWULAN-2026-1."), field="period")
    key = _key(filters.period)
    pegawai = Pegawai.objects.filter(pk=pegawai_id).first()
    if pegawai is None or not may_see_feedback(request.user, pegawai):
        raise NotFound(_("Pegawai %(pegawai_id)s tidak ditemukan.") % {"pegawai_id": pegawai_id})
    window = petugas_window(pegawai.pk, key)
    found = window.feedback
    out = None
    if found is not None:
        out = PetugasOut(
            pegawai_id=found.pegawai_id,
            start=found.start,
            end=found.end,
            respondents=found.respondents,
            nrr_kompetensi=found.nrr_kompetensi,
            nrr_perilaku=found.nrr_perilaku,
            ikm=ikm_out(found.ikm),  # type: ignore[arg-type]
        )
    return PetugasFeedbackOut(
        period=key.text,
        label=key.label,
        enough=found is not None,
        withheld=window.withheld,
        minimum_respondents=queries.PETUGAS_MIN_RESPONDENTS,
        feedback=out,
    )
