"""Editing an SKP (RHK, IKI, lampiran, pendekatan) by its owner while it is a draft, and the
rater's ekspektasi khusus pimpinan."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from kinerja.accounts.models import User
from kinerja.core.errors import Conflict, Refused, ServiceError
from kinerja.org.testing import Cast
from kinerja.plans import services
from kinerja.plans.models import EkspektasiKhusus, Iki, Lampiran, Rhk

from .helpers import (
    KUANTITATIF,
    Plan,
    actions_since,
    audit_mark,
    build_plan,
    events_since,
    fresh,
    only_event,
    put_in,
    refused,
    this_year,
)

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
