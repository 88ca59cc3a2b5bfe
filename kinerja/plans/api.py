"""JSON API for SKP planning: performance years, SKP lists and documents, the workflow, the
pohon kinerja and the status board. The parts of an SKP (RHK, IKI, ekspektasi, lampiran,
cascading) are in api_items.py, mounted here. Same services and queries as the pages."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from kinerja.core.errors import Refused, ServiceError
from kinerja.core.formkeys import header_key
from kinerja.core.params import Id, Page, PageSize, Year
from kinerja.org.access import access_for
from kinerja.org.models import Instansi, Pegawai, UnitKerja

from . import queries, rules, services
from .api_items import (
    actor,
    lampiran_out,
    not_found,
    readable_skp,
    rhk_out,
)
from .api_items import router as items_router
from .models import JenisLampiran, Skp, TahunKinerja
from .schemas import (
    JabatanRef,
    PegawaiRef,
    PerilakuOut,
    PeriodeOut,
    PersonOut,
    PohonCounts,
    PohonNodeOut,
    PohonOut,
    ReturnIn,
    SkpDetail,
    SkpIn,
    SkpItem,
    SkpPage,
    SkpPatch,
    StatusBoardOut,
    StatusCounts,
    StatusRowOut,
    TahunIn,
    TahunOut,
    VersionOut,
)

router = Router(tags=["SKP"])
router.add_router("", items_router)


def _visible_unit(request: HttpRequest, unit_id: int) -> UnitKerja:
    unit = UnitKerja.objects.visible_to(request.user).filter(pk=unit_id).first()
    if unit is None:
        raise not_found(_("Unit"), unit_id)
    return unit


# --- performance year ---------------------------------------------------------------------


def _tahun_out(instansi_id: int, year: int, cadence: str) -> TahunOut:
    return TahunOut(
        instansi_id=instansi_id,
        year=year,
        cadence=cadence,
        periods=[
            PeriodeOut(number=p.number, label=p.label, start=p.start, end=p.end)
            for p in rules.periods(year, cadence)
        ],
    )


def _visible_instansi(request: HttpRequest, instansi_id: int) -> Instansi:
    instansi = Instansi.objects.visible_to(request.user).filter(pk=instansi_id).first()
    if instansi is None:
        raise not_found(_("Instansi"), instansi_id)
    return instansi


@router.put(
    "/tahun-kinerja/{instansi_id}/{year}",
    response=TahunOut,
    summary="Atur periode evaluasi tahun kinerja (admin)",
)
def tahun_put(
    request: HttpRequest,
    instansi_id: Id,
    payload: TahunIn,
    year: Year,
) -> Any:
    instansi = _visible_instansi(request, instansi_id)
    tahun = services.tahun_set_cadence(
        by=actor(request), instansi=instansi, year=year, cadence=payload.cadence
    )
    return _tahun_out(instansi.pk, year, tahun.cadence)


@router.get(
    "/tahun-kinerja/{instansi_id}/{year}/periode",
    response=TahunOut,
    summary="Periode evaluasi sebuah tahun kinerja",
)
def tahun_periode(
    request: HttpRequest,
    instansi_id: Id,
    year: Year,
) -> Any:
    instansi = _visible_instansi(request, instansi_id)
    tahun = TahunKinerja.objects.filter(instansi=instansi, year=year).first()
    cadence = tahun.cadence if tahun else TahunKinerja._meta.get_field("cadence").default
    return _tahun_out(instansi.pk, year, str(cadence))


# --- SKP list, create, detail ---------------------------------------------------------------


def skp_item(skp: Skp) -> SkpItem:
    return SkpItem(
        id=skp.pk,
        pegawai=PegawaiRef(
            id=skp.pegawai_id, nip=skp.pegawai.nip, display_name=skp.pegawai.display_name
        ),
        year=skp.year,
        jabatan=JabatanRef(id=skp.jabatan_id, name=skp.jabatan.name),
        status=skp.status,
        version=skp.version,
        is_current=skp.is_current,
        pendekatan=skp.pendekatan,
        rater_id=skp.rater_id,
        start_date=skp.start_date,
        end_date=skp.end_date,
    )


@router.get("/skp", response=SkpPage, summary="Daftar SKP: milik sendiri, tim, atau semua")
def skp_list(
    request: HttpRequest,
    year: Year | None = None,
    scope: Literal["mine", "team", "all"] = "mine",
    page: Page = 1,
    page_size: PageSize = 25,
) -> Any:
    me = access_for(request.user).pegawai_id
    qs = Skp.objects.visible_to(request.user)
    if scope == "all":
        qs = qs.order_by("-year", "unit_path", "pegawai__name", "-version")
    elif me is None:
        qs = qs.none()
    elif scope == "team":
        qs = qs.filter(rater_id=me, is_current=True).order_by(
            "-year", "pegawai__name", "start_date"
        )
    else:
        qs = qs.filter(pegawai_id=me).order_by("-year", "-start_date", "-version")
    if year is not None:
        qs = qs.filter(year=year)
    offset = (page - 1) * page_size
    rows = list(qs.select_related("pegawai", "jabatan")[offset : offset + page_size + 1])
    return SkpPage(
        items=[skp_item(s) for s in rows[:page_size]], page=page, has_next=len(rows) > page_size
    )


@router.post("/skp", response={201: SkpItem}, summary="Buat SKP (pegawai sendiri, atau admin)")
def skp_create(request: HttpRequest, payload: SkpIn) -> Any:
    pegawai_id = payload.pegawai_id or access_for(request.user).pegawai_id
    if pegawai_id is None:
        raise ServiceError(
            _("Akun ini tidak terhubung dengan pegawai; sebutkan pegawai_id."), field="pegawai_id"
        )
    pegawai = Pegawai.objects.visible_to(request.user).filter(pk=pegawai_id).first()
    if pegawai is None:
        raise not_found(_("Pegawai"), pegawai_id)
    skp = services.skp_create(
        by=actor(request),
        pegawai=pegawai,
        year=payload.year,
        pendekatan=payload.pendekatan,
        form_key=header_key(request),
    )
    return Status(201, skp_item(skp))


def _person(block: queries.PersonBlock | None) -> PersonOut | None:
    if block is None:
        return None
    return PersonOut(
        name=block.name,
        nip=block.nip,
        pangkat=block.pangkat,
        jabatan=block.jabatan,
        unit=block.unit,
    )


def skp_detail_out(request: HttpRequest, skp: Skp) -> SkpDetail:
    view = queries.skp_view(skp)
    skp = view.skp
    identity = _person(view.pegawai)
    assert identity is not None
    lampiran: dict[str, list[Any]] = {kind: [] for kind in JenisLampiran.values}
    for item in skp.lampiran.all():
        lampiran[item.kind].append(lampiran_out(item))
    me = access_for(request.user).pegawai_id
    return SkpDetail(
        **skp_item(skp).model_dump(),
        instansi_id=skp.instansi_id,
        instansi_name=view.instansi_name,
        is_jpt=view.is_jpt,
        editable=skp.editable and skp.is_current,
        return_note=skp.return_note,
        submitted_at=skp.submitted_at,
        approved_at=skp.approved_at,
        identity=identity,
        rater=_person(view.rater),
        utama=[_rhk(r) for r in view.utama],
        tambahan=[_rhk(r) for r in view.tambahan],
        perilaku=[
            PerilakuOut(
                code=p.value.code,
                name=p.value.name,
                guides=list(p.value.guides),
                ekspektasi=p.ekspektasi,
            )
            for p in view.perilaku
        ],
        lampiran=lampiran,
        versions=[
            VersionOut(id=v.pk, version=v.version, status=v.status, is_current=v.is_current)
            for v in view.versions
        ],
        problems=services.skp_problems(skp),
        can_edit=me is not None and me == skp.pegawai_id and skp.editable and skp.is_current,
        can_rate=me is not None and me == skp.rater_id,
    )


def _rhk(view: queries.RhkView) -> Any:
    return rhk_out(
        view.rhk,
        number=view.number,
        ikis=view.ikis,
        parent_text=view.parent_text,
        owner=view.parent_owner,
    )


@router.get("/skp/{skp_id}", response=SkpDetail, summary="SKP lengkap (seperti dokumen resmi)")
def skp_detail(request: HttpRequest, skp_id: Id) -> Any:
    return skp_detail_out(request, readable_skp(request, skp_id))


@router.patch("/skp/{skp_id}", response=SkpItem, summary="Ubah pendekatan SKP (pemilik)")
def skp_update(request: HttpRequest, skp_id: Id, payload: SkpPatch) -> Any:
    skp = readable_skp(request, skp_id)
    return skp_item(
        services.skp_set_pendekatan(by=actor(request), skp=skp, pendekatan=payload.pendekatan)
    )


# --- workflow -------------------------------------------------------------------------------


@router.post("/skp/{skp_id}/submit", response=SkpItem, summary="Ajukan SKP ke penilai")
def skp_submit(request: HttpRequest, skp_id: Id) -> Any:
    skp = readable_skp(request, skp_id)
    return skp_item(services.skp_submit(by=actor(request), skp=skp))


@router.post("/skp/{skp_id}/return", response=SkpItem, summary="Kembalikan SKP (penilai)")
def skp_return(request: HttpRequest, skp_id: Id, payload: ReturnIn) -> Any:
    skp = readable_skp(request, skp_id)
    return skp_item(services.skp_return(by=actor(request), skp=skp, note=payload.note))


@router.post("/skp/{skp_id}/approve", response=SkpItem, summary="Setujui SKP (penilai)")
def skp_approve(request: HttpRequest, skp_id: Id) -> Any:
    skp = readable_skp(request, skp_id)
    return skp_item(services.skp_approve(by=actor(request), skp=skp))


@router.post(
    "/skp/{skp_id}/revise",
    response={201: SkpItem},
    summary="Perubahan SKP: versi baru dari SKP yang disetujui",
)
def skp_revise(request: HttpRequest, skp_id: Id) -> Any:
    skp = readable_skp(request, skp_id)
    new = services.skp_revise(by=actor(request), skp=skp, form_key=header_key(request))
    return Status(201, skp_item(Skp.objects.select_related("pegawai", "jabatan").get(pk=new.pk)))


# --- pohon kinerja and status board ---------------------------------------------------------


def _node(node: queries.PohonNode) -> PohonNodeOut:
    return PohonNodeOut(
        rhk_id=node.rhk_id,
        text=node.text,
        jenis=node.jenis,
        owner_id=node.owner_id,
        owner_name=node.owner_name,
        jabatan=node.jabatan,
        status=node.status,
        orphan=node.orphan,
        uncovered=node.uncovered,
        children=[_node(c) for c in node.children],
    )


def _count(nodes: list[PohonNodeOut]) -> int:
    return sum(1 + _count(n.children) for n in nodes)


@router.get("/pohon-kinerja", response=PohonOut, summary="Pohon kinerja (keselarasan RHK) unit")
def pohon_kinerja(
    request: HttpRequest,
    unit_id: Id,
    year: Year | None = None,
) -> Any:
    unit = _visible_unit(request, unit_id)
    pohon = queries.pohon_kinerja(request.user, unit, year or queries.current_year())
    roots = [_node(n) for n in pohon.roots]
    orphans = [_node(n) for n in pohon.orphans]
    return PohonOut(
        unit_id=unit.pk,
        unit_name=unit.name,
        year=pohon.year,
        roots=roots,
        orphans=orphans,
        counts=PohonCounts(
            skp=pohon.skp_count,
            rhk=_count(roots) + _count(orphans),
            orphans=len(orphans),
            uncovered=pohon.uncovered_count,
        ),
    )


def _may_see_status(user: object, unit: UnitKerja) -> bool:
    """Pimpinan of the unit or of an ancestor, admin, auditor, superadmin."""
    access = access_for(user)
    if access.can_audit_instansi(unit.instansi_id):
        return True
    return unit.instansi_id == access.home_instansi_id and any(
        unit.path.startswith(path) for path in access.headed_unit_paths
    )


_COUNTS = ("pegawai", "tanpa_skp", "draf", "diajukan", "dikembalikan", "disetujui")


@router.get(
    "/status-skp",
    response=StatusBoardOut,
    summary="Status SKP per unit (pimpinan, admin, auditor)",
)
def status_skp(
    request: HttpRequest,
    unit_id: Id,
    year: Year | None = None,
) -> Any:
    unit = _visible_unit(request, unit_id)
    if not _may_see_status(request.user, unit):
        raise Refused(_("Status SKP unit ini hanya untuk pimpinan unit, admin, dan auditor."))
    year = year or queries.current_year()
    rows = queries.status_board(request.user, unit, year)
    return StatusBoardOut(
        unit_id=unit.pk,
        unit_name=unit.name,
        year=year,
        rows=[StatusRowOut(**vars(r)) for r in rows],
        total=StatusCounts(**{k: sum(getattr(r, k) for r in rows) for k in _COUNTS}),
    )
