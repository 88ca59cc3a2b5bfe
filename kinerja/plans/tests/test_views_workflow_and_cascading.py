"""SKP pages: submit, return and approve, SKP tim, and cascading."""

from __future__ import annotations

from django.urls import reverse

from kinerja.org.testing import Cast
from kinerja.plans import services
from kinerja.plans.models import Rhk, Skp, StatusSkp

from .view_helpers import HX, YEAR, Login, add_iki, detail, kasi_plan, ok, staf_plan, submitted, url

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
    client.cookies["django_language"] = "en"
    response = client.post(url("approve", skp))
    english = ok(client.get(response["Location"]))
    assert "An SKP that is already approved cannot be approved." in english


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


def test_a_refusal_on_the_page_speaks_english_when_asked(cast: Cast, login: Login) -> None:
    submitted(cast)
    rhk = Rhk.objects.get(skp__pegawai=cast.kasi)
    client = login("kasi")
    client.cookies["django_language"] = "en"
    html = ok(
        client.post(url("cascade", rhk.skp, rhk.pk), {"bawahan": [cast.staf_a.pk]}, headers=HX)
    )
    assert (
        "The SKP of Dewi Lestari is Submitted; new work results can only be added to an SKP "
        "that is still a draft or returned."
    ) in html
    assert "berstatus" not in html


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
