"""Read-only back office for SKM set-up data. Answers are not listed here: their saran are read
on the IKM pages, in aggregate views only. Each page shows its allow-list of fields
(core.admin_base)."""

from django.contrib import admin

from kinerja.core.admin_base import VisibleReadOnlyAdmin

from .models import Layanan, RencanaTindakLanjut, SurveyPeriod


@admin.register(Layanan)
class LayananAdmin(VisibleReadOnlyAdmin):
    list_display = ("name", "code", "unit", "population", "active")
    list_filter = ("active",)
    search_fields = ("name", "code")
    list_select_related = ("unit",)


@admin.register(SurveyPeriod)
class SurveyPeriodAdmin(VisibleReadOnlyAdmin):
    list_display = ("label", "layanan", "start", "end")
    fields = ("label", "layanan", "kind", "year", "number", "start", "end")
    list_filter = ("kind", "year")
    list_select_related = ("layanan",)


@admin.register(RencanaTindakLanjut)
class RencanaTindakLanjutAdmin(VisibleReadOnlyAdmin):
    list_display = ("action", "unit", "layanan", "unsur", "owner", "due_date", "done_at")
    fields = (
        "action",
        "unit",
        "layanan",
        "kind",
        "year",
        "number",
        "unsur",
        "owner",
        "due_date",
        "done_at",
        "done_note",
        "created_by",
    )
    list_filter = ("kind", "year")
    list_select_related = ("unit", "layanan", "owner")
