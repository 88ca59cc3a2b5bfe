"""Short public addresses: the questionnaire (printed on the QR poster) and transparency."""

from django.urls import URLPattern, path

from . import public_views

urlpatterns: list[URLPattern] = [
    path("s/<slug:code>/", public_views.questionnaire, name="skm_form"),
    path("s/<slug:code>/terima-kasih/", public_views.thanks, name="skm_thanks"),
    path("transparansi/<str:code>/", public_views.transparency, name="skm_transparency"),
]
