"""JSON API of angka kredit: an evaluation's angka kredit (readers of the evaluation) and the
coefficients per Jabatan Fungsional (read by the instansi's readers, set by its admins)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from kinerja.core.errors import Conflict, NotFound
from kinerja.core.params import Id, In
from kinerja.org.access import access_for
from kinerja.org.models import Jabatan
from kinerja.plans.api_items import actor

from . import credit, guards
from .models import Evaluasi, KoefisienAngkaKredit, StatusEvaluasi

router = Router(tags=["Angka kredit"])


class AngkaKreditOut(Schema):
    evaluasi_id: int
    applies: bool
    jenjang: str | None = None
    koefisien: Decimal | None = None
    months: int | None = None
    percent: int | None = None
    predikat: str | None = None
    angka_kredit: Decimal | None = None


class KoefisienOut(Schema):
    jabatan_id: int
    jabatan: str
    unit: str
    jenjang: str | None
    koefisien: Decimal | None


class KoefisienIn(In):
    jenjang: str = Field(..., max_length=20)
    koefisien: Decimal | None = Field(None, description="Kosong: koefisien bawaan jenjang.")


@router.get(
    "/penilaian/evaluasi/{evaluasi_id}/angka-kredit",
    response=AngkaKreditOut,
    summary="Angka kredit dari predikat sebuah evaluasi (Jabatan Fungsional)",
)
def evaluation_credit(request: HttpRequest, evaluasi_id: Id) -> Any:
    evaluasi = (
        Evaluasi.objects.visible_to(request.user)
        .select_related("skp__jabatan")
        .filter(pk=evaluasi_id)
        .first()
    )
    if evaluasi is None:
        raise NotFound(
            _("Evaluasi dengan id %(evaluasi_id)s tidak ditemukan.") % {"evaluasi_id": evaluasi_id}
        )
    if guards.is_rated(request.user, evaluasi) and evaluasi.status != StatusEvaluasi.FINAL:
        raise Conflict(_("Angka kredit Anda tampil setelah evaluasinya final."))
    found = credit.angka_kredit_for(
        skp=evaluasi.skp, period=evaluasi.period, predikat=evaluasi.predikat
    )
    if found is None:
        return AngkaKreditOut(evaluasi_id=evaluasi.pk, applies=False)
    return AngkaKreditOut(
        evaluasi_id=evaluasi.pk, applies=True, jenjang=found.jenjang, koefisien=found.koefisien,
        months=found.months, percent=found.percent, predikat=found.predikat,
        angka_kredit=found.value,
    )  # fmt: skip


def _row(j: Jabatan, k: KoefisienAngkaKredit | None) -> KoefisienOut:
    return KoefisienOut(
        jabatan_id=j.pk, jabatan=j.name, unit=j.unit.name,
        jenjang=k.jenjang if k else None, koefisien=k.koefisien if k else None,
    )  # fmt: skip


@router.get(
    "/penilaian/koefisien-angka-kredit",
    response=list[KoefisienOut],
    summary="Koefisien angka kredit per Jabatan Fungsional instansi saya",
)
def koefisien_list(request: HttpRequest, instansi_id: Id | None = None) -> Any:
    access = access_for(request.user)
    chosen = instansi_id or access.home_instansi_id or min(access.instansi_ids, default=None)
    if chosen is None or not access.can_read_instansi(chosen):
        raise NotFound(_("Instansi tidak ditemukan."))
    return [_row(j, k) for j, k in credit.fungsional_rows(chosen)]


def _jabatan(request: HttpRequest, jabatan_id: int) -> Jabatan:
    found = (
        Jabatan.objects.visible_to(request.user)
        .select_related("unit")
        .filter(pk=jabatan_id)
        .first()
    )
    if found is None:
        raise NotFound(
            _("Jabatan dengan id %(jabatan_id)s tidak ditemukan.") % {"jabatan_id": jabatan_id}
        )
    return found


@router.put(
    "/penilaian/koefisien-angka-kredit/{jabatan_id}",
    response=KoefisienOut,
    summary="Atur koefisien angka kredit sebuah Jabatan Fungsional (admin instansi)",
)
def koefisien_put(request: HttpRequest, jabatan_id: Id, payload: KoefisienIn) -> Any:
    jabatan = _jabatan(request, jabatan_id)
    item = credit.koefisien_set(
        by=actor(request), jabatan=jabatan, jenjang=payload.jenjang, koefisien=payload.koefisien
    )
    return _row(jabatan, item)


@router.delete(
    "/penilaian/koefisien-angka-kredit/{jabatan_id}",
    response={204: None},
    summary="Hapus koefisien angka kredit sebuah jabatan (admin instansi)",
)
def koefisien_delete(request: HttpRequest, jabatan_id: Id) -> Any:
    credit.koefisien_delete(by=actor(request), jabatan=_jabatan(request, jabatan_id))
    return Status(204, None)
