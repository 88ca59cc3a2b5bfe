from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from config.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    # First: every API call is matched against the patterns above it (two are empty-prefix
    # includes), and the API is what phones and other systems call most.
    path("api/v1/", api.urls),
    path("", include("kinerja.core.urls")),
    path("akun/", include("kinerja.accounts.urls")),
    path("org/", include("kinerja.org.urls")),
    path("skp/", include("kinerja.plans.urls")),
    path("realisasi/", include("kinerja.progress.urls")),
    path("notifikasi/", include("kinerja.notify.urls")),
    path("skm/", include("kinerja.surveys.urls")),
    path("", include("kinerja.surveys.public_urls")),
    path("penilaian/", include("kinerja.assessments.urls")),
    path("verifikasi/", include("kinerja.assessments.verify_urls")),
    path("pengembangan/", include("kinerja.development.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
