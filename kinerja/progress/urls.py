from django.urls import URLPattern, URLResolver, path

from . import evidence_views, feedback_views, team_views, views

app_name = "progress"
urlpatterns: list[URLPattern | URLResolver] = [
    path("bukti/<int:pk>/", evidence_views.bukti_download, name="bukti_download"),
    path("", views.index, name="index"),
    path("tim/", team_views.team, name="team"),
    path("unit/", team_views.unit, name="unit"),
    path("skp/<int:pk>/", views.skp_page, name="skp"),
    path("skp/<int:pk>/iki/<int:iki_id>/", views.record, name="record"),
    path(
        "skp/<int:pk>/iki/<int:iki_id>/rencana-aksi/", views.rencana_aksi_add, name="rencana_aksi"
    ),
    path("skp/<int:pk>/entri/<int:entry_id>/koreksi/", views.correct, name="correct"),
    path(
        "skp/<int:pk>/umpan-balik/<str:kind>/<int:target>/",
        feedback_views.umpan_balik_add,
        name="umpan_balik",
    ),
    path(
        "skp/<int:pk>/umpan-balik/<int:thread_id>/balas/",
        feedback_views.balasan_add,
        name="balasan",
    ),
    path("skp/<int:pk>/dialog/", feedback_views.dialog_add, name="dialog"),
    path(
        "skp/<int:pk>/tindak-lanjut/<int:item_id>/selesai/",
        feedback_views.tindak_lanjut_done,
        name="tindak_lanjut_done",
    ),
]
