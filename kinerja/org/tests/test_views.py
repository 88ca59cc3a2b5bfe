"""Organisation pages: profile, directory (with htmx live search), unit tree and unit pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kinerja.org.testing import Cast

Login = Callable[[str], Client]


def page(client: Client, url: str, **params: Any) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def pegawai_url(cast: Cast, name: str) -> str:
    return reverse("org:pegawai", args=[getattr(cast, name).pk])


# --- anonymous ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["core:home", "org:me", "org:directory", "org:tree"])
def test_anonymous_is_sent_to_login(client: Client, name: str) -> None:
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/akun/masuk/?next={url}"


def test_anonymous_is_sent_to_login_from_object_pages(cast: Cast, client: Client) -> None:
    for url in [
        pegawai_url(cast, "staf_a"),
        reverse("org:unit", args=[cast.dinkes.pk]),
        reverse("org:unit_children", args=[cast.dinkes.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/akun/masuk/?next=")


def test_home_goes_to_own_profile(login: Login) -> None:
    response = login("staf_a").get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("org:me")


# --- profile ------------------------------------------------------------------------------


def test_own_profile(cast: Cast, login: Login) -> None:
    html = page(login("staf_a"), reverse("org:me"))
    assert "<h1>Dewi Lestari</h1>" in html
    assert cast.staf_a.nip in html
    assert "Pengelola Layanan Kesehatan" in html
    assert "Seksi Pelayanan Primer" in html
    assert "Pejabat Penilai Kinerja" in html
    assert f'<a href="{pegawai_url(cast, "kasi")}">Agus Salim</a>' in html
    assert "p4@contoh.go.id" in html
    assert "Riwayat jabatan" in html


def test_profile_of_a_rater_shows_subordinate_count(login: Login) -> None:
    html = page(login("kasi"), reverse("org:me"))
    assert "Pejabat penilai · 2 pegawai" in html


def test_account_without_pegawai(login: Login) -> None:
    html = page(login("auditor"), reverse("org:me"))
    assert "Akun ini bukan akun pegawai." in html
    assert "auditor" in html


def test_admin_sees_the_import_menu(login: Login) -> None:
    html = page(login("admin"), reverse("org:me"))
    assert "admin_instansi" in html
    assert reverse("org:import") in html


def test_peer_does_not_see_private_section(cast: Cast, login: Login) -> None:
    html = page(login("staf_b"), pegawai_url(cast, "staf_a"))
    assert "Dewi Lestari" in html
    assert "Agus Salim" in html  # the rater is public
    assert "p4@contoh.go.id" not in html
    assert "081200000004" not in html
    assert "Riwayat jabatan" not in html
    assert "Tanggal lahir" not in html


@pytest.mark.parametrize("viewer", ["staf_a", "kasi", "kabid", "auditor"])
def test_private_section_for_self_raters_and_auditor(cast: Cast, login: Login, viewer: str) -> None:
    html = page(login(viewer), pegawai_url(cast, "staf_a"))
    assert "p4@contoh.go.id" in html
    assert "081200000004" in html
    assert "Riwayat jabatan" in html
    assert "02-01-2020" in html


def test_outsider_gets_404_for_kab_pages(cast: Cast, login: Login) -> None:
    client = login("outsider")
    for url in [
        pegawai_url(cast, "staf_a"),
        reverse("org:unit", args=[cast.dinkes.pk]),
        reverse("org:unit_children", args=[cast.dinkes.pk]),
        reverse("org:directory") + f"?unit={cast.dinkes.pk}",
    ]:
        assert client.get(url).status_code == 404, url


def test_missing_pegawai_is_404(login: Login) -> None:
    assert login("staf_a").get(reverse("org:pegawai", args=[999999])).status_code == 404


def test_pages_refuse_post(login: Login) -> None:
    assert login("staf_a").post(reverse("org:directory")).status_code == 405


# --- directory ----------------------------------------------------------------------------


def test_directory_lists_own_instansi_only(login: Login) -> None:
    html = page(login("staf_a"), reverse("org:directory"))
    for name in ["Agus Salim", "Dewi Lestari", "Hendra Wijaya", "Yohanes Manurung"]:
        assert name in html
    assert "Putu Gede" not in html
    assert "<html" in html


def test_directory_search_by_name(login: Login) -> None:
    html = page(login("staf_a"), reverse("org:directory"), q="lestari")
    assert "Dewi Lestari" in html
    assert "Agus Salim" not in html
    assert 'value="lestari"' in html


def test_directory_search_by_nip(cast: Cast, login: Login) -> None:
    html = page(login("staf_a"), reverse("org:directory"), q=cast.kapus.nip)
    assert "Ratna Sari" in html
    assert "Dewi Lestari" not in html


def test_directory_no_match(login: Login) -> None:
    html = page(login("staf_a"), reverse("org:directory"), q="zzz")
    assert "Tidak ada pegawai yang cocok." in html


def test_directory_unit_filter(cast: Cast, login: Login) -> None:
    html = page(login("staf_a"), reverse("org:directory"), unit=cast.puskesmas.pk)
    assert "Direktori pegawai · Puskesmas Sukamaju" in html
    assert "Ratna Sari" in html
    assert "Yohanes Manurung" in html
    assert "Dewi Lestari" not in html
    assert f'name="unit" value="{cast.puskesmas.pk}"' in html


def test_directory_htmx_returns_only_the_results(login: Login) -> None:
    response = login("staf_a").get(reverse("org:directory"), {"q": "dewi"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "<form" not in html
    assert "<table>" in html
    assert "Dewi Lestari" in html
    assert "Agus Salim" not in html


def test_directory_pages(login: Login) -> None:
    client = login("staf_a")
    first = page(client, reverse("org:directory"), hal="1")
    assert "Halaman 1" in first
    assert "Berikutnya" not in first  # 7 pegawai fit on one page
    later = page(client, reverse("org:directory"), hal="2")
    assert "Tidak ada pegawai yang cocok." in later
    assert "Sebelumnya" in later
    assert "Halaman 1" in page(client, reverse("org:directory"), hal="nol")


def test_directory_query_count(login: Login, django_assert_max_num_queries: Any) -> None:
    client = login("staf_a")
    # session, user, 3 for access, the page itself, the menu's unread notifications: whatever
    # the number of rows
    with django_assert_max_num_queries(7):
        page(client, reverse("org:directory"), q="a")


# --- unit tree and unit pages -------------------------------------------------------------


def test_tree_shows_roots_with_expand_button(cast: Cast, login: Login) -> None:
    html = page(login("staf_a"), reverse("org:tree"))
    assert "Struktur organisasi" in html
    assert "Pemerintah Kabupaten Contoh" in html
    assert f'hx-get="{reverse("org:unit_children", args=[cast.pemda.pk])}"' in html
    assert "Dinas Kesehatan" not in html  # children load on demand
    assert "Pemerintah Kota Lain" not in html


def test_tree_children_fragment(cast: Cast, login: Login) -> None:
    response = login("staf_a").get(
        reverse("org:unit_children", args=[cast.dinkes.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.strip().startswith("<li>")
    assert html.index("Bidang Pelayanan Kesehatan") < html.index("Puskesmas Sukamaju")
    assert "Kepala: Ratna Sari" in html
    assert "2 pegawai" in html
    assert f'hx-get="{reverse("org:unit_children", args=[cast.bidang.pk])}"' in html
    assert f'hx-get="{reverse("org:unit_children", args=[cast.puskesmas.pk])}"' not in html


def test_tree_leaf_fragment(cast: Cast, login: Login) -> None:
    html = page(login("staf_a"), reverse("org:unit_children", args=[cast.seksi.pk]))
    assert "Tidak ada unit." in html


def test_tree_query_count(login: Login, django_assert_max_num_queries: Any) -> None:
    client = login("staf_a")
    with django_assert_max_num_queries(7):
        page(client, reverse("org:tree"))


def test_unit_page(cast: Cast, login: Login) -> None:
    html = page(login("staf_a"), reverse("org:unit", args=[cast.dinkes.pk]))
    assert "<h1>Dinas Kesehatan" in html
    assert f'<a href="{reverse("org:unit", args=[cast.pemda.pk])}">' in html  # breadcrumb
    assert "Bidang Pelayanan Kesehatan" in html
    assert "Puskesmas Sukamaju" in html
    assert "Kepala Dinas Kesehatan" in html  # jabatan
    assert "(kepala unit)" in html
    for name in ["Hendra Wijaya", "Dewi Lestari", "Yohanes Manurung"]:  # whole subtree
        assert name in html
    assert f"{reverse('org:directory')}?unit={cast.dinkes.pk}" in html


def test_unit_page_query_count(
    cast: Cast, login: Login, django_assert_max_num_queries: Any
) -> None:
    client = login("staf_a")
    with django_assert_max_num_queries(11):
        page(client, reverse("org:unit", args=[cast.dinkes.pk]))


# --- language and layout ------------------------------------------------------------------


def test_default_language_is_indonesian(login: Login) -> None:
    html = page(login("staf_a"), reverse("org:tree"))
    assert '<html lang="id"' in html


def test_switch_to_english(login: Login) -> None:
    client = login("staf_a")
    response = client.post("/i18n/setlang/", {"language": "en", "next": reverse("org:tree")})
    assert response.status_code == 302
    assert response["Location"] == reverse("org:tree")
    html = page(client, reverse("org:tree"))
    assert '<html lang="en"' in html
    assert "<h1>Organisation</h1>" in html
    assert "Struktur organisasi</h1>" not in html
    # Back to Indonesian.
    client.post("/i18n/setlang/", {"language": "id", "next": reverse("org:tree")})
    assert "<h1>Struktur organisasi</h1>" in page(client, reverse("org:tree"))


def test_responsive_viewport(login: Login) -> None:
    html = page(login("staf_a"), reverse("org:me"))
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
