from django.urls import URLPattern, URLResolver, path

from . import views_files

app_name = "development"
urlpatterns: list[URLPattern | URLResolver] = [
    path("sertifikat/<int:pk>/", views_files.sertifikat, name="sertifikat"),
]
