"""JSON API of early-warning cases and bimbingan kinerja (sessions, agreed actions, Format B.1.8
and B.1.9). Objects come from `visible_to` (anything else is a 404); the services decide who may
write (403) and which rule refuses (400/409). Training, plans, JP: api_training.py."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from kinerja.core.errors import NotFound, Refused
from kinerja.core.formkeys import header_key
from kinerja.core.params import Id, Year
from kinerja.org.models import Pegawai
from kinerja.plans.api_items import actor, not_found

from . import guards, rules, services
from . import services_corrections as corrections
from .models import AksiSesi, Kasus, Reason, Sesi
from .scan import scan
from .schemas import (
    AksiDoneIn,
    AksiOut,
    B18In,
    B18Out,
    B19In,
    B19Out,
    KasusCloseIn,
    KasusOut,
    NilaiIn,
    ScanIn,
    ScanOut,
    SesiIn,
    SesiOut,
    SesiPatch,
    SesiWithdrawIn,
)

router = Router(tags=["Tindak lanjut"])


def kasus_out(kasus: Kasus) -> KasusOut:
    return KasusOut(
        id=kasus.pk, pegawai_id=kasus.pegawai_id, pegawai_name=kasus.pegawai.name,
        rater_id=kasus.rater_id, skp_id=kasus.skp_id, year=kasus.year, period=kasus.period,
        reason=kasus.reason, reason_label=str(Reason(kasus.reason).label), data=kasus.data,
        status=kasus.status, opened_at=kasus.opened_at, closed_at=kasus.closed_at,
        closing_note=kasus.closing_note,
    )  # fmt: skip


def sesi_out(sesi: Sesi) -> SesiOut:
    b18 = getattr(sesi, "b18", None)
    b19 = getattr(sesi, "b19", None)
    return SesiOut(
        id=sesi.pk, kasus_id=sesi.kasus_id, pegawai_id=sesi.pegawai_id,
        pembimbing_id=sesi.pembimbing_id, year=sesi.year, period=sesi.period,
        method=sesi.method, date=sesi.date, notes=sesi.notes,
        predikat_before=sesi.predikat_before, outcome=services.sesi_outcome(sesi),
        actions=[AksiOut(id=a.pk, text=a.text, due_date=a.due_date, done_on=a.done_on)
                 for a in sesi.aksi.all()],
        b18=B18Out(answers=b18.answers, place=b18.place, date=b18.date) if b18 else None,
        b19=B19Out(
            evaluator_id=b19.evaluator_id, place=b19.place, date=b19.date,
            items=[NilaiIn(kompetensi=n.kompetensi, nilai=n.nilai, alasan=n.alasan)
                   for n in b19.nilai.all()],
        ) if b19 else None,
    )  # fmt: skip


def readable_kasus(request: HttpRequest, kasus_id: int) -> Kasus:
    found = Kasus.objects.visible_to(request.user).select_related("pegawai", "skp")
    kasus = found.filter(pk=kasus_id).first()
    if kasus is None:
        raise not_found(_("Kasus"), kasus_id)
    return kasus


def readable_sesi(request: HttpRequest, sesi_id: int) -> Sesi:
    found = Sesi.objects.visible_to(request.user).select_related("b18", "b19")
    sesi = found.filter(pk=sesi_id).first()
    if sesi is None:
        raise not_found(_("Sesi bimbingan"), sesi_id)
    return sesi


@router.get("/pengembangan/kasus", response=list[KasusOut], summary="Kasus peringatan dini")
def kasus_list(
    request: HttpRequest,
    status: str | None = Query(None, description="TERBUKA, DIBIMBING atau SELESAI"),  # type: ignore[type-arg]
    year: Year | None = None,
) -> list[KasusOut]:
    found = Kasus.objects.visible_to(request.user).select_related("pegawai")
    if status:
        found = found.filter(status=status)
    if year:
        found = found.filter(year=year)
    return [kasus_out(k) for k in found[:500]]


@router.get("/pengembangan/kasus/{kasus_id}", response=KasusOut, summary="Satu kasus")
def kasus_detail(request: HttpRequest, kasus_id: Id) -> KasusOut:
    return kasus_out(readable_kasus(request, kasus_id))


@router.post(
    "/pengembangan/kasus/{kasus_id}/tutup", response=KasusOut, summary="Tutup kasus (penilai)"
)
def kasus_close(request: HttpRequest, kasus_id: Id, body: KasusCloseIn) -> KasusOut:
    kasus = readable_kasus(request, kasus_id)
    return kasus_out(services.kasus_close(by=actor(request), kasus=kasus, note=body.note))


@router.post(
    "/pengembangan/instansi/{instansi_id}/pindai",
    response=ScanOut,
    summary="Pindai peringatan dini satu periode (admin)",
    description=(
        "Idempoten: satu kasus terbuka per pegawai, periode dan alasan; kasus yang sudah "
        "ditutup penilai atau admin tidak dibuka lagi (`closed_before`)."
    ),
)
def scan_run(request: HttpRequest, instansi_id: Id, body: ScanIn) -> ScanOut:
    if not guards.is_admin(request.user, instansi_id):
        raise Refused(_("Hanya admin instansi yang dapat menjalankan pemindaian."))
    result = scan(instansi_id=instansi_id, year=body.year, period=body.period)
    return ScanOut(checked=result.checked, opened=result.opened,
                   already_open=result.already_open, closed_before=result.closed_before,
                   by_reason=dict(result.by_reason))  # fmt: skip


@router.get("/pengembangan/sesi", response=list[SesiOut], summary="Sesi bimbingan kinerja")
def sesi_list(request: HttpRequest, pegawai_id: Id | None = None) -> list[SesiOut]:
    found = Sesi.objects.visible_to(request.user).select_related("b18", "b19")
    if pegawai_id is not None:
        found = found.filter(pegawai_id=pegawai_id)
    return [sesi_out(s) for s in found.prefetch_related("aksi", "b19__nilai")[:200]]


@router.get("/pengembangan/sesi/{sesi_id}", response=SesiOut, summary="Satu sesi bimbingan")
def sesi_detail(request: HttpRequest, sesi_id: Id) -> SesiOut:
    return sesi_out(readable_sesi(request, sesi_id))


@router.post(
    "/pengembangan/sesi",
    response={201: SesiOut},
    summary="Catat sesi bimbingan (penilai atau pimpinan)",
)
def sesi_create(request: HttpRequest, body: SesiIn) -> Any:
    kasus = readable_kasus(request, body.kasus_id) if body.kasus_id is not None else None
    pegawai = Pegawai.objects.visible_to(request.user).filter(pk=body.pegawai_id).first()
    if pegawai is None:
        raise NotFound(
            _("Pegawai dengan id %(pegawai_id)s tidak ditemukan.") % {"pegawai_id": body.pegawai_id}
        )
    sesi = services.sesi_record(
        by=actor(request), pegawai=pegawai, kasus=kasus, method=body.method, day=body.date,
        notes=body.notes, actions=[(a.text, a.due_date) for a in body.actions],
        form_key=header_key(request))  # fmt: skip
    return Status(201, sesi_out(sesi))


@router.patch(
    "/pengembangan/sesi/{sesi_id}",
    response=SesiOut,
    summary="Ubah sesi bimbingan (pembimbingnya, sebelum B.1.8/B.1.9 diisi)",
)
def sesi_update(request: HttpRequest, sesi_id: Id, body: SesiPatch) -> SesiOut:
    sesi = readable_sesi(request, sesi_id)
    corrections.sesi_update(
        by=actor(request), sesi=sesi, method=body.method or sesi.method,
        day=body.date or sesi.date, notes=sesi.notes if body.notes is None else body.notes,
    )  # fmt: skip
    return sesi_out(readable_sesi(request, sesi_id))


@router.post(
    "/pengembangan/sesi/{sesi_id}/tarik",
    response={204: None},
    summary="Hapus sesi bimbingan yang tercatat keliru, dengan alasan (pembimbingnya)",
)
def sesi_withdraw(request: HttpRequest, sesi_id: Id, body: SesiWithdrawIn) -> Any:
    corrections.sesi_withdraw(
        by=actor(request), sesi=readable_sesi(request, sesi_id), reason=body.reason
    )
    return Status(204, None)


@router.post("/pengembangan/aksi/{aksi_id}/selesai", response=AksiOut, summary="Aksi selesai")
def aksi_done(request: HttpRequest, aksi_id: Id, body: AksiDoneIn) -> AksiOut:
    aksi = AksiSesi.objects.filter(
        pk=aksi_id, sesi__in=Sesi.objects.visible_to(request.user)
    ).select_related("sesi").first()  # fmt: skip
    if aksi is None:
        raise not_found(_("Aksi"), aksi_id)
    done = services.aksi_done(by=actor(request), aksi=aksi, day=body.date)
    return AksiOut(id=done.pk, text=done.text, due_date=done.due_date, done_on=done.done_on)


@router.post(
    "/pengembangan/sesi/{sesi_id}/b18",
    response={201: SesiOut},
    summary="Isi Format B.1.8 (pegawai yang dibimbing)",
)
def b18_create(request: HttpRequest, sesi_id: Id, body: B18In) -> Any:
    sesi = readable_sesi(request, sesi_id)
    services.b18_submit(
        by=actor(request),
        sesi=sesi,
        answers=body.answers,
        place=body.place,
        day=body.date,
        form_key=header_key(request),
    )
    return Status(201, sesi_out(readable_sesi(request, sesi_id)))


@router.post(
    "/pengembangan/sesi/{sesi_id}/b19",
    response={201: SesiOut},
    summary="Isi Format B.1.9 (pimpinan atau pejabat penilai)",
)
def b19_create(request: HttpRequest, sesi_id: Id, body: B19In) -> Any:
    sesi = readable_sesi(request, sesi_id)
    items = [rules.NilaiKompetensi(i.kompetensi, i.nilai, i.alasan) for i in body.items]
    services.b19_submit(
        by=actor(request),
        sesi=sesi,
        items=items,
        place=body.place,
        day=body.date,
        form_key=header_key(request),
    )
    return Status(201, sesi_out(readable_sesi(request, sesi_id)))
