"""The one table the core app owns: the one-time keys of create forms (kinerja.core.formkeys)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class FormKey(models.Model):
    """A create form's key, used once by one user. The unique constraint is the source of truth:
    two concurrent posts of the same form cannot both record it, so only one creates its rows.
    `object_ids` are the primary keys the first post created; a replay answers with them, when its
    content has the first post's `fingerprint`."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    action = models.CharField(max_length=64)
    object_ids = models.JSONField(default=list)
    # SHA-256 of the first post's content (formkeys.fingerprint); '' on keys recorded before it.
    fingerprint = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="core_formkey_user_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.key}"
