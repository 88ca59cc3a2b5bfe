from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .models import Notification


def unread(request: HttpRequest) -> dict[str, Any]:
    """`unread_notifications`: the logged-in user's unread count, one COUNT query, run only
    when a template shows it (htmx fragments that do not show the menu cost nothing)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    user_id = user.pk
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: Notification.objects.filter(user_id=user_id, read_at__isnull=True).count()
        )
    }
