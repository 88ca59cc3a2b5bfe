"""JSON API for realisasi: record (with evidence upload and an idempotency key for retries from
a phone), correct, list with progress per IKI and RHK, and rencana aksi. Same services and
queries as the pages (docs/progress.md).

Every object comes from an SKP the caller may read (`Skp.objects.visible_to` or the rater's
superiors, as in the SKP API); anything else is a 404. The services decide who may write (403)
and which rule refuses (400/409).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import OuterRef, Q, Subquery
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from ninja import File, Form, Header, Query, Router, Status
from ninja.errors import ValidationError
from ninja.files import UploadedFile

from kinerja.core.api import PendingToken, SessionAuth, TokenAuth, verified_user
from kinerja.core.errors import ServiceError
from kinerja.core.formkeys import HEADER, header_key
from kinerja.core.params import Id
from kinerja.plans.api_items import actor, can_read, not_found, readable_skp
from kinerja.plans.models import Iki

from . import feedback_services, queries, quick, services
from .evidence_api import download_url
from .lineage import plan_ikis
from .models import BuktiDukung, Realisasi, RencanaAksi
from .schemas import (
    BuktiOut,
    CorrectIn,
    IkiProgressOut,
    RealisasiListOut,
    RealisasiOut,
    RencanaAksiIn,
    RencanaAksiOut,
    RhkProgressOut,
)

router = Router(tags=["Realisasi"])


class TooLarge(ServiceError):
    status = 413
    code = "too_large"


_CREATE_FIELDS = frozenset({"date", "value", "narrative", "rencana_aksi_id", "links"})
_CORRECT_FIELDS = frozenset({"value", "narrative", "reason", "links"})
_FORM_ALSO = frozenset({"csrfmiddlewaretoken"})  # a browser session's form may carry it


def _refuse_unknown(request: HttpRequest, fields: frozenset[str]) -> None:
    """A form field the operation does not take is a 422 naming it (as the JSON bodies'
    `extra="forbid"`), so a misspelt field is never dropped without a word; a file under any
    name but `files`, or `files` sent as text, likewise."""
    unknown = sorted((set(request.POST) - fields - _FORM_ALSO) | (set(request.FILES) - {"files"}))
    if unknown:
        raise ValidationError(
            [{"loc": ("form", n), "type": "extra_forbidden", "msg": "", "field": n}
             for n in unknown]
        )  # fmt: skip


def _checked_key(request: HttpRequest) -> str:
    """The raw `Idempotency-Key` (realisasi stores it as sent): at most 64 characters, a 400
    naming the header as on every other create endpoint."""
    key = str(request.headers.get(HEADER, ""))
    if len(key) > 64:
        raise ServiceError(_("Header Idempotency-Key paling panjang 64 karakter."), field=HEADER)
    return key


def _checked_files(files: list[UploadedFile]) -> None:
    limit = services.max_upload_bytes()
    for f in files:
        if f.size is not None and f.size > limit:
            raise TooLarge(
                _("Berkas %(name)r terlalu besar; paling besar %(limit_mb)s MB.")
                % {"name": f.name, "limit_mb": limit // (1024 * 1024)},
                field="files",
            )


# --- fetch helpers --------------------------------------------------------------------------


def _readable_iki(request: HttpRequest, iki_id: int) -> Iki:
    iki = Iki.objects.select_related("rhk__skp__pegawai").filter(pk=iki_id).first()
    if iki is None:
        raise not_found(_("IKI"), iki_id)
    # The owner may always read (as `Skp.objects.visible_to` says): Pegawai.user is one-to-one,
    # so the SKP's pegawai's account tells without the access queries; others need them.
    user_id = iki.rhk.skp.pegawai.user_id
    owner = user_id is not None and user_id == request.user.pk
    if not owner and not can_read(request.user, iki.rhk.skp):
        raise not_found(_("IKI"), iki_id)
    return iki


def _readable_realisasi(request: HttpRequest, realisasi_id: int) -> Realisasi:
    entry = Realisasi.objects.select_related("skp", "iki").filter(pk=realisasi_id).first()
    if entry is None or not can_read(request.user, entry.skp):
        raise not_found(pgettext("satu entri", "Realisasi"), realisasi_id)
    return entry


# --- output shapes --------------------------------------------------------------------------


def bukti_out(bukti: BuktiDukung) -> BuktiOut:
    if not bukti.file:
        return BuktiOut(id=bukti.pk, kind="link", url=bukti.url, download_url=None)
    return BuktiOut(
        id=bukti.pk,
        kind="file",
        url=reverse("progress:bukti_download", args=[bukti.pk]),
        download_url=download_url(bukti.pk),
        file_name=bukti.file_name,
        content_type=bukti.content_type,
        size=bukti.size,
    )


def realisasi_out(
    entry: Realisasi, corrected_by_id: int | None, bukti: list[BuktiDukung] | None = None
) -> RealisasiOut:
    return RealisasiOut(
        id=entry.pk,
        skp_id=entry.skp_id,
        iki_id=entry.iki_id,
        period=entry.period,
        date=entry.date,
        value=entry.value,
        narrative=entry.narrative,
        rencana_aksi_id=entry.rencana_aksi_id,
        corrects_id=entry.corrects_id,
        corrected_by_id=corrected_by_id,
        in_force=corrected_by_id is None,
        correction_reason=entry.correction_reason,
        created_by_id=entry.created_by_id,
        created_at=entry.created_at,
        bukti=[bukti_out(b) for b in (entry.bukti.all() if bukti is None else bukti)],
    )


def _one(entry_id: int, *, without_bukti: bool = False) -> RealisasiOut:
    """One entry as the list shows it, read back from the database (so a replay answers with
    exactly what the first request answered), with the entry replacing it in the same query.
    `without_bukti`: the caller knows it has none (just created without files or links), which
    spares the evidence query."""
    replaced_by = Realisasi.objects.filter(corrects_id=OuterRef("pk")).values("pk")[:1]
    found = Realisasi.objects.annotate(replaced_by_id=Subquery(replaced_by))
    if not without_bukti:
        found = found.prefetch_related("bukti")
    entry = found.get(pk=entry_id)
    replaced: int | None = getattr(entry, "replaced_by_id", None)  # the annotation
    return realisasi_out(entry, replaced, [] if without_bukti else None)


def rencana_aksi_out(item: RencanaAksi) -> RencanaAksiOut:
    return RencanaAksiOut(
        id=item.pk,
        skp_id=item.skp_id,
        iki_id=item.iki_id,
        period=item.period,
        text=item.text,
        created_at=item.created_at,
    )


# --- realisasi ------------------------------------------------------------------------------


@router.post(
    "/iki/{iki_id}/realisasi",
    response={200: RealisasiOut, 201: RealisasiOut},
    summary="Catat realisasi dengan bukti dukung (pemilik SKP)",
    auth=[TokenAuth(deferred=True), SessionAuth()],
    description=(
        "Multipart: `date`, `value` dan/atau `narrative`, `rencana_aksi_id`, `links` "
        "(boleh berulang), `files` (boleh berulang; PDF, JPG, PNG, WEBP, dokumen Office/ODF; "
        "jenis diperiksa dari isi berkas). Header `Idempotency-Key` (≤ 64 karakter): "
        "pengiriman ulang dengan kunci yang sama menjawab 200 dengan entri yang sama dan "
        "tidak membuat entri baru. Berkas terlalu besar: 413."
    ),
)
def realisasi_create(
    request: HttpRequest,
    iki_id: Id,
    date: Form[datetime.date],
    value: Form[str | None] = None,
    narrative: Form[str] = "",
    rencana_aksi_id: Form[Id | None] = None,
    links: Form[list[str]] = [],  # noqa: B006 - ninja copies defaults
    files: File[list[UploadedFile]] = [],  # noqa: B006
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),  # type: ignore[type-arg]
) -> Any:
    _refuse_unknown(request, _CREATE_FIELDS)
    idempotency_key = _checked_key(request)
    plain = rencana_aksi_id is None and not files and not any(link.strip() for link in links)
    pending = getattr(request, "auth", None)
    if plain and isinstance(pending, PendingToken):  # one statement, or None: the usual path
        quick_entry = quick.realisasi_record_quick(
            token=pending.raw, iki_id=iki_id, day=date, value=value, narrative=narrative,
            key=idempotency_key or "",
        )  # fmt: skip
        if quick_entry is not None:
            return Status(201, realisasi_out(quick_entry, None, []))
    verified_user(request)
    iki = _readable_iki(request, iki_id)
    _checked_files(list(files))
    entry, created = services.realisasi_record(
        by=actor(request),
        iki=iki,
        day=date,
        value=value,
        narrative=narrative,
        rencana_aksi_id=rencana_aksi_id,
        uploads=services.uploads_from(list(files)),
        links=[link for link in links if link.strip()],
        idempotency_key=idempotency_key or None,
    )
    plain = created and not files and not any(link.strip() for link in links)
    return Status(201 if created else 200, _one(entry.pk, without_bukti=plain))


@router.get(
    "/skp/{skp_id}/realisasi",
    response=RealisasiListOut,
    summary="Realisasi sebuah SKP dengan capaian per IKI dan per RHK",
    description=(
        "Semua entri (termasuk yang sudah dikoreksi, dengan `in_force` false), terbaru dulu, "
        "juga entri periode yang sudah dievaluasi pada versi SKP sebelumnya (dengan `skp_id` "
        "dan `iki_id` versi itu; capaian IKI menghitungnya). "
        "Dengan `period`: entri periode itu saja, dan capaian kumulatif sampai periode itu."
    ),
)
def realisasi_list(
    request: HttpRequest,
    skp_id: Id,
    period: int | None = Query(None, ge=1, le=12),  # type: ignore[type-arg]
) -> Any:
    skp = readable_skp(request, skp_id)
    plan = plan_ikis(skp)  # with what an evaluated period kept on an earlier version
    copies = plan[1]
    entries_qs = Realisasi.objects.filter(Q(skp=skp) | Q(iki_id__in=list(copies)))
    entries_qs = entries_qs.order_by("-date", "-id")
    if period is not None:
        feedback_services.check_period(skp, period)  # a period the SKP's year has (400 otherwise)
        entries_qs = entries_qs.filter(period=period)
    entries = list(entries_qs.prefetch_related("bukti"))
    # A correction always has its original's period, so the map is complete within a period.
    replaced_by = {e.corrects_id: e.pk for e in entries if e.corrects_id is not None}
    progress = queries.iki_progress(skp, period=period, plan=plan)
    per_rhk = queries.rhk_progress(progress)
    items = sorted(progress.values(), key=lambda p: (p.iki.rhk.order, p.iki.rhk_id, p.iki.order))
    return RealisasiListOut(
        skp_id=skp.pk,
        period=period,
        entries=[realisasi_out(e, replaced_by.get(e.pk)) for e in entries],
        iki=[
            IkiProgressOut(
                iki_id=p.iki.pk,
                rhk_id=p.iki.rhk_id,
                text=p.iki.text,
                aspek=p.iki.aspek,
                target_value=p.iki.target_value,
                target_unit=p.iki.target_unit,
                target_narrative=p.iki.target_narrative,
                baseline=p.iki.baseline,
                direction=p.iki.direction,
                realised=p.realised,
                percent=p.percent,
                narrative_only=p.narrative_only,
            )
            for p in items
        ],
        rhk=[RhkProgressOut(rhk_id=k, percent=v) for k, v in sorted(per_rhk.items())],
    )


def _number(value: Any) -> Any:
    """A value sent as text, as the number it reads as: a retry's "2.00" or "2,00" then carries
    the content of the first post's 2 (the key's fingerprint compares numbers by value). Text
    that is not a number is passed on as sent, and the service says why."""
    if isinstance(value, str):
        try:
            return services.parse_value(value)
        except ServiceError:
            return value
    return value


@router.post(
    "/realisasi/{realisasi_id}/correct",
    response={201: RealisasiOut},
    summary="Koreksi realisasi (pemilik SKP): entri baru, yang lama tetap tercatat",
)
def realisasi_correct(request: HttpRequest, realisasi_id: Id, payload: CorrectIn) -> Any:
    original = _readable_realisasi(request, realisasi_id)
    entry = services.realisasi_correct(
        by=actor(request),
        realisasi=original,
        value=_number(payload.value),
        narrative=payload.narrative,
        reason=payload.reason,
        form_key=header_key(request),
    )
    return Status(201, _one(entry.pk))


@router.post(
    "/realisasi/{realisasi_id}/correct-with-evidence",
    response={201: RealisasiOut},
    summary="Koreksi realisasi dengan bukti dukung baru (pemilik SKP; multipart)",
    description=(
        "Seperti `/correct`, sebagai multipart: `reason`, `value` dan/atau `narrative`, "
        "`links` (boleh berulang), `files` (boleh berulang; jenis diperiksa dari isi berkas). "
        "Bukti entri lama tetap pada entri lama; entri koreksi membawa bukti yang dikirim di "
        "sini. Header `Idempotency-Key` seperti pada endpoint pembuatan lain. Berkas terlalu "
        "besar: 413."
    ),
)
def realisasi_correct_with_evidence(
    request: HttpRequest,
    realisasi_id: Id,
    reason: Form[str],
    value: Form[str | None] = None,
    narrative: Form[str] = "",
    links: Form[list[str]] = [],  # noqa: B006 - ninja copies defaults
    files: File[list[UploadedFile]] = [],  # noqa: B006
) -> Any:
    _refuse_unknown(request, _CORRECT_FIELDS)
    original = _readable_realisasi(request, realisasi_id)
    _checked_files(list(files))
    entry = services.realisasi_correct(
        by=actor(request),
        realisasi=original,
        value=_number(value),
        narrative=narrative,
        reason=reason,
        uploads=services.uploads_from(list(files)),
        links=[link for link in links if link.strip()],
        form_key=header_key(request),
    )
    return Status(201, _one(entry.pk))


# --- rencana aksi ---------------------------------------------------------------------------


@router.post(
    "/iki/{iki_id}/rencana-aksi",
    response={201: RencanaAksiOut},
    summary="Tambah rencana aksi sebuah IKI untuk satu periode (pemilik SKP)",
)
def rencana_aksi_create(request: HttpRequest, iki_id: Id, payload: RencanaAksiIn) -> Any:
    iki = _readable_iki(request, iki_id)
    item = services.rencana_aksi_add(
        by=actor(request),
        iki=iki,
        period=payload.period,
        text=payload.text,
        form_key=header_key(request),
    )
    return Status(201, rencana_aksi_out(item))


@router.get(
    "/skp/{skp_id}/rencana-aksi",
    response=list[RencanaAksiOut],
    summary="Rencana aksi sebuah SKP",
)
def rencana_aksi_list(
    request: HttpRequest,
    skp_id: Id,
    period: int | None = Query(None, ge=1, le=12),  # type: ignore[type-arg]
) -> Any:
    skp = readable_skp(request, skp_id)
    items = RencanaAksi.objects.filter(skp=skp).order_by("period", "iki_id", "id")
    if period is not None:
        feedback_services.check_period(skp, period)  # a period the SKP's year has (400 otherwise)
        items = items.filter(period=period)
    return [rencana_aksi_out(i) for i in items]
