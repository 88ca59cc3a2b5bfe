"""SKP pages: editing RHK, IKI, lampiran and ekspektasi through the page, failure messages and
htmx fragments."""

from __future__ import annotations

from decimal import Decimal

from kinerja.org.testing import Cast
from kinerja.plans import services
from kinerja.plans.models import EkspektasiKhusus, Iki, Lampiran, Rhk, Skp

from .view_helpers import HX, YEAR, Login, detail, kasi_plan, ok, staf_plan, submitted, url

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


def test_a_negative_or_zero_target_and_a_negative_baseline_are_refused_on_the_field(
    cast: Cast, login: Login
) -> None:
    skp, child, _parent = staf_plan(cast, iki=False)
    client = login("staf_a")
    base = {"aspek": "KUANTITAS", "text": "Jumlah", "target_unit": "kegiatan", "direction": "NAIK"}
    for target, baseline, message in (
        ("-5", "", "Target harus lebih dari 0."),
        ("0", "", "Target harus lebih dari 0."),
        ("12", "-1", "Nilai awal (baseline) tidak boleh negatif."),
    ):
        html = ok(
            client.post(
                url("iki_add", skp, child.pk),
                base | {"target_value": target, "baseline": baseline},
                headers=HX,
            )
        )
        assert html.lstrip().startswith("<form") and message in html
        assert f'value="{target}"' in html  # the input is kept
    assert not Iki.objects.exists()
    client.post(url("iki_add", skp, child.pk), base | {"target_value": "12", "baseline": "0"})
    assert Iki.objects.get(rhk=child).baseline == Decimal("0")


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
