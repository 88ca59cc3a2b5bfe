"""The realisasi page: the owner reports with a photo, retries, corrects and plans; the rater and
the chain above read; peers and outsiders get a 404; query counts do not grow with the data."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kinerja.org.testing import Cast
from kinerja.plans import services as plans
from kinerja.plans.models import Iki, Skp
from kinerja.progress import feedback_services as feedback
from kinerja.progress import services
from kinerja.progress.models import BuktiDukung, PeriodeTerkunci, Realisasi, RencanaAksi
from kinerja.progress.views import skp_periods

Login = Callable[[str], Client]
AssertNumQueries = Callable[..., AbstractContextManager[object]]
YEAR = timezone.localdate().year
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


def ok(response: Any) -> str:
    assert response.status_code == 200, (response.status_code, response.content[:500])
    return str(response.content.decode())


def page(skp: Skp) -> str:
    return reverse("progress:skp", args=[skp.pk])


def staf_skp(cast: Cast, *, ikis: int = 1, approve: bool = True) -> tuple[Skp, list[Iki]]:
    """kasi hands an RHK down to staf_a, who gives it `ikis` quantitative IKIs (target 12)."""
    kasi, staf = cast.user("kasi"), cast.user("staf_a")
    kasi_skp = plans.skp_create(by=kasi, pegawai=cast.kasi, year=YEAR)
    top = plans.rhk_save(by=kasi, skp=kasi_skp, jenis="UTAMA", text="Layanan primer")
    [rhk] = plans.rhk_cascade(by=kasi, rhk=top, assignments=[(cast.staf_a, "Posyandu")])
    made = [
        plans.iki_save(
            by=staf,
            rhk=rhk,
            values={
                "text": f"Jumlah posyandu {n}",
                "aspek": "KUANTITAS",
                "target_value": "12",
                "target_unit": "kegiatan",
            },
        )
        for n in range(1, ikis + 1)
    ]
    if approve:
        plans.skp_submit(by=staf, skp=rhk.skp)
        plans.skp_approve(by=kasi, skp=rhk.skp)
    return Skp.objects.get(pk=rhk.skp_id), made


def report(client: Client, skp: Skp, iki: Iki, **fields: Any) -> Any:
    data = {
        "date": timezone.localdate().isoformat(),
        "value": "3",
        "narrative": "",
        "idempotency_key": "kunci-1",
        **fields,
    }
    return client.post(reverse("progress:record", args=[skp.pk, iki.pk]), data)


def test_owner_reports_with_a_photo_and_sees_progress(cast: Cast, login: Login) -> None:
    skp, [iki] = staf_skp(cast)
    client = login("staf_a")
    html = ok(client.get(page(skp)))
    assert "Laporkan realisasi" in html
    assert 'accept="image/jpeg,image/png,image/webp,application/pdf,.doc,' in html
    assert "image/*" not in html and "capture" not in html
    assert f'type="date" name="date" value="{timezone.localdate().isoformat()}"' in html
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', html)
    assert key is not None
    photo = SimpleUploadedFile("foto posyandu.png", PNG, content_type="image/png")
    response = report(
        client,
        skp,
        iki,
        berkas=photo,
        links="https://drive.example.go.id/x",
        idempotency_key=key[1],
    )
    assert response.status_code == 302
    assert response["Location"] == f"{page(skp)}#iki-{iki.pk}"
    entry = Realisasi.objects.get()
    assert entry.value == 3 and entry.idempotency_key == key[1]
    assert {b.file_name or b.url for b in BuktiDukung.objects.all()} == {
        "foto posyandu.png",
        "https://drive.example.go.id/x",
    }
    html = ok(client.get(page(skp)))
    assert "foto posyandu.png" in html and 'href="https://drive.example.go.id/x"' in html
    assert '<progress value="25.00" max="100"' in html and "25 %" in html
    assert "Realisasi" in html and "3 kegiatan" in html
    # Each render offers a fresh key.
    assert key[1] not in html


def test_replay_with_the_same_key_records_once(cast: Cast, login: Login) -> None:
    skp, [iki] = staf_skp(cast)
    client = login("staf_a")
    first = report(client, skp, iki, idempotency_key="sama")
    again = report(client, skp, iki, idempotency_key="sama", value="3")
    assert first.status_code == again.status_code == 302
    assert Realisasi.objects.count() == 1
    html = ok(client.get(again["Location"]))
    assert html.count("tercatat.") == 2  # the same success twice (two messages, one entry)
    assert html.count('class="value"') == 1


def test_wrong_file_type_is_refused_and_writes_nothing(cast: Cast, login: Login) -> None:
    skp, [iki] = staf_skp(cast)
    client = login("staf_a")
    script = SimpleUploadedFile("foto.png", b"#!/bin/sh\nrm -rf /\n", content_type="image/png")
    html = ok(report(client, skp, iki, berkas=script))
    assert "Jenis berkas tidak diizinkan" in html
    assert Realisasi.objects.count() == 0 and BuktiDukung.objects.count() == 0
    # The form stays open with what was typed, and keeps its key.
    assert 'value="kunci-1"' in html and 'class="add report" open' in html


@pytest.mark.parametrize("which", ["period", "annual"])
def test_a_locked_period_offers_no_entry_forms_and_says_so(
    cast: Cast, login: Login, which: str
) -> None:
    skp, [iki] = staf_skp(cast)
    client = login("staf_a")
    entry, _created = services.realisasi_record(
        by=cast.user("staf_a"), iki=iki, day=timezone.localdate(), value="2"
    )
    html = ok(client.get(page(skp)))
    assert "Laporkan realisasi" in html and "Simpan koreksi" in html
    assert "Periode ini sudah dikunci" not in html
    _periods, current = skp_periods(skp)
    assert current is not None
    PeriodeTerkunci.objects.create(skp=skp, period=current.number if which == "period" else 0)
    html = ok(client.get(page(skp)))
    assert "Periode ini sudah dikunci" in html
    assert "Laporkan realisasi" not in html and "Simpan koreksi" not in html
    assert f'action="{reverse("progress:record", args=[skp.pk, iki.pk])}"' not in html
    assert "Tambah rencana aksi" in html  # still allowed by its service
    # The reader sees the entries but no note meant for the owner.
    assert "Periode ini sudah dikunci" not in ok(login("kasi").get(page(skp)))
    assert f'id="entri-{entry.pk}"' in html


def test_service_errors_land_on_the_form(cast: Cast, login: Login) -> None:
    skp, [iki] = staf_skp(cast)
    client = login("staf_a")
    tomorrow = timezone.localdate() + timedelta(days=1)
    html = ok(report(client, skp, iki, date=tomorrow.isoformat()))
    assert "Tanggal realisasi tidak boleh di masa depan." in html
    html = ok(report(client, skp, iki, value="", idempotency_key="k2"))
    assert "Isi nilai realisasi untuk indikator kuantitatif." in html
    html = ok(report(client, skp, iki, value="-3", idempotency_key="k3"))
    assert "Nilai realisasi tidak boleh negatif." in html and 'value="-3"' in html
    assert Realisasi.objects.count() == 0
    # On a phone the form is far down the page: the refused field takes the focus (the browser
    # scrolls to it) and a notice at the top links to it.
    field_id = f"r{iki.pk}-value"
    assert f'href="#{field_id}"' in html and "Belum disimpan: periksa pesan pada formulir." in html
    [tag] = [t for t in html.split("<input")[1:] if f'id="{field_id}"' in t]
    assert "autofocus" in tag.split(">")[0]
    assert html.count("autofocus") == 1
    assert "Belum disimpan" not in ok(client.get(page(skp)))


@pytest.mark.parametrize(
    ("unit", "hint", "shown"),
    [
        ("kegiatan", "Realisasi dijumlahkan.", "5 kegiatan"),
        ("persen", "Dipakai nilai terakhir.", "2 persen"),
    ],
)
def test_the_hint_says_how_the_realised_value_is_read(
    cast: Cast, login: Login, unit: str, hint: str, shown: str
) -> None:
    """A KUANTITAS IKI counted in a rate unit takes its latest value (rules.accumulates): the
    page's hint says so, like the number it shows."""
    skp, [iki] = staf_skp(cast)
    Iki.objects.filter(pk=iki.pk).update(target_unit=unit)
    client = login("staf_a")
    report(client, skp, iki, value="3", idempotency_key="a")
    report(client, skp, iki, value="2", idempotency_key="b")
    html = ok(client.get(page(skp)))
    assert hint in html and shown in html
    other = {"Realisasi dijumlahkan.", "Dipakai nilai terakhir."} - {hint}
    assert other.pop() not in html


def test_correction_shows_the_trail(cast: Cast, login: Login) -> None:
    skp, [iki] = staf_skp(cast)
    client = login("staf_a")
    report(client, skp, iki)
    entry = Realisasi.objects.get()
    url = reverse("progress:correct", args=[skp.pk, entry.pk])
    html = ok(client.post(url, {"value": "4", "reason": ""}))
    assert "Bidang ini tidak boleh kosong." in html and 'class="koreksi" open' in html
    response = client.post(url, {"value": "4", "reason": "salah hitung"})
    assert response.status_code == 302
    html = ok(client.get(page(skp)))
    assert 'class="corrected"' in html and "dikoreksi: salah hitung" in html
    assert "33,33 %" in html and "4 kegiatan" in html
    client.cookies["django_language"] = "en"
    english = client.get(page(skp)).content.decode()
    assert "33.33 %" in english and "33,33" not in english
    client.cookies["django_language"] = "id"
    # The corrected entry offers no second correction; the new one does.
    assert reverse("progress:correct", args=[skp.pk, entry.pk]) not in html
    again = client.post(url, {"value": "5", "reason": "lagi"})
    assert "sudah dikoreksi" in ok(again)


def test_rencana_aksi_can_be_chosen_for_a_report(cast: Cast, login: Login) -> None:
    skp, [iki] = staf_skp(cast)
    client = login("staf_a")
    period = services.period_of(skp, timezone.localdate()).number
    url = reverse("progress:rencana_aksi", args=[skp.pk, iki.pk])
    html = ok(client.post(url, {"period": period, "text": " "}))
    assert "Bidang ini tidak boleh kosong." in html and RencanaAksi.objects.count() == 0
    response = client.post(url, {"period": period, "text": "Kunjungan ke 4 posyandu"})
    assert response.status_code == 302
    plan = RencanaAksi.objects.get()
    html = ok(client.get(page(skp)))
    assert f'<option value="{plan.pk}">Kunjungan ke 4 posyandu</option>' in html
    report(client, skp, iki, rencana_aksi=plan.pk)
    assert Realisasi.objects.get().rencana_aksi == plan
    assert "Rencana aksi: Kunjungan ke 4 posyandu" in ok(client.get(page(skp)))


def test_narrative_only_indicator_shows_the_trail(cast: Cast, login: Login) -> None:
    skp, [iki] = staf_skp(cast)
    Iki.objects.filter(pk=iki.pk).update(target_value=None, target_narrative="Layanan tertib")
    client = login("staf_a")
    report(client, skp, iki, value="", narrative="Posyandu Mawar berjalan tertib")
    html = ok(client.get(page(skp)))
    assert "Indikator kualitatif" in html and "Posyandu Mawar berjalan tertib" in html
    assert "<progress" not in html


@pytest.mark.parametrize("who", ["kasi", "kabid", "kadis", "admin", "auditor"])
def test_rater_chain_admin_and_auditor_read_only(cast: Cast, login: Login, who: str) -> None:
    skp, [iki] = staf_skp(cast)
    services.realisasi_record(
        by=cast.user("staf_a"),
        iki=iki,
        day=timezone.localdate(),
        value="3",
        uploads=[services.Upload("foto.png", PNG)],
    )
    html = ok(login(who).get(page(skp)))
    assert "foto.png" in html and "25 %" in html and 'id="hanya-baca"' in html
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    actions = re.findall(r'<form method="post" action="([^"]+)"', main)
    # The rater and the chain above may give umpan balik and record a dialog, nothing else.
    assert all("/umpan-balik/" in a or a.endswith("/dialog/") for a in actions)
    assert bool(actions) == (who in {"kasi", "kabid", "kadis"})
    assert main.count("<form") == len(actions)
    response = login(who).post(
        reverse("progress:record", args=[skp.pk, iki.pk]),
        {"date": timezone.localdate().isoformat(), "value": "1", "idempotency_key": "x"},
    )
    assert response.status_code == 403
    assert Realisasi.objects.count() == 1


@pytest.mark.parametrize("who", ["staf_b", "perawat", "outsider"])
def test_peer_and_outsider_get_404(cast: Cast, login: Login, who: str) -> None:
    skp, [iki] = staf_skp(cast)
    client = login(who)
    assert client.get(page(skp)).status_code == 404
    assert report(client, skp, iki).status_code == 404


def test_unapproved_skp_explains(cast: Cast, login: Login) -> None:
    skp, [iki] = staf_skp(cast, approve=False)
    client = login("staf_a")
    response = client.get(reverse("progress:index"))
    html = ok(response)
    assert "Realisasi dicatat setelah SKP disetujui" in html and reverse("plans:mine") in html
    html = ok(client.get(page(skp)))
    assert 'id="belum-disetujui"' in html and "Laporkan realisasi" not in html
    assert "Realisasi hanya dapat dilaporkan" in ok(report(client, skp, iki))


def test_menu_leads_to_the_approved_skp(cast: Cast, login: Login) -> None:
    skp, _ = staf_skp(cast)
    client = login("staf_a")
    home = ok(client.get(reverse("org:me")))
    assert f'href="{reverse("progress:index")}"' in home
    response = client.get(reverse("progress:index"))
    assert response.status_code == 302 and response["Location"] == page(skp)
    assert f'href="{page(skp)}"' in ok(client.get(reverse("plans:detail", args=[skp.pk])))
    assert "Akun ini bukan akun pegawai" in ok(login("admin").get(reverse("progress:index")))


PAGE_QUERIES = {"staf_a": 19, "kasi": 18}  # the owner's page also asks whether it is locked


@pytest.mark.parametrize("size", [1, 3])
def test_page_queries_do_not_grow(
    cast: Cast, login: Login, django_assert_num_queries: AssertNumQueries, size: int
) -> None:
    skp, ikis = staf_skp(cast, ikis=size)
    staf = cast.user("staf_a")
    today = timezone.localdate()
    period = services.period_of(skp, today).number
    for iki in ikis:
        plan = services.rencana_aksi_add(by=staf, iki=iki, period=period, text="Kunjungan")
        entry, _ = services.realisasi_record(
            by=staf,
            iki=iki,
            day=today,
            value="1",
            rencana_aksi_id=plan.pk,
            uploads=[services.Upload("foto.png", PNG)],
            links=["https://a.id/1"],
        )
        services.realisasi_correct(by=staf, realisasi=entry, value="2", reason="salah")
        services.realisasi_record(by=staf, iki=iki, day=today, value="1", narrative="Catatan")
        thread = feedback.umpan_balik_add(
            by=cast.user("kasi"), skp=skp, text="Bagus", period=period,
            target_kind="REALISASI", realisasi=entry,
        )  # fmt: skip
        feedback.umpan_balik_add(by=staf, skp=skp, text="Terima kasih", parent=thread)
        feedback.dialog_kinerja_add(
            by=cast.user("kasi"), skp=skp, period=period, held_on=today, notes="Dialog",
            follow_ups=[feedback.FollowUp("Tambah kunjungan", today)],
        )  # fmt: skip
    for who in ("staf_a", "kasi"):
        client = login(who)
        with django_assert_num_queries(PAGE_QUERIES[who], info=f"{who}, {size}"):
            ok(client.get(page(skp)))


def test_over_achievement_and_lower_is_better(cast: Cast, login: Login) -> None:
    skp, [iki] = staf_skp(cast, ikis=1)
    client = login("staf_a")
    report(client, skp, iki, value="18")
    html = ok(client.get(page(skp)))
    assert '<progress value="100" max="100"' in html and "150 %" in html
    # Fewer complaints is better: from a baseline of 20 to a target of 12, 18 is a quarter.
    Iki.objects.filter(pk=iki.pk).update(direction="TURUN", baseline=20)
    html = ok(client.get(page(skp)))
    assert "Makin rendah makin baik." in html and "Dihitung dari baseline 20." in html
    assert '<progress value="25.00" max="100"' in html and "25 %" in html
