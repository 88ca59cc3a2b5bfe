"""A double tap on a create form of the SKP pages (the same one-time form key posted twice)
creates one row and answers the second post as it answered the first; a new render of the form
(a new key) creates again; a garbage key is a clear error; another user's key does not collide."""

from __future__ import annotations

import re

from django.urls import reverse

from kinerja.core.models import FormKey
from kinerja.org.testing import Cast
from kinerja.plans import services
from kinerja.plans.models import Iki, Lampiran, Rhk, Skp

from .view_helpers import HX, YEAR, Login, detail, kasi_plan, ok, url


def ok_text(response: object) -> str:
    return str(getattr(response, "content", b"").decode())


def key_in(html: str) -> str:
    found = re.search(r'name="form_key" value="([0-9a-f]{32})"', html)
    assert found, "the form renders its one-time key"
    return found[1]


def test_a_double_tap_on_rhk_add_creates_one_rhk(cast: Cast, login: Login) -> None:
    skp = services.skp_create(by=cast.user("staf_a"), pegawai=cast.staf_a, year=YEAR)
    client = login("staf_a")
    key = key_in(ok(client.get(detail(skp))))
    data = {"jenis": "UTAMA", "text": "Posyandu aktif", "form_key": key}
    first = client.post(url("rhk_add", skp), data)
    second = client.post(url("rhk_add", skp), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == detail(skp) + "#hasil"
    assert Rhk.objects.filter(skp=skp).count() == 1
    assert "RHK disimpan." in ok(client.get(detail(skp)))


def test_a_double_tap_with_htmx_answers_the_same_fragment(cast: Cast, login: Login) -> None:
    skp = services.skp_create(by=cast.user("staf_a"), pegawai=cast.staf_a, year=YEAR)
    client = login("staf_a")
    data = {"jenis": "TAMBAHAN", "text": "Panitia", "form_key": "k" * 32}
    first = ok(client.post(url("rhk_add", skp), data, headers=HX))
    second = ok(client.post(url("rhk_add", skp), data, headers=HX))
    assert "RHK disimpan." in first and "RHK disimpan." in second
    assert "1. Panitia" in second and "2. Panitia" not in second
    assert Rhk.objects.filter(skp=skp).count() == 1


def test_a_form_changed_after_going_back_is_refused_not_dropped(cast: Cast, login: Login) -> None:
    """Saved, then Back (the browser shows the form with its old key), edited and sent again:
    the edit is not silently swallowed by the first post's answer; the page says to reload."""
    skp = services.skp_create(by=cast.user("staf_a"), pegawai=cast.staf_a, year=YEAR)
    client = login("staf_a")
    key = key_in(ok(client.get(detail(skp))))
    client.post(url("rhk_add", skp), {"jenis": "UTAMA", "text": "Posyandu", "form_key": key})
    edited = {"jenis": "UTAMA", "text": "Posyandu aktif", "form_key": key}
    refused = client.post(url("rhk_add", skp), edited, headers=HX)  # htmx swaps 200s only
    assert refused.status_code == 200
    assert "sudah dikirim dengan isi yang lain" in refused.content.decode()
    plain = client.post(url("rhk_add", skp), edited)
    assert plain.status_code == 200 and "sudah dikirim dengan isi yang lain" in ok_text(plain)
    assert list(Rhk.objects.filter(skp=skp).values_list("text", flat=True)) == ["Posyandu"]


def test_two_renders_of_the_form_create_two_rhks(cast: Cast, login: Login) -> None:
    skp = services.skp_create(by=cast.user("staf_a"), pegawai=cast.staf_a, year=YEAR)
    client = login("staf_a")
    for text in ("Satu", "Dua"):
        key = key_in(ok(client.get(detail(skp))))
        client.post(url("rhk_add", skp), {"jenis": "UTAMA", "text": text, "form_key": key})
    assert sorted(Rhk.objects.filter(skp=skp).values_list("text", flat=True)) == ["Dua", "Satu"]


def test_no_key_is_a_fresh_request_and_a_garbage_key_a_clear_error(
    cast: Cast, login: Login
) -> None:
    skp = services.skp_create(by=cast.user("staf_a"), pegawai=cast.staf_a, year=YEAR)
    client = login("staf_a")
    for _ in range(2):
        client.post(url("rhk_add", skp), {"jenis": "UTAMA", "text": "Tanpa kunci"})
    assert Rhk.objects.filter(skp=skp).count() == 2  # an API-like client without a key
    html = ok(client.post(url("rhk_add", skp), {"jenis": "UTAMA", "text": "X", "form_key": "!"}))
    assert "Kunci formulir tidak sah. Muat ulang halaman, lalu kirim formulir lagi." in html
    assert Rhk.objects.filter(skp=skp).count() == 2


def test_another_users_key_does_not_collide(cast: Cast, login: Login) -> None:
    a = services.skp_create(by=cast.user("staf_a"), pegawai=cast.staf_a, year=YEAR)
    b = services.skp_create(by=cast.user("staf_b"), pegawai=cast.staf_b, year=YEAR)
    key = "s" * 32
    login("staf_a").post(url("rhk_add", a), {"jenis": "UTAMA", "text": "A", "form_key": key})
    login("staf_b").post(url("rhk_add", b), {"jenis": "UTAMA", "text": "B", "form_key": key})
    assert Rhk.objects.get(skp=a).text == "A" and Rhk.objects.get(skp=b).text == "B"
    assert FormKey.objects.filter(key=key).count() == 2


def test_a_double_tap_on_iki_add_and_lampiran_add_creates_one_each(
    cast: Cast, login: Login
) -> None:
    skp = services.skp_create(by=cast.user("staf_a"), pegawai=cast.staf_a, year=YEAR)
    rhk = services.rhk_save(by=cast.user("staf_a"), skp=skp, jenis="UTAMA", text="Posyandu")
    client = login("staf_a")
    iki = {"text": "Jumlah posyandu", "aspek": "KUANTITAS", "target_value": "12"}
    iki |= {"target_unit": "kegiatan", "direction": "NAIK", "form_key": "i" * 32}
    answers = [client.post(url("iki_add", skp, rhk.pk), iki) for _ in range(2)]
    assert [a.status_code for a in answers] == [302, 302]
    assert Iki.objects.filter(rhk=rhk).count() == 1
    lampiran = {"kind": "DUKUNGAN_SUMBER_DAYA", "text": "Anggaran", "form_key": "l" * 32}
    answers = [client.post(url("lampiran_add", skp), lampiran) for _ in range(2)]
    assert answers[0]["Location"] == answers[1]["Location"]
    assert Lampiran.objects.filter(skp=skp).count() == 1


def test_a_double_tap_on_cascade_hands_down_once(cast: Cast, login: Login) -> None:
    [rhk] = kasi_plan(cast)
    client = login("kasi")
    key = key_in(ok(client.get(url("cascade", rhk.skp, rhk.pk), headers=HX)))
    data = {"bawahan": [cast.staf_a.pk, cast.staf_b.pk], "form_key": key}
    first = ok(client.post(url("cascade", rhk.skp, rhk.pk), data, headers=HX))
    second = ok(client.post(url("cascade", rhk.skp, rhk.pk), data, headers=HX))
    notice = "RHK diturunkan kepada Bambang Pamungkas, Dewi Lestari."
    assert notice in first and notice in second
    assert Rhk.objects.filter(parent=rhk).count() == 2  # one per subordinate, not four
    assert Skp.objects.filter(pegawai=cast.staf_b, year=YEAR).count() == 1


def test_a_double_tap_on_mulai_skp_creates_one_skp_without_an_error(
    cast: Cast, login: Login
) -> None:
    client = login("staf_a")
    key = key_in(ok(client.get(reverse("plans:mine"))))
    data = {"year": YEAR, "pendekatan": "KUANTITATIF", "form_key": key}
    first = client.post(reverse("plans:mine"), data)
    second = client.post(reverse("plans:mine"), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Skp.objects.filter(pegawai=cast.staf_a, year=YEAR).count() == 1
