"""A read-only ModelAdmin whose rows come from `visible_to(request.user)`."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest


class VisibleReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Back-office view of data whose writes go through services (validated and audited)."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return self.model._default_manager.visible_to(request.user)  # type: ignore[no-any-return]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
