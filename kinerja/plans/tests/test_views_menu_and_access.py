"""SKP pages: the anonymous visitor and the menu, SKP saya, and who may open an SKP."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from kinerja.org import services as org_services
from kinerja.org.testing import Cast, make_nip
from kinerja.plans import services
from kinerja.plans.models import Iki, Skp, StatusSkp

from .view_helpers import YEAR, Login, detail, ok, staf_plan, url

# --- anonymous and menu -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["plans:mine", "plans:team", "plans:pohon", "plans:status"])
def test_anonymous_is_sent_to_login(client: Client, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/masuk/?next=")


def test_the_language_switch_after_a_post_returns_to_the_dashboard(
    cast: Cast, login: Login
) -> None:
    """A form shown again with its errors answers a POST to a URL that may take POST only:
    the switch must not send the browser back there (405)."""
    client = login("staf_a")
    shown = ok(client.get(reverse("plans:mine") + "?tahun=2"))
    assert 'name="next" type="hidden" value="/skp/?tahun=2"' in shown
    skp = services.skp_create(by=cast.user("staf_a"), pegawai=cast.staf_a, year=YEAR)
    answered = ok(client.post(url("rhk_add", skp), {"jenis": "UTAMA", "text": ""}))
    assert client.get(url("rhk_add", skp)).status_code == 405
    home = reverse("core:home")
    assert f'name="next" type="hidden" value="{home}"' in answered
    response = client.post("/i18n/setlang/", {"language": "en", "next": home})
    assert response.status_code == 302 and response["Location"] == home


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
