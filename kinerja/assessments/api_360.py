"""JSON API of umpan balik 360. An evaluation is reachable when the caller may read it
(`Evaluasi.objects.visible_to`), a request only by its reviewer; anything else is a 404. The
services decide who may write (403) and which rule refuses (400/409). What a reader sees follows
queries_360 (the rated pegawai: only the aggregate of at least 3 answers)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from kinerja.core.errors import NotFound, Refused
from kinerja.core.formkeys import header_key
from kinerja.core.params import CoreValue, Id, In
from kinerja.org.models import Pegawai
from kinerja.plans.api_items import actor

from . import guards, queries_360, services_360
from .models import Evaluasi, Penilai360

router = Router(tags=["Umpan balik 360"])

RatingCode = Literal["DI_ATAS", "SESUAI", "DI_BAWAH"]


class ValueCountsOut(Schema):
    code: int
    name: str
    di_atas: int
    sesuai: int
    di_bawah: int


class ReviewerOut(Schema):
    penilai_id: int
    pegawai_id: int
    name: str
    relation: str
    answered_at: datetime | None


class Summary360Out(Schema):
    view: Literal["penilai", "pegawai"]
    visible: bool
    answered: int | None
    asked: int | None
    values: list[ValueCountsOut]
    reviewers: list[ReviewerOut]
    comments: list[str]


class Kandidat360Out(Schema):
    pegawai_id: int
    name: str
    relation: str
    asked: bool


class RequestIn(In):
    reviewer_ids: list[Id] | None = Field(
        None, description="Kosong (null): terapkan aturan, semua rekan satu unit dan bawahan."
    )


class RequestOut(Schema):
    id: int
    evaluasi_id: int
    pegawai_id: int
    pegawai_name: str
    year: int
    period: int
    answered_at: datetime | None


class AnswerIn(In):
    ratings: dict[CoreValue, RatingCode] = Field(
        description="Nilai dasar BerAKHLAK (1 sampai 7) ke penilaian"
    )
    comment: str = Field("", max_length=services_360.COMMENT_MAX)


def _readable(request: HttpRequest, evaluasi_id: int) -> Evaluasi:
    found = (
        Evaluasi.objects.visible_to(request.user)
        .select_related("pegawai")
        .filter(pk=evaluasi_id)
        .first()
    )
    if found is None:
        raise NotFound(
            _("Evaluasi dengan id %(evaluasi_id)s tidak ditemukan.") % {"evaluasi_id": evaluasi_id}
        )
    return found


def _mine(request: HttpRequest, penilai_id: int) -> Penilai360:
    found = queries_360.requests_for(request.user).filter(pk=penilai_id).first()
    if found is None:
        raise NotFound(
            _("Permintaan umpan balik 360 dengan id %(penilai_id)s tidak ditemukan.")
            % {"penilai_id": penilai_id}
        )
    return found


def _request_out(p: Penilai360) -> RequestOut:
    ev = p.evaluasi
    return RequestOut(
        id=p.pk, evaluasi_id=ev.pk, pegawai_id=ev.pegawai_id,
        pegawai_name=ev.pegawai.display_name, year=ev.year, period=ev.period,
        answered_at=p.answered_at,
    )  # fmt: skip


@router.get(
    "/penilaian/evaluasi/{evaluasi_id}/360",
    response=Summary360Out,
    summary="Rekap umpan balik 360 sebuah evaluasi (sesuai peran pembaca)",
)
def summary(request: HttpRequest, evaluasi_id: Id) -> Any:
    found = queries_360.summary_360(request.user, _readable(request, evaluasi_id))
    return Summary360Out(
        view="penilai" if found.full else "pegawai",
        visible=found.visible,
        answered=found.answered,
        asked=found.asked,
        values=[ValueCountsOut(**v.__dict__) for v in found.values],
        reviewers=[
            ReviewerOut(
                penilai_id=r.penilai_id,
                pegawai_id=r.pegawai_id,
                name=r.name,
                relation=r.relation,
                answered_at=r.answered_at,
            )
            for r in found.reviewers
        ],
        comments=found.comments,
    )


@router.get(
    "/penilaian/evaluasi/{evaluasi_id}/360/kandidat",
    response=list[Kandidat360Out],
    summary="Siapa yang dapat dimintai umpan balik 360 (pejabat penilai)",
)
def candidates(request: HttpRequest, evaluasi_id: Id) -> Any:
    evaluasi = _readable(request, evaluasi_id)
    if not guards.is_rater(request.user, evaluasi):
        raise Refused(
            _("Hanya Pejabat Penilai Kinerja pegawai ini yang melihat calon penilai 360.")
        )
    asked = set(evaluasi.penilai360.values_list("reviewer_id", flat=True))
    return [
        Kandidat360Out(
            pegawai_id=c.pegawai.pk,
            name=c.pegawai.display_name,
            relation=c.relation,
            asked=c.pegawai.pk in asked,
        )
        for c in services_360.candidates(evaluasi)
    ]


@router.post(
    "/penilaian/evaluasi/{evaluasi_id}/360/penilai",
    response={201: list[ReviewerOut]},
    summary="Minta umpan balik 360 (pejabat penilai): pilih penilai atau terapkan aturan",
)
def request_reviewers(request: HttpRequest, evaluasi_id: Id, payload: RequestIn) -> Any:
    evaluasi = _readable(request, evaluasi_id)
    people = None
    if payload.reviewer_ids is not None:
        found = {
            p.pk: p
            for p in Pegawai.objects.filter(
                pk__in=payload.reviewer_ids, instansi_id=evaluasi.instansi_id
            )
        }
        missing = [pk for pk in payload.reviewer_ids if pk not in found]
        if missing:
            raise NotFound(
                _("Pegawai dengan id %(pegawai_id)s tidak ditemukan.") % {"pegawai_id": missing[0]}
            )
        people = [found[pk] for pk in payload.reviewer_ids]
    created = services_360.penilai360_request(
        by=actor(request), evaluasi=evaluasi, reviewers=people, form_key=header_key(request)
    )
    return Status(
        201,
        [
            ReviewerOut(
                penilai_id=p.pk,
                pegawai_id=p.reviewer_id,
                name=p.reviewer.display_name,
                relation=p.relation,
                answered_at=p.answered_at,
            )
            for p in created
        ],
    )


@router.delete(
    "/penilaian/360/penilai/{penilai_id}",
    response={204: None},
    summary="Batalkan permintaan umpan balik 360 yang belum dijawab (pejabat penilai)",
)
def withdraw(request: HttpRequest, penilai_id: Id) -> Any:
    item = Penilai360.objects.select_related("evaluasi").filter(pk=penilai_id).first()
    if (
        item is None
        or not Evaluasi.objects.visible_to(request.user).filter(pk=item.evaluasi_id).exists()
    ):
        raise NotFound(
            _("Permintaan umpan balik 360 dengan id %(penilai_id)s tidak ditemukan.")
            % {"penilai_id": penilai_id}
        )
    services_360.penilai360_withdraw(by=actor(request), penilai=item)
    return Status(204, None)


@router.get(
    "/penilaian/360/permintaan",
    response=list[RequestOut],
    summary="Umpan balik 360 yang diminta dari saya",
)
def inbox(request: HttpRequest) -> Any:
    return [_request_out(p) for p in queries_360.requests_for(request.user)]


@router.post(
    "/penilaian/360/permintaan/{penilai_id}/jawaban",
    response=RequestOut,
    summary="Jawab permintaan umpan balik 360 (sekali, 7 nilai BerAKHLAK)",
)
def answer(request: HttpRequest, penilai_id: Id, payload: AnswerIn) -> Any:
    item = _mine(request, penilai_id)
    services_360.penilai360_answer(
        by=actor(request), penilai=item, ratings=payload.ratings, comment=payload.comment
    )
    return _request_out(item)
