"""The pegawai directory finds exactly what a plain filter finds, whichever plan it takes.

directory_page picks the page's ids through a covering index and filters a unit subtree
through its jabatan; a long NIP prefix becomes a range. Every route must return the same
people in the same order as a plain filter.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from kinerja.accounts.models import User
from kinerja.org import demo, demo_plan, queries
from kinerja.org.models import Pegawai, UnitKerja
from kinerja.org.rules import normalise_search

QUERIES = ["", "a", "Sari", "zzzz", "19", "1982", "19820", "198208172006042003", "1999999", "99999"]


@pytest.fixture
def staf(db: None) -> User:
    call_command("seed_demo", pegawai=120, stdout=io.StringIO())
    user = Pegawai.objects.get(nip=demo_plan.NIP_PEGAWAI).user
    assert user is not None
    return user


def expected(user: User, query: str, unit: UnitKerja | None) -> list[int]:
    """The plain answer: filter in Python, order by the database's own name ordering."""
    needle = normalise_search(query)
    ids = []
    for p in Pegawai.objects.visible_to(user).select_related("jabatan__unit"):
        if needle.isdigit() and not p.nip.startswith(needle):
            continue
        if needle and not needle.isdigit() and needle not in p.search_text:
            continue
        if unit is not None and not (p.jabatan and p.jabatan.unit.path.startswith(unit.path)):
            continue
        ids.append(p.pk)
    ordered = Pegawai.objects.filter(pk__in=ids).order_by("name", "id")
    return list(ordered.values_list("id", flat=True))


def every_page(user: User, query: str, unit: UnitKerja | None) -> list[int]:
    found: list[int] = []
    for number in range(1, 100):
        page = queries.directory_page(user, query=query, unit=unit, page=number, page_size=10)
        found += [row["id"] for row in page.rows]
        if not page.has_next:
            return found
    raise AssertionError("too many pages")


@pytest.mark.parametrize("query", QUERIES)
def test_every_route_finds_the_same_people(staf: User, query: str) -> None:
    units = UnitKerja.objects.filter(instansi__code=demo.DEMO_CODE)
    for unit in [None, *units.filter(code__in=["PEMDA", "DINKES", demo_plan.DEMO_SEKSI])]:
        assert every_page(staf, query, unit) == expected(staf, query, unit), (query, unit)


def test_a_full_nip_finds_one_person(staf: User) -> None:
    page = queries.directory_page(staf, query=f" {demo_plan.NIP_PENILAI} ")
    assert [row["nip"] for row in page.rows] == [demo_plan.NIP_PENILAI]
