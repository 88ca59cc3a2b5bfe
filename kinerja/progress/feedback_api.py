"""JSON API of umpan balik berkelanjutan and dialog kinerja. An SKP is reachable when the caller
may read it (`Skp.objects.visible_to`, or a superior in the rater chain); otherwise 404. The
services decide who may write (403)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal, cast

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from kinerja.core.errors import Conflict, NotFound
from kinerja.core.formkeys import header_key
from kinerja.core.params import Id
from kinerja.org.models import Pegawai
from kinerja.plans.api_items import actor, can_read, not_found, readable_skp
from kinerja.plans.models import Rhk, Skp

from . import feedback_services as services
from . import queries
from .feedback_models import DialogKinerja, TindakLanjut, UmpanBalik
from .models import Realisasi
from .schemas import In  # extra="forbid": an unknown field is a 422

router = Router(tags=["Umpan balik dan dialog kinerja"])


class AuthorOut(Schema):
    id: int
    name: str


class UmpanBalikOut(Schema):
    id: int
    period: int
    target_kind: str
    realisasi_id: int | None
    rhk_id: int | None
    core_value: int | None
    parent_id: int | None
    author: AuthorOut
    text: str
    created_at: datetime


class ThreadOut(UmpanBalikOut):
    replies: list[UmpanBalikOut]


class UmpanBalikIn(In):
    period: int | None = Field(None, ge=1, le=12)
    target_kind: Literal["REALISASI", "RHK", "PERILAKU"] | None = None
    realisasi_id: Id | None = None
    rhk_id: Id | None = None
    core_value: int | None = Field(None, ge=1, le=7)
    parent_id: Id | None = None
    text: str = Field(..., max_length=services.TEXT_MAX)


class DialogTindakLanjutIn(In):
    text: str = Field(..., max_length=services.TEXT_MAX)
    due_date: date
    owner_id: Id | None = None


class DialogTindakLanjutOut(Schema):
    id: int
    dialog_id: int
    text: str
    owner: AuthorOut
    due_date: date
    done_at: datetime | None


class DialogIn(In):
    period: int = Field(..., ge=1, le=12)
    held_on: date
    notes: str = Field(..., max_length=services.TEXT_MAX)
    follow_ups: list[DialogTindakLanjutIn] = Field(default_factory=list, max_length=50)


class DialogOut(Schema):
    id: int
    skp_id: int
    period: int
    held_on: date
    notes: str
    created_by: AuthorOut
    created_at: datetime
    tindak_lanjut: list[DialogTindakLanjutOut]


def _person(p: Pegawai) -> AuthorOut:
    return AuthorOut(id=p.pk, name=p.display_name)


def _item(u: UmpanBalik) -> UmpanBalikOut:
    return UmpanBalikOut(
        id=u.pk, period=u.period, target_kind=u.target_kind, realisasi_id=u.realisasi_id,
        rhk_id=u.rhk_id, core_value=u.core_value, parent_id=u.parent_id,
        author=_person(u.author), text=u.text, created_at=u.created_at,
    )  # fmt: skip


def _thread(u: UmpanBalik) -> ThreadOut:
    return ThreadOut(
        **_item(u).model_dump(exclude={"author"}),
        author=_person(u.author),
        replies=[_item(r) for r in u.replies.all()],
    )


def _tindak_lanjut(t: TindakLanjut) -> DialogTindakLanjutOut:
    return DialogTindakLanjutOut(
        id=t.pk, dialog_id=t.dialog_id, text=t.text, owner=_person(t.owner),
        due_date=t.due_date, done_at=t.done_at,
    )  # fmt: skip


def _dialog(d: DialogKinerja) -> DialogOut:
    return DialogOut(
        id=d.pk, skp_id=d.skp_id, period=d.period, held_on=d.held_on, notes=d.notes,
        created_by=_person(d.created_by), created_at=d.created_at,
        tindak_lanjut=[_tindak_lanjut(t) for t in d.tindak_lanjut.all()],
    )  # fmt: skip


@router.get(
    "/skp/{skp_id}/umpan-balik",
    response=list[ThreadOut],
    summary="Umpan balik berkelanjutan sebuah SKP, per utas",
)
def umpan_balik_list(
    request: HttpRequest,
    skp_id: Id,
    period: int | None = Query(None, ge=1, le=12),  # type: ignore[type-arg]
) -> Any:
    skp = readable_skp(request, skp_id)
    threads = UmpanBalik.objects.filter(skp=skp, parent__isnull=True)
    if period is not None:
        services.check_period(skp, period)  # a period the SKP's year has (400 otherwise)
        threads = threads.filter(period=period)
    threads = threads.select_related("author").prefetch_related(
        Prefetch("replies", UmpanBalik.objects.select_related("author"))
    )
    return [_thread(t) for t in threads]


def _part[M: Realisasi | Rhk | UmpanBalik](model: type[M], pk: int | None, skp: Skp) -> M | None:
    if pk is None:
        return None
    # One read over the plan's versions: a row moved by a perubahan SKP (same id) is named with
    # the version holding it; an RHK is copied to a new version, never moved.
    found = queries.on_plan(cast(QuerySet[M], model._default_manager.all()), skp, pk=pk)
    if found is not None and found[1] != skp.pk and model is not Rhk:
        raise Conflict(
            _("%(verbose_name)s dengan id %(pk)s sudah pindah ke versi SKP yang berlaku "
              "(SKP %(skp)s); kirim ke SKP itu.")
            % {"verbose_name": capfirst(model._meta.verbose_name), "pk": pk, "skp": found[1]}
        )  # fmt: skip
    if found is None or found[1] != skp.pk:
        raise NotFound(
            _("%(verbose_name)s dengan id %(pk)s tidak ditemukan pada SKP ini.")
            % {"verbose_name": capfirst(model._meta.verbose_name), "pk": pk}
        )
    return found[0]


@router.post(
    "/skp/{skp_id}/umpan-balik",
    response={201: ThreadOut},
    summary="Beri umpan balik (pejabat penilai) atau balas (pemilik SKP)",
)
def umpan_balik_create(request: HttpRequest, skp_id: Id, payload: UmpanBalikIn) -> Any:
    skp = readable_skp(request, skp_id)
    item = services.umpan_balik_add(
        by=actor(request),
        skp=skp,
        text=payload.text,
        period=payload.period,
        target_kind=payload.target_kind,
        realisasi=_part(Realisasi, payload.realisasi_id, skp),
        rhk=_part(Rhk, payload.rhk_id, skp),
        core_value=payload.core_value,
        parent=_part(UmpanBalik, payload.parent_id, skp),
        form_key=header_key(request),
    )
    return Status(201, ThreadOut(**_item(item).model_dump(), replies=[]))


def _dialogs(skp: Skp) -> Any:
    return (
        DialogKinerja.objects.filter(skp=skp)
        .select_related("created_by")
        .prefetch_related(Prefetch("tindak_lanjut", TindakLanjut.objects.select_related("owner")))
    )


@router.get("/skp/{skp_id}/dialog", response=list[DialogOut], summary="Dialog kinerja sebuah SKP")
def dialog_list(
    request: HttpRequest,
    skp_id: Id,
    period: int | None = Query(None, ge=1, le=12),  # type: ignore[type-arg]
) -> Any:
    skp = readable_skp(request, skp_id)
    dialogs = _dialogs(skp)
    if period is not None:
        services.check_period(skp, period)  # a period the SKP's year has (400 otherwise)
        dialogs = dialogs.filter(period=period)
    return [_dialog(d) for d in dialogs]


@router.post(
    "/skp/{skp_id}/dialog",
    response={201: DialogOut},
    summary="Catat dialog kinerja dengan tindak lanjutnya (pejabat penilai)",
)
def dialog_create(request: HttpRequest, skp_id: Id, payload: DialogIn) -> Any:
    skp = readable_skp(request, skp_id)
    # An unknown owner_id is refused by the service like any other owner who is not allowed
    # (400 naming follow_ups.N.owner_id): whether the id exists elsewhere is not told.
    follow_ups = [
        services.FollowUp(text=f.text, due_date=f.due_date, owner_id=f.owner_id)
        for f in payload.follow_ups
    ]
    dialog = services.dialog_kinerja_add(
        by=actor(request),
        skp=skp,
        period=payload.period,
        held_on=payload.held_on,
        notes=payload.notes,
        follow_ups=follow_ups,
        form_key=header_key(request),
    )
    return Status(201, _dialog(_dialogs(skp).get(pk=dialog.pk)))


@router.post(
    "/tindak-lanjut/{tindak_lanjut_id}/done",
    response=DialogTindakLanjutOut,
    summary="Tandai tindak lanjut selesai (penanggung jawab atau pejabat penilai)",
)
def tindak_lanjut_done(request: HttpRequest, tindak_lanjut_id: Id) -> Any:
    item = (
        TindakLanjut.objects.select_related("dialog__skp", "owner")
        .filter(pk=tindak_lanjut_id)
        .first()
    )
    if item is None or not can_read(request.user, item.dialog.skp):
        raise not_found(_("Tindak lanjut"), tindak_lanjut_id)
    done = services.tindak_lanjut_done(by=actor(request), tindak_lanjut=item)
    item.done_at = done.done_at
    return _tindak_lanjut(item)
