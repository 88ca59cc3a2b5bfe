"""`{{ value|localized }}`: a rule's message (kinerja.core.text.Text) in the reader's language;
`{{ names|lookup:key }}`: the name of a key in a mapping (the key itself when it has none)."""

from __future__ import annotations

from collections.abc import Mapping

from django import template

from kinerja.core.errors import localize

register = template.Library()


@register.filter
def localized(value: object) -> str:
    return localize(value)


@register.filter
def lookup(mapping: object, key: object) -> object:
    if isinstance(mapping, Mapping):
        return mapping.get(key, key)
    return key
