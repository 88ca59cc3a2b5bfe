from django.urls import URLPattern, URLResolver, path

from . import document_views

app_name = "plans"
urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:pk>/pdf/", document_views.skp_pdf, name="skp_pdf"),
    path("<int:pk>/xlsx/", document_views.skp_xlsx, name="skp_xlsx"),
]
