"""JSON API of keberatan. An evaluation is reachable when the caller may read it
(`Evaluasi.objects.visible_to`), a keberatan to decide only by its decider; anything else is a
404. The services decide who may write (403) and which rule refuses (400/409)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from kinerja.core.errors import NotFound
from kinerja.core.formkeys import header_key
from kinerja.core.params import Id, In
from kinerja.org.access import access_for
from kinerja.plans.api_items import actor

from . import services_keberatan as services
from .guards import is_rated
from .models import Evaluasi, Keberatan
from .queries import shown_to_pegawai

router = Router(tags=["Keberatan"])

RatingCode = Literal["DI_ATAS", "SESUAI", "DI_BAWAH", ""]


class KeberatanOut(Schema):
    id: int
    evaluasi_id: int
    pegawai_id: int
    decider_id: int
    status: str
    reason: str
    filed_at: datetime
    predikat_before: str
    penjelasan_pegawai: str
    penjelasan_penilai: str
    new_rating_hasil: str
    new_rating_perilaku: str
    predikat_after: str
    decision_reason: str
    decided_at: datetime | None


class WindowOut(Schema):
    evaluasi_id: int
    predikat: str
    issued_on: date | None
    deadline: date | None
    may_file: bool
    keberatan: KeberatanOut | None


class FileIn(In):
    reason: str = Field(..., max_length=services.TEXT_MAX)


class ExplainIn(In):
    penjelasan_pegawai: str = Field("", max_length=services.TEXT_MAX)
    penjelasan_penilai: str = Field("", max_length=services.TEXT_MAX)


class DecideIn(In):
    outcome: Literal["DIPERTAHANKAN", "DIUBAH"]
    reason: str = Field(..., max_length=services.TEXT_MAX)
    rating_hasil: RatingCode = ""
    rating_perilaku: RatingCode = ""


def _out(k: Keberatan) -> KeberatanOut:
    return KeberatanOut(
        id=k.pk, evaluasi_id=k.evaluasi_id, pegawai_id=k.evaluasi.pegawai_id,
        decider_id=k.decider_id, status=k.status, reason=k.reason, filed_at=k.filed_at,
        predikat_before=k.predikat_before, penjelasan_pegawai=k.penjelasan_pegawai,
        penjelasan_penilai=k.penjelasan_penilai, new_rating_hasil=k.new_rating_hasil,
        new_rating_perilaku=k.new_rating_perilaku, predikat_after=k.predikat_after,
        decision_reason=k.decision_reason, decided_at=k.decided_at,
    )  # fmt: skip


def _readable(request: HttpRequest, evaluasi_id: int) -> Evaluasi:
    found = Evaluasi.objects.visible_to(request.user).filter(pk=evaluasi_id).first()
    if found is None:
        raise NotFound(
            _("Evaluasi dengan id %(evaluasi_id)s tidak ditemukan.") % {"evaluasi_id": evaluasi_id}
        )
    return found


def _to_decide(request: HttpRequest, keberatan_id: int) -> Keberatan:
    found = (
        Keberatan.objects.select_related("evaluasi")
        .filter(pk=keberatan_id, decider_id=access_for(request.user).pegawai_id)
        .first()
    )
    if found is None:
        raise NotFound(
            _("Keberatan dengan id %(keberatan_id)s tidak ditemukan.")
            % {"keberatan_id": keberatan_id}
        )
    return found


@router.get(
    "/penilaian/evaluasi/{evaluasi_id}/keberatan",
    response=WindowOut,
    summary="Keberatan sebuah evaluasi: batas waktu dan status",
)
def window(request: HttpRequest, evaluasi_id: Id) -> Any:
    evaluasi = _readable(request, evaluasi_id)
    item = Keberatan.objects.select_related("evaluasi").filter(evaluasi=evaluasi).first()
    # The rated pegawai sees no predicate of a draft (docs/evaluation.md §2).
    hidden = is_rated(request.user, evaluasi) and not shown_to_pegawai(evaluasi)
    return WindowOut(
        evaluasi_id=evaluasi.pk, predikat="" if hidden else evaluasi.predikat,
        issued_on=services.issued_on(evaluasi), deadline=services.deadline_of(evaluasi),
        may_file=services.may_file(request.user, evaluasi),
        keberatan=_out(item) if item else None,
    )  # fmt: skip


@router.post(
    "/penilaian/evaluasi/{evaluasi_id}/keberatan",
    response={201: KeberatanOut},
    summary="Ajukan keberatan atas predikat (pegawai yang dinilai)",
)
def file(request: HttpRequest, evaluasi_id: Id, payload: FileIn) -> Any:
    evaluasi = _readable(request, evaluasi_id)
    item = services.keberatan_file(
        by=actor(request), evaluasi=evaluasi, reason=payload.reason, form_key=header_key(request)
    )
    return Status(201, _out(Keberatan.objects.select_related("evaluasi").get(pk=item.pk)))


@router.get(
    "/penilaian/keberatan",
    response=list[KeberatanOut],
    summary="Keberatan yang saya putus (atasan pejabat penilai)",
)
def inbox(request: HttpRequest) -> Any:
    rows = Keberatan.objects.filter(decider_id=access_for(request.user).pegawai_id)
    return [_out(k) for k in rows.select_related("evaluasi").order_by("-filed_at", "-id")]


@router.post(
    "/penilaian/keberatan/{keberatan_id}/penjelasan",
    response=KeberatanOut,
    summary="Catat penjelasan pegawai dan pejabat penilai (pemutus)",
)
def explain(request: HttpRequest, keberatan_id: Id, payload: ExplainIn) -> Any:
    item = _to_decide(request, keberatan_id)
    services.keberatan_explain(
        by=actor(request), keberatan=item, penjelasan_pegawai=payload.penjelasan_pegawai,
        penjelasan_penilai=payload.penjelasan_penilai,
    )  # fmt: skip
    return _out(Keberatan.objects.select_related("evaluasi").get(pk=item.pk))


@router.post(
    "/penilaian/keberatan/{keberatan_id}/putusan",
    response=KeberatanOut,
    summary="Putuskan keberatan (final): dipertahankan atau diubah dengan rating baru",
)
def decide(request: HttpRequest, keberatan_id: Id, payload: DecideIn) -> Any:
    item = _to_decide(request, keberatan_id)
    services.keberatan_decide(
        by=actor(request), keberatan=item, outcome=payload.outcome, reason=payload.reason,
        rating_hasil=payload.rating_hasil, rating_perilaku=payload.rating_perilaku,
    )  # fmt: skip
    return _out(Keberatan.objects.select_related("evaluasi").get(pk=item.pk))
