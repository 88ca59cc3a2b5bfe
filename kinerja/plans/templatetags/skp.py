"""Small template filters of the SKP pages."""

from __future__ import annotations

from django import template

from kinerja.plans.models import StatusSkp

register = template.Library()

_LABELS = dict(StatusSkp.choices)


@register.filter
def status_label(code: str) -> str:
    """DRAFT → "Draf" (in the active language); unknown codes pass through."""
    return str(_LABELS.get(code, code))
