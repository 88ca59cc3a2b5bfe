"""SKP services told as stories with the cast (kinerja/org/testing.py).

staf_a and staf_b are rated by kasi, kasi by kabid, kabid and kapus by kadis, perawat by kapus;
kadis (JPT, head of Dinas Kesehatan) has no rater. Every successful service leaves exactly its
audit event(s); every refused one raises the expected error and leaves every row as it was.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from kinerja.accounts.models import User
from kinerja.audit.models import AuditChainHead, AuditEvent
from kinerja.core.errors import Conflict, Refused, ServiceError
from kinerja.org import services as org
from kinerja.org.models import Jabatan, Pegawai
from kinerja.org.testing import Cast, build_cast, make_nip
from kinerja.plans import services
from kinerja.plans.models import (
    EkspektasiKhusus,
    Iki,
    Lampiran,
    Rhk,
    Skp,
    StatusSkp,
    TahunKinerja,
)


@pytest.fixture(scope="module")
def module_cast(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Cast]:
    """The cast, built once for the module in a transaction rolled back at its end; each test
    runs in its own savepoint on top of it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_cast()
        transaction.set_rollback(True)


@pytest.fixture
def cast(module_cast: Cast, db: None) -> Cast:
    return copy.deepcopy(module_cast)


# --- helpers ------------------------------------------------------------------------------


def this_year() -> int:
    return timezone.localdate().year


def fingerprint() -> dict[str, list[Any]]:
    """Every row an SKP service may touch."""
    return {
        "skp": list(Skp.objects.order_by("id").values_list()),
        "rhk": list(Rhk.objects.order_by("id").values_list()),
        "iki": list(Iki.objects.order_by("id").values_list()),
        "ekspektasi": list(EkspektasiKhusus.objects.order_by("id").values_list()),
        "lampiran": list(Lampiran.objects.order_by("id").values_list()),
        "tahun": list(TahunKinerja.objects.order_by("id").values_list()),
        "audit": list(AuditEvent.objects.order_by("id").values_list("id", flat=True)),
        "audit_head": list(AuditChainHead.objects.order_by("scope").values_list()),
    }


@contextmanager
def refused(
    kind: type[ServiceError], match: str | None = None
) -> Iterator[pytest.ExceptionInfo[ServiceError]]:
    """The call inside raises exactly `kind` and changes no row and no audit event."""
    before = fingerprint()
    with pytest.raises(ServiceError, match=re.escape(match) if match else None) as info:
        yield info
    assert type(info.value) is kind, f"expected {kind.__name__}, got {type(info.value).__name__}"
    assert info.value.message
    assert fingerprint() == before


def audit_mark() -> int:
    mark: int | None = AuditEvent.objects.aggregate(m=Max("id"))["m"]
    return mark or 0


def events_since(mark: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(id__gt=mark).order_by("id"))


def actions_since(mark: int) -> list[str]:
    return [e.action for e in events_since(mark)]


def only_event(mark: int, action: str, skp: Skp, by: User) -> AuditEvent:
    events = events_since(mark)
    assert [e.action for e in events] == [action]
    event = events[0]
    assert (event.target_type, event.target_id) == ("skp", str(skp.pk))
    assert (event.scope, event.actor_id) == (skp.instansi_id, by.pk)
    return event


def user_of(pegawai: Pegawai) -> User:
    return User.objects.get(pegawai=pegawai)


def fresh(skp: Skp) -> Skp:
    return Skp.objects.get(pk=skp.pk)


KUANTITATIF = {
    "text": "Jumlah posyandu terlaksana",
    "aspek": "KUANTITAS",
    "target_value": "12",
    "target_unit": "kegiatan",
}


@dataclass
class Plan:
    """kasi's SKP with one RHK; staf_a's SKP with an RHK Utama intervening it, one IKI and one
    lampiran: complete, ready to submit."""

    kasi_skp: Skp
    kasi_rhk: Rhk
    skp: Skp
    rhk: Rhk
    iki: Iki
    lampiran: Lampiran


def build_plan(cast: Cast, year: int | None = None) -> Plan:
    year = year or this_year()
    kasi, staf = cast.user("kasi"), cast.user("staf_a")
    kasi_skp = services.skp_create(by=kasi, pegawai=cast.kasi, year=year)
    kasi_rhk = services.rhk_save(
        by=kasi, skp=kasi_skp, jenis="UTAMA", text="Meningkatnya cakupan layanan primer"
    )
    skp = services.skp_create(by=staf, pegawai=cast.staf_a, year=year)
    rhk = services.rhk_save(
        by=staf, skp=skp, jenis="UTAMA", text="Terlaksananya posyandu", parent=kasi_rhk
    )
    iki = services.iki_save(by=staf, rhk=rhk, values=KUANTITATIF)
    lampiran = services.lampiran_add(
        by=staf, skp=skp, kind="DUKUNGAN_SUMBER_DAYA", text="Anggaran BOK"
    )
    return Plan(kasi_skp, kasi_rhk, skp, rhk, iki, lampiran)


def put_in(cast: Cast, plan: Plan, state: str) -> None:
    """Bring staf_a's SKP to a status; "superseded" is an approved version that has a newer one."""
    staf, kasi = cast.user("staf_a"), cast.user("kasi")
    if state == "DRAFT":
        return
    services.skp_submit(by=staf, skp=plan.skp)
    if state == "DIKEMBALIKAN":
        services.skp_return(by=kasi, skp=plan.skp, note="Perjelas targetnya")
    elif state in {"DISETUJUI", "superseded"}:
        services.skp_approve(by=kasi, skp=plan.skp)
        if state == "superseded":
            services.skp_revise(by=staf, skp=plan.skp)
    else:
        assert state == "DIAJUKAN"
    plan.skp = fresh(plan.skp)


def approve_kasi(cast: Cast, plan: Plan) -> Rhk:
    """kabid plans, kasi's RHK intervenes kabid's, kasi submits and kabid approves."""
    kabid, kasi = cast.user("kabid"), cast.user("kasi")
    kabid_skp = services.skp_create(by=kabid, pegawai=cast.kabid, year=plan.kasi_skp.year)
    kabid_rhk = services.rhk_save(
        by=kabid, skp=kabid_skp, jenis="UTAMA", text="Meningkatnya mutu layanan kesehatan"
    )
    services.rhk_save(
        by=kasi,
        skp=plan.kasi_skp,
        jenis="UTAMA",
        text=plan.kasi_rhk.text,
        parent=kabid_rhk,
        rhk=plan.kasi_rhk,
    )
    services.iki_save(by=kasi, rhk=plan.kasi_rhk, values=KUANTITATIF)
    services.skp_submit(by=kasi, skp=plan.kasi_skp)
    services.skp_approve(by=kabid, skp=plan.kasi_skp)
    plan.kasi_skp = fresh(plan.kasi_skp)
    return kabid_rhk


def new_jabatan(cast: Cast) -> Jabatan:
    return org.jabatan_save(
        by=cast.superadmin,
        unit=cast.puskesmas,
        code="ADM-PKM",
        name="Pengadministrasi Puskesmas",
        jenis="PELAKSANA",
        parent=cast.j_kapus,
    )


def new_pegawai(cast: Cast, seq: int, jabatan: Jabatan | None, tmt: date | None) -> Pegawai:
    pegawai = org.pegawai_save(
        by=cast.admin,
        instansi=cast.kab,
        values={
            "nip": make_nip("19920505", "201803", "2", seq),
            "jenis_asn": "PNS",
            "name": "Rina",
        },
    )
    if jabatan is not None and tmt is not None:
        org.penempatan_assign(by=cast.admin, pegawai=pegawai, jabatan=jabatan, start_date=tmt)
    return Pegawai.objects.get(pk=pegawai.pk)


# --- skp_create ---------------------------------------------------------------------------


def test_a_pegawai_creates_their_own_skp(cast: Cast) -> None:
    staf = cast.user("staf_a")
    year = this_year()
    mark = audit_mark()
    skp = fresh(services.skp_create(by=staf, pegawai=cast.staf_a, year=year))
    assert (skp.pegawai_id, skp.year, skp.jabatan_id) == (cast.staf_a.pk, year, cast.j_staf.pk)
    assert (skp.instansi_id, skp.unit_path) == (cast.kab.pk, cast.seksi.path)
    assert (skp.start_date, skp.end_date) == (date(year, 1, 1), date(year, 12, 31))
    assert (skp.status, skp.version, skp.is_current) == (StatusSkp.DRAFT, 1, True)
    assert (skp.previous_id, skp.pendekatan, skp.rater_id) == (None, "KUANTITATIF", cast.kasi.pk)
    assert TahunKinerja.objects.get(instansi=cast.kab, year=year).cadence == "TRIWULANAN"
    event = only_event(mark, "skp_create", skp, staf)
    assert event.new_values == {
        "pegawai_id": cast.staf_a.pk,
        "year": year,
        "jabatan_id": cast.j_staf.pk,
        "pendekatan": "KUANTITATIF",
        "rater_id": cast.kasi.pk,
    }


@pytest.mark.parametrize(
    ("who", "rater"),
    [
        ("staf_a", "kasi"),
        ("staf_b", "kasi"),
        ("kasi", "kabid"),
        ("kabid", "kadis"),
        ("kapus", "kadis"),
        ("perawat", "kapus"),
        ("kadis", None),
    ],
)
def test_the_rater_is_recorded(cast: Cast, who: str, rater: str | None) -> None:
    pegawai: Pegawai = getattr(cast, who)
    skp = services.skp_create(by=cast.user(who), pegawai=pegawai, year=this_year())
    expected = getattr(cast, rater).pk if rater else None
    assert fresh(skp).rater_id == expected


def test_a_kualitatif_skp(cast: Cast) -> None:
    skp = services.skp_create(
        by=cast.user("staf_a"), pegawai=cast.staf_a, year=this_year(), pendekatan="KUALITATIF"
    )
    assert fresh(skp).pendekatan == "KUALITATIF"


def test_an_unknown_pendekatan_is_refused(cast: Cast) -> None:
    with refused(ServiceError, "Pendekatan") as info:
        services.skp_create(
            by=cast.user("staf_a"), pegawai=cast.staf_a, year=this_year(), pendekatan="CAMPURAN"
        )
    assert info.value.field == "pendekatan"


@pytest.mark.parametrize("who", ["admin", "superadmin"])
def test_an_admin_creates_an_skp_for_someone(cast: Cast, who: str) -> None:
    by = cast.user(who)
    mark = audit_mark()
    skp = services.skp_create(by=by, pegawai=cast.perawat, year=this_year())
    assert (skp.pegawai_id, skp.rater_id) == (cast.perawat.pk, cast.kapus.pk)
    only_event(mark, "skp_create", skp, by)


def test_the_superadmin_creates_for_another_instansi(cast: Cast) -> None:
    skp = services.skp_create(by=cast.superadmin, pegawai=cast.outsider, year=this_year())
    assert skp.instansi_id == cast.kota.pk


@pytest.mark.parametrize("who", ["staf_b", "kasi", "kabid", "kadis", "auditor", "outsider"])
def test_nobody_else_creates_an_skp_for_someone(cast: Cast, who: str) -> None:
    with refused(Refused, "pegawai yang bersangkutan atau admin"):
        services.skp_create(by=cast.user(who), pegawai=cast.staf_a, year=this_year())


def test_an_admin_of_one_instansi_cannot_create_in_another(cast: Cast) -> None:
    with refused(Refused):
        services.skp_create(by=cast.admin, pegawai=cast.outsider, year=this_year())


def test_a_pegawai_without_jabatan_is_refused(cast: Cast) -> None:
    pegawai = new_pegawai(cast, 90, None, None)
    with refused(ServiceError, "belum memiliki jabatan definitif"):
        services.skp_create(by=cast.admin, pegawai=pegawai, year=this_year())


def test_a_pegawai_whose_placement_ended_is_refused(cast: Cast) -> None:
    year = this_year()
    placement = cast.staf_a.penempatan.get(end_date__isnull=True)
    org.penempatan_end(by=cast.admin, penempatan=placement, end_date=date(year - 2, 12, 31))
    for skp_year in (year - 1, year):
        with refused(ServiceError, "belum memiliki jabatan definitif"):
            services.skp_create(by=cast.user("staf_a"), pegawai=cast.staf_a, year=skp_year)


@pytest.mark.parametrize("offset", [-2, 2, -10])
def test_a_year_out_of_range_is_refused(cast: Cast, offset: int) -> None:
    year = this_year()
    with refused(ServiceError, f"antara {year - 1} dan {year + 1}") as info:
        services.skp_create(by=cast.user("staf_a"), pegawai=cast.staf_a, year=year + offset)
    assert info.value.field == "year"


@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_last_this_and_next_year_are_allowed(cast: Cast, offset: int) -> None:
    year = this_year() + offset
    skp = services.skp_create(by=cast.user("staf_a"), pegawai=cast.staf_a, year=year)
    assert (skp.year, skp.start_date, skp.end_date) == (year, date(year, 1, 1), date(year, 12, 31))


def test_a_second_skp_for_the_same_year_and_jabatan_is_a_conflict(cast: Cast) -> None:
    staf = cast.user("staf_a")
    services.skp_create(by=staf, pegawai=cast.staf_a, year=this_year())
    with refused(Conflict, "sudah ada"):
        services.skp_create(by=staf, pegawai=cast.staf_a, year=this_year())
    with refused(Conflict, "sudah ada"):
        services.skp_create(by=cast.admin, pegawai=cast.staf_a, year=this_year())


def test_a_revised_skp_is_still_a_duplicate(cast: Cast) -> None:
    plan = build_plan(cast)
    put_in(cast, plan, "superseded")
    with refused(Conflict, "sudah ada"):
        services.skp_create(by=cast.user("staf_a"), pegawai=cast.staf_a, year=this_year())


def test_the_skp_starts_on_the_tmt_within_the_year(cast: Cast) -> None:
    last = this_year() - 1
    pegawai = new_pegawai(cast, 91, cast.j_staf, date(last, 3, 15))
    early = services.skp_create(by=cast.admin, pegawai=pegawai, year=last)
    assert (early.start_date, early.end_date) == (date(last, 3, 15), date(last, 12, 31))
    now = services.skp_create(by=cast.admin, pegawai=pegawai, year=this_year())
    assert now.start_date == date(this_year(), 1, 1)


def test_mutasi_closes_the_old_skp_the_day_before_the_new_tmt(cast: Cast) -> None:
    year = this_year() - 1  # a whole year in the past: the TMT may not lie in the future
    staf = cast.user("staf_a")
    old = services.skp_create(by=staf, pegawai=cast.staf_a, year=year)
    jabatan = new_jabatan(cast)
    tmt = date(year, 7, 1)
    org.penempatan_assign(by=cast.admin, pegawai=cast.staf_a, jabatan=jabatan, start_date=tmt)
    mark = audit_mark()
    new = fresh(services.skp_create(by=staf, pegawai=cast.staf_a, year=year))
    old = fresh(old)
    assert (old.start_date, old.end_date) == (date(year, 1, 1), tmt - timedelta(days=1))
    assert (old.jabatan_id, old.is_current, old.rater_id) == (cast.j_staf.pk, True, cast.kasi.pk)
    assert (new.start_date, new.end_date) == (tmt, date(year, 12, 31))
    assert (new.jabatan_id, new.unit_path) == (jabatan.pk, cast.puskesmas.path)
    assert new.rater_id == cast.kapus.pk
    closed, created = events_since(mark)
    assert (closed.action, closed.target_id) == ("skp_close_for_mutasi", str(old.pk))
    assert closed.old_values == {"end_date": f"{year}-12-31"}
    assert closed.new_values == {"end_date": f"{year}-06-30"}
    assert (created.action, created.target_id) == ("skp_create", str(new.pk))


def test_mutasi_closes_every_version_of_the_old_skp(cast: Cast) -> None:
    year = this_year() - 1
    plan = build_plan(cast, year)
    put_in(cast, plan, "superseded")
    v1 = plan.skp
    org.penempatan_assign(
        by=cast.admin, pegawai=cast.staf_a, jabatan=new_jabatan(cast), start_date=date(year, 9, 1)
    )
    services.skp_create(by=cast.user("staf_a"), pegawai=cast.staf_a, year=year)
    ends = set(Skp.objects.filter(pegawai=cast.staf_a, jabatan=cast.j_staf).values_list("end_date"))
    assert ends == {(date(year, 8, 31),)}
    assert Skp.objects.filter(pegawai=cast.staf_a, jabatan=cast.j_staf).count() == 2
    assert fresh(v1).status == StatusSkp.DISETUJUI


# --- performance year ---------------------------------------------------------------------


def test_the_admin_sets_the_cadence(cast: Cast) -> None:
    year = this_year()
    services.skp_create(by=cast.user("staf_a"), pegawai=cast.staf_a, year=year)
    mark = audit_mark()
    tahun = services.tahun_set_cadence(
        by=cast.admin, instansi=cast.kab, year=year, cadence="BULANAN"
    )
    assert TahunKinerja.objects.filter(instansi=cast.kab, year=year).get().cadence == "BULANAN"
    [event] = events_since(mark)
    assert (event.action, event.target_type, event.target_id) == (
        "tahun_set_cadence",
        "tahun_kinerja",
        str(tahun.pk),
    )
    assert (event.scope, event.actor_id) == (cast.kab.pk, cast.admin.pk)
    assert event.old_values == {"cadence": "TRIWULANAN"}
    assert event.new_values == {"year": year, "cadence": "BULANAN"}


def test_the_superadmin_sets_the_cadence_anywhere(cast: Cast) -> None:
    services.tahun_set_cadence(
        by=cast.superadmin, instansi=cast.kota, year=this_year(), cadence="BULANAN"
    )
    assert TahunKinerja.objects.get(instansi=cast.kota, year=this_year()).cadence == "BULANAN"


@pytest.mark.parametrize("who", ["kadis", "auditor", "staf_a", "outsider"])
def test_only_the_admin_sets_the_cadence(cast: Cast, who: str) -> None:
    with refused(Refused, "admin kepegawaian"):
        services.tahun_set_cadence(
            by=cast.user(who), instansi=cast.kab, year=this_year(), cadence="BULANAN"
        )


def test_the_admin_of_kab_cannot_set_kota_cadence(cast: Cast) -> None:
    with refused(Refused):
        services.tahun_set_cadence(
            by=cast.admin, instansi=cast.kota, year=this_year(), cadence="BULANAN"
        )


@pytest.mark.parametrize("cadence", ["MINGGUAN", "", "bulanan"])
def test_an_unknown_cadence_is_refused(cast: Cast, cadence: str) -> None:
    with refused(ServiceError, "BULANAN atau TRIWULANAN") as info:
        services.tahun_set_cadence(
            by=cast.admin, instansi=cast.kab, year=this_year(), cadence=cadence
        )
    assert info.value.field == "cadence"


# --- editing: RHK, IKI, lampiran, pendekatan ----------------------------------------------

Edit = Callable[[Plan, User], object]

EDITS: dict[str, tuple[Edit, str]] = {
    "rhk_save new": (
        lambda p, by: services.rhk_save(by=by, skp=p.skp, jenis="TAMBAHAN", text="Piket IGD"),
        "rhk_create",
    ),
    "rhk_save edit": (
        lambda p, by: services.rhk_save(
            by=by, skp=p.skp, jenis="UTAMA", text="Diubah", parent=p.kasi_rhk, rhk=p.rhk
        ),
        "rhk_update",
    ),
    "rhk_delete": (lambda p, by: services.rhk_delete(by=by, rhk=p.rhk), "rhk_delete"),
    "iki_save new": (
        lambda p, by: services.iki_save(by=by, rhk=p.rhk, values=KUANTITATIF),
        "iki_create",
    ),
    "iki_save edit": (
        lambda p, by: services.iki_save(by=by, rhk=p.rhk, values={"target_value": "24"}, iki=p.iki),
        "iki_update",
    ),
    "iki_delete": (lambda p, by: services.iki_delete(by=by, iki=p.iki), "iki_delete"),
    "lampiran_add": (
        lambda p, by: services.lampiran_add(by=by, skp=p.skp, kind="KONSEKUENSI", text="Teguran"),
        "lampiran_add",
    ),
    "lampiran_delete": (
        lambda p, by: services.lampiran_delete(by=by, lampiran=p.lampiran),
        "lampiran_delete",
    ),
    "skp_set_pendekatan": (
        lambda p, by: services.skp_set_pendekatan(by=by, skp=p.skp, pendekatan="KUALITATIF"),
        "skp_set_pendekatan",
    ),
}


def reload(plan: Plan) -> None:
    """Objects as the next request would load them (the SKP of an RHK/IKI/lampiran included)."""
    plan.skp = fresh(plan.skp)
    plan.rhk = Rhk.objects.get(pk=plan.rhk.pk)
    plan.iki = Iki.objects.get(pk=plan.iki.pk)
    plan.lampiran = Lampiran.objects.get(pk=plan.lampiran.pk)


@pytest.mark.parametrize("state", ["DRAFT", "DIKEMBALIKAN"])
@pytest.mark.parametrize("edit", list(EDITS))
def test_the_owner_edits_a_draft_or_returned_skp(cast: Cast, edit: str, state: str) -> None:
    plan = build_plan(cast)
    put_in(cast, plan, state)
    reload(plan)
    run, action = EDITS[edit]
    staf = cast.user("staf_a")
    mark = audit_mark()
    run(plan, staf)
    only_event(mark, action, plan.skp, staf)


@pytest.mark.parametrize("who", ["kasi", "staf_b", "admin"])
@pytest.mark.parametrize("edit", list(EDITS))
def test_only_the_owner_edits(cast: Cast, edit: str, who: str) -> None:
    plan = build_plan(cast)
    reload(plan)
    run, _action = EDITS[edit]
    with refused(Refused, "Hanya pemilik SKP"):
        run(plan, cast.user(who))


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ("DIAJUKAN", "SKP berstatus Diajukan tidak dapat diubah"),
        ("DISETUJUI", "SKP berstatus Disetujui tidak dapat diubah"),
        ("superseded", "sudah digantikan versi yang lebih baru"),
    ],
)
@pytest.mark.parametrize("edit", list(EDITS))
def test_no_edits_once_submitted_approved_or_superseded(
    cast: Cast, edit: str, state: str, message: str
) -> None:
    plan = build_plan(cast)
    put_in(cast, plan, state)
    reload(plan)
    run, _action = EDITS[edit]
    with refused(Conflict, message):
        run(plan, cast.user("staf_a"))


def test_rhk_create_and_update(cast: Cast) -> None:
    plan = build_plan(cast)
    staf = cast.user("staf_a")
    mark = audit_mark()
    extra = services.rhk_save(
        by=staf, skp=plan.skp, jenis="TAMBAHAN", text="  Piket IGD  ", source="SK Kadis 12/2026"
    )
    assert (extra.text, extra.order, extra.source, extra.parent_id) == (
        "Piket IGD",
        2,
        "SK Kadis 12/2026",
        None,
    )
    event = only_event(mark, "rhk_create", plan.skp, staf)
    assert event.old_values == {}
    assert event.new_values == {
        "rhk_id": extra.pk,
        "jenis": "TAMBAHAN",
        "text": "Piket IGD",
        "parent_id": None,
    }
    mark = audit_mark()
    services.rhk_save(by=staf, skp=plan.skp, jenis="UTAMA", text="Layanan IGD", rhk=extra)
    extra.refresh_from_db()
    assert (extra.jenis, extra.text, extra.order) == ("UTAMA", "Layanan IGD", 2)
    event = only_event(mark, "rhk_update", plan.skp, staf)
    assert event.old_values == {"jenis": "TAMBAHAN", "text": "Piket IGD", "parent_id": None}


@pytest.mark.parametrize(
    ("jenis", "text", "field"),
    [("UTAMA", "   ", "text"), ("UTAMA", "", "text"), ("LAINNYA", "Layanan", "jenis")],
)
def test_an_rhk_needs_text_and_a_known_jenis(cast: Cast, jenis: str, text: str, field: str) -> None:
    plan = build_plan(cast)
    with refused(ServiceError) as info:
        services.rhk_save(by=cast.user("staf_a"), skp=plan.skp, jenis=jenis, text=text)
    assert info.value.field == field


def test_an_rhk_of_another_skp_cannot_be_saved_through_this_one(cast: Cast) -> None:
    plan = build_plan(cast)
    other = services.skp_create(by=cast.user("staf_a"), pegawai=cast.staf_a, year=this_year() + 1)
    with refused(Refused, "bukan bagian"):
        services.rhk_save(
            by=cast.user("staf_a"), skp=other, jenis="UTAMA", text="Pindah", rhk=plan.rhk
        )


def test_deleting_an_rhk_deletes_its_ikis(cast: Cast) -> None:
    plan = build_plan(cast)
    staf = cast.user("staf_a")
    rhk_id, iki_id = plan.rhk.pk, plan.iki.pk
    mark = audit_mark()
    services.rhk_delete(by=staf, rhk=plan.rhk)
    assert not Rhk.objects.filter(pk=rhk_id).exists()
    assert not Iki.objects.filter(pk=iki_id).exists()
    event = only_event(mark, "rhk_delete", plan.skp, staf)
    assert event.old_values == {"rhk_id": rhk_id, "text": "Terlaksananya posyandu"}


def test_an_rhk_with_cascaded_children_cannot_be_deleted(cast: Cast) -> None:
    plan = build_plan(cast)
    with refused(Conflict, "sudah diturunkan ke bawahan"):
        services.rhk_delete(by=cast.user("kasi"), rhk=plan.kasi_rhk)
    services.rhk_delete(by=cast.user("staf_a"), rhk=plan.rhk)
    services.rhk_delete(by=cast.user("kasi"), rhk=Rhk.objects.get(pk=plan.kasi_rhk.pk))
    assert not Rhk.objects.filter(skp=plan.kasi_skp).exists()


def test_iki_create_and_update(cast: Cast) -> None:
    plan = build_plan(cast)
    staf = cast.user("staf_a")
    mark = audit_mark()
    iki = services.iki_save(
        by=staf,
        rhk=plan.rhk,
        values={
            "text": "  Ketepatan waktu laporan ",
            "aspek": "WAKTU",
            "target_value": "12.5",
            "target_unit": " bulan ",
            "baseline": "",
            "direction": "TURUN",
        },
    )
    iki.refresh_from_db()
    assert (iki.text, iki.aspek, iki.target_value, iki.target_unit) == (
        "Ketepatan waktu laporan",
        "WAKTU",
        Decimal("12.5"),
        "bulan",
    )
    assert (iki.baseline, iki.direction, iki.order, iki.perspektif) == (None, "TURUN", 2, "")
    event = only_event(mark, "iki_create", plan.skp, staf)
    assert event.old_values == {}
    assert event.new_values["iki_id"] == iki.pk
    assert event.new_values["target_value"] == "12.5"
    mark = audit_mark()
    services.iki_save(by=staf, rhk=plan.rhk, values={"target_value": 10, "aspek": None}, iki=iki)
    iki.refresh_from_db()
    assert (iki.text, iki.target_value, iki.aspek) == ("Ketepatan waktu laporan", Decimal(10), "")
    event = only_event(mark, "iki_update", plan.skp, staf)
    assert (event.old_values["target_value"], event.old_values["aspek"]) == ("12.50", "WAKTU")
    assert (event.new_values["target_value"], event.new_values["aspek"]) == ("10", "")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"text": "  "}, "text"),
        ({"text": ""}, "text"),
        ({"aspek": "JUMLAH"}, "aspek"),
        ({"perspektif": "PELANGGAN"}, "perspektif"),
        ({"direction": "SAMPING"}, "direction"),
        ({"target_value": "dua belas"}, "target_value"),
        ({"baseline": "1.2.3"}, "baseline"),
    ],
)
def test_an_iki_with_bad_values_is_refused(cast: Cast, values: dict[str, str], field: str) -> None:
    plan = build_plan(cast)
    with refused(ServiceError) as info:
        services.iki_save(by=cast.user("staf_a"), rhk=plan.rhk, values=KUANTITATIF | values)
    assert info.value.field == field


def test_an_iki_of_another_rhk_is_refused(cast: Cast) -> None:
    plan = build_plan(cast)
    staf = cast.user("staf_a")
    other = services.rhk_save(by=staf, skp=plan.skp, jenis="TAMBAHAN", text="Piket")
    with refused(Refused, "bukan bagian"):
        services.iki_save(by=staf, rhk=other, values={"text": "Pindah"}, iki=plan.iki)


def test_lampiran_add_and_delete(cast: Cast) -> None:
    plan = build_plan(cast)
    staf = cast.user("staf_a")
    mark = audit_mark()
    second = services.lampiran_add(
        by=staf, skp=plan.skp, kind="DUKUNGAN_SUMBER_DAYA", text="  Kendaraan dinas "
    )
    other = services.lampiran_add(by=staf, skp=plan.skp, kind="KONSEKUENSI", text="Teguran")
    assert (second.text, second.order, other.order) == ("Kendaraan dinas", 2, 1)
    assert actions_since(mark) == ["lampiran_add", "lampiran_add"]
    assert events_since(mark)[0].new_values == {
        "lampiran_id": second.pk,
        "kind": "DUKUNGAN_SUMBER_DAYA",
        "text": "Kendaraan dinas",
    }
    second_id = second.pk
    mark = audit_mark()
    services.lampiran_delete(by=staf, lampiran=second)
    assert not Lampiran.objects.filter(pk=second_id).exists()
    event = only_event(mark, "lampiran_delete", plan.skp, staf)
    assert event.old_values == {"lampiran_id": second_id, "text": "Kendaraan dinas"}


@pytest.mark.parametrize(
    ("kind", "text", "field"),
    [("KONSEKUENSI", " ", "text"), ("LAINNYA", "Teguran", "kind"), ("", "Teguran", "kind")],
)
def test_a_lampiran_needs_a_known_kind_and_text(
    cast: Cast, kind: str, text: str, field: str
) -> None:
    plan = build_plan(cast)
    with refused(ServiceError) as info:
        services.lampiran_add(by=cast.user("staf_a"), skp=plan.skp, kind=kind, text=text)
    assert info.value.field == field


def test_an_unknown_pendekatan_cannot_be_set(cast: Cast) -> None:
    plan = build_plan(cast)
    with refused(ServiceError, "Pendekatan"):
        services.skp_set_pendekatan(by=cast.user("staf_a"), skp=plan.skp, pendekatan="X")


# --- ekspektasi khusus pimpinan -----------------------------------------------------------


@pytest.mark.parametrize("state", ["DRAFT", "DIAJUKAN", "DIKEMBALIKAN"])
def test_the_rater_sets_changes_and_clears_an_ekspektasi(cast: Cast, state: str) -> None:
    plan = build_plan(cast)
    put_in(cast, plan, state)
    kasi = cast.user("kasi")
    mark = audit_mark()
    item = services.ekspektasi_set(by=kasi, skp=plan.skp, core_value=3, text="  Ikut pelatihan ")
    assert item is not None
    assert (item.skp_id, item.core_value, item.text) == (plan.skp.pk, 3, "Ikut pelatihan")
    event = only_event(mark, "ekspektasi_set", plan.skp, kasi)
    assert (event.old_values, event.new_values) == ({}, {"core_value": 3, "text": "Ikut pelatihan"})

    mark = audit_mark()
    services.ekspektasi_set(by=kasi, skp=plan.skp, core_value=3, text="Latih rekan baru")
    assert EkspektasiKhusus.objects.get(skp=plan.skp, core_value=3).text == "Latih rekan baru"
    event = only_event(mark, "ekspektasi_set", plan.skp, kasi)
    assert event.old_values == {"text": "Ikut pelatihan"}

    mark = audit_mark()
    assert services.ekspektasi_set(by=kasi, skp=plan.skp, core_value=3, text="  ") is None
    assert not EkspektasiKhusus.objects.filter(skp=plan.skp).exists()
    event = only_event(mark, "ekspektasi_clear", plan.skp, kasi)
    assert (event.old_values, event.new_values) == ({"text": "Latih rekan baru"}, {"core_value": 3})


@pytest.mark.parametrize("who", ["staf_a", "staf_b", "kabid", "kadis", "admin", "superadmin"])
def test_only_the_rater_sets_an_ekspektasi(cast: Cast, who: str) -> None:
    plan = build_plan(cast)
    with refused(Refused, "Pejabat Penilai Kinerja"):
        services.ekspektasi_set(by=cast.user(who), skp=plan.skp, core_value=1, text="Ramah")


def test_an_skp_without_rater_takes_no_ekspektasi(cast: Cast) -> None:
    skp = services.skp_create(by=cast.user("kadis"), pegawai=cast.kadis, year=this_year())
    for who in ("kadis", "admin"):
        with refused(Refused):
            services.ekspektasi_set(by=cast.user(who), skp=skp, core_value=1, text="Ramah")


@pytest.mark.parametrize("code", [0, 8, -1, 100])
def test_a_core_value_outside_1_to_7_is_refused(cast: Cast, code: int) -> None:
    plan = build_plan(cast)
    with refused(ServiceError, "1 sampai 7") as info:
        services.ekspektasi_set(by=cast.user("kasi"), skp=plan.skp, core_value=code, text="x")
    assert info.value.field == "core_value"


@pytest.mark.parametrize("state", ["DISETUJUI", "superseded"])
def test_no_ekspektasi_after_approval(cast: Cast, state: str) -> None:
    plan = build_plan(cast)
    put_in(cast, plan, state)
    with refused(Conflict, "sebelum SKP disetujui"):
        services.ekspektasi_set(by=cast.user("kasi"), skp=plan.skp, core_value=1, text="Ramah")


# --- linking (intervensi) -----------------------------------------------------------------


def test_linking_to_the_raters_rhk(cast: Cast) -> None:
    plan = build_plan(cast)
    staf = cast.user("staf_a")
    mark = audit_mark()
    rhk = services.rhk_save(
        by=staf, skp=plan.skp, jenis="UTAMA", text="Kunjungan rumah", parent=plan.kasi_rhk
    )
    assert Rhk.objects.get(pk=rhk.pk).parent_id == plan.kasi_rhk.pk
    event = only_event(mark, "rhk_create", plan.skp, staf)
    assert event.new_values["parent_id"] == plan.kasi_rhk.pk


def test_unlinking_is_recorded(cast: Cast) -> None:
    plan = build_plan(cast)
    staf = cast.user("staf_a")
    mark = audit_mark()
    services.rhk_save(by=staf, skp=plan.skp, jenis="UTAMA", text=plan.rhk.text, rhk=plan.rhk)
    assert Rhk.objects.get(pk=plan.rhk.pk).parent_id is None
    event = only_event(mark, "rhk_update", plan.skp, staf)
    assert (event.old_values["parent_id"], event.new_values["parent_id"]) == (
        plan.kasi_rhk.pk,
        None,
    )


@pytest.mark.parametrize("owner", ["staf_b", "kabid", "staf_a"])
def test_linking_to_someone_elses_rhk_is_refused(cast: Cast, owner: str) -> None:
    """A peer's, the rater's rater's, or one's own RHK is not the rater's."""
    plan = build_plan(cast)
    pegawai: Pegawai = getattr(cast, owner)
    if owner == "staf_a":
        target = plan.rhk
    else:
        other = services.skp_create(by=cast.user(owner), pegawai=pegawai, year=this_year())
        target = services.rhk_save(by=cast.user(owner), skp=other, jenis="UTAMA", text="Lain")
    with refused(ServiceError, "milik Pejabat Penilai Kinerja Anda") as info:
        services.rhk_save(
            by=cast.user("staf_a"), skp=plan.skp, jenis="UTAMA", text="Ikut", parent=target
        )
    assert info.value.field == "parent"


@pytest.mark.parametrize("offset", [-1, 1])
def test_linking_to_the_raters_rhk_of_another_year_is_refused(cast: Cast, offset: int) -> None:
    plan = build_plan(cast)
    kasi = cast.user("kasi")
    other_year = this_year() + offset
    other = services.skp_create(by=kasi, pegawai=cast.kasi, year=other_year)
    old_rhk = services.rhk_save(by=kasi, skp=other, jenis="UTAMA", text="Tahun lain")
    with refused(ServiceError, f"bukan tahun {other_year}") as info:
        services.rhk_save(
            by=cast.user("staf_a"), skp=plan.skp, jenis="UTAMA", text="Ikut", parent=old_rhk
        )
    assert info.value.field == "parent"


def test_linking_to_a_superseded_version_is_refused(cast: Cast) -> None:
    plan = build_plan(cast)
    approve_kasi(cast, plan)
    revised = services.skp_revise(by=cast.user("kasi"), skp=plan.kasi_skp)
    staf = cast.user("staf_a")
    superseded = Rhk.objects.get(pk=plan.kasi_rhk.pk)  # as a request would load it
    with refused(ServiceError, "sudah digantikan") as info:
        services.rhk_save(by=staf, skp=plan.skp, jenis="UTAMA", text="Ikut", parent=superseded)
    assert info.value.field == "parent"
    copy_rhk = Rhk.objects.get(skp=revised)
    rhk = services.rhk_save(by=staf, skp=plan.skp, jenis="UTAMA", text="Ikut", parent=copy_rhk)
    assert rhk.parent_id == copy_rhk.pk


def test_an_skp_without_rater_links_to_nothing(cast: Cast) -> None:
    plan = build_plan(cast)
    kadis = cast.user("kadis")
    skp = services.skp_create(by=kadis, pegawai=cast.kadis, year=this_year())
    with refused(ServiceError, "milik Pejabat Penilai Kinerja Anda"):
        services.rhk_save(by=kadis, skp=skp, jenis="UTAMA", text="Renstra", parent=plan.kasi_rhk)


# --- submit, return, approve --------------------------------------------------------------


def test_the_owner_submits_a_complete_skp(cast: Cast) -> None:
    plan = build_plan(cast)
    staf = cast.user("staf_a")
    mark = audit_mark()
    services.skp_submit(by=staf, skp=plan.skp)
    skp = fresh(plan.skp)
    assert (skp.status, skp.rater_id) == (StatusSkp.DIAJUKAN, cast.kasi.pk)
    assert skp.submitted_at is not None and skp.approved_at is None
    event = only_event(mark, "skp_submit", skp, staf)
    assert event.old_values == {"status": "DRAFT"}
    assert event.new_values == {"status": "DIAJUKAN", "rater_id": cast.kasi.pk}


@pytest.mark.parametrize("who", ["kasi", "staf_b", "kabid", "admin", "superadmin"])
def test_only_the_owner_submits(cast: Cast, who: str) -> None:
    plan = build_plan(cast)
    with refused(Refused, "Hanya pemilik SKP"):
        services.skp_submit(by=cast.user(who), skp=plan.skp)


def test_an_incomplete_skp_is_refused_with_its_problems(cast: Cast) -> None:
    staf = cast.user("staf_a")
    skp = services.skp_create(by=staf, pegawai=cast.staf_a, year=this_year())
    with refused(ServiceError) as info:
        services.skp_submit(by=staf, skp=skp)
    assert info.value.message == (
        "SKP belum lengkap: SKP harus memiliki minimal satu Rencana Hasil Kerja Utama."
    )


def test_the_problems_name_rhks_as_the_page_numbers_them(cast: Cast) -> None:
    """Utama and Tambahan are numbered separately, Utama first, whatever the order of entry."""
    plan = build_plan(cast)
    staf = cast.user("staf_a")
    services.rhk_save(by=staf, skp=plan.skp, jenis="TAMBAHAN", text="Piket IGD")
    services.rhk_save(by=staf, skp=plan.skp, jenis="UTAMA", text="Kunjungan rumah")
    with refused(ServiceError) as info:
        services.skp_submit(by=staf, skp=plan.skp)
    assert info.value.message == (
        "SKP belum lengkap: RHK Utama 2 belum memiliki Indikator Kinerja Individu. "
        "RHK Utama 2 harus dikaitkan dengan Rencana Hasil Kerja pimpinan yang diintervensi. "
        "RHK Tambahan 1 belum memiliki Indikator Kinerja Individu."
    )


def test_a_kualitatif_skp_needs_narrative_targets(cast: Cast) -> None:
    plan = build_plan(cast)
    staf = cast.user("staf_a")
    services.skp_set_pendekatan(by=staf, skp=plan.skp, pendekatan="KUALITATIF")
    with refused(ServiceError, "RHK Utama 1, IKI 1: target naratif wajib diisi"):
        services.skp_submit(by=staf, skp=plan.skp)
    services.iki_save(
        by=staf, rhk=plan.rhk, values={"target_narrative": "Posyandu aktif"}, iki=plan.iki
    )
    assert services.skp_submit(by=staf, skp=plan.skp).status == StatusSkp.DIAJUKAN


def test_an_skp_without_rater_cannot_be_submitted(cast: Cast) -> None:
    kadis = cast.user("kadis")
    skp = services.skp_create(by=kadis, pegawai=cast.kadis, year=this_year())
    rhk = services.rhk_save(by=kadis, skp=skp, jenis="UTAMA", text="Renstra Dinkes")
    services.iki_save(by=kadis, rhk=rhk, values=KUANTITATIF | {"perspektif": "PROSES_BISNIS"})
    with refused(ServiceError, "belum dapat ditentukan"):
        services.skp_submit(by=kadis, skp=skp)


def test_submitting_refreshes_the_rater(cast: Cast) -> None:
    plan = build_plan(cast)
    org.delegasi_create(
        by=cast.admin,
        pegawai=cast.staf_a,
        rater=cast.kabid,
        start_date=timezone.localdate(),
        end_date=None,
        reason="Kepala seksi tugas belajar",
    )
    mark = audit_mark()
    services.skp_submit(by=cast.user("staf_a"), skp=plan.skp)
    assert fresh(plan.skp).rater_id == cast.kabid.pk
    [event] = events_since(mark)
    assert event.new_values == {"status": "DIAJUKAN", "rater_id": cast.kabid.pk}
    with refused(Refused):
        services.skp_approve(by=cast.user("kasi"), skp=fresh(plan.skp))
    services.skp_approve(by=cast.user("kabid"), skp=fresh(plan.skp))


def test_the_old_skp_of_a_mutasi_goes_to_the_rater_of_that_jabatan(cast: Cast) -> None:
    """Submitted late, after the move: the rater is the one of the jabatan the SKP is for."""
    year = this_year() - 1
    plan = build_plan(cast, year)
    org.penempatan_assign(
        by=cast.admin, pegawai=cast.staf_a, jabatan=new_jabatan(cast), start_date=date(year, 7, 1)
    )
    services.skp_create(by=cast.user("staf_a"), pegawai=cast.staf_a, year=year)
    services.skp_submit(by=cast.user("staf_a"), skp=fresh(plan.skp))
    assert fresh(plan.skp).rater_id == cast.kasi.pk
    services.skp_approve(by=cast.user("kasi"), skp=fresh(plan.skp))


def test_the_rater_returns_with_a_note_and_the_owner_resubmits(cast: Cast) -> None:
    plan = build_plan(cast)
    put_in(cast, plan, "DIAJUKAN")
    kasi, staf = cast.user("kasi"), cast.user("staf_a")
    mark = audit_mark()
    services.skp_return(by=kasi, skp=plan.skp, note="  Tambahkan aspek waktu ")
    skp = fresh(plan.skp)
    assert (skp.status, skp.return_note) == (StatusSkp.DIKEMBALIKAN, "Tambahkan aspek waktu")
    event = only_event(mark, "skp_return", skp, kasi)
    assert event.old_values == {"status": "DIAJUKAN"}
    assert event.new_values == {"status": "DIKEMBALIKAN", "note": "Tambahkan aspek waktu"}
    mark = audit_mark()
    services.skp_submit(by=staf, skp=skp)
    assert fresh(skp).status == StatusSkp.DIAJUKAN
    assert only_event(mark, "skp_submit", skp, staf).old_values == {"status": "DIKEMBALIKAN"}


@pytest.mark.parametrize("note", ["", "   ", "\n"])
def test_returning_needs_a_note(cast: Cast, note: str) -> None:
    plan = build_plan(cast)
    put_in(cast, plan, "DIAJUKAN")
    with refused(ServiceError, "Catatan pengembalian wajib diisi") as info:
        services.skp_return(by=cast.user("kasi"), skp=plan.skp, note=note)
    assert info.value.field == "note"


@pytest.mark.parametrize("who", ["staf_a", "staf_b", "kabid", "kadis", "admin", "superadmin"])
def test_only_the_rater_returns_or_approves(cast: Cast, who: str) -> None:
    plan = build_plan(cast)
    put_in(cast, plan, "DIAJUKAN")
    with refused(Refused, "Hanya Pejabat Penilai Kinerja"):
        services.skp_return(by=cast.user(who), skp=plan.skp, note="Perbaiki")
    with refused(Refused, "Hanya Pejabat Penilai Kinerja"):
        services.skp_approve(by=cast.user(who), skp=plan.skp)


def test_the_rater_approves(cast: Cast) -> None:
    plan = build_plan(cast)
    put_in(cast, plan, "DIAJUKAN")
    kasi = cast.user("kasi")
    mark = audit_mark()
    services.skp_approve(by=kasi, skp=plan.skp)
    skp = fresh(plan.skp)
    assert (skp.status, skp.is_current) == (StatusSkp.DISETUJUI, True)
    assert skp.approved_at is not None
    event = only_event(mark, "skp_approve", skp, kasi)
    assert (event.old_values, event.new_values) == (
        {"status": "DIAJUKAN"},
        {"status": "DISETUJUI"},
    )


# (state, action) -> the message; the allowed pairs are tested above.
INVALID = [
    ("DRAFT", "return", "SKP yang draf tidak dapat dikembalikan."),
    ("DRAFT", "approve", "SKP yang draf tidak dapat disetujui."),
    ("DIAJUKAN", "submit", "SKP berstatus Diajukan tidak dapat diubah"),
    ("DISETUJUI", "submit", "SKP berstatus Disetujui tidak dapat diubah"),
    ("DISETUJUI", "return", "SKP yang sudah disetujui tidak dapat dikembalikan."),
    ("DISETUJUI", "approve", "SKP yang sudah disetujui tidak dapat disetujui."),
    ("DIKEMBALIKAN", "return", "SKP yang dikembalikan tidak dapat dikembalikan."),
    ("DIKEMBALIKAN", "approve", "SKP yang dikembalikan tidak dapat disetujui."),
    ("superseded", "submit", "sudah digantikan"),
    ("superseded", "return", "SKP yang sudah disetujui tidak dapat dikembalikan."),
    ("superseded", "approve", "SKP yang sudah disetujui tidak dapat disetujui."),
]


@pytest.mark.parametrize(("state", "action", "message"), INVALID)
def test_every_invalid_transition_is_a_conflict(
    cast: Cast, state: str, action: str, message: str
) -> None:
    plan = build_plan(cast)
    put_in(cast, plan, state)
    kasi, staf = cast.user("kasi"), cast.user("staf_a")
    with refused(Conflict, message):
        if action == "submit":
            services.skp_submit(by=staf, skp=plan.skp)
        elif action == "return":
            services.skp_return(by=kasi, skp=plan.skp, note="Perbaiki")
        else:
            services.skp_approve(by=kasi, skp=plan.skp)


# --- perubahan SKP (versions) -------------------------------------------------------------


def test_revising_copies_the_approved_version(cast: Cast) -> None:
    plan = build_plan(cast)
    staf = cast.user("staf_a")
    piket = services.rhk_save(by=staf, skp=plan.skp, jenis="TAMBAHAN", text="Piket", source="SK 1")
    services.iki_save(by=staf, rhk=piket, values=KUANTITATIF | {"text": "Jadwal piket"})
    services.lampiran_add(by=staf, skp=plan.skp, kind="KONSEKUENSI", text="Teguran")
    put_in(cast, plan, "DIAJUKAN")
    services.ekspektasi_set(by=cast.user("kasi"), skp=plan.skp, core_value=4, text="Rukun")
    services.skp_approve(by=cast.user("kasi"), skp=plan.skp)
    v1 = fresh(plan.skp)
    before = fingerprint()
    mark = audit_mark()

    v2 = fresh(services.skp_revise(by=staf, skp=v1))

    assert (v2.version, v2.status, v2.is_current, v2.previous_id) == (2, "DRAFT", True, v1.pk)
    same = ["pegawai_id", "year", "jabatan_id", "unit_path", "rater_id", "start_date", "end_date"]
    assert [getattr(v2, f) for f in same] == [getattr(v1, f) for f in same]
    assert v2.pendekatan == v1.pendekatan
    old = fresh(v1)
    assert (old.status, old.is_current, old.version) == (StatusSkp.DISETUJUI, False, 1)
    old_rhks = {r.pk: r for r in Rhk.objects.filter(skp=v1)}
    new_rhks = list(Rhk.objects.filter(skp=v2))
    assert sorted(r.copied_from_id or 0 for r in new_rhks) == sorted(old_rhks)
    fields = ["jenis", "text", "order", "parent_id", "source"]
    iki_fields = ["text", "aspek", "target_value", "target_unit", "direction", "order"]
    for rhk in new_rhks:
        original = old_rhks[rhk.copied_from_id or 0]
        assert [getattr(rhk, f) for f in fields] == [getattr(original, f) for f in fields]
        copied = list(rhk.iki.values_list(*iki_fields))
        assert copied == list(original.iki.values_list(*iki_fields))
        assert len(copied) == 1
    assert list(EkspektasiKhusus.objects.filter(skp=v2).values_list("core_value", "text")) == [
        (4, "Rukun")
    ]
    assert sorted(Lampiran.objects.filter(skp=v2).values_list("kind", "text", "order")) == [
        ("DUKUNGAN_SUMBER_DAYA", "Anggaran BOK", 1),
        ("KONSEKUENSI", "Teguran", 1),
    ]
    # The approved version's own rows are untouched and still readable.
    after = fingerprint()
    for table in ("rhk", "iki", "ekspektasi", "lampiran"):
        assert set(before[table]) <= set(after[table])
    assert v1.pk in set(Skp.objects.visible_to(staf).values_list("id", flat=True))
    event = only_event(mark, "skp_revise", v2, staf)
    assert event.new_values == {"previous_id": v1.pk, "version": 2}


def test_the_new_version_is_editable_and_goes_through_the_workflow(cast: Cast) -> None:
    plan = build_plan(cast)
    put_in(cast, plan, "DISETUJUI")
    staf, kasi = cast.user("staf_a"), cast.user("kasi")
    v2 = services.skp_revise(by=staf, skp=plan.skp)
    extra = services.rhk_save(by=staf, skp=v2, jenis="TAMBAHAN", text="Tugas tambahan")
    services.iki_save(by=staf, rhk=extra, values=KUANTITATIF | {"text": "Laporan"})
    rhk2 = Rhk.objects.get(skp=v2, jenis="UTAMA")
    services.iki_save(by=staf, rhk=rhk2, values={"target_value": "20"}, iki=rhk2.iki.get())
    services.skp_submit(by=staf, skp=v2)
    services.skp_approve(by=kasi, skp=v2)
    assert fresh(v2).status == StatusSkp.DISETUJUI
    assert Iki.objects.get(rhk__skp=plan.skp).target_value == 12  # history unchanged
    assert Rhk.objects.filter(skp=plan.skp).count() == 1
    v3 = services.skp_revise(by=staf, skp=fresh(v2))
    assert (v3.version, v3.previous_id) == (3, v2.pk)
    assert list(
        Skp.objects.filter(pegawai=cast.staf_a).order_by("version").values_list("is_current")
    ) == [(False,), (False,), (True,)]


@pytest.mark.parametrize("state", ["DRAFT", "DIAJUKAN", "DIKEMBALIKAN"])
def test_only_an_approved_skp_is_revised(cast: Cast, state: str) -> None:
    plan = build_plan(cast)
    put_in(cast, plan, state)
    with refused(Conflict, "versi terbaru yang sudah disetujui"):
        services.skp_revise(by=cast.user("staf_a"), skp=plan.skp)


def test_a_second_revision_while_a_draft_exists_is_refused(cast: Cast) -> None:
    plan = build_plan(cast)
    put_in(cast, plan, "superseded")
    staf = cast.user("staf_a")
    draft = Skp.objects.get(pegawai=cast.staf_a, is_current=True)
    with refused(Conflict, "versi terbaru yang sudah disetujui"):
        services.skp_revise(by=staf, skp=plan.skp)
    with refused(Conflict, "versi terbaru yang sudah disetujui"):
        services.skp_revise(by=staf, skp=draft)


@pytest.mark.parametrize("who", ["kasi", "admin", "staf_b"])
def test_only_the_owner_revises(cast: Cast, who: str) -> None:
    plan = build_plan(cast)
    put_in(cast, plan, "DISETUJUI")
    with refused(Refused, "Hanya pemilik SKP"):
        services.skp_revise(by=cast.user(who), skp=plan.skp)


def test_approving_a_new_version_repoints_the_subordinates_links(cast: Cast) -> None:
    plan = build_plan(cast)
    kabid_rhk = approve_kasi(cast, plan)
    kasi, kabid = cast.user("kasi"), cast.user("kabid")
    staf_b_skp = services.skp_create(by=cast.user("staf_b"), pegawai=cast.staf_b, year=this_year())
    staf_b_rhk = services.rhk_save(
        by=cast.user("staf_b"), skp=staf_b_skp, jenis="UTAMA", text="Ikut", parent=plan.kasi_rhk
    )
    v2 = services.skp_revise(by=kasi, skp=plan.kasi_skp)
    copy_rhk = Rhk.objects.get(skp=v2)
    assert (copy_rhk.copied_from_id, copy_rhk.parent_id) == (plan.kasi_rhk.pk, kabid_rhk.pk)
    # Until the new version is approved, subordinates still follow the approved one.
    assert Rhk.objects.get(pk=plan.rhk.pk).parent_id == plan.kasi_rhk.pk
    services.skp_submit(by=kasi, skp=v2)
    mark = audit_mark()
    services.skp_approve(by=kabid, skp=v2)
    assert actions_since(mark) == ["skp_approve"]
    assert Rhk.objects.get(pk=plan.rhk.pk).parent_id == copy_rhk.pk
    assert Rhk.objects.get(pk=staf_b_rhk.pk).parent_id == copy_rhk.pk
    assert not Rhk.objects.filter(parent=plan.kasi_rhk).exists()
    assert Rhk.objects.get(pk=copy_rhk.pk).parent_id == kabid_rhk.pk  # kasi's own link kept


# --- cascading (matriks peran hasil) ------------------------------------------------------


def test_cascading_creates_missing_skps_and_links(cast: Cast) -> None:
    plan = build_plan(cast)
    kasi = cast.user("kasi")
    assert not Skp.objects.filter(pegawai=cast.staf_b).exists()
    mark = audit_mark()
    children = services.rhk_cascade(
        by=kasi,
        rhk=plan.kasi_rhk,
        assignments=[(cast.staf_a, " Penyuluhan gizi "), (cast.staf_b, "")],
    )
    for_a, for_b = (Rhk.objects.get(pk=c.pk) for c in children)
    assert (for_a.skp_id, for_a.text, for_a.order) == (plan.skp.pk, "Penyuluhan gizi", 2)
    assert (for_b.text, for_b.order) == ("Meningkatnya cakupan layanan primer", 1)
    assert {for_a.parent_id, for_b.parent_id} == {plan.kasi_rhk.pk}
    assert {for_a.jenis, for_b.jenis} == {"UTAMA"}
    new_skp = Skp.objects.get(pegawai=cast.staf_b)
    assert for_b.skp_id == new_skp.pk
    assert (new_skp.year, new_skp.status, new_skp.rater_id, new_skp.jabatan_id) == (
        this_year(),
        StatusSkp.DRAFT,
        cast.kasi.pk,
        cast.j_staf.pk,
    )
    events = events_since(mark)
    assert [(e.action, e.target_id) for e in events] == [
        ("rhk_cascade", str(plan.skp.pk)),
        ("skp_create", str(new_skp.pk)),
        ("rhk_cascade", str(new_skp.pk)),
    ]
    assert {e.actor_id for e in events} == {kasi.pk}
    assert events[0].new_values == {
        "rhk_id": for_a.pk,
        "parent_id": plan.kasi_rhk.pk,
        "text": "Penyuluhan gizi",
    }


def test_the_head_cascades_to_everyone_they_rate(cast: Cast) -> None:
    kadis = cast.user("kadis")
    skp = services.skp_create(by=kadis, pegawai=cast.kadis, year=this_year())
    rhk = services.rhk_save(by=kadis, skp=skp, jenis="UTAMA", text="Derajat kesehatan naik")
    children = services.rhk_cascade(
        by=kadis, rhk=rhk, assignments=[(cast.kabid, "Mutu layanan"), (cast.kapus, "Layanan")]
    )
    assert sorted(c.skp.pegawai_id for c in children) == sorted([cast.kabid.pk, cast.kapus.pk])
    assert {c.skp.rater_id for c in children} == {cast.kadis.pk}


@pytest.mark.parametrize("who", ["staf_a", "kabid", "admin", "superadmin"])
def test_only_the_owner_cascades(cast: Cast, who: str) -> None:
    plan = build_plan(cast)
    with refused(Refused, "Hanya pemilik RHK"):
        services.rhk_cascade(by=cast.user(who), rhk=plan.kasi_rhk, assignments=[(cast.staf_b, "")])


def test_cascading_from_a_superseded_version_is_refused(cast: Cast) -> None:
    plan = build_plan(cast)
    approve_kasi(cast, plan)
    services.skp_revise(by=cast.user("kasi"), skp=plan.kasi_skp)
    with refused(Conflict, "sudah digantikan"):
        services.rhk_cascade(
            by=cast.user("kasi"),
            rhk=Rhk.objects.get(pk=plan.kasi_rhk.pk),
            assignments=[(cast.staf_b, "")],
        )


def test_cascading_to_nobody_is_refused(cast: Cast) -> None:
    plan = build_plan(cast)
    with refused(ServiceError, "minimal satu bawahan") as info:
        services.rhk_cascade(by=cast.user("kasi"), rhk=plan.kasi_rhk, assignments=[])
    assert info.value.field == "assignments"


@pytest.mark.parametrize("target", ["perawat", "kabid", "kasi", "outsider", "kadis"])
def test_cascading_to_someone_not_rated_is_refused(cast: Cast, target: str) -> None:
    plan = build_plan(cast)
    with refused(ServiceError, "bukan pegawai yang Anda nilai") as info:
        services.rhk_cascade(
            by=cast.user("kasi"), rhk=plan.kasi_rhk, assignments=[(getattr(cast, target), "")]
        )
    assert info.value.field == "assignments"


def test_the_raters_rater_cannot_cascade_past_the_rater(cast: Cast) -> None:
    kabid = cast.user("kabid")
    skp = services.skp_create(by=kabid, pegawai=cast.kabid, year=this_year())
    rhk = services.rhk_save(by=kabid, skp=skp, jenis="UTAMA", text="Mutu layanan")
    with refused(ServiceError, "bukan pegawai yang Anda nilai"):
        services.rhk_cascade(by=kabid, rhk=rhk, assignments=[(cast.staf_a, "")])


@pytest.mark.parametrize(("state", "label"), [("DIAJUKAN", "Diajukan"), ("DISETUJUI", "Disetujui")])
def test_cascading_into_a_submitted_or_approved_skp_is_a_conflict(
    cast: Cast, state: str, label: str
) -> None:
    plan = build_plan(cast)
    put_in(cast, plan, state)
    with refused(Conflict, f"berstatus {label}"):
        services.rhk_cascade(
            by=cast.user("kasi"), rhk=plan.kasi_rhk, assignments=[(cast.staf_a, "")]
        )


def test_cascading_into_a_returned_skp_is_allowed(cast: Cast) -> None:
    plan = build_plan(cast)
    put_in(cast, plan, "DIKEMBALIKAN")
    [child] = services.rhk_cascade(
        by=cast.user("kasi"), rhk=plan.kasi_rhk, assignments=[(cast.staf_a, "Tambahan tugas")]
    )
    assert child.skp_id == plan.skp.pk


@pytest.mark.parametrize("bad", ["not rated", "submitted"])
def test_cascading_is_all_or_nothing(cast: Cast, bad: str) -> None:
    plan = build_plan(cast)
    if bad == "submitted":
        put_in(cast, plan, "DIAJUKAN")
        last: Pegawai = cast.staf_a
        kind: type[ServiceError] = Conflict
    else:
        last, kind = cast.perawat, ServiceError
    with refused(kind):
        services.rhk_cascade(
            by=cast.user("kasi"),
            rhk=plan.kasi_rhk,
            assignments=[(cast.staf_b, "Untuk staf B"), (last, "")],
        )
    assert not Skp.objects.filter(pegawai=cast.staf_b).exists()
