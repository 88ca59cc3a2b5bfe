"""The import page: upload, preview (dry run), then save the previewed file or import directly.

A clean preview keeps the uploaded file in the default storage under impor/ (keyed by a random
token held in the session), so "Simpan" does not need a second upload. The file is removed once
saved; leftovers older than a day are removed by the next preview.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from kinerja.accounts.http import AuthedRequest
from kinerja.core.errors import ServiceError

from .access import access_for
from .importing import COLUMNS, ImportResult, org_import
from .models import Instansi

SESSION_KEY = "org_import_pending"
STASH_DIR = "impor"
SHOWN_ERRORS = 500
KIND_CHOICES = [("unit", _("Unit kerja")), ("jabatan", _("Jabatan")), ("pegawai", _("Pegawai"))]


class ImportForm(forms.Form):
    instansi = forms.ModelChoiceField(
        queryset=Instansi.objects.none(), label=_("Instansi"), empty_label=_("Pilih instansi")
    )
    kind = forms.ChoiceField(label=_("Jenis data"), choices=KIND_CHOICES)
    file = forms.FileField(
        label=_("File CSV atau XLSX"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args: Any, instansi: QuerySet[Instansi], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["instansi"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = instansi
        if len(instansi) == 1:
            field.initial = instansi[0].pk


def administered(request: AuthedRequest) -> QuerySet[Instansi]:
    access = access_for(request.user)
    if access.is_superuser:
        return Instansi.objects.all()
    return Instansi.objects.filter(pk__in=access.admin_instansi_ids)


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: AuthedRequest) -> HttpResponse:
    choices = administered(request)
    if not choices.exists():
        raise PermissionDenied("Hanya admin kepegawaian yang boleh mengimpor data.")
    action = request.POST.get("action", "")
    if action == "confirm":
        return _confirm(request)
    form = ImportForm(request.POST or None, request.FILES or None, instansi=choices)
    result: ImportResult | None = None
    pending = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload is None:
            form.add_error("file", _("Pilih file CSV atau XLSX."))
        else:
            content = upload.read(settings.KINERJA_IMPORT_MAX_BYTES + 1)  # the service says why
            try:
                result = org_import(
                    by=request.user,
                    instansi=form.cleaned_data["instansi"],
                    kind=form.cleaned_data["kind"],
                    file_name=upload.name or "",
                    content=content,
                    dry_run=action != "save",
                )
            except ServiceError as exc:
                form.add_error("file" if exc.field == "file" else None, exc.message)
            else:
                if not result.dry_run and result.ok:
                    return _saved(request, result)
                if result.ok:
                    pending = _stash(request, form.cleaned_data, upload.name or "", content)
    return _render(request, form, result, pending)


def _render(
    request: AuthedRequest, form: ImportForm, result: ImportResult | None, pending: Any
) -> HttpResponse:
    context = {
        "form": form,
        "result": result,
        "shown_errors": result.errors[:SHOWN_ERRORS] if result else [],
        "hidden_errors": max(len(result.errors) - SHOWN_ERRORS, 0) if result else 0,
        "pending": pending,
        "columns": [
            (label, COLUMNS[kind].required, COLUMNS[kind].optional) for kind, label in KIND_CHOICES
        ],
    }
    return render(request, "org/import.html", context, status=200)


def _saved(request: AuthedRequest, result: ImportResult) -> HttpResponse:
    messages.success(
        request,
        _("Impor tersimpan: %(c)d baru, %(u)d diubah, %(s)d tidak berubah.")
        % {"c": result.created, "u": result.updated, "s": result.unchanged},
    )
    return redirect("org:import")


def _stash(
    request: AuthedRequest, data: dict[str, Any], file_name: str, content: bytes
) -> dict[str, Any]:
    _forget(request)
    _sweep()
    token = secrets.token_urlsafe(24)
    suffix = PurePath(file_name).suffix.lower()
    path = default_storage.save(f"{STASH_DIR}/{token}{suffix}", ContentFile(content))
    pending = {
        "token": token,
        "path": path,
        "instansi_id": data["instansi"].pk,
        "instansi": str(data["instansi"]),
        "kind": data["kind"],
        "kind_label": str(dict(KIND_CHOICES)[data["kind"]]),
        "file_name": file_name,
        "user_id": request.user.pk,
    }
    request.session[SESSION_KEY] = pending
    return pending


def _forget(request: AuthedRequest) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        default_storage.delete(pending["path"])


def _sweep() -> None:
    """Remove previews nobody saved (older than a day)."""
    try:
        _dirs, files = default_storage.listdir(STASH_DIR)
        cutoff = timezone.now() - timedelta(days=1)
        for name in files:
            path = f"{STASH_DIR}/{name}"
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
    except (FileNotFoundError, NotImplementedError):
        return


def _confirm(request: AuthedRequest) -> HttpResponse:
    pending = request.session.get(SESSION_KEY)
    token = request.POST.get("token", "")
    if (
        not pending
        or not secrets.compare_digest(pending["token"], token)
        or pending["user_id"] != request.user.pk
    ):
        messages.error(request, _("Pratinjau tidak ditemukan atau sudah kedaluwarsa; unggah lagi."))
        return redirect("org:import")
    instansi = administered(request).filter(pk=pending["instansi_id"]).first()
    if instansi is None:
        raise PermissionDenied
    try:
        with default_storage.open(pending["path"], "rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        request.session.pop(SESSION_KEY, None)
        messages.error(request, _("File pratinjau sudah tidak ada; unggah lagi."))
        return redirect("org:import")
    form = ImportForm(
        initial={"instansi": instansi.pk, "kind": pending["kind"]}, instansi=administered(request)
    )
    try:
        result = org_import(
            by=request.user,
            instansi=instansi,
            kind=pending["kind"],
            file_name=pending["file_name"],
            content=content,
            dry_run=False,
        )
    except ServiceError as exc:
        form.add_error(None, exc.message)
        return _render(request, form, None, None)
    if result.ok:
        _forget(request)
        return _saved(request, result)
    return _render(request, form, result, None)
