"""In-app notifications and each user's email preference. Depends only on accounts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailMode(models.TextChoices):
    INSTANT = "INSTANT", _("Langsung, satu email per kejadian")
    DIGEST = "DIGEST", _("Ringkasan harian")
    OFF = "OFF", _("Tidak ada email")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, user: object) -> NotificationQuerySet:
        """Notifications are private: only the addressee sees them (admins included)."""
        user_id = getattr(user, "pk", None)
        if user_id is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user_id=user_id)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("jenis"), max_length=40)
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"), blank=True)
    url = models.CharField(_("tautan"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["user", "created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            models.Index(fields=["user", "-created_at"], name="notification_user_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_mode = models.CharField(
        _("email notifikasi"), max_length=8, choices=EmailMode.choices, default=EmailMode.INSTANT
    )
    language = models.CharField(
        _("bahasa email"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    last_digest_at = models.DateTimeField(_("ringkasan terakhir"), null=True, blank=True)
    # When the user went from INSTANT to DIGEST: what came before was emailed one by one, so no
    # digest lists it again (services.digest_send).
    digest_from = models.DateTimeField(_("ringkasan sejak"), null=True, blank=True)

    class Meta:
        verbose_name = _("preferensi notifikasi")
        verbose_name_plural = _("preferensi notifikasi")
        constraints = [
            models.CheckConstraint(
                condition=Q(email_mode__in=["INSTANT", "DIGEST", "OFF"]),
                name="notification_email_mode_valid",
            ),
            models.CheckConstraint(
                condition=Q(language__in=["id", "en"]), name="notification_language_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email_mode}"
