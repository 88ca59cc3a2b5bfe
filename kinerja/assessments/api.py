"""JSON API of the evaluation: the rater's team per period, one evaluation with what the rater
reads (realisasi, evidence, feedback, progress), rating, feedback per RHK/value, finalisation,
reopening, the pegawai's own evaluations and the Capaian Kinerja Organisasi.

An evaluation is reachable when the caller may read it (`Evaluasi.objects.visible_to`), anything
else is a 404; the services decide who may write (403) and which rule refuses (400/409). The
rated pegawai sees no ratings of a draft evaluation: the predicate is issued on finalisation.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from kinerja.core.errors import NotFound
from kinerja.core.params import Id, Period, Year
from kinerja.org.access import access_for
from kinerja.org.models import Pegawai, UnitKerja
from kinerja.plans.api_items import actor, not_found, readable_skp
from kinerja.plans.models import Rhk
from kinerja.plans.queries import current_year
from kinerja.progress.api import realisasi_out
from kinerja.progress.feedback_models import UmpanBalik
from kinerja.progress.schemas import IkiProgressOut

from . import guards, queries, services
from .models import CapaianOrganisasi, Evaluasi
from .schemas import (
    CapaianIn,
    CapaianOut,
    CapaianUnitOut,
    CatatanIn,
    CatatanOut,
    EvaluasiDetailOut,
    EvaluasiOut,
    EvaluasiPersonOut,
    EvaluasiRhkOut,
    FeedbackOut,
    IkiBlockOut,
    PeriodResultOut,
    RateIn,
    ReasonIn,
    ReplyOut,
    TeamOut,
    TeamRowOut,
    ValueOut,
)

router = Router(tags=["Penilaian kinerja"])


# --- shapes ---------------------------------------------------------------------------------


def person(p: Pegawai | None) -> EvaluasiPersonOut | None:
    return EvaluasiPersonOut(id=p.pk, name=p.display_name, nip=p.nip) if p is not None else None


def evaluasi_out(e: Evaluasi, viewer: object) -> EvaluasiOut:
    hidden = guards.is_rated(viewer, e) and not queries.shown_to_pegawai(e)
    label = services.evaluation_period(e.instansi_id, e.year, e.period).label
    pegawai = person(e.pegawai)
    assert pegawai is not None
    return EvaluasiOut(
        id=e.pk, skp_id=e.skp_id, pegawai=pegawai, rater=person(e.rater), unit_id=e.unit_id,
        unit_name=e.unit.name, year=e.year, period=e.period, period_label=label,
        is_unit_head=e.is_unit_head,
        rating_hasil="" if hidden else e.rating_hasil,
        rating_perilaku="" if hidden else e.rating_perilaku,
        predikat="" if hidden else e.predikat,
        predikat_penilai="" if hidden else e.predikat_penilai,
        catatan="" if hidden else e.catatan,
        status=e.status,  # type: ignore[arg-type]
        finalized_at=e.finalized_at, reopen_reason=e.reopen_reason,
    )  # fmt: skip


def capaian_out(c: CapaianOrganisasi) -> CapaianOut:
    return CapaianOut(
        id=c.pk, unit_id=c.unit_id, unit_name=c.unit.name, year=c.year, period=c.period,
        predikat=c.predikat, reason=c.reason, set_by=c.set_by.full_name or c.set_by.username,
        set_at=c.set_at,
    )  # fmt: skip


def feedback_out(u: UmpanBalik) -> FeedbackOut:
    return FeedbackOut(
        id=u.pk, period=u.period, author=u.author.display_name, text=u.text,
        created_at=u.created_at, realisasi_id=u.realisasi_id,
        replies=[ReplyOut(author=r.author.display_name, text=r.text, created_at=r.created_at)
                 for r in u.replies.all()],
    )  # fmt: skip


def _iki_out(p: Any) -> IkiBlockOut:
    i = p.iki
    progress = IkiProgressOut(
        iki_id=i.pk, rhk_id=i.rhk_id, text=i.text, aspek=i.aspek, target_value=i.target_value,
        target_unit=i.target_unit, target_narrative=i.target_narrative, baseline=i.baseline,
        direction=i.direction, realised=p.realised, percent=p.percent,
        narrative_only=p.narrative_only,
    )  # fmt: skip
    return IkiBlockOut(progress=progress, entries=[realisasi_out(e, None) for e in p.entries])


def detail_out(view: queries.EvaluationView, viewer: object) -> EvaluasiDetailOut:
    e = view.evaluasi
    hidden = guards.is_rated(viewer, e) and not queries.shown_to_pegawai(e)
    return EvaluasiDetailOut(
        evaluasi=evaluasi_out(e, viewer),
        capaian=capaian_out(view.capaian) if view.capaian else None,
        pattern=view.pattern,
        rhk=[
            EvaluasiRhkOut(
                rhk_id=b.rhk.pk,
                jenis=b.rhk.jenis,
                text=b.rhk.text,
                intervensi=b.rhk.parent.text if b.rhk.parent else "",
                percent=b.percent,
                iki=[_iki_out(p) for p in b.ikis],
                feedback=[feedback_out(f) for f in b.feedback],
                catatan="" if hidden else b.catatan,
            )
            for b in view.rhks
        ],
        values=[
            ValueOut(
                code=v.value.code,
                name=v.value.name,
                guides=list(v.value.guides),
                ekspektasi=v.ekspektasi,
                feedback=[feedback_out(f) for f in v.feedback],
                catatan="" if hidden else v.catatan,
            )
            for v in view.values
        ],
        realisasi_feedback=[feedback_out(f) for f in view.realisasi_feedback],
        periodic=[
            PeriodResultOut(
                period=r.period,
                label=r.label,
                evaluasi_id=r.evaluasi.pk if r.evaluasi else None,
                status=r.evaluasi.status if r.evaluasi else "BELUM",
                rating_hasil=r.evaluasi.rating_hasil if r.evaluasi and not hidden else "",
                rating_perilaku=r.evaluasi.rating_perilaku if r.evaluasi and not hidden else "",
                predikat=r.evaluasi.predikat if r.evaluasi and not hidden else "",
            )
            for r in view.periodic
        ],
    )


def _readable(request: HttpRequest, evaluasi_id: int) -> Evaluasi:
    found = queries.readable(request.user, evaluasi_id)
    if found is None:
        raise not_found(_("Evaluasi"), evaluasi_id)
    return found


def _detail(request: HttpRequest, evaluasi_id: int) -> EvaluasiDetailOut:
    evaluasi = _readable(request, evaluasi_id)
    return detail_out(queries.evaluation_view(evaluasi), request.user)


# --- team, own, detail ----------------------------------------------------------------------


@router.get(
    "/penilaian/tim",
    response=TeamOut,
    summary="Pegawai yang dinilai pemanggil untuk satu periode, dengan status dan predikat",
)
def team(
    request: HttpRequest,
    period: Period,
    year: Year | None = None,
) -> Any:
    year = year or current_year()
    label = services.evaluation_period(access_instansi(request), year, period).label
    rows = queries.team(request.user, year, period)
    return TeamOut(
        year=year, period=period, period_label=label, counts=queries.team_counts(rows),
        rows=[
            TeamRowOut(
                skp_id=r.skp.pk, pegawai=person(r.skp.pegawai),  # type: ignore[arg-type]
                jabatan=r.skp.jabatan.name, unit_name=r.skp.jabatan.unit.name,
                evaluasi_id=r.evaluasi.pk if r.evaluasi else None,
                status=r.status, predikat=r.predikat,  # type: ignore[arg-type]
            )
            for r in rows
        ],
    )  # fmt: skip


def access_instansi(request: HttpRequest) -> int:
    access = access_for(request.user)
    instansi = access.home_instansi_id or next(iter(sorted(access.instansi_ids)), None)
    if instansi is None:
        raise NotFound(_("Anda belum terdaftar pada instansi mana pun."))
    return instansi


@router.get("/penilaian/saya", response=list[EvaluasiOut], summary="Evaluasi kinerja saya")
def mine(request: HttpRequest, year: Year | None = None) -> Any:
    found = queries.my_evaluations(request.user, year or current_year())
    return [evaluasi_out(e, request.user) for e in found]


@router.get(
    "/penilaian/evaluasi/{evaluasi_id}",
    response=EvaluasiDetailOut,
    summary="Evaluasi dengan realisasi, bukti dukung, umpan balik dan capaian per IKI/RHK",
)
def detail(request: HttpRequest, evaluasi_id: Id) -> Any:
    return _detail(request, evaluasi_id)


# --- writes ---------------------------------------------------------------------------------


@router.post(
    "/penilaian/skp/{skp_id}/evaluasi/{period}",
    response={200: EvaluasiDetailOut, 201: EvaluasiDetailOut},
    summary="Mulai (atau buka) evaluasi sebuah SKP untuk satu periode (pejabat penilai)",
    description="`period`: 1–4 triwulan atau 1–12 bulan, 0 untuk evaluasi tahunan.",
)
def open_evaluation(request: HttpRequest, skp_id: Id, period: Period) -> Any:
    skp = readable_skp(request, skp_id)
    evaluasi, opened = services.evaluasi_start(by=actor(request), skp=skp, period=period)
    return Status(201 if opened else 200, _detail(request, evaluasi.pk))


@router.post(
    "/penilaian/evaluasi/{evaluasi_id}/rating",
    response=EvaluasiOut,
    summary="Tetapkan rating hasil kerja dan rating perilaku kerja (pejabat penilai)",
)
def rate(request: HttpRequest, evaluasi_id: Id, payload: RateIn) -> Any:
    evaluasi = services.evaluasi_rate(
        by=actor(request), evaluasi=_readable(request, evaluasi_id),
        rating_hasil=payload.rating_hasil, rating_perilaku=payload.rating_perilaku,
        catatan=payload.catatan,
    )  # fmt: skip
    return evaluasi_out(_readable(request, evaluasi.pk), request.user)


@router.put(
    "/penilaian/evaluasi/{evaluasi_id}/catatan",
    response={200: CatatanOut, 204: None},
    summary="Umpan balik evaluasi untuk satu RHK atau satu nilai BerAKHLAK (teks kosong: hapus)",
)
def catatan(request: HttpRequest, evaluasi_id: Id, payload: CatatanIn) -> Any:
    evaluasi = _readable(request, evaluasi_id)
    rhk = None
    if payload.rhk_id is not None:
        rhk = Rhk.objects.filter(pk=payload.rhk_id, skp_id=evaluasi.skp_id).first()
        if rhk is None:
            raise not_found(_("RHK"), payload.rhk_id)
    note = services.catatan_set(
        by=actor(request), evaluasi=evaluasi, rhk=rhk, core_value=payload.core_value,
        text=payload.text,
    )  # fmt: skip
    if note is None:
        return Status(204, None)
    return CatatanOut(rhk_id=note.rhk_id, core_value=note.core_value, text=note.text)


@router.post(
    "/penilaian/evaluasi/{evaluasi_id}/finalisasi",
    response=EvaluasiOut,
    summary="Finalisasi: predikat ditetapkan, realisasi periode itu terkunci (pejabat penilai)",
    description="409 bila instansi mencegah finalisasi dan pola distribusi kelompoknya dilanggar "
    "(aturan yang dilanggar disebut dalam `detail`).",
)
def finalize(request: HttpRequest, evaluasi_id: Id) -> Any:
    evaluasi = services.evaluasi_finalize(
        by=actor(request), evaluasi=_readable(request, evaluasi_id)
    )
    return evaluasi_out(_readable(request, evaluasi.pk), request.user)


@router.post(
    "/penilaian/evaluasi/{evaluasi_id}/buka-kembali",
    response=EvaluasiOut,
    summary="Buka kembali evaluasi final dengan alasan (pimpinan unit atau admin)",
)
def reopen(request: HttpRequest, evaluasi_id: Id, payload: ReasonIn) -> Any:
    evaluasi = services.evaluasi_reopen(
        by=actor(request), evaluasi=_readable(request, evaluasi_id), reason=payload.reason
    )
    return evaluasi_out(_readable(request, evaluasi.pk), request.user)


# --- capaian kinerja organisasi -------------------------------------------------------------


@router.get(
    "/penilaian/capaian",
    response=list[CapaianUnitOut],
    summary="Unit yang capaian kinerja organisasinya dapat ditetapkan pemanggil",
)
def capaian_list(
    request: HttpRequest,
    period: Period,
    year: Year | None = None,
) -> Any:
    rows = queries.capaian_units(request.user, year or current_year(), period)
    return [
        CapaianUnitOut(unit_id=r.unit.pk, unit_name=r.unit.name, path=r.unit.path,
                       capaian=capaian_out(r.capaian) if r.capaian else None)
        for r in rows
    ]  # fmt: skip


@router.put(
    "/penilaian/capaian",
    response=CapaianOut,
    summary="Tetapkan capaian kinerja organisasi sebuah unit untuk satu periode, dengan alasan",
)
def capaian_put(request: HttpRequest, payload: CapaianIn) -> Any:
    unit = UnitKerja.objects.visible_to(request.user).filter(pk=payload.unit_id).first()
    if unit is None:
        raise not_found(_("Unit kerja"), payload.unit_id)
    item = services.capaian_set(
        by=actor(request), unit=unit, year=payload.year, period=payload.period,
        predikat=payload.predikat, reason=payload.reason,
    )  # fmt: skip
    return capaian_out(CapaianOrganisasi.objects.select_related("unit", "set_by").get(pk=item.pk))
