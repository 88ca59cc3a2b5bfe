"""JSON API of the caller's own notifications and email preference."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, cast

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import ConfigDict

from kinerja.accounts.models import User
from kinerja.core.errors import NotFound
from kinerja.core.params import Id, In, Page, PageSize

from . import services
from .models import Notification

router = Router(tags=["Notifikasi"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Schema):
    items: list[NotificationOut]
    unread_count: int
    page: int
    has_next: bool


class ReadAllOut(Schema):
    marked: int


class PreferenceIn(In):
    """Either or both; an unknown key (a misspelt `emailmode`) is a 422, never ignored."""

    model_config = ConfigDict(extra="forbid")

    email_mode: Literal["INSTANT", "DIGEST", "OFF"] | None = None
    language: Literal["id", "en"] | None = None


class PreferenceOut(Schema):
    email_mode: str
    language: str


def _me(request: HttpRequest) -> User:
    return cast(User, request.user)


def _out(n: Notification) -> NotificationOut:
    return NotificationOut(
        id=n.pk, kind=n.kind, title=n.title, body=n.body, url=n.url,
        created_at=n.created_at, read_at=n.read_at,
    )  # fmt: skip


@router.get("/notifications", response=NotificationPage, summary="Notifikasi saya")
def notification_list(
    request: HttpRequest,
    unread: bool = False,
    page: Page = 1,
    page_size: PageSize = 25,
) -> Any:
    mine = Notification.objects.for_user(request.user)
    qs = mine.unread() if unread else mine
    offset = (page - 1) * page_size
    rows = list(qs[offset : offset + page_size + 1])
    return NotificationPage(
        items=[_out(n) for n in rows[:page_size]],
        unread_count=mine.unread().count(),
        page=page,
        has_next=len(rows) > page_size,
    )


@router.post(
    "/notifications/{notification_id}/read",
    response=NotificationOut,
    summary="Tandai satu notifikasi sudah dibaca",
)
def notification_read(request: HttpRequest, notification_id: Id) -> Any:
    found = Notification.objects.for_user(request.user).filter(pk=notification_id).first()
    if found is None:
        raise NotFound(
            _("Notifikasi dengan id %(notification_id)s tidak ditemukan.")
            % {"notification_id": notification_id}
        )
    return _out(services.notification_mark_read(by=_me(request), notification=found))


@router.post("/notifications/read-all", response=ReadAllOut, summary="Tandai semua sudah dibaca")
def notification_read_all(request: HttpRequest) -> Any:
    return ReadAllOut(marked=services.notification_mark_all_read(by=_me(request)))


@router.put("/notifications/preference", response=PreferenceOut, summary="Atur email notifikasi")
def preference_put(request: HttpRequest, payload: PreferenceIn) -> Any:
    preference = services.preference_set(
        by=_me(request), email_mode=payload.email_mode, language=payload.language
    )
    return PreferenceOut(email_mode=preference.email_mode, language=preference.language)


@router.get("/notifications/preference", response=PreferenceOut, summary="Email notifikasi")
def preference_get(request: HttpRequest) -> Any:
    return PreferenceOut(**services.preference_of(_me(request)))
