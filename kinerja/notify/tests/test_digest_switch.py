"""Switching from one email per notification (INSTANT) to the daily digest: what was already
emailed one by one is not listed again in the next digest (NotificationPreference.digest_from)."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from kinerja.notify import services
from kinerja.notify.models import Notification, NotificationPreference
from kinerja.org.testing import Cast


def test_the_first_digest_leaves_out_what_was_emailed_before_the_switch(
    cast: Cast, django_capture_on_commit_callbacks: object
) -> None:
    user = cast.user("staf_a")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.notify(user=user, kind="uji", title="Sudah terkirim satu per satu")
    assert [m.subject for m in mail.outbox][-1].endswith("Sudah terkirim satu per satu")
    switched = timezone.now()
    Notification.objects.update(created_at=switched - timedelta(minutes=5))
    services.preference_set(by=user, email_mode="DIGEST")
    preference = NotificationPreference.objects.get(user=user)
    assert preference.digest_from is not None and preference.digest_from >= switched
    services.notify(user=user, kind="uji", title="Sesudah beralih")
    mail.outbox.clear()
    assert services.digest_send(now=timezone.now() + timedelta(hours=1)) == 1
    body = mail.outbox[0].body
    assert "Sesudah beralih" in body and "Sudah terkirim satu per satu" not in body


def test_from_off_to_digest_the_unread_of_the_day_are_listed(cast: Cast) -> None:
    user = cast.user("staf_b")
    services.preference_set(by=user, email_mode="OFF")
    services.notify(user=user, kind="uji", title="Belum pernah dikirim")
    services.preference_set(by=user, email_mode="DIGEST")
    assert NotificationPreference.objects.get(user=user).digest_from is None
    mail.outbox.clear()
    assert services.digest_send(now=timezone.now() + timedelta(hours=1)) == 1
    assert "Belum pernah dikirim" in mail.outbox[0].body
