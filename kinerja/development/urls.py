from django.urls import URLPattern, URLResolver, path

from . import views, views_edit, views_files, views_training

app_name = "development"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.kasus_list, name="kasus_list"),
    path("kasus/<int:pk>/", views.kasus_detail, name="kasus"),
    path("sesi/<int:pk>/", views.sesi_detail, name="sesi"),
    path("sesi/<int:pk>/ubah/", views_edit.sesi_edit, name="sesi_edit"),
    path("sesi/<int:pk>/hapus/", views_edit.sesi_withdraw, name="sesi_withdraw"),
    path("sesi/<int:pk>/b18.pdf", views.b18_pdf, name="b18_pdf"),
    path("sesi/<int:pk>/b19.pdf", views.b19_pdf, name="b19_pdf"),
    path("pelatihan/", views_training.pelatihan_list, name="pelatihan"),
    path("pelatihan/<int:pk>/ubah/", views_edit.pelatihan_edit, name="pelatihan_edit"),
    path("saya/", views_training.mine, name="mine"),
    path("pegawai/<int:pk>/", views_training.pegawai_page, name="pegawai"),
    path("unit/", views_training.unit_index, name="unit_index"),
    path("unit/<int:pk>/jp/", views_training.unit_jp, name="unit_jp"),
    path("unit/<int:pk>/penghargaan/", views_training.unit_penghargaan, name="unit_penghargaan"),
    path("tindak-lanjut/", views_training.tindak_lanjut, name="tindak_lanjut"),
    path("sertifikat/<int:pk>/", views_files.sertifikat, name="sertifikat"),
]
