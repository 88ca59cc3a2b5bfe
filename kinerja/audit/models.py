"""Append-only audit events, chained by hash per scope (one chain per instansi, 0 for global)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit events cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events cannot be deleted")

    def for_target(self, target_type: str, target_id: int | str) -> AuditEventQuerySet:
        return self.filter(target_type=target_type, target_id=str(target_id))


class AuditEvent(models.Model):
    scope = models.PositiveBigIntegerField(
        _("lingkup"), help_text=_("ID instansi; 0 untuk kejadian tingkat sistem.")
    )
    sequence = models.PositiveBigIntegerField(_("nomor urut dalam lingkup"))
    at = models.DateTimeField(_("waktu"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pelaku"),
    )
    action = models.CharField(_("aksi"), max_length=64)
    target_type = models.CharField(_("jenis objek"), max_length=64)
    target_id = models.CharField(_("ID objek"), max_length=64)
    old_values = models.JSONField(_("nilai lama"), default=dict, blank=True)
    new_values = models.JSONField(_("nilai baru"), default=dict, blank=True)
    request_id = models.CharField(_("ID permintaan"), max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("kejadian audit")
        verbose_name_plural = _("kejadian audit")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "sequence"], name="audit_scope_sequence_unique"
            )
        ]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type}#{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events cannot be deleted")


class AuditChainHead(models.Model):
    """The last hash of each scope's chain; locked while an event is appended."""

    scope = models.PositiveBigIntegerField(primary_key=True)
    sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("kepala rantai audit")
        verbose_name_plural = _("kepala rantai audit")

    def __str__(self) -> str:
        return f"{self.scope}:{self.sequence}"
