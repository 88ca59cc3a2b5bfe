from django.contrib import admin

from kinerja.core.admin_base import VisibleReadOnlyAdmin

from .models import Instansi, Jabatan, Pegawai, UnitKerja


@admin.register(Instansi)
class InstansiAdmin(VisibleReadOnlyAdmin):
    list_display = ("code", "name", "kind")
    search_fields = ("code", "name")


@admin.register(UnitKerja)
class UnitKerjaAdmin(VisibleReadOnlyAdmin):
    list_display = ("code", "name", "kind", "parent", "instansi")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    list_select_related = ("parent", "instansi")


@admin.register(Jabatan)
class JabatanAdmin(VisibleReadOnlyAdmin):
    list_display = ("code", "name", "jenis", "unit", "is_unit_head")
    fields = ("code", "name", "jenis", "unit", "parent", "is_unit_head", "instansi")
    list_filter = ("jenis", "is_unit_head")
    search_fields = ("code", "name")
    list_select_related = ("unit",)


@admin.register(Pegawai)
class PegawaiAdmin(VisibleReadOnlyAdmin):
    """Work data only: email, telepon, tanggal lahir, jenis kelamin and the login are personal
    data, shown to whom the profile page shows them, never here."""

    list_display = ("nip", "name", "jenis_asn", "pangkat_golongan", "jabatan")
    fields = (
        "nip",
        "jenis_asn",
        "front_title",
        "name",
        "back_title",
        "pangkat_golongan",
        "jabatan",
        "instansi",
    )
    list_filter = ("jenis_asn",)
    search_fields = ("nip", "name")
    list_select_related = ("jabatan",)
    show_full_result_count = False
