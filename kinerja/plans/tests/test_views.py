"""SKP pages: who sees what, each action through the page, failure messages, htmx fragments and
query counts that do not grow with the data."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kinerja.org import services as org_services
from kinerja.org.models import Jabatan, Pegawai
from kinerja.org.testing import START, Cast, make_nip
from kinerja.plans import services
from kinerja.plans.models import (
    EkspektasiKhusus,
    Iki,
    Lampiran,
    Rhk,
    Skp,
    StatusSkp,
)

Login = Callable[[str], Client]
AssertNumQueries = Callable[..., AbstractContextManager[object]]
HX = {"HX-Request": "true"}
YEAR = timezone.localdate().year


def ok(response: Any) -> str:
    assert response.status_code == 200, (response.status_code, response.content[:500])
    return str(response.content.decode())


def detail(skp: Skp) -> str:
    return reverse("plans:detail", args=[skp.pk])


def url(name: str, skp: Skp, *args: int) -> str:
    return reverse(f"plans:{name}", args=[skp.pk, *args])


def kasi_plan(cast: Cast, texts: tuple[str, ...] = ("Meningkatnya layanan primer",)) -> list[Rhk]:
    skp = services.skp_create(by=cast.user("kasi"), pegawai=cast.kasi, year=YEAR)
    return [services.rhk_save(by=cast.user("kasi"), skp=skp, jenis="UTAMA", text=t) for t in texts]


def staf_plan(cast: Cast, *, iki: bool = True) -> tuple[Skp, Rhk, Rhk]:
    """kasi's RHK handed down to staf_a, who gives it one IKI: ready to submit."""
    [parent] = kasi_plan(cast)
    [child] = services.rhk_cascade(
        by=cast.user("kasi"), rhk=parent, assignments=[(cast.staf_a, "Terlaksananya posyandu")]
    )
    if iki:
        add_iki(cast, child)
    return child.skp, child, parent


def add_iki(cast: Cast, rhk: Rhk, text: str = "Jumlah posyandu", aspek: str = "KUANTITAS") -> Iki:
    owner = user_of(cast, rhk.skp.pegawai_id)
    return services.iki_save(
        by=owner,
        rhk=rhk,
        values={"text": text, "aspek": aspek, "target_value": "12", "target_unit": "kegiatan"},
    )


def user_of(cast: Cast, pegawai_id: int) -> Any:
    for name in ("kadis", "kabid", "kasi", "staf_a", "staf_b", "kapus", "perawat", "outsider"):
        if getattr(cast, name).pk == pegawai_id:
            return cast.user(name)
    raise LookupError(pegawai_id)


def submitted(cast: Cast) -> Skp:
    skp, _child, _parent = staf_plan(cast)
    return services.skp_submit(by=cast.user("staf_a"), skp=skp)


# --- anonymous and menu -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["plans:mine", "plans:team", "plans:pohon", "plans:status"])
def test_anonymous_is_sent_to_login(client: Client, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/masuk/?next=")


def test_anonymous_cannot_open_an_skp(cast: Cast, client: Client) -> None:
    skp, _child, _parent = staf_plan(cast)
    assert client.get(detail(skp)).status_code == 302
    assert client.post(url("submit", skp)).status_code == 302
    assert Skp.objects.get(pk=skp.pk).status == StatusSkp.DRAFT


def test_menu_links_follow_the_role(login: Login) -> None:
    staf = ok(login("staf_a").get(reverse("plans:mine")))
    assert "SKP saya" in staf and "Pohon kinerja" in staf
    assert reverse("plans:team") not in staf and reverse("plans:status") not in staf
    kasi = ok(login("kasi").get(reverse("plans:mine")))
    assert reverse("plans:team") in kasi and reverse("plans:status") in kasi
    auditor = ok(login("auditor").get(reverse("plans:pohon")))
    assert reverse("plans:status") in auditor and f'href="{reverse("plans:mine")}"' not in auditor


# --- SKP saya -----------------------------------------------------------------------------


def test_mine_starts_an_skp_for_the_year(cast: Cast, login: Login) -> None:
    client = login("staf_a")
    html = ok(client.get(reverse("plans:mine")))
    assert "Anda belum memiliki SKP." in html
    assert f'<option value="{YEAR}" selected>' in html
    response = client.post(reverse("plans:mine"), {"year": YEAR, "pendekatan": "KUALITATIF"})
    skp = Skp.objects.get(pegawai=cast.staf_a, year=YEAR)
    assert response.status_code == 302 and response["Location"] == detail(skp)
    assert (skp.pendekatan, skp.status, skp.rater_id) == ("KUALITATIF", "DRAFT", cast.kasi.pk)
    assert skp.jabatan_id == cast.j_staf.pk
    html = ok(client.get(reverse("plans:mine")))
    assert f"Tahun {YEAR}" in html and "status-DRAFT" in html and "Draf" in html
    assert "Pengelola Layanan Kesehatan" in html and "Agus Salim" in html


def test_mine_refuses_a_second_skp_for_the_same_year(cast: Cast, login: Login) -> None:
    services.skp_create(by=cast.user("staf_a"), pegawai=cast.staf_a, year=YEAR)
    client = login("staf_a")
    html = ok(client.post(reverse("plans:mine"), {"year": YEAR, "pendekatan": "KUANTITATIF"}))
    assert f"SKP tahun {YEAR} untuk jabatan Pengelola Layanan Kesehatan sudah ada." in html
    assert Skp.objects.filter(pegawai=cast.staf_a).count() == 1


def test_mine_refuses_a_year_outside_the_choices(cast: Cast, login: Login) -> None:
    html = ok(login("staf_a").post(reverse("plans:mine"), {"year": YEAR + 5}))
    assert f"Masukkan pilihan yang valid. {YEAR + 5} bukan salah satu" in html
    assert not Skp.objects.filter(pegawai=cast.staf_a).exists()


def test_a_pegawai_without_jabatan_is_told_why(cast: Cast, client: Client) -> None:
    pegawai = org_services.pegawai_save(
        by=cast.superadmin,
        instansi=cast.kab,
        values={"nip": make_nip("19900202", "201501", "1", 99), "jenis_asn": "PNS", "name": "Rudi"},
    )
    assert pegawai.user is not None
    client.force_login(pegawai.user)
    html = ok(client.get(reverse("plans:mine")))
    assert "Anda belum memiliki jabatan, sehingga belum dapat menyusun SKP." in html
    html = ok(client.post(reverse("plans:mine"), {"year": YEAR, "pendekatan": "KUANTITATIF"}))
    assert "Rudi belum memiliki jabatan definitif" in html
    assert not Skp.objects.filter(pegawai=pegawai).exists()


def test_an_account_without_pegawai_has_no_skp(login: Login) -> None:
    client = login("auditor")
    assert "Akun ini bukan akun pegawai" in ok(client.get(reverse("plans:mine")))
    response = client.post(reverse("plans:mine"), {"year": YEAR, "pendekatan": "KUANTITATIF"})
    assert response.status_code == 403


# --- who may open an SKP ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("staf_a", 200),  # the owner
        ("kasi", 200),  # the rater
        ("kabid", 200),  # heads the bidang above
        ("kadis", 200),
        ("admin", 200),
        ("auditor", 200),
        ("superadmin", 200),
        ("staf_b", 404),  # a peer
        ("kapus", 404),  # heads another unit
        ("perawat", 404),
        ("outsider", 404),  # another instansi
    ],
)
def test_who_may_open_an_skp(cast: Cast, login: Login, name: str, status: int) -> None:
    skp, _child, _parent = staf_plan(cast)
    assert login(name).get(detail(skp)).status_code == status


def test_the_skp_page_shows_the_document_parts(cast: Cast, login: Login) -> None:
    skp, _child, _parent = staf_plan(cast)
    services.rhk_save(
        by=cast.user("staf_a"), skp=skp, jenis="TAMBAHAN", text="Panitia HKN", source="Kadis"
    )
    services.lampiran_add(by=cast.user("staf_a"), skp=skp, kind="KONSEKUENSI", text="Teguran lisan")
    services.ekspektasi_set(by=cast.user("kasi"), skp=skp, core_value=3, text="Ikut pelatihan")
    html = ok(login("staf_a").get(detail(skp)))
    assert f"SKP {YEAR} · Dewi Lestari" in html
    assert "Pegawai yang dinilai" in html and cast.staf_a.nip in html
    assert "Pejabat Penilai Kinerja" in html and cast.kasi.nip in html
    assert "A. Utama" in html and "B. Tambahan" in html
    assert "1. Terlaksananya posyandu" in html and "1. Panitia HKN" in html
    assert "RHK pimpinan yang diintervensi:" in html
    assert 'Meningkatnya layanan primer <em class="muted">(Agus Salim)</em>' in html
    assert "Penugasan dari:</span> Kadis" in html
    assert "<dd>Kuantitas</dd>" in html and "<dd>12 kegiatan</dd>" in html
    assert html.count("Ekspektasi Khusus Pimpinan:") == 7
    assert "Melakukan perbaikan tiada henti" in html and "Ikut pelatihan" in html
    assert "Dukungan Sumber Daya" in html and "Teguran lisan" in html
    assert url("skp_pdf", skp) in html and url("skp_xlsx", skp) in html
    assert "Ajukan" in html and "Setujui" not in html


def test_the_jpt_skp_shows_perspektif_and_no_intervened_rhk(cast: Cast, login: Login) -> None:
    kadis = cast.user("kadis")
    skp = services.skp_create(by=kadis, pegawai=cast.kadis, year=YEAR)
    rhk = services.rhk_save(by=kadis, skp=skp, jenis="UTAMA", text="Derajat kesehatan naik")
    client = login("kadis")
    html = ok(client.get(detail(skp)))
    assert "RHK pimpinan yang diintervensi:" not in html
    assert 'name="perspektif"' in html
    response = client.post(
        url("iki_add", skp, rhk.pk),
        {
            "text": "Umur harapan hidup",
            "aspek": "KUALITAS",
            "target_value": "72,5",
            "target_unit": "tahun",
            "direction": "NAIK",
            "perspektif": "PENERIMA_LAYANAN",
        },
    )
    assert response.status_code == 302
    iki = Iki.objects.get(rhk=rhk)
    assert (iki.target_value, iki.perspektif) == (Decimal("72.5"), "PENERIMA_LAYANAN")
    assert "<dd>Penerima Layanan</dd>" in ok(client.get(detail(skp)))


# --- RHK ----------------------------------------------------------------------------------


def test_owner_adds_an_rhk_linked_to_the_raters_rhk(cast: Cast, login: Login) -> None:
    [parent] = kasi_plan(cast)
    skp = services.skp_create(by=cast.user("staf_a"), pegawai=cast.staf_a, year=YEAR)
    client = login("staf_a")
    html = ok(client.get(detail(skp)))
    assert f'<option value="{parent.pk}">Meningkatnya layanan primer</option>' in html
    response = client.post(
        url("rhk_add", skp), {"jenis": "UTAMA", "text": " Posyandu aktif ", "parent": parent.pk}
    )
    assert response.status_code == 302 and response["Location"] == detail(skp) + "#hasil"
    rhk = Rhk.objects.get(skp=skp)
    assert (rhk.text, rhk.jenis, rhk.parent_id) == ("Posyandu aktif", "UTAMA", parent.pk)
    assert "RHK disimpan." in ok(client.get(detail(skp)))


def test_adding_an_rhk_with_htmx_returns_the_hasil_fragment(cast: Cast, login: Login) -> None:
    skp = services.skp_create(by=cast.user("staf_a"), pegawai=cast.staf_a, year=YEAR)
    response = login("staf_a").post(
        url("rhk_add", skp), {"jenis": "TAMBAHAN", "text": "Panitia"}, headers=HX
    )
    html = ok(response)
    assert response["HX-Retarget"] == "#hasil" and response["HX-Reswap"] == "outerHTML"
    assert html.lstrip().startswith('<section id="hasil">') and "<html" not in html
    assert "RHK disimpan." in html and "1. Panitia" in html
    assert Rhk.objects.get(skp=skp).jenis == "TAMBAHAN"


def test_an_empty_rhk_is_refused_with_the_form(cast: Cast, login: Login) -> None:
    skp = services.skp_create(by=cast.user("staf_a"), pegawai=cast.staf_a, year=YEAR)
    client = login("staf_a")
    page = ok(client.post(url("rhk_add", skp), {"jenis": "UTAMA", "text": ""}))
    assert "<h1>Tambah rencana hasil kerja</h1>" in page and "Bidang ini tidak boleh kosong" in page
    fragment = ok(client.post(url("rhk_add", skp), {"jenis": "UTAMA", "text": ""}, headers=HX))
    assert fragment.lstrip().startswith("<form") and "Bidang ini tidak boleh kosong" in fragment
    assert not Rhk.objects.filter(skp=skp).exists()


def test_linking_to_an_rhk_not_of_the_rater_is_refused(cast: Cast, login: Login) -> None:
    kasi_plan(cast)
    kapus = cast.user("kapus")
    kapus_skp = services.skp_create(by=kapus, pegawai=cast.kapus, year=YEAR)
    foreign = services.rhk_save(by=kapus, skp=kapus_skp, jenis="UTAMA", text="Puskesmas")
    skp = services.skp_create(by=cast.user("staf_a"), pegawai=cast.staf_a, year=YEAR)
    client = login("staf_a")
    html = ok(client.post(url("rhk_add", skp), {"jenis": "UTAMA", "text": "X", "parent": 0}))
    assert "RHK pimpinan tidak ditemukan." in html
    html = ok(
        client.post(url("rhk_add", skp), {"jenis": "UTAMA", "text": "X", "parent": foreign.pk})
    )
    assert "RHK yang diintervensi harus RHK milik Pejabat Penilai Kinerja Anda." in html
    assert not Rhk.objects.filter(skp=skp).exists()


def test_owner_edits_an_rhk(cast: Cast, login: Login) -> None:
    skp, child, parent = staf_plan(cast)
    client = login("staf_a")
    edit = url("rhk_edit", skp, child.pk)
    page = ok(client.get(edit))
    assert "<h1>Ubah rencana hasil kerja</h1>" in page and "Terlaksananya posyandu" in page
    fragment = ok(client.get(edit, headers=HX))
    assert fragment.lstrip().startswith("<form") and f'value="{parent.pk}" selected' in fragment
    response = client.post(
        edit, {"jenis": "UTAMA", "text": "Posyandu lengkap", "parent": parent.pk}, headers=HX
    )
    assert "1. Posyandu lengkap" in ok(response)
    child.refresh_from_db()
    assert (child.text, child.parent_id) == ("Posyandu lengkap", parent.pk)


def test_only_the_owner_gets_the_edit_forms(cast: Cast, login: Login) -> None:
    skp, child, _parent = staf_plan(cast)
    iki = Iki.objects.get(rhk=child)
    kasi = login("kasi")
    html = ok(kasi.get(detail(skp)))
    assert "Ubah RHK" not in html and "Tambah IKI" not in html and "Ajukan" not in html
    assert kasi.get(url("rhk_edit", skp, child.pk)).status_code == 403
    assert kasi.get(url("iki_edit", skp, iki.pk)).status_code == 403
    response = kasi.post(url("rhk_edit", skp, child.pk), {"jenis": "UTAMA", "text": "Diubah"})
    assert response.status_code == 403
    assert kasi.post(url("rhk_delete", skp, child.pk)).status_code == 403
    assert kasi.post(url("iki_delete", skp, iki.pk)).status_code == 403
    assert Rhk.objects.get(pk=child.pk).text == "Terlaksananya posyandu"
    assert Iki.objects.filter(pk=iki.pk).exists()


def test_an_rhk_of_another_skp_is_404(cast: Cast, login: Login) -> None:
    skp, _child, parent = staf_plan(cast)
    client = login("staf_a")
    assert client.get(url("rhk_edit", skp, parent.pk)).status_code == 404
    assert client.post(url("rhk_delete", skp, parent.pk)).status_code == 404


def test_owner_deletes_an_rhk(cast: Cast, login: Login) -> None:
    skp, child, _parent = staf_plan(cast)
    response = login("staf_a").post(url("rhk_delete", skp, child.pk), headers=HX)
    assert "RHK dihapus." in ok(response) and "Belum ada rencana hasil kerja." in ok(response)
    assert not Rhk.objects.filter(pk=child.pk).exists()


def test_an_rhk_handed_down_cannot_be_deleted(cast: Cast, login: Login) -> None:
    _skp, _child, parent = staf_plan(cast)
    client = login("kasi")
    response = client.post(url("rhk_delete", parent.skp, parent.pk))
    assert response.status_code == 302
    html = ok(client.get(response["Location"]))
    assert "RHK ini sudah diturunkan ke bawahan" in html
    fragment = ok(client.post(url("rhk_delete", parent.skp, parent.pk), headers=HX))
    assert 'class="notice error" role="alert">RHK ini sudah diturunkan' in fragment
    assert Rhk.objects.filter(pk=parent.pk).exists()


# --- IKI ----------------------------------------------------------------------------------


def test_owner_adds_edits_and_deletes_an_iki(cast: Cast, login: Login) -> None:
    skp, child, _parent = staf_plan(cast, iki=False)
    client = login("staf_a")
    response = client.post(
        url("iki_add", skp, child.pk),
        {
            "aspek": "KUANTITAS",
            "text": "Jumlah posyandu",
            "target_value": "12",
            "target_unit": "kegiatan",
            "direction": "NAIK",
            "baseline": "10",
        },
        headers=HX,
    )
    html = ok(response)
    assert "<dd>12 kegiatan <small" in html and "(baseline 10; makin tinggi makin baik)" in html
    assert "IKI disimpan." in html
    iki = Iki.objects.get(rhk=child)
    assert (iki.aspek, iki.target_value, iki.target_unit, iki.baseline) == (
        "KUANTITAS",
        Decimal("12"),
        "kegiatan",
        Decimal("10"),
    )
    edit = url("iki_edit", skp, iki.pk)
    assert 'value="kegiatan"' in ok(client.get(edit, headers=HX))
    response = client.post(
        edit,
        {
            "aspek": "WAKTU",
            "text": "Tepat waktu",
            "target_value": "12",
            "target_unit": "bulan",
            "direction": "NAIK",
        },
    )
    assert response.status_code == 302
    iki.refresh_from_db()
    assert (iki.aspek, iki.target_unit, iki.baseline) == ("WAKTU", "bulan", None)
    response = client.post(url("iki_delete", skp, iki.pk))
    assert response.status_code == 302
    assert not Iki.objects.filter(pk=iki.pk).exists()


def test_a_quantitative_iki_needs_aspek_target_and_satuan(cast: Cast, login: Login) -> None:
    skp, child, _parent = staf_plan(cast, iki=False)
    html = ok(
        login("staf_a").post(
            url("iki_add", skp, child.pk), {"text": "Jumlah", "direction": "NAIK"}, headers=HX
        )
    )
    assert html.lstrip().startswith("<form") and html.count("Bidang ini tidak boleh kosong") == 3
    assert not Iki.objects.exists()


def test_a_qualitative_skp_asks_for_a_narrative_target(cast: Cast, login: Login) -> None:
    skp, child, _parent = staf_plan(cast, iki=False)
    client = login("staf_a")
    client.post(url("pendekatan", skp), {"pendekatan": "KUALITATIF"})
    assert Skp.objects.get(pk=skp.pk).pendekatan == "KUALITATIF"
    html = ok(client.get(detail(skp)))
    assert 'name="target_narrative"' in html and 'name="aspek"' not in html
    client.post(
        url("iki_add", skp, child.pk),
        {"text": "Posyandu berjalan", "target_narrative": "Seluruh posyandu aktif"},
    )
    iki = Iki.objects.get(rhk=child)
    assert (iki.target_narrative, iki.target_value, iki.aspek) == (
        "Seluruh posyandu aktif",
        None,
        "",
    )


# --- lampiran and ekspektasi --------------------------------------------------------------


def test_owner_adds_and_deletes_lampiran(cast: Cast, login: Login) -> None:
    skp, _child, _parent = staf_plan(cast)
    client = login("staf_a")
    response = client.post(
        url("lampiran_add", skp), {"kind": "SKEMA_PERTANGGUNGJAWABAN", "text": "Laporan triwulan"}
    )
    assert response.status_code == 302
    item = Lampiran.objects.get(skp=skp)
    assert (item.kind, item.text) == ("SKEMA_PERTANGGUNGJAWABAN", "Laporan triwulan")
    fragment = ok(client.post(url("lampiran_delete", skp, item.pk), headers=HX))
    assert (
        fragment.lstrip().startswith('<section id="lampiran">') and "Lampiran dihapus." in fragment
    )
    assert not Lampiran.objects.filter(skp=skp).exists()
    html = ok(client.post(url("lampiran_add", skp), {"kind": "KONSEKUENSI", "text": ""}))
    assert "<h1>Tambah lampiran</h1>" in html and "Bidang ini tidak boleh kosong" in html


def test_rater_sets_ekspektasi_khusus_before_approval(cast: Cast, login: Login) -> None:
    skp = submitted(cast)
    client = login("kasi")
    html = ok(client.get(detail(skp)))
    assert "Ubah ekspektasi Kolaboratif" in html
    fragment = ok(client.post(url("ekspektasi", skp, 7), {"text": "Aktif di tim"}, headers=HX))
    assert fragment.lstrip().startswith('<section id="perilaku">') and "Aktif di tim" in fragment
    assert EkspektasiKhusus.objects.get(skp=skp, core_value=7).text == "Aktif di tim"
    client.post(url("ekspektasi", skp, 7), {"text": ""})
    assert not EkspektasiKhusus.objects.filter(skp=skp).exists()
    assert "Ubah ekspektasi" not in ok(login("staf_a").get(detail(skp)))
    assert login("staf_a").post(url("ekspektasi", skp, 7), {"text": "x"}).status_code == 403
    services.skp_approve(by=cast.user("kasi"), skp=skp)
    response = login("kasi").post(url("ekspektasi", skp, 1), {"text": "Terlambat"})
    assert "Ekspektasi hanya dapat diubah sebelum SKP disetujui." in ok(
        login("kasi").get(response["Location"])
    )
    assert not EkspektasiKhusus.objects.filter(skp=skp).exists()


# --- workflow -----------------------------------------------------------------------------


def test_submitting_an_incomplete_skp_lists_every_problem(cast: Cast, login: Login) -> None:
    skp = services.skp_create(by=cast.user("staf_a"), pegawai=cast.staf_a, year=YEAR)
    services.rhk_save(by=cast.user("staf_a"), skp=skp, jenis="UTAMA", text="Lepas")
    html = ok(login("staf_a").post(url("submit", skp)))
    assert "SKP belum dapat diajukan. Lengkapi dulu:" in html
    for problem in services.skp_problems(skp):
        assert f"<li>{problem}</li>" in html
    assert "belum memiliki Indikator Kinerja Individu." in html
    assert "harus dikaitkan dengan Rencana Hasil Kerja pimpinan yang diintervensi." in html
    assert Skp.objects.get(pk=skp.pk).status == StatusSkp.DRAFT


def test_submit_return_resubmit_approve_through_the_pages(cast: Cast, login: Login) -> None:
    skp, child, _parent = staf_plan(cast)
    response = login("staf_a").post(url("submit", skp))
    assert response.status_code == 302
    assert Skp.objects.get(pk=skp.pk).status == StatusSkp.DIAJUKAN
    html = ok(login("staf_a").get(detail(skp)))
    assert "SKP diajukan kepada Pejabat Penilai Kinerja." in html
    assert "menunggu persetujuan" in html and "Tambah IKI" not in html

    kasi = login("kasi")
    html = ok(kasi.get(detail(skp)))
    assert "Keputusan Pejabat Penilai Kinerja" in html and "Kembalikan" in html
    html = ok(kasi.post(url("return", skp), {"note": "  "}))
    assert "Catatan pengembalian wajib diisi." in html
    assert Skp.objects.get(pk=skp.pk).status == StatusSkp.DIAJUKAN
    response = kasi.post(url("return", skp), {"note": "Tambahkan aspek waktu"})
    assert response.status_code == 302
    skp.refresh_from_db()
    assert (skp.status, skp.return_note) == (StatusSkp.DIKEMBALIKAN, "Tambahkan aspek waktu")

    staf = login("staf_a")
    html = ok(staf.get(detail(skp)))
    assert "Dikembalikan oleh Pejabat Penilai Kinerja. Catatan:" in html
    assert "<p>Tambahkan aspek waktu</p>" in html
    add_iki(cast, child, text="Waktu", aspek="WAKTU")
    staf.post(url("submit", skp))
    assert Skp.objects.get(pk=skp.pk).status == StatusSkp.DIAJUKAN

    response = login("kasi").post(url("approve", skp))
    assert response.status_code == 302
    skp.refresh_from_db()
    assert skp.status == StatusSkp.DISETUJUI and skp.approved_at is not None
    html = ok(login("staf_a").get(detail(skp)))
    assert "Buat perubahan SKP" in html and "Dikembalikan oleh" not in html


def test_workflow_actions_are_refused_to_the_wrong_person(cast: Cast, login: Login) -> None:
    skp, _child, _parent = staf_plan(cast)
    assert login("kasi").post(url("submit", skp)).status_code == 403
    assert login("kabid").post(url("submit", skp)).status_code == 403
    services.skp_submit(by=cast.user("staf_a"), skp=skp)
    staf = login("staf_a")
    assert staf.post(url("approve", skp)).status_code == 403
    assert staf.post(url("return", skp), {"note": "x"}).status_code == 403
    assert login("kabid").post(url("approve", skp)).status_code == 403
    assert login("staf_b").post(url("approve", skp)).status_code == 404
    assert login("outsider").post(url("approve", skp)).status_code == 404
    assert Skp.objects.get(pk=skp.pk).status == StatusSkp.DIAJUKAN


def test_approving_twice_says_why(cast: Cast, login: Login) -> None:
    skp = submitted(cast)
    services.skp_approve(by=cast.user("kasi"), skp=skp)
    client = login("kasi")
    response = client.post(url("approve", skp))
    assert "SKP yang sudah disetujui tidak dapat disetujui." in ok(client.get(response["Location"]))


def test_revising_an_approved_skp_makes_a_new_version(cast: Cast, login: Login) -> None:
    skp = submitted(cast)
    services.skp_approve(by=cast.user("kasi"), skp=skp)
    client = login("staf_a")
    response = client.post(url("revise", skp))
    new = Skp.objects.get(pegawai=cast.staf_a, is_current=True)
    assert response.status_code == 302 and response["Location"] == detail(new)
    assert (new.version, new.status, new.previous_id) == (2, StatusSkp.DRAFT, skp.pk)
    html = ok(client.get(detail(new)))
    assert "Perubahan SKP dibuat sebagai versi 2 (draf)." in html and "Tambah IKI" in html
    assert f'<a href="{detail(skp)}">Versi 1</a>' in html
    old = ok(client.get(detail(skp)))
    assert "Versi lama" in old and "Lihat versi terbaru (2)" in old
    assert "Tambah IKI" not in old and "Buat perubahan SKP" not in old and "Ajukan" not in old
    assert "Turunkan ke bawahan" not in old
    response = client.post(url("revise", skp))
    assert "Perubahan SKP hanya dapat dibuat dari versi terbaru" in ok(
        client.get(response["Location"])
    )
    assert Skp.objects.filter(pegawai=cast.staf_a).count() == 2


# --- SKP tim ------------------------------------------------------------------------------


def test_team_lists_the_rated_with_submitted_first(cast: Cast, login: Login) -> None:
    submitted(cast)
    services.skp_create(by=cast.user("staf_b"), pegawai=cast.staf_b, year=YEAR)
    html = ok(login("kasi").get(reverse("plans:team")))
    assert "1 SKP menunggu persetujuan Anda." in html
    assert html.index("Dewi Lestari") < html.index("Bambang Pamungkas")
    assert "Diajukan" in html and "Draf" in html
    assert detail(Skp.objects.get(pegawai=cast.staf_a)) in html
    html = ok(login("kasi").get(reverse("plans:team"), {"tahun": YEAR - 1}, headers=HX))
    assert "<html" not in html and html.count("belum ada SKP") == 2
    assert "menunggu persetujuan" not in html


def test_team_of_someone_who_rates_nobody(login: Login) -> None:
    html = ok(login("staf_a").get(reverse("plans:team")))
    assert f"Anda tidak menilai pegawai mana pun pada tahun {YEAR}." in html


def test_mine_links_a_rater_to_the_team(login: Login) -> None:
    assert reverse("plans:team") in ok(login("kasi").get(reverse("plans:mine")))


# --- cascading ----------------------------------------------------------------------------


def test_rater_hands_an_rhk_down(cast: Cast, login: Login) -> None:
    [rhk] = kasi_plan(cast)
    services.skp_create(by=cast.user("staf_b"), pegawai=cast.staf_b, year=YEAR)
    client = login("kasi")
    html = ok(client.get(detail(rhk.skp)))
    assert "Turunkan ke bawahan" in html
    form = ok(client.get(url("cascade", rhk.skp, rhk.pk), headers=HX))
    assert form.lstrip().startswith("<form") and "Dewi Lestari" in form
    assert "Bambang Pamungkas" in form and "SKP Draf" in form and "belum ada SKP" in form
    assert ">Meningkatnya layanan primer</textarea>" in form
    response = client.post(
        url("cascade", rhk.skp, rhk.pk),
        {
            "bawahan": [cast.staf_a.pk, cast.staf_b.pk],
            f"teks_{cast.staf_a.pk}": "Posyandu aktif",
            f"teks_{cast.staf_b.pk}": "",
        },
        headers=HX,
    )
    fragment = ok(response)
    assert response["HX-Retarget"] == "#hasil"
    assert "RHK diturunkan kepada Bambang Pamungkas, Dewi Lestari." in fragment
    assert "Diturunkan kepada:</span> Bambang Pamungkas, Dewi Lestari" in fragment
    children = {r.skp.pegawai_id: r for r in Rhk.objects.filter(parent=rhk).select_related("skp")}
    assert children[cast.staf_a.pk].text == "Posyandu aktif"
    assert children[cast.staf_b.pk].text == "Meningkatnya layanan primer"
    assert {r.jenis for r in children.values()} == {"UTAMA"}
    assert children[cast.staf_a.pk].skp.status == StatusSkp.DRAFT  # created on the way


def test_cascading_needs_a_choice_and_an_open_skp(cast: Cast, login: Login) -> None:
    skp = submitted(cast)
    rhk = Rhk.objects.get(skp__pegawai=cast.kasi)
    client = login("kasi")
    html = ok(client.post(url("cascade", rhk.skp, rhk.pk), {}))
    assert "<h1>Turunkan ke bawahan</h1>" in html and "Pilih minimal satu bawahan." in html
    html = ok(
        client.post(url("cascade", rhk.skp, rhk.pk), {"bawahan": [cast.staf_a.pk]}, headers=HX)
    )
    assert "SKP Dewi Lestari berstatus Diajukan" in html
    assert Rhk.objects.filter(skp=skp).count() == 1
    html = ok(client.post(url("cascade", rhk.skp, rhk.pk), {"bawahan": [cast.perawat.pk]}))
    assert f"Masukkan pilihan yang valid. {cast.perawat.pk} bukan salah satu" in html


def test_only_the_owner_may_hand_an_rhk_down(cast: Cast, login: Login) -> None:
    [rhk] = kasi_plan(cast)
    for name in ("kabid", "admin"):
        client = login(name)
        assert client.get(url("cascade", rhk.skp, rhk.pk)).status_code == 403
        response = client.post(url("cascade", rhk.skp, rhk.pk), {"bawahan": [cast.staf_a.pk]})
        assert response.status_code == 403
    assert login("staf_a").get(url("cascade", rhk.skp, rhk.pk)).status_code == 404
    assert not Rhk.objects.filter(parent=rhk).exists()
    staf_skp = services.skp_create(by=cast.user("staf_a"), pegawai=cast.staf_a, year=YEAR)
    assert "Turunkan ke bawahan" not in ok(login("staf_a").get(detail(staf_skp)))


# --- pohon kinerja and status board ---------------------------------------------------------


def test_pohon_nests_rhks_and_lists_the_unlinked(cast: Cast, login: Login) -> None:
    _skp, child, parent = staf_plan(cast)
    lonely = services.rhk_save(
        by=cast.user("kasi"), skp=parent.skp, jenis="UTAMA", text="Belum diturunkan"
    )
    staf_b = services.skp_create(by=cast.user("staf_b"), pegawai=cast.staf_b, year=YEAR)
    services.rhk_save(by=cast.user("staf_b"), skp=staf_b, jenis="UTAMA", text="Lepas sendiri")
    client = login("kasi")
    html = ok(client.get(reverse("plans:pohon")))
    assert f'<option value="{cast.seksi.pk}" selected>' in html  # the unit kasi heads
    tree = html[html.index('<ul class="pohon">') : html.index("RHK tidak terhubung</h3>")]
    assert tree.index(parent.text) < tree.index(child.text)
    assert '<li class="uncovered"><span class="node">Belum diturunkan</span>' in tree
    assert "Lepas sendiri" not in tree
    orphans = html[html.index("RHK tidak terhubung</h3>") :]
    assert "Lepas sendiri" in orphans and "Bambang Pamungkas" in orphans
    assert lonely.text not in orphans
    fragment = ok(
        client.get(reverse("plans:pohon"), {"unit": cast.dinkes.pk, "tahun": YEAR}, headers=HX)
    )
    assert "<html" not in fragment and fragment.lstrip().startswith("<h2>Dinas Kesehatan")


def test_pohon_defaults_and_limits(cast: Cast, login: Login) -> None:
    html = ok(login("staf_a").get(reverse("plans:pohon")))
    assert f'<option value="{cast.seksi.pk}" selected>' in html  # own unit
    assert "Belum ada RHK pada unit dan tahun ini." in html
    outsider_unit = Jabatan.objects.get(instansi=cast.kota).unit_id
    assert login("kasi").get(reverse("plans:pohon"), {"unit": outsider_unit}).status_code == 404
    assert login("kasi").get(reverse("plans:pohon"), {"unit": "x"}).status_code == 404
    html = ok(login("admin").get(reverse("plans:pohon")))
    assert f'<option value="{cast.pemda.pk}" selected>' in html


def test_status_board_counts_per_unit(cast: Cast, login: Login) -> None:
    submitted(cast)
    services.skp_create(by=cast.user("staf_b"), pegawai=cast.staf_b, year=YEAR)
    html = ok(login("kabid").get(reverse("plans:status")))
    assert f'<option value="{cast.bidang.pk}" selected>' in html
    assert f'<option value="{cast.dinkes.pk}"' not in html  # outside the subtree kabid heads
    row = html[html.index(f'data-unit="{cast.seksi.pk}"') :]
    row = row[: row.index("</tr>")]
    cells = [c.split(">")[-1] for c in row.split("</td>")[1:-1]]
    assert cells == ["3", "0", "2", "1", "0", "0"]  # pegawai, tanpa, draf, diajukan, …
    assert login("kabid").get(reverse("plans:status"), {"unit": cast.dinkes.pk}).status_code == 404
    fragment = ok(login("admin").get(reverse("plans:status"), {"unit": cast.dinkes.pk}, headers=HX))
    assert fragment.lstrip().startswith("<h2>Dinas Kesehatan") and "Puskesmas Sukamaju" in fragment


@pytest.mark.parametrize(
    ("name", "status"),
    [
        *[("kasi", 200), ("kadis", 200), ("admin", 200), ("auditor", 200), ("superadmin", 200)],
        *[("staf_a", 403), ("perawat", 403), ("outsider", 403)],
    ],
)
def test_status_board_is_for_heads_admins_and_auditors(
    login: Login, name: str, status: int
) -> None:
    assert login(name).get(reverse("plans:status")).status_code == status


# --- query counts ---------------------------------------------------------------------------


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
