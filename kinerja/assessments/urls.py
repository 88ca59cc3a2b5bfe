from django.urls import URLPattern, URLResolver, path

from . import views_documents

app_name = "assessments"
# Each area adds its own paths here (evaluation, 360, keberatan, distribution, documents).
urlpatterns: list[URLPattern | URLResolver] = []

# documents (views_documents.py)
urlpatterns += [
    path("<int:pk>/dokumen/<slug:jenis>.pdf", views_documents.evaluasi_pdf, name="dokumen_pdf"),
    path(
        "unit/<int:unit_pk>/<int:year>/<int:period>/rekap.xlsx",
        views_documents.rekap_xlsx,
        name="rekap_xlsx",
    ),
]
