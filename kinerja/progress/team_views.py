"""Pemantauan tim: the rater's live team page, and the per-unit roll-up for pimpinan.

The team page is for a pejabat penilai (anyone else reads an explanation); its list is a template
partial that the filter form (hx-get on change) and a periodic refresh (every 60 s) fetch without
reloading the page. The form's answer also carries the period select (hx-swap-oob), since the
periods are those of the year chosen; without JavaScript the form reloads the whole page. A
filter it cannot apply (`?unit=` not one of the team's units, `?periode=` a period the year does
not have) is left out, and a notice says so (to everyone: someone who rates nobody reads it
above the explanation). The unit page is for the heads of the unit or an ancestor, admins and
auditors of the instansi; others get a 403, and an unknown unit or one of an instansi the
reader may not see a 404 (team_access.chosen_unit, shared with the API). Both cost a fixed
number of queries (see team_queries.py).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from kinerja.accounts.http import AuthedRequest
from kinerja.core.errors import NotFound, Refused
from kinerja.org.access import access_for
from kinerja.plans.views import year_options, year_param

from . import team_queries
from .team_access import chosen_unit, default_unit, may_see_unit
from .team_queries import STATUS_LABELS

FILTER_FORM = "team-filters"  # the id of the filter form (htmx sends it as HX-Trigger)


def _int_param(request: AuthedRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


# What the team page shows instead of a filter it cannot apply (team_progress leaves it out).
_FALLBACK = {
    "period": gettext_lazy("Ditampilkan periode berjalan."),
    "unit_id": gettext_lazy("Ditampilkan semua unit."),
}


def _notices(data: team_queries.TeamProgress) -> list[str]:
    return [f"{p.message} {_FALLBACK.get(p.field or '', '')}".strip() for p in data.refused]


@login_required
@require_GET
def team(request: AuthedRequest) -> HttpResponse:
    year = year_param(request)
    status = request.GET.get("status", "")
    asked = _int_param(request, "periode")
    data = team_queries.team_progress(
        request.user,
        year=year,
        period=asked,
        unit_id=_int_param(request, "unit"),
        status=status if status in STATUS_LABELS else None,
    )
    refused = {p.field for p in data.refused}
    context: dict[str, Any] = {
        "data": data,
        "notices": _notices(data),
        "year": year,
        "years": year_options(year),
        "unit_id": data.unit_id,
        "status": status,
        "statuses": list(STATUS_LABELS.items()),
        "periods": [(p.number, p.label) for p in data.periods],
        "period": asked if "period" not in refused else None,
        "access": access_for(request.user),
    }
    if request.htmx:
        # The form's request (not the minute refresh) redraws the period select out of band:
        # the year may have changed, and with it the periods.
        context["redraw_periods"] = request.htmx.trigger == FILTER_FORM
        return render(request, "progress/team.html#list", context)
    return render(request, "progress/team.html", context)


@login_required
@require_GET
def unit(request: AuthedRequest) -> HttpResponse:
    access = access_for(request.user)
    unit_id = _int_param(request, "unit")
    if request.GET.get("unit") and unit_id is None:
        raise Http404
    if unit_id is None:
        chosen = default_unit(access)
    else:
        try:
            chosen = chosen_unit(request.user, unit_id)
        except NotFound as exc:
            raise Http404(exc.message) from None
        except Refused as exc:
            raise PermissionDenied(exc.message) from None
    year = year_param(request)
    rows = team_queries.unit_rollup(request.user, chosen, year=year)
    parent = chosen.parent if chosen.parent_id else None
    context = {
        "unit": chosen,
        "parent": parent if parent is not None and may_see_unit(access, parent) else None,
        "rows": rows,
        "total": team_queries.rollup_total(rows),
        "year": year,
        "years": year_options(year),
    }
    template = "progress/unit.html#rollup" if request.htmx else "progress/unit.html"
    return render(request, template, context)
