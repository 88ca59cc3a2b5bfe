"""Evidence (bukti dukung) of a realisasi: reading uploads within the limits, checking each file
by its content and each link, then storing them through Django's storage API. Called by the
realisasi services (services.py), which own the transaction and the audit event."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from kinerja.core import stored_files
from kinerja.core.errors import ServiceError

from . import rules
from .models import BuktiDukung, Realisasi


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes


MAX_FILES = 10  # per entry, files and links each: a request holds at most 10 × the size limit


def max_upload_bytes() -> int:
    return int(getattr(settings, "KINERJA_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))


_LINK = URLValidator(schemes=["http", "https"])
LINK_MAX = 500  # characters, as BuktiDukung.url


def store_evidence(realisasi: Realisasi, uploads: list[Upload], links: list[str]) -> None:
    """Check every file and link first, then write: a refused one leaves no file behind (the
    storage is not transactional, so a file saved before a later refusal would stay)."""
    limit = max_upload_bytes()
    if len(uploads) > MAX_FILES or len(links) > MAX_FILES:
        raise ServiceError(
            _("Paling banyak %(max)s berkas dan %(max)s tautan per entri.") % {"max": MAX_FILES},
            field="files" if len(uploads) > MAX_FILES else "links",
        )
    checked: list[tuple[Upload, str]] = []
    for upload in uploads:
        if len(upload.content) == 0:
            raise ServiceError(_("Berkas %(name)r kosong.") % {"name": upload.name}, field="files")
        if len(upload.content) > limit:
            raise ServiceError(
                _("Berkas %(name)r terlalu besar; paling besar %(limit_mb)s MB.")
                % {"name": upload.name, "limit_mb": limit // (1024 * 1024)},
                field="files",
            )
        try:
            checked.append((upload, rules.sniff_kind(upload.content, upload.name)))
        except rules.EvidenceRefused as exc:
            raise ServiceError(f"{upload.name}: {_(str(exc))}", field="files") from exc
    urls = [link.strip() for link in links]
    for url in urls:
        if len(url) > LINK_MAX:
            raise ServiceError(
                _("Tautan bukti paling panjang %(max)s karakter.") % {"max": LINK_MAX},
                field="links",
            )
        try:
            _LINK(url)
        except ValidationError:
            raise ServiceError(
                _("Tautan bukti harus alamat http(s) yang lengkap, mis. https://drive.go.id/…"),
                field="links",
            ) from None
    for upload, kind in checked:
        bukti = BuktiDukung(
            realisasi=realisasi,
            file_name=rules.safe_file_name(upload.name, kind),
            content_type=rules.ALLOWED_KINDS[kind],
            size=len(upload.content),
            sha256=hashlib.sha256(upload.content).hexdigest(),
        )
        bukti.file.save(f"{uuid.uuid4().hex}.{kind}", ContentFile(upload.content), save=False)
        stored_files.note(bukti.file)
        bukti.save()
    for url in urls:
        BuktiDukung.objects.create(realisasi=realisasi, url=url)


def uploads_from(files: list[UploadedFile[bytes]]) -> list[Upload]:
    """Read uploaded files, refusing one that is too large (or too many) before reading."""
    if len(files) > MAX_FILES:
        raise ServiceError(
            _("Paling banyak %(max)s berkas dan %(max)s tautan per entri.") % {"max": MAX_FILES},
            field="files",
        )
    result = []
    for f in files:
        if f.size is not None and f.size > max_upload_bytes():
            raise ServiceError(
                _("Berkas %(name)r terlalu besar; paling besar %(limit_mb)s MB.")
                % {"name": f.name, "limit_mb": max_upload_bytes() // (1024 * 1024)},
                field="files",
            )
        result.append(Upload(f.name or "bukti", f.read()))
    return result
