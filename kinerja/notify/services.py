"""Every write of notifications and preferences. Email leaves only after the transaction that
created the notification commits, so a rolled-back action never sends mail.

INSTANT users get one email per notification; DIGEST users get one email a day (`send_digest`,
run daily from cron) listing their unread notifications of the last 24 hours; OFF users only see
the in-app list. A user without an email address, or an inactive one, gets no email.

Emails are written in the recipient's language (`language_of`: the one they chose on the
Notifikasi page, else the site's), not in the language of the request that caused them. A
notification's title and body are stored as written (Indonesian, like other stored records) and
sent as stored.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kinerja.accounts.models import User
from kinerja.audit import services as audit
from kinerja.core.errors import NotFound, ServiceError

from .models import EmailMode, Notification, NotificationPreference

log = logging.getLogger(__name__)

SUBJECT_PREFIX = "[Kinerja] "


def email_mode_of(user: User) -> str:
    return preference_of(user)["email_mode"]


def preference_of(user: User) -> dict[str, str]:
    """The email mode and language of `user` in one query (the defaults when never set)."""
    found = (
        NotificationPreference.objects.filter(user_id=user.pk)
        .values("email_mode", "language")
        .first()
    )
    if found is None:
        return {"email_mode": EmailMode.INSTANT, "language": str(settings.LANGUAGE_CODE)}
    return {"email_mode": found["email_mode"], "language": found["language"]}


def absolute(url: str) -> str:
    """A link usable from an email: prefixed with KINERJA_PUBLIC_URL when that is set."""
    base = str(getattr(settings, "KINERJA_PUBLIC_URL", "") or "").rstrip("/")
    return f"{base}{url}" if url.startswith("/") and base else url


def email_link(notification: Notification) -> str:
    """The link an email gives for a notification that points somewhere: its "open" address
    (`/notifikasi/<id>/buka/`), which marks it read and goes on to where it points, as opening it
    from the list does; "" for a notification without a link."""
    if not notification.url:
        return ""
    return absolute(reverse("notify:open", args=[notification.pk]))


def language_of(user: User) -> str:
    """The language of the emails to `user`: the one they chose (NotificationPreference), else
    the site's (LANGUAGE_CODE, Indonesian); never the language of whoever's request caused the
    email."""
    return preference_of(user)["language"]


def _email_body(notification: Notification) -> str:
    """The body in the active language; the stored title and body stay as they were written."""
    parts = [notification.body.strip()] if notification.body.strip() else []
    if notification.url:
        parts.append(_("Buka: %(url)s") % {"url": email_link(notification)})
    parts.append(_("Ubah pengaturan email di halaman Notifikasi."))
    return "\n\n".join(parts)


def _send_instant(notification_id: int) -> None:
    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None or not notification.user.email:
        return
    with translation.override(language_of(notification.user)):
        body = _email_body(notification)
    send_mail(SUBJECT_PREFIX + notification.title, body, None, [notification.user.email])


@transaction.atomic
def notify(*, user: User, kind: str, title: str, body: str = "", url: str = "") -> Notification:
    """Create an in-app notification; email it after commit for INSTANT users."""
    if not title.strip():
        raise ServiceError(_("Judul notifikasi wajib diisi."), field="title")
    notification = Notification.objects.create(
        user=user, kind=kind[:40], title=title.strip()[:200], body=body.strip(), url=url[:300]
    )
    if user.is_active and user.email and email_mode_of(user) == EmailMode.INSTANT:
        pk = notification.pk
        # robust: a mail server failure is logged; it must not turn a saved action into a 500.
        transaction.on_commit(lambda: _send_instant(pk), robust=True)
    return notification


@transaction.atomic
def notification_mark_read(*, by: User, notification: Notification) -> Notification:
    if notification.user_id != by.pk:
        raise NotFound(_("Notifikasi tidak ditemukan."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notification_mark_all_read(*, by: User) -> int:
    return Notification.objects.for_user(by).unread().update(read_at=timezone.now())


@transaction.atomic
def preference_set(
    *, by: User, email_mode: str | None = None, language: str | None = None
) -> NotificationPreference:
    """Set the email mode and/or the email language; None leaves that one as it is."""
    if email_mode is not None and email_mode not in EmailMode.values:
        raise ServiceError(
            _("Pilihan email tidak dikenal; pilih INSTANT, DIGEST atau OFF."), field="email_mode"
        )
    codes = [code for code, _name in settings.LANGUAGES]
    if language is not None and language not in codes:
        raise ServiceError(
            _("Bahasa email tidak dikenal; pilih %(codes)s.") % {"codes": ", ".join(codes)},
            field="language",
        )
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(user=by)
    wanted = {"email_mode": email_mode, "language": language}
    changed = {
        name: value
        for name, value in wanted.items()
        if value is not None and getattr(preference, name) != value
    }
    if changed:
        old = {name: getattr(preference, name) for name in changed}
        for name, value in changed.items():
            setattr(preference, name, value)
        fields = list(changed)
        if old.get("email_mode") == EmailMode.INSTANT and email_mode == EmailMode.DIGEST:
            preference.digest_from = timezone.now()  # emailed one by one until now
            fields.append("digest_from")
        preference.full_clean()
        preference.save(update_fields=fields)
        audit.record(
            "notification_preference_set", by=by, scope=0, target_type="user",
            target_id=by.pk, old=old, new=changed,
        )  # fmt: skip
    return preference


def _digest_subject(now: datetime) -> str:
    return SUBJECT_PREFIX + _("Ringkasan notifikasi %(date)s") % {
        "date": f"{timezone.localtime(now):%d-%m-%Y}"
    }


def _digest_body(notifications: list[Notification]) -> str:
    """The digest in the active language; each listed title as stored."""
    count = len(notifications)
    lines = [
        ngettext(
            "Anda memiliki %(n)s notifikasi belum dibaca dalam 24 jam terakhir:",
            "Anda memiliki %(n)s notifikasi belum dibaca dalam 24 jam terakhir:",
            count,
        )
        % {"n": count}
    ]
    for n in notifications:
        line = f"- {timezone.localtime(n.created_at):%d-%m-%Y %H:%M} {n.title}"
        if n.url:
            line += f"\n  {email_link(n)}"
        lines.append(line)
    lines.append("\n" + _("Ubah pengaturan email di halaman Notifikasi."))
    return "\n".join(lines)


def digest_send(*, now: datetime | None = None) -> int:
    """Send one digest email per DIGEST user who has unread notifications from the last day
    (and not already in an earlier digest).

    Idempotent per (local) day: a user is claimed by moving `last_digest_at` to now with a
    conditional UPDATE first, so a second run the same day (or a concurrent one) sends nothing.
    Returns the number of emails sent.
    """
    now = now or timezone.now()
    day_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    since = now - timedelta(days=1)
    due = (
        NotificationPreference.objects.filter(email_mode=EmailMode.DIGEST, user__is_active=True)
        .exclude(user__email="")
        .filter(Q(last_digest_at__isnull=True) | Q(last_digest_at__lt=day_start))
        .select_related("user")
        .order_by("pk")
    )
    sent = 0
    for preference in due:
        # Not what an earlier digest listed, nor what was emailed one by one before the switch.
        start = max(
            moment
            for moment in (since, preference.last_digest_at, preference.digest_from)
            if moment is not None
        )
        unread = list(
            Notification.objects.for_user(preference.user)
            .unread()
            .filter(created_at__gt=start, created_at__lte=now)
            .order_by("created_at", "id")
        )
        if not unread:
            continue
        claimed = (
            NotificationPreference.objects.filter(pk=preference.pk)
            .filter(Q(last_digest_at__isnull=True) | Q(last_digest_at__lt=day_start))
            .update(last_digest_at=now)
        )
        if not claimed:
            continue
        with translation.override(language_of(preference.user)):
            subject, body = _digest_subject(now), _digest_body(unread)
        try:
            send_mail(subject, body, None, [preference.user.email])
        except Exception:
            # Give the day back so the next run retries this user.
            NotificationPreference.objects.filter(pk=preference.pk).update(
                last_digest_at=preference.last_digest_at
            )
            log.exception("digest email to user %s failed", preference.user_id)
            continue
        sent += 1
    return sent
