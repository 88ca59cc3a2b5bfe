import json
from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString

from .masking import mask_values
from .models import AuditEvent


def _shown(values: Any) -> SafeString:
    text = json.dumps(mask_values(values), ensure_ascii=False, indent=2, sort_keys=True)
    return format_html("<pre>{}</pre>", text)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only; superadmins see every scope, others only through the app's audit pages.

    Old and new values are shown with personal data masked (kinerja.audit.masking); what is stored
    and chained stays as recorded. Rows filter only by `list_filter`, never by a value's content.
    """

    list_display = ("at", "scope", "sequence", "action", "target_type", "target_id", "actor")
    list_filter = ("action", "target_type")
    search_fields = ("target_id", "request_id")
    show_full_result_count = False
    fields = (
        "at",
        "scope",
        "sequence",
        "actor",
        "action",
        "target_type",
        "target_id",
        "old_values_masked",
        "new_values_masked",
        "request_id",
        "prev_hash",
        "hash",
    )
    readonly_fields = fields

    @admin.display(description=AuditEvent._meta.get_field("old_values").verbose_name)
    def old_values_masked(self, event: AuditEvent) -> SafeString:
        return _shown(event.old_values)

    @admin.display(description=AuditEvent._meta.get_field("new_values").verbose_name)
    def new_values_masked(self, event: AuditEvent) -> SafeString:
        return _shown(event.new_values)

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        """`?new_values__email__startswith=b` would reveal an address one guess at a time."""
        allowed = any(lookup == f or lookup.startswith(f + "__") for f in self.list_filter)
        return allowed and super().lookup_allowed(lookup, value, request)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request).select_related("actor")
        return qs if request.user.is_superuser else qs.none()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return bool(request.user.is_superuser)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
