"""Public (no login) JSON API: a form token and the questionnaire, submit one response, and the
transparency figures. Same protections as the page (kinerja/surveys/public.py)."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from kinerja.core.errors import NotFound, ServiceError

from . import public, public_queries, rules
from .models import JenisKelaminResponden, Pekerjaan, Pendidikan
from .schemas import (
    AcceptedOut,
    ChoiceOut,
    FormOut,
    NumberChoiceOut,
    PublicRowOut,
    QuestionOut,
    ResponseIn,
    TransparencyOut,
    TrendOut,
    ikm_out,
)
from .services import current_period_id

router = Router(tags=["SKM publik"], auth=None)


def _choices(pairs: Sequence[tuple[str, object]]) -> list[ChoiceOut]:
    return [ChoiceOut(value=str(v), label=str(label)) for v, label in pairs]


def _numbers(pairs: Sequence[tuple[int, object]]) -> list[NumberChoiceOut]:
    """Choices of the fields the submission takes as JSON integers (answers, petugas_id)."""
    return [NumberChoiceOut(value=v, label=str(label)) for v, label in pairs]


@router.get(
    "/publik/skm/{code}/formulir",
    response=FormOut,
    summary="Ambil formulir SKM dan token sekali pakai (tanpa login)",
)
def form(request: HttpRequest, code: str) -> FormOut:
    layanan = public.layanan_by_code(code)
    if layanan is None:
        raise NotFound(_("Layanan tidak ditemukan."))
    period_id = current_period_id(layanan.pk) if layanan.active else None
    if period_id is None:  # no running period, or the layanan made inactive
        raise ServiceError(_("Survei untuk layanan ini sedang tidak dibuka."))
    questions = [
        QuestionOut(
            code=c,
            label=label,
            answers=_numbers(list(enumerate(rules.ANSWER_LABELS[i], 1))),
        )
        for i, (c, label) in enumerate(rules.UNSUR)
    ]
    period = layanan.periods.get(pk=period_id)
    return FormOut(
        token=public.issue_token(layanan.pk, period_id),
        layanan=layanan.name,
        unit=layanan.unit.name,
        period=period.label,
        questions=questions,
        jenis_kelamin=_choices(JenisKelaminResponden.choices),
        pendidikan=_choices(Pendidikan.choices),
        pekerjaan=_choices(Pekerjaan.choices),
        petugas=_numbers(public.petugas_choices(layanan.unit_id)),
    )


@router.post(
    "/publik/skm/{code}/tanggapan",
    response={201: AcceptedOut},
    summary="Kirim satu jawaban SKM (tanpa login)",
    description=(
        "Token dari GET …/formulir, sekali pakai. Ditolak: 429 terlalu sering dari klien yang "
        "sama, 409 jawaban ganda atau token sudah dipakai, 400 token tidak sah/kedaluwarsa, "
        "isian jebakan terisi, atau survei tidak dibuka; 422 isian tidak valid; 503 gangguan "
        "sementara basis data: tidak ada yang tersimpan, kirim lagi dengan token yang sama."
    ),
)
def submit(request: HttpRequest, code: str, payload: ResponseIn) -> Status[AcceptedOut]:
    client = public.client_key(request)
    public.check_rate(client)
    public.check_honeypot(payload.website)
    ticket = public.read_token(payload.token)
    public.response_submit(
        ticket=ticket,
        client=client,
        code=code,
        submission=public.Submission(
            answers=tuple(payload.answers),
            usia=payload.usia,
            jenis_kelamin=payload.jenis_kelamin,
            pendidikan=payload.pendidikan,
            pekerjaan=payload.pekerjaan,
            saran=payload.saran,
            petugas_id=payload.petugas_id,
        ),
    )
    return Status(
        201, AcceptedOut(accepted=True, message=_("Terima kasih, penilaian Anda sudah diterima."))
    )


@router.get(
    "/publik/transparansi/{code}",
    response=TransparencyOut,
    summary="IKM publik per unit dan layanan, dengan tren (tanpa login)",
)
def transparency(request: HttpRequest, code: str) -> TransparencyOut:
    instansi = public_queries.instansi_by_code(code)
    if instansi is None:
        raise NotFound(_("Instansi tidak ditemukan."))
    page = public_queries.public_page(instansi.pk)

    def row(r: public_queries.PublicRow) -> PublicRowOut:
        return PublicRowOut(
            name=r.name,
            unit_name=r.unit_name,
            respondents=r.result.respondents if r.result else None,
            result=ikm_out(r.result),
            withheld=r.withheld,
        )

    return TransparencyOut(
        instansi=instansi.name,
        period=page.key.text if page.key else None,
        minimum_respondents=public_queries.PUBLIC_MIN_RESPONDENTS,
        total=ikm_out(page.total.result) if page.total else None,
        units=[row(r) for r in page.units],
        layanan=[row(r) for r in page.layanan],
        trend=[TrendOut(period=k.text, label=k.label, result=ikm_out(r)) for k, r in page.trend],
    )
