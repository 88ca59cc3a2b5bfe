from django.urls import URLPattern, URLResolver

app_name = "assessments"
# Each area adds its own paths here (evaluation, 360, keberatan, distribution, documents).
urlpatterns: list[URLPattern | URLResolver] = []
