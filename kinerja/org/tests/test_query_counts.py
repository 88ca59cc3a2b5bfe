"""Organisation pages run a fixed number of queries, whatever the size of the kabupaten.

The demo kabupaten is built at two sizes; every page must cost exactly the same number of
queries at both (5 of them are the session, the user and the user's access facts; a full
page adds the unread-notification count of the menu).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from kinerja.org import demo, demo_plan
from kinerja.org.models import Pegawai, UnitKerja

# (page, url template, htmx?, queries)
PAGES = [
    ("directory, name search", "/org/pegawai/?q=an", False, 7),
    ("directory, NIP prefix", "/org/pegawai/?q=19", False, 7),
    ("directory, next page", "/org/pegawai/?q=a&hal=2", False, 7),
    ("directory, live search fragment", "/org/pegawai/?q=an", True, 6),
    ("directory in a unit", "/org/pegawai/?q=a&unit={dinkes}", False, 8),
    ("directory in a small unit", "/org/pegawai/?unit={seksi}", False, 8),
    ("unit tree", "/org/unit/", False, 7),
    ("children of the root", "/org/unit/{root}/anak/", True, 7),
    ("children of a dinas", "/org/unit/{dinkes}/anak/", True, 7),
    ("unit page of a dinas", "/org/unit/{dinkes}/", False, 11),
    ("unit page of a seksi", "/org/unit/{seksi}/", False, 11),
]

AssertNumQueries = Callable[..., AbstractContextManager[object]]


@pytest.mark.parametrize("size", [30, 120])
def test_org_pages_cost_the_same_at_every_size(
    db: None, client: Client, django_assert_num_queries: AssertNumQueries, size: int
) -> None:
    call_command("seed_demo", pegawai=size, stdout=io.StringIO())
    units = UnitKerja.objects.filter(instansi__code=demo.DEMO_CODE)
    ids = {
        "root": units.get(code="PEMDA").pk,
        "dinkes": units.get(code="DINKES").pk,
        "seksi": units.get(code=demo_plan.DEMO_SEKSI).pk,
    }
    user = Pegawai.objects.get(nip=demo_plan.NIP_PEGAWAI).user
    assert user is not None
    client.force_login(user)
    for name, url, htmx, queries in PAGES:
        headers = {"HX-Request": "true"} if htmx else {}
        with django_assert_num_queries(queries, info=f"{name} ({size} pegawai)"):
            response = client.get(url.format(**ids), headers=headers)
        assert response.status_code == 200, name


def test_tree_links_point_at_the_units(db: None, client: Client) -> None:
    """The tree builds its links from the tree's URL (cheaper than {% url %} per row)."""
    call_command("seed_demo", pegawai=30, stdout=io.StringIO())
    dinkes = UnitKerja.objects.get(instansi__code=demo.DEMO_CODE, code="DINKES")
    bidang = UnitKerja.objects.get(instansi__code=demo.DEMO_CODE, code="DINKES-B1")
    user = Pegawai.objects.get(nip=demo_plan.NIP_PEGAWAI).user
    assert user is not None
    client.force_login(user)
    fragment = client.get(
        reverse("org:unit_children", args=[dinkes.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert f'href="{reverse("org:unit", args=[bidang.pk])}"' in fragment
    assert f'hx-get="{reverse("org:unit_children", args=[bidang.pk])}"' in fragment
    assert "Bidang · 1 pegawai · 1 sub-unit" in fragment
    page = client.get(reverse("org:unit", args=[dinkes.pk])).content.decode()
    assert f'<a href="{reverse("org:unit", args=[bidang.pk])}">{bidang.name}</a>' in page
