"""JSON API for importing organisation data: the same service as the import page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from kinerja.accounts.models import User
from kinerja.core.errors import NotFound
from kinerja.core.params import Id

from .import_parse import RowError
from .importing import Kind, org_import
from .models import Instansi
from .services import require_admin

router = Router(tags=["impor"])


class RowErrorOut(Schema):
    row: int
    message: str


class OrgImportOut(Schema):
    created: int
    updated: int
    unchanged: int
    dry_run: bool
    errors: list[RowErrorOut]


class ErrorItemOut(Schema):
    """A bad row ({row, message}) or, for a malformed request, a bad field ({field, message})."""

    row: int | None = None
    field: str | None = None
    message: str


class ImportInvalidOut(Schema):
    detail: str
    code: str
    errors: list[ErrorItemOut]


def import_invalid(errors: Sequence[RowError]) -> Status[ImportInvalidOut]:
    """The 422 of a file saved with bad rows (nothing was written), for every import API."""
    n = len(errors)
    detail = ngettext(
        "Impor dibatalkan: %(n)s kesalahan ditemukan; tidak ada data yang disimpan.",
        "Impor dibatalkan: %(n)s kesalahan ditemukan; tidak ada data yang disimpan.",
        n,
    ) % {"n": n}
    rows = [ErrorItemOut(row=e.row, message=e.message) for e in errors]
    return Status(422, ImportInvalidOut(detail=detail, code="import_invalid", errors=rows))


@router.post(
    "/imports/{kind}",
    response={200: OrgImportOut, 422: ImportInvalidOut},
    summary="Impor unit, jabatan, atau pegawai dari CSV/XLSX (admin)",
    exclude_none=True,
    description=(
        "Multipart: `file` (.csv UTF-8 atau .xlsx), `instansi_id`, `dry_run` (bawaan true). "
        "Pratinjau (dry_run) selalu 200 dengan jumlah dan daftar kesalahan. Impor sungguhan "
        "yang menemukan kesalahan menjawab 422 dan tidak menyimpan apa pun."
    ),
)
def import_create(
    request: HttpRequest,
    kind: Kind,
    file: File[UploadedFile],
    instansi_id: Form[Id],
    dry_run: Form[bool] = True,
) -> Any:
    user = cast(User, request.user)
    require_admin(user, instansi_id)
    instansi = Instansi.objects.filter(pk=instansi_id).first()
    if instansi is None:
        raise NotFound(
            _("Instansi dengan id %(instansi_id)s tidak ditemukan.") % {"instansi_id": instansi_id}
        )
    result = org_import(
        by=user,
        instansi=instansi,
        kind=kind,
        file_name=file.name or "",
        content=file.read(settings.KINERJA_IMPORT_MAX_BYTES + 1),  # the service refuses more
        dry_run=dry_run,
    )
    if result.errors and not dry_run:
        return import_invalid(result.errors)
    return Status(
        200,
        {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "dry_run": result.dry_run,
            "errors": [{"row": e.row, "message": e.message} for e in result.errors],
        },
    )
