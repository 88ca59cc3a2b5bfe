"""Issuing the evaluation documents: each issued PDF gets an unguessable verification code, a QR
code pointing to the public page /verifikasi/<code>/, its bytes kept through Django's storage
API, and a DokumenTerbit row with the SHA-256 and the facts the document shows on its face.

Downloading again returns the stored bytes (same hash) until the data the document shows
changes (e.g. a keberatan decision): the next download then issues a new document, and the
older code's page says it was superseded.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts.models import User
from kinerja.audit import services as audit
from kinerja.core.errors import Conflict, NotFound, Refused, ServiceError
from kinerja.org.access import access_for
from kinerja.plans.documents import tanggal

from . import documents, guards
from .document_queries import EvaluasiData, evaluasi_data
from .models import DokumenTerbit, Evaluasi, JenisDokumen, StatusEvaluasi

CODE_BYTES = 18  # secrets.token_urlsafe(18): 24 characters, 144 random bits


def public_base_url(request_base: str | None) -> str:
    """KINERJA_PUBLIC_URL when set, else the requesting host (e.g. "https://kinerja.go.id")."""
    base = str(getattr(settings, "KINERJA_PUBLIC_URL", "") or request_base or "").strip()
    if not base.startswith(("http://", "https://")):
        raise ServiceError(
            _(
                "Alamat publik aplikasi belum diatur (KINERJA_PUBLIC_URL); dokumen tidak "
                "dapat diterbitkan."
            )
        )
    return base.rstrip("/")


def verification_url(base: str, code: str) -> str:
    return f"{base}/verifikasi/{code}/"


def latest(evaluasi: Evaluasi, kind: str) -> DokumenTerbit | None:
    return (
        DokumenTerbit.objects.filter(evaluasi_id=evaluasi.pk, kind=kind)
        .order_by("-issued_at", "-id")
        .first()
    )


def superseded_by(dokumen: DokumenTerbit) -> DokumenTerbit | None:
    """The next document issued for the same evaluation and kind, if any."""
    return (
        DokumenTerbit.objects.filter(
            evaluasi_id=dokumen.evaluasi_id, kind=dokumen.kind, id__gt=dokumen.pk
        )
        .order_by("id")
        .first()
    )


def stored_bytes(dokumen: DokumenTerbit) -> bytes:
    with dokumen.file.open("rb") as handle:
        data: bytes = handle.read()
    return data


def reads_only(by: object, evaluasi: Evaluasi) -> bool:
    """An auditor (or anyone else who only reads) may not issue: they get the issued document,
    or an unissued copy."""
    access = access_for(by)
    if access.is_superuser or access.can_admin_instansi(evaluasi.instansi_id):
        return False
    if access.pegawai_id is not None and access.pegawai_id in {
        evaluasi.pegawai_id,
        evaluasi.rater_id,
    }:
        return False
    if guards.is_pimpinan_of(by, evaluasi):
        return False
    decider = getattr(getattr(evaluasi, "keberatan", None), "decider_id", None)
    return not (access.pegawai_id is not None and access.pegawai_id == decider)


def facts_of(data: EvaluasiData, kind: str, issued_on: str) -> dict[str, str]:
    """Only what the document shows on its face."""
    return {
        "jenis": documents.TITLE_EVALUASI
        if kind == JenisDokumen.EVALUASI
        else documents.TITLE_DOKUMEN,
        "nama": data.pegawai.name,
        "nip": data.pegawai.nip,
        "periode": f"{data.periode_label} {data.year}",
        "predikat": documents.predikat_label(data.predikat),
        "tanggal_terbit": issued_on,
    }


@dataclass(frozen=True)
class Issued:
    dokumen: DokumenTerbit
    content: bytes
    created: bool


@transaction.atomic
def dokumen_issue(
    *, by: User, evaluasi: Evaluasi, kind: str, base_url: str | None = None
) -> Issued:
    """The current issued document of the evaluation: the stored one when the data it shows is
    unchanged, otherwise a newly rendered and stored one (audited)."""
    if kind not in JenisDokumen.values:
        raise ServiceError(_("Jenis dokumen tidak dikenal."), field="kind")
    evaluasi = Evaluasi.objects.select_for_update().get(pk=evaluasi.pk)
    if not Evaluasi.objects.visible_to(by).filter(pk=evaluasi.pk).exists():
        raise NotFound(_("Evaluasi tidak ditemukan."))
    if evaluasi.status != StatusEvaluasi.FINAL:
        raise Conflict(_("Dokumen hanya diterbitkan untuk evaluasi yang sudah final."))
    data = evaluasi_data(evaluasi)
    fingerprint = documents.fingerprint(data, kind)
    current = latest(evaluasi, kind)
    if current is not None and current.fingerprint == fingerprint:
        return Issued(current, stored_bytes(current), False)
    if reads_only(by, evaluasi):
        raise Refused(_("Auditor hanya dapat membaca dokumen yang sudah diterbitkan."))
    code = secrets.token_urlsafe(CODE_BYTES)
    issued_on = tanggal(timezone.localdate())
    url = verification_url(public_base_url(base_url), code)
    content = documents.pdf_bytes(
        data, kind, verification=documents.Verification(code, url, issued_on)
    )
    dokumen = DokumenTerbit(
        code=code,
        kind=kind,
        evaluasi=evaluasi,
        sha256=hashlib.sha256(content).hexdigest(),
        facts=facts_of(data, kind, issued_on),
        issued_by=by,
        size=len(content),
        fingerprint=fingerprint,
    )
    dokumen.file.save(f"{code}.pdf", ContentFile(content), save=False)
    dokumen.save()
    audit.record(
        "dokumen_issue",
        by=by,
        scope=evaluasi.instansi_id,
        target_type="evaluasi",
        target_id=evaluasi.pk,
        new={
            "dokumen_id": dokumen.pk,
            "kind": kind,
            "sha256": dokumen.sha256,
            "supersedes": current.pk if current else None,
        },
    )
    return Issued(dokumen, content, True)


def copy_bytes(evaluasi: Evaluasi, kind: str) -> bytes:
    """An unissued copy (no code, watermarked): drafts, and readers who may not issue."""
    data = evaluasi_data(evaluasi)
    watermark = "SALINAN" if evaluasi.status == StatusEvaluasi.FINAL else "DRAF"
    return documents.pdf_bytes(data, kind, verification=None, watermark=watermark)


def document_for(
    *, by: User, evaluasi: Evaluasi, kind: str, base_url: str | None
) -> tuple[bytes, str]:
    """What a download serves: the issued document of a final evaluation (issued now when
    needed), else a watermarked copy; never a draft to the rated pegawai. Returns (bytes,
    filename). The caller checked visibility."""
    if guards.is_rated(by, evaluasi) and evaluasi.status != StatusEvaluasi.FINAL:
        # The rated pegawai sees no rating or predicate of a draft, on paper either.
        raise Refused(_("Dokumen evaluasi Anda dapat diunduh setelah evaluasinya final."))
    nip = Evaluasi.objects.filter(pk=evaluasi.pk).values_list("pegawai__nip", flat=True).get()
    name = documents.filename(nip, evaluasi.year, evaluasi.period, kind)
    if evaluasi.status == StatusEvaluasi.FINAL:
        try:
            issued = dokumen_issue(by=by, evaluasi=evaluasi, kind=kind, base_url=base_url)
        except Refused:
            pass
        else:
            return issued.content, name
    return copy_bytes(evaluasi, kind), name
