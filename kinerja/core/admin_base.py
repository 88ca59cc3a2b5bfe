"""A read-only ModelAdmin whose rows come from `visible_to(request.user)`.

It shows an allow-list of fields, never the whole row: `fields` when the admin names them, else
the model fields of `list_display`. A pegawai's personal data (email, telepon, tanggal lahir,
jenis kelamin, the login) and secrets (token and password hashes, respondents' answers) are left
out of every list and page, and the rows may be filtered only by `list_filter`'s fields (a
filter on another field, `?email__startswith=a`, would reveal it one guess at a time).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.filters import SimpleListFilter
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest


class VisibleReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Back-office view of data whose writes go through services (validated and audited)."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return self.model._default_manager.visible_to(request.user)  # type: ignore[no-any-return]

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> list[Any]:
        if self.fields:
            return list(self.fields)
        return [name for name in self.list_display if self._is_model_field(name)]

    def _is_model_field(self, name: Any) -> bool:
        if not isinstance(name, str):
            return False
        try:
            self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        return True

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        allowed = {self.date_hierarchy} if self.date_hierarchy else set()
        for item in self.get_list_filter(request):
            if isinstance(item, type) and issubclass(item, SimpleListFilter):
                allowed.add(str(item.parameter_name))
            elif isinstance(item, (list, tuple)):
                allowed.add(str(item[0]))
            else:
                allowed.add(str(item))
        filtered = any(lookup == a or lookup.startswith(a + LOOKUP_SEP) for a in allowed)
        return filtered and super().lookup_allowed(lookup, value, request)

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
