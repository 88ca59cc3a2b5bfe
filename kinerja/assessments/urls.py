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

# umpan balik 360 (views_360.py)
from . import views_360  # noqa: E402

urlpatterns += [
    path("360/", views_360.inbox, name="360_inbox"),
    path("360/<int:pk>/", views_360.answer, name="360_answer"),
    path("360/<int:pk>/batal/", views_360.withdraw, name="360_withdraw"),
    path("<int:pk>/360/", views_360.panel, name="360_panel"),
    path("<int:pk>/360/minta/", views_360.request_reviewers, name="360_request"),
]

# distribution, calibration, consistency, settings, annual closing (views_distribution.py)
from . import views_distribution as vd  # noqa: E402

urlpatterns += [
    path("distribusi/", vd.distribusi_home, name="distribusi_home"),
    path("distribusi/unit/<int:unit_pk>/", vd.distribusi, name="distribusi"),
    path("kalibrasi/unit/<int:unit_pk>/", vd.kalibrasi, name="kalibrasi"),
    path("<int:pk>/kalibrasi/", vd.kalibrasi_post, name="kalibrasi_post"),
    path("konsistensi/unit/<int:unit_pk>/", vd.konsistensi, name="konsistensi"),
    path("pengaturan/", vd.pengaturan, name="pengaturan"),
    path("penutupan/", vd.penutupan, name="penutupan"),
    path("penutupan/<int:pk>/", vd.penutupan_detail, name="penutupan_detail"),
]

# keberatan (views_keberatan.py)
from . import views_keberatan  # noqa: E402

urlpatterns += [
    path("<int:pk>/keberatan/", views_keberatan.file_page, name="keberatan_file"),
    path("keberatan/", views_keberatan.inbox, name="keberatan_inbox"),
    path("keberatan/<int:pk>/", views_keberatan.detail, name="keberatan_detail"),
    path("keberatan/<int:pk>/penjelasan/", views_keberatan.explain, name="keberatan_explain"),
    path("keberatan/<int:pk>/putusan/", views_keberatan.decide, name="keberatan_decide"),
]

# the evaluation itself: team, evaluation page, own evaluations, capaian (views.py)
from . import views  # noqa: E402

urlpatterns += [
    path("tim/", views.team, name="tim"),
    path("saya/", views.mine, name="saya"),
    path("capaian/", views.capaian, name="capaian"),
    path("skp/<int:skp_pk>/<int:period>/mulai/", views.open_evaluation, name="mulai"),
    path("<int:pk>/", views.detail, name="evaluasi"),
    path("<int:pk>/predikat/", views.predikat_preview, name="predikat"),
    path("<int:pk>/rating/", views.rate, name="rating"),
    path("<int:pk>/catatan/", views.catatan, name="catatan"),
    path("<int:pk>/finalisasi/", views.finalize, name="finalisasi"),
    path("<int:pk>/buka-kembali/", views.reopen, name="buka_kembali"),
]

# angka kredit coefficients (views_credit.py)
from . import views_credit  # noqa: E402

urlpatterns += [path("angka-kredit/", views_credit.koefisien, name="koefisien")]
