"""`{{ value|localized }}`: a rule's message (kinerja.core.text.Text) in the reader's language."""

from __future__ import annotations

from django import template

from kinerja.core.errors import localize

register = template.Library()


@register.filter
def localized(value: object) -> str:
    return localize(value)
