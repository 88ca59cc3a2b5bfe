"""SKP pages: query counts that do not grow with the data."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from django.urls import reverse

from kinerja.org import services as org_services
from kinerja.org.models import Pegawai
from kinerja.org.testing import START, Cast, make_nip
from kinerja.plans import services
from kinerja.plans.models import Skp

from .view_helpers import HX, Login, add_iki, detail, kasi_plan, ok

AssertNumQueries = Callable[..., AbstractContextManager[object]]


def add_staff(cast: Cast, count: int, start: int = 100) -> list[Pegawai]:
    """More pelaksana in the seksi, rated by kasi."""
    people = []
    for n in range(count):
        pegawai = org_services.pegawai_save(
            by=cast.superadmin,
            instansi=cast.kab,
            values={
                "nip": make_nip("19900202", "201501", "1", start + n),
                "jenis_asn": "PNS",
                "name": f"Staf {n}",
            },
        )
        org_services.penempatan_assign(
            by=cast.superadmin, pegawai=pegawai, jabatan=cast.j_staf, start_date=START
        )
        people.append(pegawai)
    return people


def grow_skp(cast: Cast, size: int) -> Skp:
    """staf_a's SKP with `size` RHKs (each handed down from kasi) of `size` IKIs, lampiran and
    ekspektasi."""
    parents = kasi_plan(cast, tuple(f"RHK kasi {n}" for n in range(size)))
    skp = None
    for parent in parents:
        [child] = services.rhk_cascade(
            by=cast.user("kasi"), rhk=parent, assignments=[(cast.staf_a, "")]
        )
        skp = child.skp
        for n in range(size):
            add_iki(cast, child, text=f"IKI {n}")
    assert skp is not None
    for n in range(size):
        services.lampiran_add(by=cast.user("staf_a"), skp=skp, kind="KONSEKUENSI", text=f"L{n}")
        services.ekspektasi_set(by=cast.user("kasi"), skp=skp, core_value=n + 1, text=f"E{n}")
    return skp


@pytest.mark.parametrize("size", [1, 3])
def test_skp_page_queries_do_not_grow(
    cast: Cast, login: Login, django_assert_num_queries: AssertNumQueries, size: int
) -> None:
    skp = grow_skp(cast, size)
    owner = login("staf_a")
    with django_assert_num_queries(16, info=f"owner, {size}"):
        ok(owner.get(detail(skp)))
    with django_assert_num_queries(15, info=f"owner htmx part, {size}"):
        ok(owner.get(detail(skp), {"bagian": "hasil"}, headers=HX))
    rater, own = login("kasi"), Skp.objects.get(pegawai=cast.kasi)
    with django_assert_num_queries(15, info=f"rater, {size}"):
        ok(rater.get(detail(skp)))
    with django_assert_num_queries(16, info=f"rater's own SKP, {size}"):
        ok(rater.get(detail(own)))


@pytest.mark.parametrize("extra", [0, 3])
def test_team_pohon_and_status_queries_do_not_grow(
    cast: Cast, login: Login, django_assert_num_queries: AssertNumQueries, extra: int
) -> None:
    [parent] = kasi_plan(cast)
    people = [cast.staf_a, cast.staf_b, *add_staff(cast, extra)]
    services.rhk_cascade(by=cast.user("kasi"), rhk=parent, assignments=[(p, "") for p in people])
    client = login("kasi")
    with django_assert_num_queries(16, info=f"team +{extra}"):
        ok(client.get(reverse("plans:team")))
    with django_assert_num_queries(11, info=f"pohon +{extra}"):
        ok(client.get(reverse("plans:pohon")))
    with django_assert_num_queries(11, info=f"status +{extra}"):
        ok(client.get(reverse("plans:status"), {"unit": cast.seksi.pk}))
    admin = login("admin")
    with django_assert_num_queries(10, info=f"admin's pohon of the dinas +{extra}"):
        ok(admin.get(reverse("plans:pohon"), {"unit": cast.dinkes.pk}))
    with django_assert_num_queries(10, info=f"admin's status of the pemda +{extra}"):
        ok(admin.get(reverse("plans:status")))
