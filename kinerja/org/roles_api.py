"""JSON API for granting the admin and auditor roles of an instansi."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from kinerja.accounts.models import User
from kinerja.core.errors import NotFound
from kinerja.core.params import Id, In

from . import services
from .models import Instansi, PeranAkses

router = Router(tags=["peran"])


class PeranIn(In):
    username: str = Field(min_length=1, max_length=32)
    instansi_id: Id
    role: str = Field(description="ADMIN atau AUDITOR")


class PeranOut(Schema):
    id: int
    user_id: int
    username: str
    instansi_id: int
    role: str


def _out(grant: PeranAkses) -> PeranOut:
    return PeranOut(
        id=grant.pk,
        user_id=grant.user_id,
        username=grant.user.username,
        instansi_id=grant.instansi_id,
        role=grant.role,
    )


@router.post("/peran-akses", response={201: PeranOut}, summary="Beri peran admin/auditor")
def peran_create(request: HttpRequest, payload: PeranIn) -> Any:
    instansi = Instansi.objects.visible_to(request.user).filter(pk=payload.instansi_id).first()
    if instansi is None:
        raise NotFound(
            _("Instansi dengan id %(instansi_id)s tidak ditemukan.")
            % {"instansi_id": payload.instansi_id}
        )
    user = User.objects.filter(username=payload.username.strip()).first()
    if user is None:
        raise NotFound(_("Akun '%(username)s' tidak ditemukan.") % {"username": payload.username})
    grant = services.peran_grant(
        by=cast(User, request.user), user=user, instansi=instansi, role=payload.role
    )
    return Status(201, _out(grant))
