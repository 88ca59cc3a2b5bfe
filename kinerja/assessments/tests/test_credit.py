"""Angka kredit of an evaluation and the coefficients per Jabatan Fungsional: perawat (Perawat
Ahli Pertama, a JF in the puskesmas, rated by kapus) earns it; staf_a (pelaksana) never does."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from kinerja.audit.models import AuditEvent
from kinerja.core.errors import Refused, ServiceError
from kinerja.org.models import Jabatan
from kinerja.org.testing import Cast

from .. import credit
from ..models import ANNUAL, KoefisienAngkaKredit
from ..testing import YEAR, evaluation

D = Decimal


@pytest.fixture
def koefisien(cast: Cast) -> KoefisienAngkaKredit:
    return credit.koefisien_set(by=cast.admin, jabatan=cast.j_perawat, jenjang="AHLI_PERTAMA")


def test_periodic_and_annual_angka_kredit(cast: Cast, koefisien: KoefisienAngkaKredit) -> None:
    assert koefisien.koefisien == D("12.50")
    q2 = evaluation(cast, "perawat", 2, "DI_ATAS", "DI_ATAS")
    skp = q2.skp
    got = credit.angka_kredit_for(skp=skp, period=2, predikat=q2.predikat)
    assert got is not None
    assert (got.months, got.percent, got.predikat) == (3, 150, "SANGAT_BAIK")
    assert got.value == D("4.69")  # 3/12 × 150 % × 12,5 = 4,6875
    annual = credit.angka_kredit_for(skp=skp, period=ANNUAL, predikat="SANGAT_BAIK")
    assert annual is not None
    assert skp.start_date == date(YEAR, 1, 1)  # placed since 2020: the whole year
    assert (annual.months, annual.value, annual.value_text) == (12, D("18.75"), "18,75")
    html = render_to_string("assessments/angka_kredit.html", {"angka_kredit": got})
    assert "4,69" in html and "Ahli Pertama" in html


def test_months_follow_the_skp_dates(cast: Cast, koefisien: KoefisienAngkaKredit) -> None:
    ev = evaluation(cast, "perawat", 2, "SESUAI", "SESUAI")
    skp = ev.skp
    skp.start_date, skp.end_date = date(YEAR, 11, 3), date(YEAR, 12, 31)
    annual = credit.angka_kredit_for(skp=skp, period=ANNUAL, predikat="BAIK")
    assert annual is not None and (annual.months, annual.value) == (2, D("2.08"))
    assert credit.angka_kredit_for(skp=skp, period=2, predikat="BAIK") is None  # not covered


def test_who_earns_nothing(cast: Cast, koefisien: KoefisienAngkaKredit) -> None:
    staf = evaluation(cast, "staf_a", 2, "DI_ATAS", "DI_ATAS")
    assert credit.angka_kredit_for(skp=staf.skp, period=2, predikat=staf.predikat) is None
    perawat = evaluation(cast, "perawat", 2)
    assert credit.angka_kredit_for(skp=perawat.skp, period=2, predikat="") is None
    koefisien.delete()
    assert credit.angka_kredit_for(skp=perawat.skp, period=2, predikat="BAIK") is None


def test_set_change_and_delete_a_koefisien(cast: Cast) -> None:
    item = credit.koefisien_set(
        by=cast.admin, jabatan=cast.j_perawat, jenjang="AHLI_MUDA", koefisien="13,5"
    )
    assert (item.jenjang, item.koefisien) == ("AHLI_MUDA", D("13.50"))
    again = credit.koefisien_set(by=cast.admin, jabatan=cast.j_perawat, jenjang="AHLI_MADYA")
    assert again.pk == item.pk and again.koefisien == D("37.50")
    events = list(AuditEvent.objects.filter(action="koefisien_angka_kredit_set").order_by("pk"))
    assert events[1].old_values == {"jenjang": "AHLI_MUDA", "koefisien": "13.50"}
    credit.koefisien_delete(by=cast.admin, jabatan=cast.j_perawat)
    assert not KoefisienAngkaKredit.objects.exists()
    credit.koefisien_delete(by=cast.admin, jabatan=cast.j_perawat)  # nothing to delete: no-op
    assert AuditEvent.objects.filter(action="koefisien_angka_kredit_delete").count() == 1


@pytest.mark.parametrize("who", ["kapus", "perawat", "kadis", "auditor"])
def test_only_the_admin_sets_a_koefisien(cast: Cast, who: str) -> None:
    with pytest.raises(Refused, match="Hanya admin kepegawaian"):
        credit.koefisien_set(by=cast.user(who), jabatan=cast.j_perawat, jenjang="AHLI_PERTAMA")
    with pytest.raises(Refused):
        credit.koefisien_delete(by=cast.user(who), jabatan=cast.j_perawat)


@pytest.mark.parametrize(
    ("jenjang", "value", "field", "message"),
    [
        ("AHLI_PERTAMA", "abc", "koefisien", "berupa angka"),
        ("AHLI_PERTAMA", "0", "koefisien", "lebih dari 0"),
        ("AHLI_PERTAMA", "-1", "koefisien", "lebih dari 0"),
        ("AHLI_PERTAMA", "10000", "koefisien", "9999,99"),
        ("AHLI_PERTAMA", "1.234", "koefisien", "2 angka di belakang koma"),
        ("AHLI_SUPER", None, "jenjang", "Jenjang tidak dikenal"),
    ],
)
def test_bad_koefisien(
    cast: Cast, jenjang: str, value: str | None, field: str, message: str
) -> None:
    with pytest.raises(ServiceError, match=message) as caught:
        credit.koefisien_set(
            by=cast.admin, jabatan=cast.j_perawat, jenjang=jenjang, koefisien=value
        )
    assert caught.value.field == field


def test_only_for_jabatan_fungsional(cast: Cast) -> None:
    with pytest.raises(ServiceError, match="bukan Jabatan Fungsional"):
        credit.koefisien_set(by=cast.admin, jabatan=cast.j_staf, jenjang="TERAMPIL")


def test_admin_of_another_instansi_is_refused(cast: Cast) -> None:
    with pytest.raises(Refused):
        credit.koefisien_set(by=cast.user("outsider"), jabatan=cast.j_perawat, jenjang="MAHIR")


# --- API and page -------------------------------------------------------------------------


def api(path: str) -> str:
    return reverse("api:api-root") + path


def test_api(client: Client, cast: Cast, koefisien: KoefisienAngkaKredit) -> None:
    ev = evaluation(cast, "perawat", 2, "SESUAI", "SESUAI", finalize=True)
    client.force_login(cast.user("perawat"))
    body = client.get(api(f"penilaian/evaluasi/{ev.pk}/angka-kredit")).json()
    assert body["applies"] and D(body["angka_kredit"]) == D("3.13")  # 3/12 × 12,5 = 3,125
    staf = evaluation(cast, "staf_a", 2, finalize=True)
    client.force_login(cast.user("staf_a"))
    assert client.get(api(f"penilaian/evaluasi/{staf.pk}/angka-kredit")).json() == {
        "evaluasi_id": staf.pk, "applies": False, "jenjang": None, "koefisien": None,
        "months": None, "percent": None, "predikat": None, "angka_kredit": None,
    }  # fmt: skip
    client.force_login(cast.user("outsider"))
    assert client.get(api(f"penilaian/evaluasi/{ev.pk}/angka-kredit")).status_code == 404
    client.force_login(cast.admin)
    rows = client.get(api("penilaian/koefisien-angka-kredit")).json()
    assert [(r["jabatan_id"], r["jenjang"]) for r in rows] == [(cast.j_perawat.pk, "AHLI_PERTAMA")]
    url = api(f"penilaian/koefisien-angka-kredit/{cast.j_perawat.pk}")
    put = client.put(
        url, {"jenjang": "MAHIR", "koefisien": "12.5"}, content_type="application/json"
    )
    assert put.status_code == 200 and put.json()["jenjang"] == "MAHIR"
    bad = client.put(url, {"jenjang": "MAHIR", "koefisien": "0"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "koefisien"
    not_jf = client.put(
        api(f"penilaian/koefisien-angka-kredit/{cast.j_staf.pk}"), {"jenjang": "TERAMPIL"},
        content_type="application/json",
    )  # fmt: skip
    assert not_jf.status_code == 400
    # the other instansi's jabatan is not even visible
    kota = Jabatan.objects.get(instansi=cast.kota)
    hidden = client.put(
        api(f"penilaian/koefisien-angka-kredit/{kota.pk}"), {"jenjang": "MAHIR"},
        content_type="application/json",
    )  # fmt: skip
    assert hidden.status_code == 404
    client.force_login(cast.user("kapus"))
    assert client.put(url, {"jenjang": "MAHIR"}, content_type="application/json").status_code == 403
    assert client.delete(url).status_code == 403
    client.force_login(cast.admin)
    assert client.delete(url).status_code == 204


def test_admin_page(client: Client, cast: Cast, django_assert_max_num_queries: Any) -> None:
    url = reverse("assessments:koefisien")
    client.force_login(cast.admin)
    client.get(url)
    with django_assert_max_num_queries(9):
        page = client.get(url)
    assert cast.j_perawat.name in page.content.decode()
    saved = client.post(
        url,
        {"instansi": cast.kab.pk, "jabatan": cast.j_perawat.pk, "jenjang": "AHLI_PERTAMA",
         "koefisien": ""},
    )  # fmt: skip
    assert saved.status_code == 302
    assert KoefisienAngkaKredit.objects.get().koefisien == D("12.50")
    bad = client.post(
        url,
        {"instansi": cast.kab.pk, "jabatan": cast.j_perawat.pk, "jenjang": "AHLI_PERTAMA",
         "koefisien": "x"},
        follow=True,
    )  # fmt: skip
    assert "berupa angka" in bad.content.decode()
    gone = client.post(url, {"instansi": cast.kab.pk, "jabatan": "abc", "jenjang": "MAHIR"})
    assert gone.status_code == 404
    for who in ("kapus", "perawat", "auditor"):
        client.force_login(cast.user(who))
        assert client.get(url).status_code == 403
