"""The public verification page of issued documents, mounted at /verifikasi/ (no login)."""

from django.urls import URLPattern, URLResolver, path

from . import views_documents

app_name = "verifikasi"
urlpatterns: list[URLPattern | URLResolver] = [
    path("<str:code>/", views_documents.dokumen_verify, name="dokumen"),
]
