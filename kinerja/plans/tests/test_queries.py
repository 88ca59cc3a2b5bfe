"""Shaped reads of SKP data: the SKP view, the team list, the pohon kinerja and the status board,
their content and their (constant) query counts."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from kinerja.org import services as org
from kinerja.org.access import access_for
from kinerja.org.models import Pegawai
from kinerja.org.testing import START, Cast, cast_built_once, make_nip
from kinerja.plans import queries, services
from kinerja.plans.berakhlak import BERAKHLAK
from kinerja.plans.models import Rhk, Skp

AssertNumQueries = Callable[..., AbstractContextManager[object]]


module_cast, cast = cast_built_once("module")


def this_year() -> int:
    return timezone.localdate().year


def iki_values(n: int) -> dict[str, object]:
    return {
        "text": f"Indikator {n}",
        "aspek": "KUANTITAS",
        "target_value": n,
        "target_unit": "dokumen",
    }


# --- skp_view -----------------------------------------------------------------------------


def build_skp(cast: Cast, rhks: int = 2, ikis: int = 2) -> tuple[Skp, Rhk]:
    """staf_a's SKP: `rhks` Utama (the first intervening kasi's RHK) with `ikis` IKIs each, one
    Tambahan, three lampiran items and one ekspektasi khusus."""
    kasi, staf = cast.user("kasi"), cast.user("staf_a")
    kasi_skp = services.skp_create(by=kasi, pegawai=cast.kasi, year=this_year())
    kasi_rhk = services.rhk_save(
        by=kasi, skp=kasi_skp, jenis="UTAMA", text="Meningkatnya cakupan layanan primer"
    )
    skp = services.skp_create(by=staf, pegawai=cast.staf_a, year=this_year())
    services.rhk_save(by=staf, skp=skp, jenis="TAMBAHAN", text="Piket IGD", source="SK Kadis")
    for n in range(1, rhks + 1):
        rhk = services.rhk_save(
            by=staf,
            skp=skp,
            jenis="UTAMA",
            text=f"Hasil kerja {n}",
            parent=kasi_rhk if n == 1 else None,
        )
        for m in range(1, ikis + 1):
            services.iki_save(by=staf, rhk=rhk, values=iki_values(m))
    for kind, text in [
        ("DUKUNGAN_SUMBER_DAYA", "Anggaran BOK"),
        ("KONSEKUENSI", "Teguran tertulis"),
        ("DUKUNGAN_SUMBER_DAYA", "Kendaraan dinas"),
    ]:
        services.lampiran_add(by=staf, skp=skp, kind=kind, text=text)
    services.ekspektasi_set(by=kasi, skp=skp, core_value=3, text="Ikut pelatihan triase")
    return skp, kasi_rhk


def test_skp_view_shows_the_document_parts(cast: Cast) -> None:
    skp, kasi_rhk = build_skp(cast)
    view = queries.skp_view(skp)
    assert view.skp.pk == skp.pk
    assert [(r.number, r.rhk.text) for r in view.utama] == [
        (1, "Hasil kerja 1"),
        (2, "Hasil kerja 2"),
    ]
    assert [(r.number, r.rhk.text, r.rhk.source) for r in view.tambahan] == [
        (1, "Piket IGD", "SK Kadis")
    ]
    first, second = view.utama
    assert (first.parent_text, first.parent_owner) == (kasi_rhk.text, "Agus Salim")
    assert (second.parent_text, second.parent_owner) == (None, None)
    assert [i.text for i in first.ikis] == ["Indikator 1", "Indikator 2"]
    assert [i.target_display for i in first.ikis] == ["1 dokumen", "2 dokumen"]
    assert view.tambahan[0].ikis == []
    assert [p.value.name for p in view.perilaku] == [v.name for v in BERAKHLAK]
    assert [p.ekspektasi for p in view.perilaku] == ["", "", "Ikut pelatihan triase"] + [""] * 4
    assert all(len(p.value.guides) == 3 for p in view.perilaku)
    assert view.lampiran == {
        "DUKUNGAN_SUMBER_DAYA": ["Anggaran BOK", "Kendaraan dinas"],
        "KONSEKUENSI": ["Teguran tertulis"],
    }
    assert (view.pegawai.name, view.pegawai.nip) == ("Dewi Lestari", cast.staf_a.nip)
    assert (view.pegawai.jabatan, view.pegawai.unit) == (
        "Pengelola Layanan Kesehatan",
        "Seksi Pelayanan Primer",
    )
    assert view.pegawai.pangkat == "Penata (III/c)"
    assert view.rater is not None
    assert (view.rater.name, view.rater.jabatan) == ("Agus Salim", "Kepala Seksi Pelayanan Primer")
    assert view.instansi_name == "Pemerintah Kabupaten Contoh"
    assert view.is_jpt is False
    assert [(v.pk, v.version, v.is_current) for v in view.versions] == [(skp.pk, 1, True)]


def test_skp_view_of_a_jpt_without_rater(cast: Cast) -> None:
    skp = services.skp_create(by=cast.user("kadis"), pegawai=cast.kadis, year=this_year())
    view = queries.skp_view(skp)
    assert (view.is_jpt, view.rater, view.utama, view.tambahan, view.lampiran) == (
        True,
        None,
        [],
        [],
        {},
    )
    assert len(view.perilaku) == 7


def test_skp_view_lists_versions_and_keeps_the_old_one_readable(cast: Cast) -> None:
    skp, _kasi_rhk = build_skp(cast, rhks=1, ikis=1)
    staf, kasi = cast.user("staf_a"), cast.user("kasi")
    Rhk.objects.filter(skp=skp, jenis="TAMBAHAN").delete()
    services.skp_submit(by=staf, skp=skp)
    services.skp_approve(by=kasi, skp=skp)
    v2 = services.skp_revise(by=staf, skp=skp)
    services.rhk_save(by=staf, skp=v2, jenis="UTAMA", text="Hasil baru")
    new, old = queries.skp_view(v2), queries.skp_view(skp)
    expected = [(v2.pk, 2, True, "DRAFT"), (skp.pk, 1, False, "DISETUJUI")]
    for view in (new, old):
        assert [(v.pk, v.version, v.is_current, v.status) for v in view.versions] == expected
    assert [r.rhk.text for r in old.utama] == ["Hasil kerja 1"]
    assert [r.rhk.text for r in new.utama] == ["Hasil kerja 1", "Hasil baru"]
    assert new.perilaku[2].ekspektasi == old.perilaku[2].ekspektasi == "Ikut pelatihan triase"


def test_skp_view_shows_the_jabatan_the_skp_is_for(cast: Cast) -> None:
    year = this_year() - 1
    old = services.skp_create(by=cast.user("staf_a"), pegawai=cast.staf_a, year=year)
    jabatan = org.jabatan_save(
        by=cast.superadmin,
        unit=cast.puskesmas,
        code="ADM-PKM",
        name="Pengadministrasi Puskesmas",
        jenis="PELAKSANA",
        parent=cast.j_kapus,
    )
    org.penempatan_assign(
        by=cast.admin, pegawai=cast.staf_a, jabatan=jabatan, start_date=date(year, 7, 1)
    )
    view = queries.skp_view(old)
    assert (view.pegawai.jabatan, view.pegawai.unit) == (
        "Pengelola Layanan Kesehatan",
        "Seksi Pelayanan Primer",
    )


@pytest.mark.parametrize(("rhks", "ikis"), [(1, 1), (5, 5)])
def test_skp_view_costs_the_same_at_every_size(
    cast: Cast, django_assert_num_queries: AssertNumQueries, rhks: int, ikis: int
) -> None:
    skp, _kasi_rhk = build_skp(cast, rhks=rhks, ikis=ikis)
    with django_assert_num_queries(6):
        view = queries.skp_view(skp)
        assert len(view.utama) == rhks
        assert sum(len(r.ikis) for r in view.utama) == rhks * ikis
        assert view.utama[0].parent_owner == "Agus Salim"
        assert [r.parent_text for r in view.utama[1:]] == [None] * (rhks - 1)


# --- team, linkable RHKs, my SKPs ---------------------------------------------------------


def test_team_lists_the_people_one_rates_with_their_skp(cast: Cast) -> None:
    year = this_year()
    staf_a = services.skp_create(by=cast.user("staf_a"), pegawai=cast.staf_a, year=year)
    rows = queries.team(cast.user("kasi"), year)
    assert [(r.pegawai.pk, r.skp.pk if r.skp else None) for r in rows] == [
        (cast.staf_b.pk, None),  # Bambang Pamungkas before Dewi Lestari
        (cast.staf_a.pk, staf_a.pk),
    ]
    assert [r.skp for r in queries.team(cast.user("kasi"), year - 1)] == [None, None]
    kadis_team = queries.team(cast.user("kadis"), year)
    assert [r.pegawai.pk for r in kadis_team] == [cast.kapus.pk, cast.kabid.pk]
    for nobody in ("staf_a", "admin", "superadmin"):
        assert queries.team(cast.user(nobody), year) == []
    assert queries.team(AnonymousUser(), year) == []


def test_team_shows_the_current_version(cast: Cast) -> None:
    skp, _kasi_rhk = build_skp(cast, rhks=1, ikis=1)
    staf = cast.user("staf_a")
    Rhk.objects.filter(skp=skp, jenis="TAMBAHAN").delete()
    services.skp_submit(by=staf, skp=skp)
    services.skp_approve(by=cast.user("kasi"), skp=skp)
    v2 = services.skp_revise(by=staf, skp=skp)
    rows = queries.team(cast.user("kasi"), this_year())
    assert [r.skp.pk if r.skp else None for r in rows] == [None, v2.pk]


def test_the_version_in_force_through_a_chain_of_perubahan(cast: Cast) -> None:
    skp, _kasi_rhk = build_skp(cast, rhks=1, ikis=1)
    staf, kasi = cast.user("staf_a"), cast.user("kasi")
    Rhk.objects.filter(skp=skp, jenis="TAMBAHAN").delete()

    def in_force() -> list[int]:
        return list(Skp.objects.in_force().filter(pegawai=cast.staf_a).values_list("pk", flat=True))

    assert in_force() == []  # a draft is in force for nothing
    services.skp_submit(by=staf, skp=skp)
    assert in_force() == []
    services.skp_approve(by=kasi, skp=skp)
    assert in_force() == [skp.pk]
    v2 = services.skp_revise(by=staf, skp=skp)
    assert in_force() == [skp.pk]  # the perubahan is a draft: version 1 still holds
    services.skp_submit(by=staf, skp=v2)
    assert in_force() == [skp.pk]
    services.skp_return(by=kasi, skp=v2, note="Target belum jelas")
    assert in_force() == [skp.pk]
    services.skp_submit(by=staf, skp=v2)
    services.skp_approve(by=kasi, skp=v2)
    assert in_force() == [v2.pk]
    v3 = services.skp_revise(by=staf, skp=v2)
    assert in_force() == [v2.pk]  # not version 1, whose successor was approved
    assert Skp.objects.current().filter(pegawai=cast.staf_a).get().pk == v3.pk


def test_linkable_rhks_are_the_raters_current_ones_of_the_year(cast: Cast) -> None:
    skp, kasi_rhk = build_skp(cast, rhks=1, ikis=1)
    kasi = cast.user("kasi")
    kasi_skp = Skp.objects.get(pk=kasi_rhk.skp_id)
    second = services.rhk_save(by=kasi, skp=kasi_skp, jenis="UTAMA", text="Kedua")
    other_year = services.skp_create(by=kasi, pegawai=cast.kasi, year=this_year() + 1)
    services.rhk_save(by=kasi, skp=other_year, jenis="UTAMA", text="Tahun depan")
    assert [r.pk for r in queries.linkable_rhks(skp)] == [kasi_rhk.pk, second.pk]
    kadis_skp = services.skp_create(by=cast.user("kadis"), pegawai=cast.kadis, year=this_year())
    assert queries.linkable_rhks(kadis_skp) == []


def test_my_skps(cast: Cast) -> None:
    staf = cast.user("staf_a")
    this = services.skp_create(by=staf, pegawai=cast.staf_a, year=this_year())
    last = services.skp_create(by=staf, pegawai=cast.staf_a, year=this_year() - 1)
    assert [s.pk for s in queries.my_skps(staf)] == [this.pk, last.pk]
    assert queries.my_skps(cast.admin) == []


# --- pohon kinerja ------------------------------------------------------------------------


@dataclass
class Tree:
    """kadis → kabid → kasi → staf_a, plus kapus under kadis and an unlinked staf_b."""

    k1: Rhk  # kadis, cascaded to kabid and kapus
    k2: Rhk  # kadis, handed to nobody: uncovered
    k3: Rhk  # kadis, Tambahan
    b1: Rhk  # kabid, intervening k1
    p1: Rhk  # kapus, intervening k1
    s1: Rhk  # kasi, intervening b1
    a1: Rhk  # staf_a, intervening s1
    u: Rhk  # staf_b, Utama linked to nothing: an orphan
    t: Rhk  # staf_b, Tambahan linked to nothing


def build_tree(cast: Cast) -> Tree:
    year = this_year()
    kadis, kabid, kasi = cast.user("kadis"), cast.user("kabid"), cast.user("kasi")
    staf_b = cast.user("staf_b")
    kadis_skp = services.skp_create(by=kadis, pegawai=cast.kadis, year=year)
    k1 = services.rhk_save(by=kadis, skp=kadis_skp, jenis="UTAMA", text="Derajat kesehatan")
    k2 = services.rhk_save(by=kadis, skp=kadis_skp, jenis="UTAMA", text="Tata kelola dinas")
    k3 = services.rhk_save(by=kadis, skp=kadis_skp, jenis="TAMBAHAN", text="Ketua panitia HKN")
    b1, p1 = services.rhk_cascade(
        by=kadis, rhk=k1, assignments=[(cast.kabid, "Mutu layanan"), (cast.kapus, "Layanan PKM")]
    )
    [s1] = services.rhk_cascade(by=kabid, rhk=b1, assignments=[(cast.kasi, "Layanan primer")])
    [a1] = services.rhk_cascade(by=kasi, rhk=s1, assignments=[(cast.staf_a, "Posyandu")])
    staf_b_skp = services.skp_create(by=staf_b, pegawai=cast.staf_b, year=year)
    u = services.rhk_save(by=staf_b, skp=staf_b_skp, jenis="UTAMA", text="Arsip")
    t = services.rhk_save(by=staf_b, skp=staf_b_skp, jenis="TAMBAHAN", text="Panitia")
    return Tree(k1, k2, k3, b1, p1, s1, a1, u, t)


def ids(nodes: list[queries.PohonNode]) -> set[int]:
    return {n.rhk_id for n in nodes}


def walk(nodes: list[queries.PohonNode]) -> dict[int, queries.PohonNode]:
    found: dict[int, queries.PohonNode] = {}
    for node in nodes:
        found[node.rhk_id] = node
        found |= walk(node.children)
    return found


def test_pohon_of_the_dinas_for_its_head(cast: Cast) -> None:
    tree = build_tree(cast)
    pohon = queries.pohon_kinerja(cast.user("kadis"), cast.dinkes, this_year())
    assert (pohon.unit, pohon.year, pohon.skp_count) == (cast.dinkes, this_year(), 6)
    assert ids(pohon.roots) == {tree.k1.pk, tree.k2.pk, tree.k3.pk, tree.t.pk}
    nodes = walk(pohon.roots)
    assert [c.rhk_id for c in nodes[tree.k1.pk].children] == [tree.b1.pk, tree.p1.pk]
    assert [c.rhk_id for c in nodes[tree.b1.pk].children] == [tree.s1.pk]
    assert [c.rhk_id for c in nodes[tree.s1.pk].children] == [tree.a1.pk]
    assert nodes[tree.a1.pk].children == []
    a1 = nodes[tree.a1.pk]
    assert (a1.text, a1.jenis, a1.owner_id, a1.owner_name) == (
        "Posyandu",
        "UTAMA",
        cast.staf_a.pk,
        "Dewi Lestari",
    )
    assert (a1.jabatan, a1.status) == ("Pengelola Layanan Kesehatan", "DRAFT")
    assert [(o.rhk_id, o.owner_id, o.orphan) for o in pohon.orphans] == [
        (tree.u.pk, cast.staf_b.pk, True)
    ]
    # Only kadis's k2 is a leader's RHK nobody contributes to: kapus rates nobody with an SKP.
    uncovered = {n.rhk_id for n in nodes.values() if n.uncovered}
    assert uncovered == {tree.k2.pk}
    assert pohon.uncovered_count == 1
    assert not any(n.orphan for n in nodes.values())


def test_pohon_of_a_subtree_starts_at_its_head(cast: Cast) -> None:
    tree = build_tree(cast)
    pohon = queries.pohon_kinerja(cast.admin, cast.bidang, this_year())
    assert pohon.skp_count == 4
    assert ids(pohon.roots) == {tree.b1.pk, tree.t.pk}  # b1's parent lies outside the bidang
    assert set(walk(pohon.roots)) == {tree.b1.pk, tree.s1.pk, tree.a1.pk, tree.t.pk}
    assert ids(pohon.orphans) == {tree.u.pk}
    assert pohon.uncovered_count == 0


def test_an_unlinked_utama_is_an_orphan_below_the_top_head_only(cast: Cast) -> None:
    tree = build_tree(cast)
    kasi = cast.user("kasi")
    s2 = services.rhk_save(by=kasi, skp=tree.s1.skp, jenis="UTAMA", text="Inovasi layanan")
    in_seksi = queries.pohon_kinerja(cast.admin, cast.seksi, this_year())
    assert tree.s1.pk in ids(in_seksi.roots) and s2.pk in ids(in_seksi.roots)
    assert walk(in_seksi.roots)[s2.pk].uncovered  # kasi rates staf_a and staf_b
    in_bidang = queries.pohon_kinerja(cast.admin, cast.bidang, this_year())
    assert ids(in_bidang.orphans) == {tree.u.pk, s2.pk}


@pytest.mark.parametrize(
    ("who", "unit", "skp_owners"),
    [
        ("kabid", "dinkes", {"kabid", "kasi", "staf_a", "staf_b"}),
        ("kapus", "dinkes", {"kapus"}),
        ("staf_b", "dinkes", {"staf_b"}),
        ("kasi", "seksi", {"kasi", "staf_a", "staf_b"}),
        ("outsider", "dinkes", set()),
        ("auditor", "dinkes", {"kadis", "kabid", "kasi", "staf_a", "staf_b", "kapus"}),
    ],
)
def test_pohon_shows_only_what_the_user_may_see(
    cast: Cast, who: str, unit: str, skp_owners: set[str]
) -> None:
    tree = build_tree(cast)
    pohon = queries.pohon_kinerja(cast.user(who), getattr(cast, unit), this_year())
    owners = {getattr(cast, name).pk for name in skp_owners}
    nodes = walk(pohon.roots) | walk(pohon.orphans)
    assert {n.owner_id for n in nodes.values()} == owners
    assert pohon.skp_count == len(owners)
    if who == "kabid":  # kadis's k1 is invisible to kabid: b1 becomes a root
        assert ids(pohon.roots) == {tree.b1.pk, tree.t.pk}
    if who == "staf_b":
        assert (ids(pohon.roots), ids(pohon.orphans)) == ({tree.t.pk}, {tree.u.pk})


def test_pohon_ignores_other_years_and_old_versions(cast: Cast) -> None:
    tree = build_tree(cast)
    kasi = cast.user("kasi")
    next_year = services.skp_create(by=kasi, pegawai=cast.kasi, year=this_year() + 1)
    services.rhk_save(by=kasi, skp=next_year, jenis="UTAMA", text="Tahun depan")
    pohon = queries.pohon_kinerja(cast.admin, cast.dinkes, this_year())
    assert len(walk(pohon.roots) | walk(pohon.orphans)) == 9
    assert tree.k1.pk in ids(pohon.roots)
    assert queries.pohon_kinerja(cast.admin, cast.dinkes, this_year() + 1).skp_count == 1


# --- status board -------------------------------------------------------------------------


def progress_tree(cast: Cast, tree: Tree) -> None:
    """kasi approved, staf_a submitted, staf_b returned; kadis, kabid, kapus drafts; perawat
    without an SKP."""
    kabid, kasi = cast.user("kabid"), cast.user("kasi")
    staf_a, staf_b = cast.user("staf_a"), cast.user("staf_b")
    services.iki_save(by=kasi, rhk=tree.s1, values=iki_values(1))
    services.skp_submit(by=kasi, skp=tree.s1.skp)
    services.skp_approve(by=kabid, skp=tree.s1.skp)
    services.iki_save(by=staf_a, rhk=tree.a1, values=iki_values(1))
    services.skp_submit(by=staf_a, skp=tree.a1.skp)
    services.rhk_save(
        by=staf_b, skp=tree.u.skp, jenis="UTAMA", text="Arsip", parent=tree.s1, rhk=tree.u
    )
    services.iki_save(by=staf_b, rhk=tree.u, values=iki_values(1))
    services.iki_save(by=staf_b, rhk=tree.t, values=iki_values(2))
    services.skp_submit(by=staf_b, skp=tree.u.skp)
    services.skp_return(by=kasi, skp=tree.u.skp, note="Lengkapi")


def counts(row: queries.StatusRow) -> tuple[int, ...]:
    return (
        row.pegawai,
        row.tanpa_skp,
        row.draf,
        row.diajukan,
        row.dikembalikan,
        row.disetujui,
    )


def test_status_board_counts_each_unit(cast: Cast) -> None:
    progress_tree(cast, build_tree(cast))
    board = queries.status_board(cast.admin, cast.dinkes, this_year())
    assert board[0].unit_id == cast.dinkes.pk
    rows = {r.unit_id: r for r in board}
    #                                pegawai tanpa draf diajukan dikembalikan disetujui
    assert counts(rows[cast.dinkes.pk]) == (1, 0, 1, 0, 0, 0)
    assert counts(rows[cast.bidang.pk]) == (1, 0, 1, 0, 0, 0)
    assert counts(rows[cast.seksi.pk]) == (3, 0, 0, 1, 1, 1)
    assert counts(rows[cast.puskesmas.pk]) == (2, 1, 1, 0, 0, 0)
    assert set(rows) == {cast.dinkes.pk, cast.bidang.pk, cast.seksi.pk, cast.puskesmas.pk}
    depths = {r.unit_id: r.depth for r in board}
    assert depths == {cast.dinkes.pk: 0, cast.bidang.pk: 1, cast.seksi.pk: 2, cast.puskesmas.pk: 1}
    assert rows[cast.seksi.pk].unit_name == "Seksi Pelayanan Primer"


def test_status_board_counts_the_current_version_once(cast: Cast) -> None:
    tree = build_tree(cast)
    progress_tree(cast, tree)
    services.skp_revise(by=cast.user("kasi"), skp=Skp.objects.get(pk=tree.s1.skp_id))
    rows = {
        r.unit_id: r for r in queries.status_board(cast.user("kadis"), cast.bidang, this_year())
    }
    assert set(rows) == {cast.bidang.pk, cast.seksi.pk}
    assert counts(rows[cast.seksi.pk]) == (3, 0, 1, 1, 1, 0)
    assert queries.status_board(cast.admin, cast.dinkes, this_year() - 1)[0].tanpa_skp == 1


def test_status_board_of_another_instansi_is_empty(cast: Cast) -> None:
    build_tree(cast)
    assert queries.status_board(cast.user("outsider"), cast.dinkes, this_year()) == []


# --- query counts -------------------------------------------------------------------------


def add_staff(cast: Cast, tree: Tree, count: int) -> None:
    """`count` more pelaksana in the seksi, each with an SKP intervening kasi's RHK."""
    extra = []
    for n in range(count):
        pegawai = org.pegawai_save(
            by=cast.admin,
            instansi=cast.kab,
            values={
                "nip": make_nip("19950101", "202001", "1", 100 + n),
                "jenis_asn": "PNS",
                "name": f"Staf Tambahan {n}",
            },
        )
        org.penempatan_assign(by=cast.admin, pegawai=pegawai, jabatan=cast.j_staf, start_date=START)
        extra.append((Pegawai.objects.get(pk=pegawai.pk), f"Tugas {n}"))
    if extra:
        services.rhk_cascade(by=cast.user("kasi"), rhk=tree.s1, assignments=extra)


@pytest.mark.parametrize("extra", [0, 6])
def test_pohon_and_status_board_cost_the_same_at_every_size(
    cast: Cast, django_assert_num_queries: AssertNumQueries, extra: int
) -> None:
    tree = build_tree(cast)
    add_staff(cast, tree, extra)
    for who in ("admin", "kadis", "kasi"):
        user = cast.user(who)
        access_for(user)  # the access facts are read once per request, before the page
        with django_assert_num_queries(3):
            pohon = queries.pohon_kinerja(user, cast.dinkes, this_year())
        assert len(walk(pohon.roots)[tree.s1.pk].children) == 1 + extra
        with django_assert_num_queries(3):
            board = queries.status_board(user, cast.dinkes, this_year())
        assert {r.unit_id: r.pegawai for r in board}[cast.seksi.pk] == 3 + extra
