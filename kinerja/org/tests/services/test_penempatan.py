"""Penempatan: mutasi, TMT order, single-holder jabatan, Plt and the end of a placement."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from kinerja.core.errors import Conflict, Refused, ServiceError
from kinerja.org import services
from kinerja.org.models import Jabatan, JenisPenempatan, Pegawai, Penempatan
from kinerja.org.testing import START, Cast

from .helpers import MUTASI, audit_mark, new_pegawai, only_event, open_placement, refused


def test_mutasi_ends_the_old_placement_the_day_before(cast: Cast) -> None:
    # Dewi moves from the seksi to the puskesmas as a perawat on 1 July 2024.
    old = open_placement(cast.staf_a)
    mark = audit_mark()
    new = services.penempatan_assign(
        by=cast.admin,
        pegawai=cast.staf_a,
        jabatan=cast.j_perawat,
        start_date=MUTASI,
        reference=" 800/123/BKPSDM/2024 ",
    )
    old.refresh_from_db()
    assert old.end_date == date(2024, 6, 30)
    assert (new.start_date, new.end_date, new.kind, new.reference) == (
        MUTASI,
        None,
        "DEFINITIF",
        "800/123/BKPSDM/2024",
    )
    assert Pegawai.objects.get(pk=cast.staf_a.pk).jabatan_id == cast.j_perawat.pk
    history = list(
        Penempatan.objects.filter(pegawai=cast.staf_a).values_list(
            "jabatan_id", "start_date", "end_date"
        )
    )
    assert history == [
        (cast.j_perawat.pk, MUTASI, None),
        (cast.j_staf.pk, START, date(2024, 6, 30)),
    ]
    event = only_event(mark)
    assert (event.action, event.target_type, event.target_id, event.scope) == (
        "penempatan_assign",
        "pegawai",
        str(cast.staf_a.pk),
        cast.kab.pk,
    )
    assert event.old_values == {"jabatan_id": cast.j_staf.pk, "penempatan_id": old.pk}
    assert event.new_values == {
        "jabatan_id": cast.j_perawat.pk,
        "kind": "DEFINITIF",
        "start_date": "2024-07-01",
    }


def test_a_first_placement_has_no_old_values(cast: Cast) -> None:
    rina = new_pegawai(cast, 41)
    mark = audit_mark()
    services.penempatan_assign(
        by=cast.admin, pegawai=rina, jabatan=cast.j_staf, start_date=date(2024, 1, 2)
    )
    event = only_event(mark)
    assert event.old_values == {}
    assert event.new_values["jabatan_id"] == cast.j_staf.pk
    assert Pegawai.objects.get(pk=rina.pk).jabatan_id == cast.j_staf.pk


def test_a_placement_today_is_fine_but_not_tomorrow(cast: Cast) -> None:
    today = timezone.localdate()
    with refused(ServiceError, "masa depan") as info:
        services.penempatan_assign(
            by=cast.admin,
            pegawai=cast.staf_a,
            jabatan=cast.j_perawat,
            start_date=today + timedelta(days=1),
        )
    assert info.value.field == "start_date"
    services.penempatan_assign(
        by=cast.admin, pegawai=cast.staf_a, jabatan=cast.j_perawat, start_date=today
    )
    assert open_placement(cast.staf_a).jabatan_id == cast.j_perawat.pk


@pytest.mark.parametrize("start", [START, START - timedelta(days=1)])
def test_a_new_tmt_must_come_after_the_previous_one(cast: Cast, start: date) -> None:
    with refused(ServiceError, "sesudah TMT jabatan sebelumnya") as info:
        services.penempatan_assign(
            by=cast.admin, pegawai=cast.staf_a, jabatan=cast.j_perawat, start_date=start
        )
    assert "02-01-2020" in info.value.message
    assert info.value.field == "start_date"


def test_a_new_tmt_cannot_fall_inside_an_ended_placement(cast: Cast) -> None:
    # Dewi's placement was ended on 30 June 2024; a new one may not start back in January.
    services.penempatan_end(
        by=cast.admin, penempatan=open_placement(cast.staf_a), end_date=date(2024, 6, 30)
    )
    with refused(ServiceError, "30-06-2024") as info:
        services.penempatan_assign(
            by=cast.admin,
            pegawai=cast.staf_a,
            jabatan=cast.j_perawat,
            start_date=date(2024, 1, 2),
        )
    assert info.value.field == "start_date"
    services.penempatan_assign(
        by=cast.admin, pegawai=cast.staf_a, jabatan=cast.j_perawat, start_date=date(2024, 7, 1)
    )
    assert Pegawai.objects.get(pk=cast.staf_a.pk).jabatan_id == cast.j_perawat.pk


def test_the_same_jabatan_twice_is_refused(cast: Cast) -> None:
    with refused(Conflict, "sudah memegang jabatan ini"):
        services.penempatan_assign(
            by=cast.admin, pegawai=cast.staf_a, jabatan=cast.j_staf, start_date=MUTASI
        )


def test_a_single_holder_jabatan_refuses_a_second_definitif(cast: Cast) -> None:
    rina = new_pegawai(cast, 42)
    with refused(Conflict, "Agus Salim"):
        services.penempatan_assign(
            by=cast.admin, pegawai=rina, jabatan=cast.j_kasi, start_date=MUTASI
        )


def test_a_backdated_definitif_cannot_overlap_the_holder(cast: Cast) -> None:
    # Agus has held the seksi since 2 Jan 2020; a TMT before that would overlap him from then on.
    rina = new_pegawai(cast, 43)
    with refused(Conflict, "Agus Salim"):
        services.penempatan_assign(
            by=cast.admin, pegawai=rina, jabatan=cast.j_kasi, start_date=date(2019, 7, 1)
        )


@pytest.mark.parametrize("jabatan", ["j_kadis", "j_kabid", "j_kapus"])
def test_every_rater_jabatan_is_single_holder(cast: Cast, jabatan: str) -> None:
    rina = new_pegawai(cast, 44)
    with refused(Conflict, "akhiri penempatan itu lebih dulu"):
        services.penempatan_assign(
            by=cast.admin, pegawai=rina, jabatan=getattr(cast, jabatan), start_date=MUTASI
        )


def test_a_unit_head_is_single_holder_whatever_its_jenis(cast: Cast) -> None:
    pustu = services.unit_save(
        by=cast.admin,
        instansi=cast.kab,
        code="PUSTU",
        name="Puskesmas Pembantu",
        kind="UPT",
        parent=cast.puskesmas,
    )
    j_head = services.jabatan_save(
        by=cast.admin,
        unit=pustu,
        code="PJ-PUSTU",
        name="Penanggung Jawab Pustu",
        jenis="FUNGSIONAL",
        parent=cast.j_kapus,
        is_unit_head=True,
    )
    rina, yuni = new_pegawai(cast, 45), new_pegawai(cast, 46, "Yuni Astuti")
    services.penempatan_assign(by=cast.admin, pegawai=rina, jabatan=j_head, start_date=MUTASI)
    with refused(Conflict, "Rina Marlina"):
        services.penempatan_assign(by=cast.admin, pegawai=yuni, jabatan=j_head, start_date=MUTASI)


def test_a_pelaksana_jabatan_has_many_holders(cast: Cast) -> None:
    rina = new_pegawai(cast, 47)
    services.penempatan_assign(by=cast.admin, pegawai=rina, jabatan=cast.j_staf, start_date=MUTASI)
    holders = set(
        Penempatan.objects.active_on().filter(jabatan=cast.j_staf).values_list("pegawai", flat=True)
    )
    assert holders == {cast.staf_a.pk, cast.staf_b.pk, rina.pk}


def test_a_plt_fills_a_vacant_jabatan_but_only_one_plt(cast: Cast) -> None:
    services.penempatan_end(
        by=cast.admin, penempatan=open_placement(cast.kasi), end_date=date(2024, 6, 30)
    )
    mark = audit_mark()
    plt = services.penempatan_assign(
        by=cast.admin, pegawai=cast.kapus, jabatan=cast.j_kasi, start_date=MUTASI, kind="PLT"
    )
    assert plt.kind == JenisPenempatan.PLT
    # A Plt does not change the pegawai's own (definitif) jabatan, nor end it.
    assert Pegawai.objects.get(pk=cast.kapus.pk).jabatan_id == cast.j_kapus.pk
    assert open_placement(cast.kapus).jabatan_id == cast.j_kapus.pk
    event = only_event(mark)
    assert event.old_values == {}
    assert event.new_values == {
        "jabatan_id": cast.j_kasi.pk,
        "kind": "PLT",
        "start_date": "2024-07-01",
    }
    with refused(Conflict, "Ratna Sari"):
        services.penempatan_assign(
            by=cast.admin, pegawai=cast.kabid, jabatan=cast.j_kasi, start_date=MUTASI, kind="PLT"
        )


def test_a_placement_kind_must_be_known(cast: Cast) -> None:
    with refused(ServiceError) as info:
        services.penempatan_assign(
            by=cast.admin,
            pegawai=cast.staf_a,
            jabatan=cast.j_perawat,
            start_date=MUTASI,
            kind="HONORER",
        )
    assert info.value.field == "kind"


def test_a_jabatan_of_another_instansi_is_refused(cast: Cast) -> None:
    j_out = Jabatan.objects.get(instansi=cast.kota)
    with refused(ServiceError, "instansi pegawai") as info:
        services.penempatan_assign(
            by=cast.superadmin, pegawai=cast.staf_a, jabatan=j_out, start_date=MUTASI
        )
    assert info.value.field == "jabatan"


@pytest.mark.parametrize("who", ["kasi", "auditor", "staf_a"])
def test_only_an_admin_places_pegawai(cast: Cast, who: str) -> None:
    with refused(Refused):
        services.penempatan_assign(
            by=cast.user(who), pegawai=cast.staf_a, jabatan=cast.j_perawat, start_date=MUTASI
        )


def test_a_failed_mutasi_leaves_the_old_placement_open(cast: Cast) -> None:
    # The SK number is too long: the whole mutasi is refused, including closing the old one.
    with refused(ServiceError) as info:
        services.penempatan_assign(
            by=cast.admin,
            pegawai=cast.staf_a,
            jabatan=cast.j_perawat,
            start_date=MUTASI,
            reference="8" * 101,
        )
    assert info.value.field == "reference"
    assert open_placement(cast.staf_a).jabatan_id == cast.j_staf.pk


def test_ending_a_placement_clears_the_current_jabatan(cast: Cast) -> None:
    placement = open_placement(cast.kasi)
    mark = audit_mark()
    services.penempatan_end(by=cast.admin, penempatan=placement, end_date=date(2024, 6, 30))
    placement.refresh_from_db()
    assert placement.end_date == date(2024, 6, 30)
    assert Pegawai.objects.get(pk=cast.kasi.pk).jabatan_id is None
    event = only_event(mark)
    assert (event.action, event.target_type, event.target_id) == (
        "penempatan_end",
        "penempatan",
        str(placement.pk),
    )
    assert event.new_values == {"end_date": "2024-06-30"}


def test_ending_a_plt_keeps_the_definitif_jabatan(cast: Cast) -> None:
    services.penempatan_end(
        by=cast.admin, penempatan=open_placement(cast.kasi), end_date=date(2024, 6, 30)
    )
    plt = services.penempatan_assign(
        by=cast.admin, pegawai=cast.kapus, jabatan=cast.j_kasi, start_date=MUTASI, kind="PLT"
    )
    services.penempatan_end(by=cast.admin, penempatan=plt, end_date=date(2024, 9, 30))
    assert Pegawai.objects.get(pk=cast.kapus.pk).jabatan_id == cast.j_kapus.pk


def test_a_placement_ends_once_and_not_before_it_began(cast: Cast) -> None:
    placement = open_placement(cast.staf_b)
    with refused(ServiceError, "sebelum TMT") as info:
        services.penempatan_end(
            by=cast.admin, penempatan=placement, end_date=START - timedelta(days=1)
        )
    assert info.value.field == "end_date"
    services.penempatan_end(by=cast.admin, penempatan=placement, end_date=START)
    with refused(Conflict, "sudah berakhir"):
        services.penempatan_end(by=cast.admin, penempatan=placement, end_date=MUTASI)


@pytest.mark.parametrize("who", ["kabid", "auditor"])
def test_only_an_admin_ends_a_placement(cast: Cast, who: str) -> None:
    with refused(Refused):
        services.penempatan_end(
            by=cast.user(who), penempatan=open_placement(cast.kasi), end_date=MUTASI
        )
