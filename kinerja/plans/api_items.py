"""JSON API for the parts of an SKP: RHK, IKI, ekspektasi, lampiran, cascading; and the fetch
helpers both SKP routers use.

Every object comes from what the caller may read (`Skp.objects.visible_to`, or the rater's
superiors through `queries.can_read_chain`); anything else is a 404, so existence is never
revealed. The services decide who may change what (403) and which rule refuses (400/409).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from kinerja.accounts.models import User
from kinerja.core.errors import NotFound
from kinerja.core.formkeys import header_key
from kinerja.core.params import CoreValue, Id
from kinerja.org.models import Pegawai

from . import queries, services
from .berakhlak import core_value as berakhlak_value
from .models import Iki, Lampiran, Rhk, Skp
from .schemas import (
    CascadeIn,
    CascadeOut,
    EkspektasiIn,
    EkspektasiOut,
    IkiIn,
    IkiOut,
    IkiPatch,
    LampiranIn,
    LampiranOut,
    LinkableRhkOut,
    ParentRhkOut,
    RhkIn,
    RhkOut,
    RhkPatch,
)

# Mounted inside kinerja.plans.api.router, whose tag ("SKP") it inherits.
router = Router()


# --- fetch helpers ------------------------------------------------------------------------


def actor(request: HttpRequest) -> User:
    """The authenticated user (every endpoint here requires authentication)."""
    return cast(User, request.user)


def not_found(label: str, pk: int) -> NotFound:
    return NotFound(_("%(label)s dengan id %(pk)s tidak ditemukan.") % {"label": label, "pk": pk})


def can_read(user: object, skp: Skp) -> bool:
    """The one read rule of the SKP API: `visible_to`, or a superior in the rater chain."""
    return Skp.objects.visible_to(user).filter(pk=skp.pk).exists() or queries.can_read_chain(
        user, skp
    )


def readable_skp(request: HttpRequest, skp_id: int) -> Skp:
    skp = Skp.objects.select_related("pegawai", "jabatan").filter(pk=skp_id).first()
    if skp is None or not can_read(request.user, skp):
        raise not_found(_("SKP"), skp_id)
    return skp


def _readable_part[M: Model](request: HttpRequest, found: M | None, skp: Skp | None) -> M:
    if found is None or skp is None or not can_read(request.user, skp):
        raise NotFound(_("Data tidak ditemukan."))
    return found


def readable_rhk(request: HttpRequest, rhk_id: int) -> Rhk:
    rhk = Rhk.objects.select_related("skp").filter(pk=rhk_id).first()
    try:
        return _readable_part(request, rhk, rhk.skp if rhk else None)
    except NotFound:
        raise not_found(_("RHK"), rhk_id) from None


def _parent_for(request: HttpRequest, skp: Skp, parent_id: int | None) -> Rhk | None:
    """The RHK to intervene: one the caller may read, or any RHK of the SKP's rater (the
    service then says why a wrong one is refused: not the rater's, another year, old version)."""
    if parent_id is None:
        return None
    parent = Rhk.objects.select_related("skp").filter(pk=parent_id).first()
    if parent is None or not (
        (skp.rater_id is not None and parent.skp.pegawai_id == skp.rater_id)
        or can_read(request.user, parent.skp)
    ):
        raise not_found(_("RHK pimpinan"), parent_id)
    return parent


# --- output shapes ------------------------------------------------------------------------


CENTS = Decimal("0.01")


def _amount(value: Decimal | None) -> Decimal | None:
    """As stored (2 decimals), also for an instance that was just saved from input."""
    return None if value is None else value.quantize(CENTS)


def iki_out(iki: Iki) -> IkiOut:
    return IkiOut(
        id=iki.pk,
        rhk_id=iki.rhk_id,
        text=iki.text,
        aspek=iki.aspek,
        target_value=_amount(iki.target_value),
        target_unit=iki.target_unit,
        target_narrative=iki.target_narrative,
        target_display=iki.target_display,
        baseline=_amount(iki.baseline),
        direction=iki.direction,
        perspektif=iki.perspektif,
        order=iki.order,
    )


def rhk_out(
    rhk: Rhk, *, number: int, ikis: list[Iki], parent_text: str | None, owner: str | None
) -> RhkOut:
    return RhkOut(
        id=rhk.pk,
        skp_id=rhk.skp_id,
        number=number,
        jenis=rhk.jenis,
        text=rhk.text,
        order=rhk.order,
        source=rhk.source,
        parent=None
        if rhk.parent_id is None
        else ParentRhkOut(id=rhk.parent_id, text=parent_text or "", owner=owner),
        ikis=[iki_out(i) for i in ikis],
    )


def _rhk_out(rhk_id: int) -> RhkOut:
    """One RHK as GET /skp/{id} shows it (number within its jenis)."""
    rhk = Rhk.objects.select_related("parent__skp__pegawai").get(pk=rhk_id)
    siblings = list(
        Rhk.objects.filter(skp_id=rhk.skp_id, jenis=rhk.jenis)
        .order_by("order", "id")
        .values_list("id", flat=True)
    )
    parent = rhk.parent
    return rhk_out(
        rhk,
        number=siblings.index(rhk.pk) + 1,
        ikis=list(rhk.iki.all()),
        parent_text=parent.text if parent else None,
        owner=parent.skp.pegawai.display_name if parent else None,
    )


def lampiran_out(item: Lampiran) -> LampiranOut:
    return LampiranOut(id=item.pk, kind=item.kind, text=item.text, order=item.order)


# --- RHK ----------------------------------------------------------------------------------


@router.post("/skp/{skp_id}/rhk", response={201: RhkOut}, summary="Tambah RHK (pemilik SKP)")
def rhk_create(request: HttpRequest, skp_id: Id, payload: RhkIn) -> Any:
    skp = readable_skp(request, skp_id)
    rhk = services.rhk_save(
        by=actor(request),
        skp=skp,
        jenis=payload.jenis,
        text=payload.text,
        parent=_parent_for(request, skp, payload.parent_id),
        source=payload.source,
        form_key=header_key(request),
    )
    return Status(201, _rhk_out(rhk.pk))


@router.patch("/rhk/{rhk_id}", response=RhkOut, summary="Ubah RHK (pemilik SKP)")
def rhk_update(request: HttpRequest, rhk_id: Id, payload: RhkPatch) -> Any:
    rhk = readable_rhk(request, rhk_id)
    sent = payload.model_fields_set
    parent = _parent_for(request, rhk.skp, payload.parent_id) if "parent_id" in sent else rhk.parent
    services.rhk_save(
        by=actor(request),
        skp=rhk.skp,
        jenis=payload.jenis or rhk.jenis,
        text=payload.text if payload.text is not None else rhk.text,
        parent=parent,
        source=payload.source if payload.source is not None else rhk.source,
        rhk=rhk,
    )
    return _rhk_out(rhk.pk)


@router.delete("/rhk/{rhk_id}", response={204: None}, summary="Hapus RHK (pemilik SKP)")
def rhk_delete(request: HttpRequest, rhk_id: Id) -> Any:
    services.rhk_delete(by=actor(request), rhk=readable_rhk(request, rhk_id))
    return Status(204, None)


@router.get(
    "/skp/{skp_id}/linkable-rhk",
    response=list[LinkableRhkOut],
    summary="RHK pimpinan yang dapat diintervensi SKP ini",
)
def linkable_rhk(request: HttpRequest, skp_id: Id) -> Any:
    skp = readable_skp(request, skp_id)
    return [
        LinkableRhkOut(id=r.pk, skp_id=r.skp_id, jenis=r.jenis, text=r.text)
        for r in queries.linkable_rhks(skp)
    ]


@router.post(
    "/rhk/{rhk_id}/cascade",
    response={201: list[CascadeOut]},
    summary="Turunkan RHK ke bawahan (matriks peran hasil)",
)
def rhk_cascade(request: HttpRequest, rhk_id: Id, payload: CascadeIn) -> Any:
    rhk = readable_rhk(request, rhk_id)
    wanted = [a.pegawai_id for a in payload.assignments]
    people = Pegawai.objects.visible_to(request.user).in_bulk(wanted)
    for pegawai_id in wanted:
        if pegawai_id not in people:
            raise not_found(_("Pegawai"), pegawai_id)
    created = services.rhk_cascade(
        by=actor(request),
        rhk=rhk,
        assignments=[(people[a.pegawai_id], a.text) for a in payload.assignments],
        form_key=header_key(request),
    )
    return Status(
        201,
        [
            CascadeOut(id=c.pk, skp_id=c.skp_id, pegawai_id=c.skp.pegawai_id, text=c.text)
            for c in created
        ],
    )


# --- IKI ----------------------------------------------------------------------------------


@router.post("/rhk/{rhk_id}/iki", response={201: IkiOut}, summary="Tambah IKI (pemilik SKP)")
def iki_create(request: HttpRequest, rhk_id: Id, payload: IkiIn) -> Any:
    rhk = readable_rhk(request, rhk_id)
    iki = services.iki_save(
        by=actor(request), rhk=rhk, values=payload.model_dump(), form_key=header_key(request)
    )
    return Status(201, iki_out(iki))


def _readable_iki(request: HttpRequest, iki_id: int) -> Iki:
    iki = Iki.objects.select_related("rhk__skp").filter(pk=iki_id).first()
    try:
        return _readable_part(request, iki, iki.rhk.skp if iki else None)
    except NotFound:
        raise not_found(_("IKI"), iki_id) from None


@router.patch("/iki/{iki_id}", response=IkiOut, summary="Ubah IKI (pemilik SKP)")
def iki_update(request: HttpRequest, iki_id: Id, payload: IkiPatch) -> Any:
    iki = _readable_iki(request, iki_id)
    values = payload.model_dump(exclude_unset=True)
    iki = services.iki_save(by=actor(request), rhk=iki.rhk, values=values, iki=iki)
    return iki_out(iki)


@router.delete("/iki/{iki_id}", response={204: None}, summary="Hapus IKI (pemilik SKP)")
def iki_delete(request: HttpRequest, iki_id: Id) -> Any:
    services.iki_delete(by=actor(request), iki=_readable_iki(request, iki_id))
    return Status(204, None)


# --- perilaku and lampiran ----------------------------------------------------------------


@router.put(
    "/skp/{skp_id}/ekspektasi/{core_value}",
    response=EkspektasiOut,
    summary="Ekspektasi Khusus Pimpinan untuk satu nilai BerAKHLAK (penilai; kosong = hapus)",
)
def ekspektasi_put(
    request: HttpRequest, skp_id: Id, core_value: CoreValue, payload: EkspektasiIn
) -> Any:
    skp = readable_skp(request, skp_id)
    item = services.ekspektasi_set(
        by=actor(request), skp=skp, core_value=core_value, text=payload.text
    )
    return EkspektasiOut(
        skp_id=skp.pk,
        core_value=core_value,
        name=berakhlak_value(core_value).name,
        text=item.text if item else "",
    )


@router.post(
    "/skp/{skp_id}/lampiran", response={201: LampiranOut}, summary="Tambah isi lampiran SKP"
)
def lampiran_create(request: HttpRequest, skp_id: Id, payload: LampiranIn) -> Any:
    skp = readable_skp(request, skp_id)
    item = services.lampiran_add(
        by=actor(request),
        skp=skp,
        kind=payload.kind,
        text=payload.text,
        form_key=header_key(request),
    )
    return Status(201, lampiran_out(item))


@router.delete("/lampiran/{lampiran_id}", response={204: None}, summary="Hapus isi lampiran SKP")
def lampiran_delete(request: HttpRequest, lampiran_id: Id) -> Any:
    item = Lampiran.objects.select_related("skp").filter(pk=lampiran_id).first()
    try:
        found = _readable_part(request, item, item.skp if item else None)
    except NotFound:
        raise not_found(_("Lampiran"), lampiran_id) from None
    services.lampiran_delete(by=actor(request), lampiran=found)
    return Status(204, None)
