"""Request types for views that require login (for precise typing of `request.user`)."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from .models import User


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails
