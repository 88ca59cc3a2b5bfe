"""`{% form_key %}`: the hidden one-time key of a create form (kinerja.core.formkeys)."""

from __future__ import annotations

import uuid

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from kinerja.core.formkeys import FIELD

register = template.Library()


@register.simple_tag
def form_key() -> SafeString:
    """A new key at every render: a re-rendered form (after an error) is a new form."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, uuid.uuid4().hex)
