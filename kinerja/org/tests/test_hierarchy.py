"""Pejabat Penilai Kinerja: who rates whom on a given day (P6/2022 Pasal 1 angka 9).

The stories change the cast through the real services (an admin ends placements, appoints a Plt,
records a delegation) and then ask the hierarchy who rates whom.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from kinerja.org import services
from kinerja.org.hierarchy import rater_chain_ids, rater_for, rater_id_for, subordinate_ids
from kinerja.org.models import DelegasiPenilai, Jabatan, JenisPenempatan, Pegawai, Penempatan
from kinerja.org.testing import Cast, cast_built_once, make_nip

VACANT_FROM = date(2024, 7, 1)  # the day after kasi's (or kabid's) placement ends
BEFORE = date(2024, 6, 30)


module_cast, cast = cast_built_once("module")


# --- the admin's moves --------------------------------------------------------------------


def end_definitif(cast: Cast, pegawai: Pegawai, on: date = BEFORE) -> None:
    placement = Penempatan.objects.get(
        pegawai=pegawai, kind=JenisPenempatan.DEFINITIF, end_date__isnull=True
    )
    services.penempatan_end(by=cast.admin, penempatan=placement, end_date=on)


def acting(cast: Cast, pegawai: Pegawai, jabatan: Jabatan, kind: str = "PLT") -> None:
    services.penempatan_assign(
        by=cast.admin, pegawai=pegawai, jabatan=jabatan, start_date=VACANT_FROM, kind=kind
    )


def delegate(
    cast: Cast, pegawai: Pegawai, rater: Pegawai, start: date, end: date | None = None
) -> None:
    services.delegasi_create(
        by=cast.admin,
        pegawai=pegawai,
        rater=rater,
        start_date=start,
        end_date=end,
        reason="Surat Kepala Dinas tentang pendelegasian penilaian kinerja",
    )


def hire(cast: Cast, seq: int, name: str, jabatan: Jabatan | None, start: date) -> Pegawai:
    pegawai = services.pegawai_save(
        by=cast.admin,
        instansi=cast.kab,
        values={"nip": make_nip("19950303", "202001", "1", seq), "jenis_asn": "PNS", "name": name},
    )
    if jabatan is not None:
        services.penempatan_assign(
            by=cast.admin, pegawai=pegawai, jabatan=jabatan, start_date=start
        )
    return pegawai


def new_jabatan(cast: Cast, code: str, jenis: str, parent: Jabatan | None) -> Jabatan:
    unit = parent.unit if parent is not None else cast.pemda
    return services.jabatan_save(
        by=cast.admin, unit=unit, code=code, name=code.title(), jenis=jenis, parent=parent
    )


def assert_subordinates_match_raters(day: date | None = None) -> None:
    """For every rater R: subordinate_ids(R) == {p : rater_id_for(p) == R}."""
    everyone = list(Pegawai.objects.all())
    rater_of = {p.pk: rater_id_for(p, day) for p in everyone}
    for rater in everyone:
        expected = {pid for pid, rid in rater_of.items() if rid == rater.pk}
        assert subordinate_ids(rater, day) == expected, rater.name


# --- the tree as built --------------------------------------------------------------------


def test_staff_are_rated_by_the_kepala_seksi(cast: Cast) -> None:
    assert rater_id_for(cast.staf_a) == cast.kasi.pk
    assert rater_id_for(cast.staf_b) == cast.kasi.pk


def test_the_kepala_seksi_is_rated_by_the_kepala_bidang(cast: Cast) -> None:
    assert rater_id_for(cast.kasi) == cast.kabid.pk
    assert rater_id_for(cast.kabid) == cast.kadis.pk


def test_the_perawat_is_rated_by_the_kepala_puskesmas(cast: Cast) -> None:
    assert rater_id_for(cast.perawat) == cast.kapus.pk
    assert rater_id_for(cast.kapus) == cast.kadis.pk


def test_the_kepala_dinas_has_no_rater_in_the_tree(cast: Cast) -> None:
    assert rater_id_for(cast.kadis) is None
    assert rater_for(cast.kadis) is None
    assert rater_chain_ids(cast.kadis) == []


def test_rater_for_returns_the_pegawai_with_their_jabatan(cast: Cast) -> None:
    rater = rater_for(cast.staf_a)
    assert rater is not None
    assert rater.pk == cast.kasi.pk
    assert rater.jabatan is not None
    assert (rater.jabatan.name, rater.jabatan.unit.name) == (
        "Kepala Seksi Pelayanan Primer",
        "Seksi Pelayanan Primer",
    )


def test_someone_without_a_placement_has_no_rater(cast: Cast) -> None:
    baru = hire(cast, 51, "Calon Pegawai", None, VACANT_FROM)
    assert rater_id_for(baru) is None
    assert subordinate_ids(baru) == set()


def test_pegawai_of_another_instansi_have_their_own_tree(cast: Cast) -> None:
    assert rater_id_for(cast.outsider) is None
    assert cast.outsider.pk not in subordinate_ids(cast.kadis)


def test_subordinates_of_each_rater(cast: Cast) -> None:
    assert subordinate_ids(cast.kadis) == {cast.kabid.pk, cast.kapus.pk}
    assert subordinate_ids(cast.kabid) == {cast.kasi.pk}
    assert subordinate_ids(cast.kasi) == {cast.staf_a.pk, cast.staf_b.pk}
    assert subordinate_ids(cast.kapus) == {cast.perawat.pk}
    assert subordinate_ids(cast.staf_a) == set()
    assert subordinate_ids(cast.perawat) == set()


# --- vacancies and acting officials -------------------------------------------------------


def test_a_vacant_seksi_passes_its_staff_to_the_kepala_bidang(cast: Cast) -> None:
    end_definitif(cast, cast.kasi)
    assert rater_id_for(cast.staf_a) == cast.kabid.pk
    assert subordinate_ids(cast.kabid) == {cast.staf_a.pk, cast.staf_b.pk}
    # Until the day the placement ended, Agus still rated them.
    assert rater_id_for(cast.staf_a, BEFORE) == cast.kasi.pk
    assert rater_id_for(cast.kasi) is None


def test_a_plt_on_the_vacant_seksi_rates_its_staff(cast: Cast) -> None:
    end_definitif(cast, cast.kasi)
    acting(cast, cast.kapus, cast.j_kasi)
    assert rater_id_for(cast.staf_a) == cast.kapus.pk
    assert subordinate_ids(cast.kapus) == {cast.perawat.pk, cast.staf_a.pk, cast.staf_b.pk}
    # The Plt keeps being rated through their own definitif jabatan.
    assert rater_id_for(cast.kapus) == cast.kadis.pk


def test_a_plh_rates_only_when_there_is_no_plt(cast: Cast) -> None:
    end_definitif(cast, cast.kasi)
    acting(cast, cast.kabid, cast.j_kasi, kind="PLH")
    assert rater_id_for(cast.staf_a) == cast.kabid.pk
    acting(cast, cast.kapus, cast.j_kasi, kind="PLT")
    assert rater_id_for(cast.staf_a) == cast.kapus.pk


def test_the_definitif_holder_wins_over_a_plt(cast: Cast) -> None:
    acting(cast, cast.kapus, cast.j_kasi)
    assert rater_id_for(cast.staf_a) == cast.kasi.pk
    assert subordinate_ids(cast.kapus) == {cast.perawat.pk}
    assert subordinate_ids(cast.kasi) == {cast.staf_a.pk, cast.staf_b.pk}


def test_a_vacant_top_leaves_the_next_level_without_a_rater(cast: Cast) -> None:
    end_definitif(cast, cast.kadis)
    assert rater_id_for(cast.kabid) is None
    assert rater_id_for(cast.kapus) is None
    assert rater_id_for(cast.kasi) == cast.kabid.pk


# --- pelaksana and fungsional do not rate -------------------------------------------------


def test_a_pelaksana_superior_is_skipped(cast: Cast) -> None:
    # A magang pelaksana placed under the Pengelola Layanan jabatan is rated by the kasi, not by
    # the staff holding that jabatan: a rater is at least a pejabat pengawas.
    j_magang = new_jabatan(cast, "PENGADMINISTRASI", "PELAKSANA", cast.j_staf)
    magang = hire(cast, 52, "Pengadministrasi Baru", j_magang, VACANT_FROM)
    assert rater_id_for(magang) == cast.kasi.pk
    assert magang.pk in subordinate_ids(cast.kasi)
    assert subordinate_ids(cast.staf_a) == set()


def test_a_fungsional_superior_is_skipped(cast: Cast) -> None:
    j_terampil = new_jabatan(cast, "PERAWAT-TERAMPIL", "FUNGSIONAL", cast.j_perawat)
    terampil = hire(cast, 53, "Perawat Terampil", j_terampil, VACANT_FROM)
    assert rater_id_for(terampil) == cast.kapus.pk
    assert subordinate_ids(cast.kapus) == {cast.perawat.pk, terampil.pk}
    assert subordinate_ids(cast.perawat) == set()


# --- delegation ---------------------------------------------------------------------------


def test_a_delegation_overrides_the_tree_within_its_dates_only(cast: Cast) -> None:
    start, end = date(2025, 1, 1), date(2025, 3, 31)
    delegate(cast, cast.staf_a, cast.kapus, start, end)
    assert rater_id_for(cast.staf_a, date(2024, 12, 31)) == cast.kasi.pk
    assert rater_id_for(cast.staf_a, start) == cast.kapus.pk
    assert rater_id_for(cast.staf_a, end) == cast.kapus.pk
    assert rater_id_for(cast.staf_a, date(2025, 4, 1)) == cast.kasi.pk
    assert rater_id_for(cast.staf_a) == cast.kasi.pk
    # Staf B is not part of it.
    assert rater_id_for(cast.staf_b, start) == cast.kasi.pk
    assert subordinate_ids(cast.kapus, start) == {cast.perawat.pk, cast.staf_a.pk}
    assert subordinate_ids(cast.kasi, start) == {cast.staf_b.pk}
    assert subordinate_ids(cast.kasi, date(2025, 4, 1)) == {cast.staf_a.pk, cast.staf_b.pk}


def test_an_open_ended_delegation_gives_the_top_a_rater(cast: Cast) -> None:
    # The Sekretaris Daerah is made the kepala dinas's rater while the tree has none above him.
    j_sekda = new_jabatan(cast, "SEKDA", "JPT", None)
    sekda = hire(cast, 54, "Sekretaris Daerah", j_sekda, date(2023, 1, 2))
    delegate(cast, cast.kadis, sekda, date(2025, 1, 1))
    assert rater_id_for(cast.kadis, date(2024, 12, 31)) is None
    assert rater_id_for(cast.kadis) == sekda.pk
    assert subordinate_ids(sekda) == {cast.kadis.pk}
    assert rater_chain_ids(cast.staf_a) == [cast.kasi.pk, cast.kabid.pk, cast.kadis.pk, sekda.pk]


# --- nobody rates themselves; chains end --------------------------------------------------


def test_a_staff_member_acting_as_their_own_kasi_is_rated_one_level_up(cast: Cast) -> None:
    # Bambang is Plt Kepala Seksi over his own jabatan: he rates Dewi, the kabid rates him.
    end_definitif(cast, cast.kasi)
    acting(cast, cast.staf_b, cast.j_kasi)
    assert rater_id_for(cast.staf_a) == cast.staf_b.pk
    assert rater_id_for(cast.staf_b) == cast.kabid.pk
    assert subordinate_ids(cast.staf_b) == {cast.staf_a.pk}
    assert subordinate_ids(cast.kabid) == {cast.staf_b.pk}


def test_a_kasi_acting_as_their_own_kabid_is_rated_by_the_kadis(cast: Cast) -> None:
    end_definitif(cast, cast.kabid)
    acting(cast, cast.kasi, cast.j_kabid)
    assert rater_id_for(cast.kasi) == cast.kadis.pk
    assert cast.kasi.pk in subordinate_ids(cast.kadis)
    assert cast.kasi.pk not in subordinate_ids(cast.kasi)
    assert subordinate_ids(cast.kasi) == {cast.staf_a.pk, cast.staf_b.pk}


def test_the_next_acting_holder_rates_the_first(cast: Cast) -> None:
    # Kabid's jabatan is vacant with a Plt (the kasi) and a Plh (the kapus): the kasi cannot rate
    # himself, so the Plh rates him, while everyone else below is rated by the Plt.
    end_definitif(cast, cast.kabid)
    acting(cast, cast.kasi, cast.j_kabid, kind="PLT")
    acting(cast, cast.kapus, cast.j_kabid, kind="PLH")
    assert rater_id_for(cast.kasi) == cast.kapus.pk
    assert cast.kasi.pk in subordinate_ids(cast.kapus)
    assert cast.kasi.pk not in subordinate_ids(cast.kadis)


def test_the_rater_chain_climbs_to_the_top(cast: Cast) -> None:
    assert rater_chain_ids(cast.staf_a) == [cast.kasi.pk, cast.kabid.pk, cast.kadis.pk]
    assert rater_chain_ids(cast.perawat) == [cast.kapus.pk, cast.kadis.pk]


def test_the_rater_chain_stops_on_a_loop_without_repeats(cast: Cast) -> None:
    # A loop the services refuse, forced straight into the table: the kepala dinas "rated" by
    # a staff member. The chain must still end, and never list anyone twice.
    DelegasiPenilai.objects.create(
        instansi=cast.kab,
        pegawai=cast.kadis,
        rater=cast.staf_a,
        start_date=date(2025, 1, 1),
        reason="Data rusak dari impor lama",
    )
    chain = rater_chain_ids(cast.staf_a)
    assert chain == [cast.kasi.pk, cast.kabid.pk, cast.kadis.pk]
    assert cast.staf_a.pk not in chain
    chain = rater_chain_ids(cast.kasi)
    assert chain == [cast.kabid.pk, cast.kadis.pk, cast.staf_a.pk]
    assert len(chain) == len(set(chain))


# --- subordinates agree with raters -------------------------------------------------------


def _as_built(cast: Cast) -> None:
    return None


def _kasi_vacant(cast: Cast) -> None:
    end_definitif(cast, cast.kasi)


def _plt_on_vacant_kasi(cast: Cast) -> None:
    end_definitif(cast, cast.kasi)
    acting(cast, cast.kapus, cast.j_kasi)


def _plt_beside_definitif(cast: Cast) -> None:
    acting(cast, cast.kapus, cast.j_kasi)


def _staff_acting_as_own_kasi(cast: Cast) -> None:
    end_definitif(cast, cast.kasi)
    acting(cast, cast.staf_b, cast.j_kasi)


def _kasi_acting_as_own_kabid(cast: Cast) -> None:
    end_definitif(cast, cast.kabid)
    acting(cast, cast.kasi, cast.j_kabid)


def _plt_and_plh_on_kabid(cast: Cast) -> None:
    end_definitif(cast, cast.kabid)
    acting(cast, cast.kasi, cast.j_kabid, kind="PLT")
    acting(cast, cast.kapus, cast.j_kabid, kind="PLH")


def _delegation(cast: Cast) -> None:
    delegate(cast, cast.staf_a, cast.kapus, date(2025, 1, 1))
    delegate(cast, cast.perawat, cast.kabid, date(2025, 1, 1))


def _mutasi(cast: Cast) -> None:
    services.penempatan_assign(
        by=cast.admin, pegawai=cast.staf_a, jabatan=cast.j_perawat, start_date=VACANT_FROM
    )


def _pelaksana_in_between(cast: Cast) -> None:
    j_magang = new_jabatan(cast, "PENGADMINISTRASI", "PELAKSANA", cast.j_staf)
    hire(cast, 55, "Pengadministrasi Baru", j_magang, VACANT_FROM)


def _top_vacant(cast: Cast) -> None:
    end_definitif(cast, cast.kadis)


SCENARIOS: dict[str, Callable[[Cast], None]] = {
    "as built": _as_built,
    "kasi vacant": _kasi_vacant,
    "Plt on the vacant seksi": _plt_on_vacant_kasi,
    "Plt beside the definitif kasi": _plt_beside_definitif,
    "staff acting as own kasi": _staff_acting_as_own_kasi,
    "kasi acting as own kabid": _kasi_acting_as_own_kabid,
    "Plt and Plh on the kabid jabatan": _plt_and_plh_on_kabid,
    "delegations": _delegation,
    "mutasi": _mutasi,
    "pelaksana in between": _pelaksana_in_between,
    "kadis vacant": _top_vacant,
}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_subordinates_are_exactly_those_whose_rater_you_are(cast: Cast, scenario: str) -> None:
    SCENARIOS[scenario](cast)
    assert_subordinates_match_raters()
    assert_subordinates_match_raters(BEFORE)


@pytest.mark.parametrize("vacant", [False, True], ids=["held", "vacant"])
def test_any_member_acting_in_any_rating_jabatan_keeps_the_two_views_agreeing(
    cast: Cast, vacant: bool
) -> None:
    # Every member of the cast, in turn, made Plt of every rating jabatan: beside its definitif
    # holder, or after that holder left. Each case is rolled back before the next.
    rating = {
        cast.j_kadis: cast.kadis,
        cast.j_kabid: cast.kabid,
        cast.j_kasi: cast.kasi,
        cast.j_kapus: cast.kapus,
    }
    members = [cast.kadis, cast.kabid, cast.kasi, cast.staf_a, cast.staf_b, cast.kapus]
    members.append(cast.perawat)
    checked = 0
    for jabatan, holder in rating.items():
        for member in members:
            if member.pk == holder.pk:
                continue
            with transaction.atomic():
                if vacant:
                    end_definitif(cast, holder)
                acting(cast, member, jabatan)
                try:
                    assert_subordinates_match_raters()
                except AssertionError as exc:
                    raise AssertionError(f"{member.name} Plt {jabatan.name}: {exc}") from exc
                checked += 1
                transaction.set_rollback(True)
    assert checked == 4 * 6


def test_subordinate_queries_do_not_grow_with_head_count(cast: Cast) -> None:
    with CaptureQueriesContext(connection) as few:
        assert len(subordinate_ids(cast.kasi)) == 2
    for seq in range(56, 61):
        hire(cast, seq, f"Pengelola {seq}", cast.j_staf, VACANT_FROM)
    with CaptureQueriesContext(connection) as many:
        assert len(subordinate_ids(cast.kasi)) == 7
    assert len(many) == len(few)


# --- history ------------------------------------------------------------------------------


def test_a_past_date_uses_the_placements_of_that_day(cast: Cast) -> None:
    # Dewi moved from the seksi to the puskesmas on 1 July 2024.
    services.penempatan_assign(
        by=cast.admin, pegawai=cast.staf_a, jabatan=cast.j_perawat, start_date=VACANT_FROM
    )
    assert rater_id_for(cast.staf_a, date(2019, 12, 31)) is None  # before her first TMT
    assert rater_id_for(cast.staf_a, BEFORE) == cast.kasi.pk
    assert rater_id_for(cast.staf_a, VACANT_FROM) == cast.kapus.pk
    assert rater_id_for(cast.staf_a) == cast.kapus.pk
    assert cast.staf_a.pk in subordinate_ids(cast.kasi, BEFORE)
    assert cast.staf_a.pk not in subordinate_ids(cast.kasi)
    assert subordinate_ids(cast.kapus) == {cast.perawat.pk, cast.staf_a.pk}
    assert rater_chain_ids(cast.staf_a, BEFORE) == [cast.kasi.pk, cast.kabid.pk, cast.kadis.pk]
    assert rater_chain_ids(cast.staf_a) == [cast.kapus.pk, cast.kadis.pk]


def test_a_past_date_sees_the_old_kasi_and_today_the_plt(cast: Cast) -> None:
    end_definitif(cast, cast.kasi)
    acting(cast, cast.kapus, cast.j_kasi)
    assert rater_id_for(cast.staf_b, BEFORE) == cast.kasi.pk
    assert rater_id_for(cast.staf_b, VACANT_FROM) == cast.kapus.pk
    assert subordinate_ids(cast.kasi, BEFORE) == {cast.staf_a.pk, cast.staf_b.pk}
    assert subordinate_ids(cast.kasi, VACANT_FROM) == set()
