from django.urls import URLPattern, URLResolver, path

from . import board_views, document_views, edit_views, rater_views, views

app_name = "plans"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.mine, name="mine"),
    path("tim/", rater_views.team, name="team"),
    path("pohon/", board_views.pohon, name="pohon"),
    path("status/", board_views.status, name="status"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/pendekatan/", views.set_pendekatan, name="pendekatan"),
    path("<int:pk>/ajukan/", views.submit, name="submit"),
    path("<int:pk>/kembalikan/", rater_views.return_skp, name="return"),
    path("<int:pk>/setujui/", rater_views.approve, name="approve"),
    path("<int:pk>/perubahan/", views.revise, name="revise"),
    path("<int:pk>/rhk/", edit_views.rhk_add, name="rhk_add"),
    path("<int:pk>/rhk/<int:rhk_id>/", edit_views.rhk_edit, name="rhk_edit"),
    path("<int:pk>/rhk/<int:rhk_id>/hapus/", edit_views.rhk_delete, name="rhk_delete"),
    path("<int:pk>/rhk/<int:rhk_id>/turunkan/", rater_views.cascade, name="cascade"),
    path("<int:pk>/rhk/<int:rhk_id>/iki/", edit_views.iki_add, name="iki_add"),
    path("<int:pk>/iki/<int:iki_id>/", edit_views.iki_edit, name="iki_edit"),
    path("<int:pk>/iki/<int:iki_id>/hapus/", edit_views.iki_delete, name="iki_delete"),
    path("<int:pk>/ekspektasi/<int:code>/", rater_views.ekspektasi, name="ekspektasi"),
    path("<int:pk>/lampiran/", edit_views.lampiran_add, name="lampiran_add"),
    path(
        "<int:pk>/lampiran/<int:lampiran_id>/hapus/",
        edit_views.lampiran_delete,
        name="lampiran_delete",
    ),
    path("<int:pk>/pdf/", document_views.skp_pdf, name="skp_pdf"),
    path("<int:pk>/xlsx/", document_views.skp_xlsx, name="skp_xlsx"),
]
