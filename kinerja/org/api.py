"""JSON API for organisation data: the same queries and services as the pages."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from kinerja.accounts.models import User
from kinerja.core.errors import NotFound, ServiceError
from kinerja.core.params import Id, Page, PageSize

from . import queries, services
from .access import access_for
from .models import Instansi, Jabatan, Pegawai, UnitKerja
from .schemas import (
    DelegasiIn,
    DelegasiOut,
    InstansiOut,
    JabatanIn,
    JabatanOut,
    MeOut,
    PegawaiIn,
    PegawaiOut,
    PegawaiPage,
    PegawaiPatch,
    PegawaiRow,
    PejabatPenilaiOut,
    PenempatanIn,
    PenempatanOut,
    UnitIn,
    UnitOut,
    UnitPatch,
    UnitTreeOut,
)

router = Router(tags=["organisasi"])


def actor(request: HttpRequest) -> User:
    """The authenticated user (every endpoint here requires authentication)."""
    return cast(User, request.user)


def _visible(qs: Any, pk: int | None, label: str) -> Any:
    if pk is None:
        return None
    found = qs.filter(pk=pk).first()
    if found is None:
        raise NotFound(
            _("%(label)s dengan id %(pk)s tidak ditemukan.") % {"label": label, "pk": pk}
        )
    return found


@router.get("/me", response=MeOut, summary="Akun yang sedang login dan perannya")
def me(request: HttpRequest) -> dict[str, Any]:
    access = access_for(request.user)
    user: Any = request.user
    return {
        "user_id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "roles": access.role_labels,
        "pegawai_id": access.pegawai_id,
        "instansi_ids": sorted(access.instansi_ids),
    }


@router.get("/instansi", response=list[InstansiOut], summary="Instansi yang terlihat")
def instansi_list(request: HttpRequest) -> Any:
    return Instansi.objects.visible_to(request.user)


@router.get("/units", response=list[UnitTreeOut], summary="Anak sebuah unit, atau unit akar")
def unit_list(
    request: HttpRequest, parent_id: Id | None = None, instansi_id: Id | None = None
) -> Any:
    parent = _visible(UnitKerja.objects.visible_to(request.user), parent_id, _("Unit"))
    return queries.unit_children(request.user, parent, instansi_id)


@router.get("/units/{unit_id}", response=UnitOut, summary="Satu unit kerja")
def unit_detail(request: HttpRequest, unit_id: Id) -> Any:
    return _visible(UnitKerja.objects.visible_to(request.user), unit_id, _("Unit"))


@router.post("/units", response={201: UnitOut}, summary="Tambah unit kerja (admin)")
def unit_create(request: HttpRequest, payload: UnitIn) -> Any:
    instansi = _visible(
        Instansi.objects.visible_to(request.user), payload.instansi_id, _("Instansi")
    )
    parent = _visible(
        UnitKerja.objects.visible_to(request.user), payload.parent_id, _("Unit induk")
    )
    unit = services.unit_save(
        by=actor(request),
        instansi=instansi,
        code=payload.code,
        name=payload.name,
        kind=payload.kind,
        parent=parent,
    )
    return Status(201, unit)


@router.patch("/units/{unit_id}", response=UnitOut, summary="Ubah atau pindahkan unit (admin)")
def unit_update(request: HttpRequest, unit_id: Id, payload: UnitPatch) -> Any:
    visible = UnitKerja.objects.visible_to(request.user)
    unit = _visible(visible.select_related("instansi"), unit_id, _("Unit"))
    if payload.move_to_root:
        parent = None
    elif payload.parent_id is not None:
        parent = _visible(visible, payload.parent_id, _("Unit induk"))
    else:
        parent = unit.parent
    return services.unit_save(
        by=actor(request),
        instansi=unit.instansi,
        code=payload.code or unit.code,
        name=payload.name or unit.name,
        kind=payload.kind or unit.kind,
        parent=parent,
        unit=unit,
    )


@router.get("/jabatan", response=list[JabatanOut], summary="Jabatan di sebuah unit")
def jabatan_list(request: HttpRequest, unit_id: Id) -> Any:
    unit = _visible(UnitKerja.objects.visible_to(request.user), unit_id, _("Unit"))
    return queries.unit_jabatan(unit)


@router.post("/jabatan", response={201: JabatanOut}, summary="Tambah jabatan (admin)")
def jabatan_create(request: HttpRequest, payload: JabatanIn) -> Any:
    unit = _visible(UnitKerja.objects.visible_to(request.user), payload.unit_id, _("Unit"))
    parent = _visible(
        Jabatan.objects.visible_to(request.user), payload.parent_id, _("Atasan jabatan")
    )
    jabatan = services.jabatan_save(
        by=actor(request),
        unit=unit,
        code=payload.code,
        name=payload.name,
        jenis=payload.jenis,
        parent=parent,
        is_unit_head=payload.is_unit_head,
    )
    return Status(201, jabatan)


def _row(r: dict[str, Any]) -> PegawaiRow:
    from .rules import display_name

    return PegawaiRow(
        id=r["id"],
        nip=r["nip"],
        name=r["name"],
        display_name=display_name(r["name"], r["front_title"], r["back_title"]),
        jenis_asn=r["jenis_asn"],
        pangkat_golongan=r["pangkat_golongan"],
        jabatan_id=None,
        jabatan_name=r["jabatan__name"],
        unit_id=r["jabatan__unit_id"],
        unit_name=r["jabatan__unit__name"],
    )


@router.get("/pegawai", response=PegawaiPage, summary="Cari pegawai (nama atau awalan NIP)")
def pegawai_list(
    request: HttpRequest,
    q: str = "",
    unit_id: Id | None = None,
    page: Page = 1,
    page_size: PageSize = 25,
) -> Any:
    unit = _visible(UnitKerja.objects.visible_to(request.user), unit_id, _("Unit"))
    result = queries.directory_page(
        request.user, query=q[:100], unit=unit, page=page, page_size=page_size
    )
    return {
        "items": [_row(r) for r in result.rows],
        "page": result.page,
        "has_next": result.has_next,
    }


def _pegawai_out(request: HttpRequest, pegawai: Pegawai) -> dict[str, Any]:
    prof = queries.profile(request.user, pegawai)
    rater = prof.rater
    out: dict[str, Any] = {
        "id": pegawai.pk,
        "instansi_id": pegawai.instansi_id,
        "nip": pegawai.nip,
        "name": pegawai.name,
        "display_name": pegawai.display_name,
        "front_title": pegawai.front_title,
        "back_title": pegawai.back_title,
        "jenis_asn": pegawai.jenis_asn,
        "pangkat_golongan": pegawai.pangkat_golongan,
        "gender": pegawai.gender,
        "jabatan_id": pegawai.jabatan_id,
        "jabatan_name": pegawai.jabatan.name if pegawai.jabatan else None,
        "unit_id": pegawai.jabatan.unit_id if pegawai.jabatan else None,
        "unit_name": pegawai.jabatan.unit.name if pegawai.jabatan else None,
        "rater": None
        if rater is None
        else PejabatPenilaiOut(
            id=rater.pk,
            nip=rater.nip,
            display_name=rater.display_name,
            jabatan_name=rater.jabatan.name if rater.jabatan else None,
        ),
        "private": prof.private,
    }
    if prof.private:
        out |= {
            "email": pegawai.email,
            "phone": pegawai.phone,
            "birth_date": pegawai.birth_date,
            "history": [
                PenempatanOut(
                    id=h.pk,
                    jabatan_id=h.jabatan_id,
                    jabatan_name=h.jabatan.name,
                    kind=h.kind,
                    start_date=h.start_date,
                    end_date=h.end_date,
                )
                for h in prof.history
            ],
        }
    return out


@router.get("/pegawai/{pegawai_id}", response=PegawaiOut, summary="Profil pegawai")
def pegawai_detail(request: HttpRequest, pegawai_id: Id) -> Any:
    pegawai = _visible(queries.pegawai_detail_qs(request.user), pegawai_id, _("Pegawai"))
    return _pegawai_out(request, pegawai)


@router.post("/pegawai", response={201: PegawaiOut}, summary="Tambah pegawai (admin)")
def pegawai_create(request: HttpRequest, payload: PegawaiIn) -> Any:
    instansi = _visible(
        Instansi.objects.visible_to(request.user), payload.instansi_id, _("Instansi")
    )
    values = payload.dict(exclude={"instansi_id"})
    pegawai = services.pegawai_save(by=actor(request), instansi=instansi, values=values)
    return Status(
        201, _pegawai_out(request, queries.pegawai_detail_qs(request.user).get(pk=pegawai.pk))
    )


@router.patch("/pegawai/{pegawai_id}", response=PegawaiOut, summary="Ubah data pegawai (admin)")
def pegawai_update(request: HttpRequest, pegawai_id: Id, payload: PegawaiPatch) -> Any:
    pegawai = _visible(queries.pegawai_detail_qs(request.user), pegawai_id, _("Pegawai"))
    values = {k: v for k, v in payload.dict().items() if v is not None}
    services.pegawai_save(
        by=actor(request), instansi=pegawai.instansi, values=values, pegawai=pegawai
    )
    return _pegawai_out(request, queries.pegawai_detail_qs(request.user).get(pk=pegawai.pk))


@router.post(
    "/pegawai/{pegawai_id}/penempatan",
    response={201: PenempatanOut},
    summary="Tempatkan pegawai di jabatan (mutasi, Plt, Plh) (admin)",
)
def penempatan_create(request: HttpRequest, pegawai_id: Id, payload: PenempatanIn) -> Any:
    pegawai = _visible(queries.pegawai_detail_qs(request.user), pegawai_id, _("Pegawai"))
    jabatan = _visible(Jabatan.objects.visible_to(request.user), payload.jabatan_id, _("Jabatan"))
    if payload.kind not in {"DEFINITIF", "PLT", "PLH"}:
        raise ServiceError(_("Jenis penempatan harus DEFINITIF, PLT, atau PLH."), field="kind")
    placed = services.penempatan_assign(
        by=actor(request),
        pegawai=pegawai,
        jabatan=jabatan,
        start_date=payload.start_date,
        kind=payload.kind,
        reference=payload.reference,
    )
    return Status(
        201,
        PenempatanOut(
            id=placed.pk,
            jabatan_id=jabatan.pk,
            jabatan_name=jabatan.name,
            kind=placed.kind,
            start_date=placed.start_date,
            end_date=placed.end_date,
        ),
    )


@router.post("/delegasi-penilai", response={201: DelegasiOut}, summary="Delegasi pejabat penilai")
def delegasi_create(request: HttpRequest, payload: DelegasiIn) -> Any:
    visible = Pegawai.objects.visible_to(request.user)
    pegawai = _visible(visible, payload.pegawai_id, _("Pegawai"))
    rater = _visible(visible, payload.rater_id, _("Pejabat penilai"))
    delegasi = services.delegasi_create(
        by=actor(request),
        pegawai=pegawai,
        rater=rater,
        start_date=payload.start_date,
        end_date=payload.end_date,
        reason=payload.reason,
    )
    return Status(201, delegasi)
