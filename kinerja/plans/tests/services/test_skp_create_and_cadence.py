"""skp_create (who for whom, which year, the TMT and the mutasi) and the performance year's
cadence."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kinerja.core.errors import Conflict, Refused, ServiceError
from kinerja.org import services as org
from kinerja.org.models import Pegawai
from kinerja.org.testing import Cast
from kinerja.plans import services
from kinerja.plans.models import Skp, StatusSkp, TahunKinerja

from .helpers import (
    audit_mark,
    build_plan,
    events_since,
    fresh,
    new_jabatan,
    new_pegawai,
    only_event,
    put_in,
    refused,
    this_year,
)

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


@pytest.mark.parametrize("found_by", ["validate_constraints", "the database"])
def test_an_skp_started_meanwhile_is_the_same_conflict(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, found_by: str
) -> None:
    """Another request's SKP appears after the check (the constraint's own check finds it, or the
    insert does): the same 409 as the check, not Django's "Batasan … dilanggar" or a 500."""
    year = this_year()
    rater_id_for = getattr(services, "rater_id_for")  # noqa: B009 - imported there, patched there

    def meanwhile(pegawai: Pegawai, day: date) -> int | None:
        Skp.objects.create(
            instansi=cast.kab, pegawai=pegawai, year=year, jabatan=cast.j_staf,
            unit_path=cast.seksi.path, start_date=date(year, 1, 1), end_date=date(year, 12, 31),
        )  # fmt: skip
        rater: int | None = rater_id_for(pegawai, day)
        return rater

    monkeypatch.setattr(services, "rater_id_for", meanwhile)
    if found_by == "the database":
        monkeypatch.setattr(services, "clean_or_refuse", lambda obj: None)
    with refused(Conflict, f"SKP tahun {year} untuk jabatan {cast.j_staf.name} sudah ada."):
        services.skp_create(by=cast.user("staf_a"), pegawai=cast.staf_a, year=year)


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
