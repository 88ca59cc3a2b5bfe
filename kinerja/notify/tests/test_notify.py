"""Notifications: in-app rows, email after commit (INSTANT), the daily digest (DIGEST), the
unread badge, the page and the JSON API. Each user sees only their own notifications."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.shortcuts import resolve_url
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from kinerja.accounts.models import User
from kinerja.audit.models import AuditEvent
from kinerja.core.errors import NotFound, ServiceError
from kinerja.notify import services
from kinerja.notify.context_processors import unread
from kinerja.notify.models import Notification, NotificationPreference
from kinerja.org.testing import Cast

API = "/api/v1"
Login = Callable[[str], Client]


def ping(user: User, title: str = "Umpan balik baru", **extra: Any) -> Notification:
    return services.notify(user=user, kind="umpan_balik", title=title, url="/skp/1/", **extra)


# --- notify and email ---------------------------------------------------------------------


def test_instant_email_leaves_after_commit(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    staf = cast.user("staf_a")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notice = ping(staf, body="Tolong lengkapi bukti.")
    assert Notification.objects.get() == notice and notice.read_at is None
    assert mail.outbox == []
    [callback] = callbacks
    callback()
    [message] = mail.outbox
    assert message.to == [staf.email] and message.subject == "[Kinerja] Umpan balik baru"
    assert "Tolong lengkapi bukti." in message.body
    assert f"Buka: /notifikasi/{notice.pk}/buka/" in message.body  # marks it read, then /skp/1/


def test_email_link_uses_the_site_url(
    cast: Cast, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.KINERJA_PUBLIC_URL = "https://kinerja.contoh.go.id/"
    with django_capture_on_commit_callbacks(execute=True):
        notice = ping(cast.user("staf_a"))
    assert f"https://kinerja.contoh.go.id/notifikasi/{notice.pk}/buka/" in mail.outbox[0].body


def test_following_an_email_link_marks_the_notification_read(
    cast: Cast, login: Login, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The link in the instant email and in the digest is the notification's "open" address:
    after logging in it is read, and the reader lands where it points."""
    staf, kasi = cast.user("staf_a"), cast.user("kasi")
    services.preference_set(by=kasi, email_mode="DIGEST")
    with django_capture_on_commit_callbacks(execute=True):
        instant = ping(staf)
        digested = ping(kasi)
    assert services.digest_send() == 1
    by_to = {m.to[0]: m.body for m in mail.outbox}
    for name, notice in (("staf_a", instant), ("kasi", digested)):
        link = f"/notifikasi/{notice.pk}/buka/"
        assert link in by_to[cast.user(name).email]
        anonymous = Client().get(link)
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith(resolve_url(settings.LOGIN_URL))
        opened = login(name).get(link)
        assert opened.status_code == 302 and opened["Location"] == "/skp/1/"
        notice.refresh_from_db()
        assert notice.read_at is not None
    bare = services.notify(user=staf, kind="x", title="Tanpa tautan", body="Isi.")
    assert services.email_link(bare) == ""
    assert "Buka" not in services._email_body(bare)


@pytest.mark.parametrize("mode", ["DIGEST", "OFF"])
def test_no_instant_email_for_digest_or_off(
    cast: Cast, django_capture_on_commit_callbacks: Any, mode: str
) -> None:
    staf = cast.user("staf_a")
    services.preference_set(by=staf, email_mode=mode)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ping(staf)
    assert callbacks == [] and mail.outbox == []
    assert Notification.objects.filter(user=staf).count() == 1


def test_no_email_without_an_address(cast: Cast, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        ping(cast.admin)  # the admin account has no email address
    assert mail.outbox == []


def test_a_mail_failure_does_not_break_the_action(
    cast: Cast, settings: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError("SMTP down")

    monkeypatch.setattr(services, "send_mail", broken)
    with django_capture_on_commit_callbacks(execute=True):
        ping(cast.user("staf_a"))  # robust on_commit: logged, not raised
    assert Notification.objects.count() == 1


def test_title_is_required(cast: Cast) -> None:
    with pytest.raises(ServiceError):
        ping(cast.user("staf_a"), title="  ")


# --- read state and preference ------------------------------------------------------------


def test_mark_read_is_for_the_addressee_only(cast: Cast) -> None:
    mine = ping(cast.user("staf_a"))
    with pytest.raises(NotFound):
        services.notification_mark_read(by=cast.user("staf_b"), notification=mine)
    services.notification_mark_read(by=cast.user("staf_a"), notification=mine)
    mine.refresh_from_db()
    first = mine.read_at
    assert first is not None
    services.notification_mark_read(by=cast.user("staf_a"), notification=mine)
    mine.refresh_from_db()
    assert mine.read_at == first  # idempotent


def test_mark_all_read(cast: Cast) -> None:
    staf, other = cast.user("staf_a"), cast.user("staf_b")
    for _ in range(3):
        ping(staf)
    ping(other)
    assert services.notification_mark_all_read(by=staf) == 3
    assert services.notification_mark_all_read(by=staf) == 0
    assert Notification.objects.filter(user=other, read_at__isnull=True).count() == 1


def test_preference_is_validated_and_audited(cast: Cast) -> None:
    staf = cast.user("staf_a")
    assert services.email_mode_of(staf) == "INSTANT"
    with pytest.raises(ServiceError):
        services.preference_set(by=staf, email_mode="WEEKLY")
    services.preference_set(by=staf, email_mode="DIGEST")
    services.preference_set(by=staf, email_mode="DIGEST")
    assert services.email_mode_of(staf) == "DIGEST"
    [event] = AuditEvent.objects.filter(action="notification_preference_set")
    assert event.new_values == {"email_mode": "DIGEST"} and event.actor_id == staf.pk


def test_email_language_is_validated_audited_and_kept_apart_from_the_mode(cast: Cast) -> None:
    staf = cast.user("staf_a")
    assert services.language_of(staf) == "id"
    with pytest.raises(ServiceError) as refused:
        services.preference_set(by=staf, language="fr")
    assert refused.value.field == "language" and "id, en" in str(refused.value)
    assert not NotificationPreference.objects.filter(user=staf).exists()
    services.preference_set(by=staf, email_mode="DIGEST")
    services.preference_set(by=staf, language="en")
    services.preference_set(by=staf, language="en")
    assert services.language_of(staf) == "en" and services.email_mode_of(staf) == "DIGEST"
    events = AuditEvent.objects.filter(action="notification_preference_set").order_by("pk")
    assert [(e.old_values, e.new_values) for e in events] == [
        ({"email_mode": "INSTANT"}, {"email_mode": "DIGEST"}),
        ({"language": "id"}, {"language": "en"}),
    ]


# --- daily digest -------------------------------------------------------------------------


def test_digest_sends_one_email_per_digest_user_once_a_day(cast: Cast) -> None:
    a, b, instant, quiet = (cast.user(n) for n in ("staf_a", "staf_b", "kasi", "kabid"))
    for user in (a, b, quiet):
        services.preference_set(by=user, email_mode="DIGEST")
    now = timezone.now()
    ping(a, "Satu")
    ping(a, "Dua")
    ping(b, "Tiga")
    ping(instant, "Langsung")
    old = ping(b, "Kemarin lusa")
    Notification.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=2))
    read = ping(b, "Sudah dibaca")
    services.notification_mark_read(by=b, notification=read)
    mail.outbox.clear()

    out = io.StringIO()
    call_command("send_digest", stdout=out)
    assert "2 ringkasan terkirim" in out.getvalue()
    by_to = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_to) == sorted([a.email, b.email])
    assert "Satu" in by_to[a.email].body and "Dua" in by_to[a.email].body
    body_b = by_to[b.email].body
    assert "Tiga" in body_b and "Kemarin lusa" not in body_b and "Sudah dibaca" not in body_b

    call_command("send_digest", stdout=io.StringIO())  # the same day: nothing more
    assert len(mail.outbox) == 2
    assert NotificationPreference.objects.get(user=a).last_digest_at is not None
    assert NotificationPreference.objects.get(user=quiet).last_digest_at is None

    tomorrow = now + timedelta(days=1)
    later = ping(a, "Besok")
    Notification.objects.filter(pk=later.pk).update(created_at=tomorrow - timedelta(hours=1))
    assert services.digest_send(now=tomorrow) == 1
    assert "Besok" in mail.outbox[-1].body


def test_emails_are_written_in_the_recipients_language_not_the_requests(
    cast: Cast, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """An action taken in English (a cookie or Accept-Language of the actor) mails someone
    else: the email's own text is in the recipient's language (here, having chosen none, the
    site's), and the stored title stays as written."""
    composed_in: list[str | None] = []
    real_absolute = services.absolute

    def spy(url: str) -> str:
        composed_in.append(translation.get_language())
        return real_absolute(url)

    monkeypatch.setattr(services, "absolute", spy)
    staf, kasi = cast.user("staf_a"), cast.user("kasi")
    services.preference_set(by=kasi, email_mode="DIGEST")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        ping(staf, "Umpan balik baru", body="Tolong lengkapi bukti.")
        ping(kasi, "Dialog kinerja baru")
        assert services.digest_send() == 1
    assert composed_in == ["id", "id"]
    by_to = {m.to[0]: m for m in mail.outbox}
    instant, digest = by_to[staf.email], by_to[kasi.email]
    assert instant.subject == "[Kinerja] Umpan balik baru"
    assert "Buka: /notifikasi/" in instant.body
    assert instant.body.endswith("Ubah pengaturan email di halaman Notifikasi.")
    assert digest.subject.startswith("[Kinerja] Ringkasan notifikasi ")
    assert digest.body.startswith("Anda memiliki 1 notifikasi belum dibaca dalam 24 jam terakhir:")
    assert "Dialog kinerja baru" in digest.body
    assert services.language_of(staf) == "id"  # LANGUAGE_CODE


def test_a_recipient_who_chose_english_gets_english_emails(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    """The recipient's choice wins over the request's language and the site's."""
    staf, kasi = cast.user("staf_a"), cast.user("kasi")
    services.preference_set(by=staf, language="en")
    services.preference_set(by=kasi, email_mode="DIGEST", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        ping(staf, "Umpan balik baru")
        ping(kasi, "Dialog kinerja baru")
    assert services.digest_send() == 1
    by_to = {m.to[0]: m for m in mail.outbox}
    instant, digest = by_to[staf.email], by_to[kasi.email]
    assert instant.subject == "[Kinerja] Umpan balik baru"  # the stored title, as written
    assert instant.body.endswith("Change your email settings on the Notifications page.")
    assert "Ubah pengaturan" not in instant.body
    assert "Ubah pengaturan" not in digest.body and "Dialog kinerja baru" in digest.body


def test_a_failed_digest_is_retried(cast: Cast, monkeypatch: Any) -> None:
    staf = cast.user("staf_a")
    services.preference_set(by=staf, email_mode="DIGEST")
    ping(staf)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError("SMTP down")

    with monkeypatch.context() as patch:
        patch.setattr(services, "send_mail", broken)
        assert services.digest_send() == 0
    assert NotificationPreference.objects.get(user=staf).last_digest_at is None
    assert services.digest_send() == 1


# --- badge and page -----------------------------------------------------------------------


def test_unread_count_is_one_query(cast: Cast, django_assert_num_queries: Any) -> None:
    staf = cast.user("staf_a")
    ping(staf)
    read = ping(staf)
    ping(cast.user("staf_b"))
    services.notification_mark_read(by=staf, notification=read)
    request = RequestFactory().get("/")
    request.user = staf
    context = unread(request)
    with django_assert_num_queries(1):
        assert context["unread_notifications"] == 1
        assert str(context["unread_notifications"]) == "1"  # evaluated once


def test_unread_count_for_anonymous_costs_nothing(db: None, django_assert_num_queries: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert unread(request) == {"unread_notifications": 0}


def test_page_lists_marks_and_sets_the_preference(cast: Cast, login: Login) -> None:
    staf = cast.user("staf_a")
    first, second = ping(staf, "Pertama"), ping(staf, "Kedua")
    ping(cast.user("staf_b"), "Punya orang lain")
    client = login("staf_a")
    html = client.get(reverse("notify:list")).content.decode()
    assert "Notifikasi (<span" in html and 'id="unread-count">2<' in html
    assert "Pertama" in html and "Kedua" in html and "Punya orang lain" not in html
    response = client.post(reverse("notify:read", args=[first.pk]))
    assert response.status_code == 302
    html = client.get(reverse("notify:list")).content.decode()
    assert "Pertama" not in html and 'id="unread-count">1<' in html
    assert "Pertama" in client.get(reverse("notify:list"), {"semua": "1"}).content.decode()
    other = Notification.objects.get(title="Punya orang lain")
    assert client.post(reverse("notify:read", args=[other.pk])).status_code == 404
    client.post(reverse("notify:read_all"))
    second.refresh_from_db()
    assert second.read_at is not None
    client.post(reverse("notify:preference"), {"email_mode": "DIGEST"})
    assert services.email_mode_of(staf) == "DIGEST"
    client.post(reverse("notify:preference"), {"email_mode": "HOURLY"})
    assert services.email_mode_of(staf) == "DIGEST"
    html = client.get(reverse("notify:list")).content.decode()
    assert 'name="language" value="id"' in html and "Bahasa email" in html
    client.post(reverse("notify:preference"), {"email_mode": "DIGEST", "language": "en"})
    assert services.language_of(staf) == "en"
    refused = client.post(
        reverse("notify:preference"), {"email_mode": "OFF", "language": "xx"}, follow=True
    )
    assert "Bahasa email tidak dikenal." in refused.content.decode()
    assert (services.email_mode_of(staf), services.language_of(staf)) == ("DIGEST", "en")


def test_the_page_reaches_older_notifications(
    cast: Cast, login: Login, django_assert_num_queries: Any
) -> None:
    """Past the newest PAGE_SIZE: "Lebih lama" pages on (as a fragment under htmx), a bad or
    too large page number shows the nearest page, and the query count does not grow."""
    from kinerja.notify.views import PAGE_SIZE

    staf = cast.user("staf_a")
    for i in range(PAGE_SIZE + 3):
        ping(staf, f"Notifikasi ke-{i:03d}")
    client = login("staf_a")
    url = reverse("notify:list")
    first = client.get(url, {"semua": "1"}).content.decode()
    assert "Notifikasi ke-052" in first and "Notifikasi ke-002" not in first
    assert "Lebih lama" in first and "Halaman 1 dari 2" in first
    assert 'href="?semua=1&amp;hal=2"' in first
    older = client.get(url, {"semua": "1", "hal": "2"}).content.decode()
    assert "Notifikasi ke-002" in older and "Notifikasi ke-000" in older
    assert "Notifikasi ke-003" not in older and "Lebih baru" in older
    fragment = client.get(url, {"semua": "1", "hal": "2"}, headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert "Notifikasi ke-000" in html and "<html" not in html and "Email notifikasi" not in html
    restore = client.get(
        url, {"semua": "1", "hal": "2"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )  # fmt: skip
    assert "<html" in restore.content.decode()  # a history restore gets the whole page
    for bad in ("0", "-1", "abc", "99999999999999999999999"):
        response = client.get(url, {"semua": "1", "hal": bad})
        assert response.status_code == 200, bad
    assert "Notifikasi ke-000" in client.get(url, {"semua": "1", "hal": "9"}).content.decode()
    unread = client.get(url, {"hal": "2"}).content.decode()  # unread ones page the same way
    assert "Notifikasi ke-000" in unread and 'href="?hal=1"' in unread
    with django_assert_num_queries(9) as few:  # session, user, nav (3), badge, count, rows, mode
        client.get(url, {"semua": "1", "hal": "2"})
    for i in range(PAGE_SIZE):
        ping(staf, f"Lagi {i}")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url, {"semua": "1", "hal": "3"})


def test_marking_one_read_returns_to_the_same_page(cast: Cast, login: Login) -> None:
    staf = cast.user("staf_a")
    oldest = ping(staf, "Paling lama")
    for i in range(60):
        ping(staf, f"Baru {i}")
    client = login("staf_a")
    page = client.get(reverse("notify:list"), {"hal": "2"}).content.decode()
    assert 'name="next" value="/notifikasi/?hal=2"' in page
    done = client.post(reverse("notify:read", args=[oldest.pk]), {"next": "/notifikasi/?hal=2"})
    assert done["Location"] == "/notifikasi/?hal=2"


def test_page_needs_login(client: Client, db: None) -> None:
    response = client.get(reverse("notify:list"))
    assert response.status_code == 302 and "/akun/" in response["Location"]


# --- JSON API ------------------------------------------------------------------------------


def body(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return json.loads(response.content)


def test_api(cast: Cast, login: Login) -> None:
    staf = cast.user("staf_a")
    first, _second = ping(staf, "Pertama"), ping(staf, "Kedua")
    theirs = ping(cast.user("staf_b"), "Punya orang lain")
    client = login("staf_a")
    page = body(client.get(f"{API}/notifications"))
    assert [n["title"] for n in page["items"]] == ["Kedua", "Pertama"]
    assert page["unread_count"] == 2 and page["has_next"] is False
    assert body(client.get(f"{API}/notifications", {"page_size": 1}))["has_next"] is True
    second_page = body(client.get(f"{API}/notifications", {"page_size": 1, "page": 2}))
    assert [n["title"] for n in second_page["items"]] == ["Pertama"]
    assert second_page["page"] == 2 and second_page["has_next"] is False
    for params in ({"page": 0}, {"page": 10_001}, {"page": "x"}, {"page_size": 0},
                   {"page_size": 101}, {"page_size": "semua"}):  # fmt: skip
        refused = body(client.get(f"{API}/notifications", params), 422)
        assert refused["code"] == "invalid", params
    read = body(client.post(f"{API}/notifications/{first.pk}/read"))
    assert read["read_at"] is not None
    assert [n["title"] for n in body(client.get(f"{API}/notifications?unread=true"))["items"]] == [
        "Kedua"
    ]
    missing = client.post(f"{API}/notifications/{theirs.pk}/read")
    assert body(missing, 404)["code"] == "not_found"
    assert body(client.post(f"{API}/notifications/read-all")) == {"marked": 1}
    put = client.put(
        f"{API}/notifications/preference",
        data=json.dumps({"email_mode": "OFF"}),
        content_type="application/json",
    )
    assert body(put) == {"email_mode": "OFF", "language": "id"}
    assert body(client.get(f"{API}/notifications/preference")) == {
        "email_mode": "OFF",
        "language": "id",
    }
    english = client.put(
        f"{API}/notifications/preference",
        data=json.dumps({"language": "en"}),
        content_type="application/json",
    )
    assert body(english) == {"email_mode": "OFF", "language": "en"}
    unknown = client.put(
        f"{API}/notifications/preference",
        data=json.dumps({"language": "fr"}),
        content_type="application/json",
    )
    assert body(unknown, 422)["code"] == "invalid"
    bad = client.put(
        f"{API}/notifications/preference",
        data=json.dumps({"email_mode": "WEEKLY"}),
        content_type="application/json",
    )
    assert body(bad, 422)["code"] == "invalid"


def test_api_preference_refuses_unknown_keys(cast: Cast, login: Login) -> None:
    """A misspelt key is a 422 naming it, as on every other body, and nothing changes."""
    client = login("staf_a")
    for payload, field in (({"foo": 1}, "foo"), ({"emailmode": "OFF"}, "emailmode")):
        put = client.put(
            f"{API}/notifications/preference",
            data=json.dumps(payload),
            content_type="application/json",
        )
        refused = body(put, 422)
        assert refused["code"] == "invalid"
        assert refused["errors"] == [{"field": field, "message": "Isian ini tidak dikenal."}]
    assert services.preference_of(cast.user("staf_a"))["email_mode"] == "INSTANT"


def test_api_needs_authentication(client: Client, db: None) -> None:
    assert client.get(f"{API}/notifications").status_code == 401


def test_the_email_choice_is_made_on_the_notification_page(cast: Cast, login: Login) -> None:
    """The page offers the three modes as radio buttons, the current one checked."""
    staf = login("staf_a")
    page = staf.get("/notifikasi/").content.decode()
    assert page.count('type="radio" name="email_mode"') == 3
    assert re.search(r'<input[^>]*value="INSTANT"[^>]*checked', page)
    done = staf.post("/notifikasi/preferensi/", {"email_mode": "DIGEST"})
    assert done.status_code == 302
    page = staf.get(done["Location"]).content.decode()
    assert "Pengaturan email notifikasi disimpan." in page
    assert re.search(r'<input[^>]*value="DIGEST"[^>]*checked', page)
    assert not re.search(r'<input[^>]*value="INSTANT"[^>]*checked', page)
    assert services.email_mode_of(cast.user("staf_a")) == "DIGEST"


def test_the_django_admin_shows_a_superadmin_only_their_own_notifications(cast: Cast) -> None:
    theirs = ping(cast.user("staf_a"), title="Keberatan Dewi ditolak")
    mine = ping(cast.superadmin, title="Impor selesai")
    client = Client()
    client.force_login(cast.superadmin)
    body = client.get("/admin/notify/notification/").content.decode()
    assert "Impor selesai" in body
    assert "Keberatan Dewi ditolak" not in body
    response = client.get(f"/admin/notify/notification/{theirs.pk}/change/", follow=True)
    assert "Keberatan Dewi ditolak" not in response.content.decode()
    assert client.get(f"/admin/notify/notification/{mine.pk}/change/").status_code == 200
    response = client.post(
        f"/admin/notify/notification/{mine.pk}/change/", {"title": "Diubah", "kind": "x"}
    )
    assert response.status_code == 403
    assert Notification.objects.get(pk=mine.pk).title == "Impor selesai"


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(
    cast: Cast, login: Login
) -> None:
    staf = cast.user("staf_a")
    mine = ping(staf, "Umpan balik baru")  # url /skp/1/
    elsewhere = services.notify(user=staf, kind="x", title="Luar", url="https://evil.example/")
    theirs = ping(cast.user("staf_b"), "Punya orang lain")
    client = login("staf_a")
    html = client.get(reverse("notify:list")).content.decode()
    assert f'href="{reverse("notify:open", args=[mine.pk])}"' in html
    opened = client.get(reverse("notify:open", args=[mine.pk]))
    assert opened.status_code == 302 and opened["Location"] == "/skp/1/"
    mine.refresh_from_db()
    first_read = mine.read_at
    assert first_read is not None
    client.get(reverse("notify:open", args=[mine.pk]))  # again: still the first moment
    mine.refresh_from_db()
    assert mine.read_at == first_read
    away = client.get(reverse("notify:open", args=[elsewhere.pk]))
    assert away["Location"] == reverse("notify:list")  # never off the site
    assert client.get(reverse("notify:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
