"""Who sees which SKP: `Skp.objects.visible_to(user)`, the one place SKP row access is decided.

Everyone in the cast has an SKP for this year, and so do a staff member of the Sekretariat
Daerah (in KAB, outside Dinas Kesehatan) and the outsider of KOTA.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from kinerja.org import services as org
from kinerja.org.models import Pegawai
from kinerja.org.testing import START, Cast, build_cast, make_nip
from kinerja.plans import queries, services
from kinerja.plans.models import Skp

PEOPLE = ["kadis", "kabid", "kasi", "staf_a", "staf_b", "kapus", "perawat", "outsider"]
DINKES = {"kadis", "kabid", "kasi", "staf_a", "staf_b", "kapus", "perawat"}
KAB = DINKES | {"setda"}


@dataclass
class World:
    cast: Cast
    setda: Pegawai  # a pelaksana of the Sekretariat Daerah: KAB, but outside Dinas Kesehatan
    skps: dict[str, Skp]


def build_world() -> World:
    cast = build_cast()
    year = timezone.localdate().year
    jabatan = org.jabatan_save(
        by=cast.superadmin,
        unit=cast.pemda,
        code="STAF-SETDA",
        name="Pengadministrasi Sekretariat",
        jenis="PELAKSANA",
        parent=None,
    )
    setda = org.pegawai_save(
        by=cast.admin,
        instansi=cast.kab,
        values={"nip": make_nip("19880808", "201001", "1", 50), "jenis_asn": "PNS", "name": "Tono"},
    )
    org.penempatan_assign(by=cast.admin, pegawai=setda, jabatan=jabatan, start_date=START)
    skps = {
        name: services.skp_create(by=cast.user(name), pegawai=getattr(cast, name), year=year)
        for name in PEOPLE
    }
    skps["setda"] = services.skp_create(by=cast.admin, pegawai=setda, year=year)
    return World(cast, setda, skps)


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def world(module_world: World, db: None) -> World:
    return copy.deepcopy(module_world)


def seen_by(world: World, user: object) -> set[str]:
    """The names of the people whose SKPs the user sees."""
    names = {skp.pk: name for name, skp in world.skps.items()}
    ids = Skp.objects.visible_to(user).values_list("id", flat=True)
    return {names[i] for i in ids}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("staf_a", {"staf_a"}),  # own only: not the peer staf_b
        ("staf_b", {"staf_b"}),
        ("perawat", {"perawat"}),
        ("kasi", {"kasi", "staf_a", "staf_b"}),  # rates both, heads the seksi
        ("kabid", {"kabid", "kasi", "staf_a", "staf_b"}),  # the bidang subtree
        ("kapus", {"kapus", "perawat"}),  # the puskesmas
        ("kadis", DINKES),  # all of Dinas Kesehatan, not the Sekretariat Daerah
        ("admin", KAB),
        ("auditor", KAB),
        ("outsider", {"outsider"}),
        ("superadmin", KAB | {"outsider"}),
    ],
)
def test_who_sees_which_skp(world: World, who: str, expected: set[str]) -> None:
    assert seen_by(world, world.cast.user(who)) == expected


def test_anonymous_sees_nothing(world: World) -> None:
    assert seen_by(world, AnonymousUser()) == set()
    assert seen_by(world, None) == set()


def test_the_rater_sees_the_skp_of_someone_outside_their_unit(world: World) -> None:
    """kabid rates perawat by delegation: kabid sees that SKP; kapus still sees it as head."""
    cast = world.cast
    Skp.objects.filter(pk=world.skps["perawat"].pk).delete()
    org.delegasi_create(
        by=cast.admin,
        pegawai=cast.perawat,
        rater=cast.kabid,
        start_date=START,
        end_date=None,
        reason="Penugasan khusus",
    )
    skp = services.skp_create(
        by=cast.user("perawat"), pegawai=cast.perawat, year=timezone.localdate().year
    )
    assert skp.rater_id == cast.kabid.pk
    world.skps["perawat"] = skp
    assert "perawat" in seen_by(world, cast.user("kabid"))
    assert "perawat" in seen_by(world, cast.user("kapus"))
    assert "perawat" not in seen_by(world, cast.user("kasi"))


def test_every_version_is_seen_by_the_same_people(world: World) -> None:
    cast = world.cast
    staf, kasi = cast.user("staf_a"), cast.user("kasi")
    kasi_rhk = services.rhk_save(by=kasi, skp=world.skps["kasi"], jenis="UTAMA", text="Layanan")
    skp = world.skps["staf_a"]
    rhk = services.rhk_save(by=staf, skp=skp, jenis="UTAMA", text="Posyandu", parent=kasi_rhk)
    services.iki_save(
        by=staf,
        rhk=rhk,
        values={"text": "Posyandu", "aspek": "KUANTITAS", "target_value": 12, "target_unit": "x"},
    )
    services.skp_submit(by=staf, skp=skp)
    services.skp_approve(by=kasi, skp=skp)
    revised = services.skp_revise(by=staf, skp=skp)
    for who in ("staf_a", "kasi", "kabid", "kadis", "admin", "auditor"):
        ids = set(Skp.objects.visible_to(cast.user(who)).values_list("id", flat=True))
        assert {skp.pk, revised.pk} <= ids, who
    for who in ("staf_b", "kapus", "outsider"):
        ids = set(Skp.objects.visible_to(cast.user(who)).values_list("id", flat=True))
        assert not {skp.pk, revised.pk} & ids, who
    current = Skp.objects.visible_to(staf).for_year(skp.year).current()
    assert list(current.values_list("id", flat=True)) == [revised.pk]


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("kasi", True),  # the rater
        ("kabid", True),  # the rater's rater
        ("kadis", True),  # and up the chain
        ("staf_a", False),  # not one's own chain
        ("staf_b", False),
        ("kapus", False),
        ("admin", False),  # no pegawai: reads through visible_to instead
        ("outsider", False),
    ],
)
def test_the_raters_superiors_may_read_the_chain(world: World, who: str, allowed: bool) -> None:
    skp = world.skps["staf_a"]
    assert queries.can_read_chain(world.cast.user(who), skp) is allowed
    assert queries.can_act_as_rater(world.cast.user(who), skp) is (who == "kasi")
    assert queries.can_read_chain(AnonymousUser(), skp) is False
