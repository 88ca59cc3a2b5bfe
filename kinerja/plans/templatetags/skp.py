"""Small template filters and tags of the SKP pages.

The pohon kinerja, the status board and their unit picker can run to thousands of rows (a Dinas
of 1,500 pegawai has ~2,700 RHKs, an instansi ~800 units). Rendered through template tags each
row cost ~0.05 ms, most of the page; the tags below build those rows in Python with the same
markup, escaping every value as autoescaping would.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from kinerja.plans.models import StatusSkp

register = template.Library()

_LABELS = dict(StatusSkp.choices)


@register.filter
def status_label(code: str) -> str:
    """DRAFT → "Draf" (in the active language); unknown codes pass through."""
    return str(_LABELS.get(code, code))


@register.simple_tag
def pohon_items(rows: Iterable[Any], no_contribution: str) -> SafeString:
    """The `<li>` items of the pohon kinerja, nested as `Pohon.rows()` orders them: a node with
    children opens a `<ul>`; after a node without, `row.closes` says how many lists end."""
    labels: dict[str, str] = {}
    marker = f" <small><strong>{escape(no_contribution)}</strong></small>"
    parts: list[str] = []
    for row in rows:
        node = row.node
        label = labels.get(node.status)
        if label is None:
            label = labels[node.status] = escape(status_label(node.status))
        css = ' class="uncovered"' if node.uncovered else ""
        end = "<ul>" if node.children else "</li>" + "</ul></li>" * len(row.closes)
        parts.append(
            f'<li{css}><span class="node">{escape(node.text)}</span>\n'
            f'<small class="muted">{escape(node.owner_name)} · {escape(node.jabatan)}</small> '
            f'<span class="status status-{escape(node.status)}">{label}</span>'
            f"{marker if node.uncovered else ''}\n{end}\n"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


@register.simple_tag
def status_rows(rows: Iterable[Any]) -> SafeString:
    """The body rows of the status board (one per unit of the subtree)."""
    parts = [
        f'<tr data-unit="{int(r.unit_id)}">\n'
        f'      <td style="padding-left: calc({int(r.depth)} * 1rem + .5rem)">'
        f"{escape(r.unit_name)}</td>\n"
        f'      <td class="num">{int(r.pegawai)}</td><td class="num">{int(r.tanpa_skp)}</td>'
        f'<td class="num">{int(r.draf)}</td>\n'
        f'      <td class="num">{int(r.diajukan)}</td><td class="num">{int(r.dikembalikan)}</td>'
        f'<td class="num">{int(r.disetujui)}</td>\n'
        "    </tr>\n"
        for r in rows
    ]
    return mark_safe("".join(parts))  # noqa: S308 - numbers and escaped names only


@register.simple_tag
def unit_options(units: Iterable[tuple[int, str]], selected: Any) -> SafeString:
    """The `<option>`s of the unit picker, `selected` (a unit id) marked."""
    parts = [
        f'<option value="{int(uid)}"{" selected" if uid == selected else ""}>{escape(name)}'
        "</option>"
        for uid, name in units
    ]
    return mark_safe("".join(parts))  # noqa: S308 - ids and escaped names only
