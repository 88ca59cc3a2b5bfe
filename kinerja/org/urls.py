from django.urls import path

from . import import_views, views

app_name = "org"
urlpatterns = [
    path("saya/", views.me, name="me"),
    path("pegawai/", views.directory, name="directory"),
    path("pegawai/<int:pk>/", views.pegawai_detail, name="pegawai"),
    path("unit/", views.tree, name="tree"),
    path("unit/<int:pk>/", views.unit_detail, name="unit"),
    path("unit/<int:pk>/anak/", views.unit_children_fragment, name="unit_children"),
    path("impor/", import_views.import_page, name="import"),
]
