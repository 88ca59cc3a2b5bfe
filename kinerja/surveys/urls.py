from django.urls import URLPattern, URLResolver, path

from . import import_views, report_views, views

app_name = "surveys"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("layanan/baru/", views.layanan_new, name="layanan_new"),
    path("layanan/<int:pk>/", views.layanan_detail, name="layanan"),
    path("layanan/<int:pk>/poster.<str:fmt>", views.poster_file, name="poster"),
    path("layanan/<int:pk>/ikm/<str:key>/", views.ikm_layanan, name="ikm_layanan"),
    path("layanan/<int:pk>/ikm/<str:key>/rtl/", views.rtl_add, name="rtl_add"),
    path(
        "layanan/<int:pk>/ikm/<str:key>/laporan.<str:fmt>",
        report_views.layanan_report,
        name="report",
    ),
    path("rtl/saya/", views.my_rtl, name="my_rtl"),
    path("rtl/<int:pk>/selesai/", views.rtl_done, name="rtl_done"),
    path("impor/", import_views.import_page, name="import"),
    path("petugas/<int:pk>/", report_views.petugas_page, name="petugas"),
]
