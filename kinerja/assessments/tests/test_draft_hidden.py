"""The rated pegawai sees no rating or predicate of a draft evaluation (docs/evaluation.md §2)
through the side doors either: the evaluation PDF (page and API) and the angka kredit API wait
for the final evaluation; the rater still gets the watermarked draft."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from kinerja.org.testing import Cast

from .. import credit
from ..models import Evaluasi
from ..testing import YEAR, evaluation

Login = Callable[[str], Client]


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_draft_pdf_is_not_served_to_the_rated_pegawai(cast: Cast, login: Login) -> None:
    draft = evaluation(cast, "staf_a", 2, "DI_ATAS", "DI_ATAS")
    assert draft.status == "DRAFT" and draft.predikat == "SANGAT_BAIK"
    staf = login("staf_a")
    page = staf.get(f"/penilaian/{draft.pk}/dokumen/evaluasi.pdf")
    assert page.status_code == 403 and "setelah evaluasinya final" in page.content.decode()
    api = staf.get(f"/api/v1/penilaian/evaluasi/{draft.pk}/dokumen/evaluasi")
    assert api.status_code == 403 and json.loads(api.content)["code"] == "forbidden"
    rater = login("kasi").get(f"/penilaian/{draft.pk}/dokumen/evaluasi.pdf")
    assert rater.status_code == 200 and "SANGAT BAIK" in pdf_text(rater.content)


def test_the_final_pdf_is_served_to_the_rated_pegawai(cast: Cast, login: Login) -> None:
    final = evaluation(cast, "staf_a", 2, "DI_ATAS", "DI_ATAS", finalize=True)
    page = login("staf_a").get(f"/penilaian/{final.pk}/dokumen/evaluasi.pdf")
    assert page.status_code == 200 and "SANGAT BAIK" in pdf_text(page.content)


def test_the_angka_kredit_of_a_draft_waits_for_the_final(cast: Cast, login: Login) -> None:
    credit.koefisien_set(by=cast.admin, jabatan=cast.j_perawat, jenjang="AHLI_PERTAMA")
    draft = evaluation(cast, "perawat", 2, "DI_ATAS", "DI_ATAS")
    url = f"/api/v1/penilaian/evaluasi/{draft.pk}/angka-kredit"
    refused = login("perawat").get(url)
    assert (
        refused.status_code == 409
        and "setelah evaluasinya final" in json.loads(refused.content)["detail"]
    )
    rater = json.loads(login("kapus").get(url).content)
    assert rater["applies"] is True and rater["predikat"] == "SANGAT_BAIK"


# --- the keberatan window, and a unit head reading his own unit ---------------------------


def test_the_keberatan_window_shows_no_draft_predikat_to_the_rated(
    cast: Cast, login: Login
) -> None:
    draft = evaluation(cast, "staf_a", 2, "DI_ATAS", "DI_ATAS")
    staf = login("staf_a")
    page = staf.get(reverse("assessments:keberatan_file", args=[draft.pk])).content.decode()
    assert "Belum final" in page and "Sangat Baik" not in page
    api = staf.get(f"/api/v1/penilaian/evaluasi/{draft.pk}/keberatan").json()
    assert api["predikat"] == "" and api["may_file"] is False
    rater = login("kasi").get(f"/api/v1/penilaian/evaluasi/{draft.pk}/keberatan").json()
    assert rater["predikat"] == "SANGAT_BAIK"


def test_the_keberatan_window_shows_the_final_predikat(cast: Cast, login: Login) -> None:
    final = evaluation(cast, "staf_a", 2, "DI_ATAS", "DI_ATAS", finalize=True)
    api = login("staf_a").get(f"/api/v1/penilaian/evaluasi/{final.pk}/keberatan").json()
    assert api["predikat"] == "SANGAT_BAIK"


def own_draft_of_the_kasi(cast: Cast) -> Evaluasi:
    evaluation(cast, "staf_a", 2, "SESUAI", "SESUAI", finalize=True)
    draft = evaluation(cast, "kasi", 2, perilaku="DI_ATAS", capaian_predikat="ISTIMEWA")
    assert draft.status == "DRAFT" and draft.predikat == "SANGAT_BAIK" and draft.is_unit_head
    return draft


def test_a_unit_head_sees_no_rating_of_his_own_draft_when_calibrating(
    cast: Cast, login: Login
) -> None:
    draft = own_draft_of_the_kasi(cast)
    query = f"?tahun={YEAR}&periode=2"
    page = login("kasi").get(reverse("assessments:kalibrasi", args=[cast.seksi.pk]) + query)
    html = page.content.decode()
    own = html[html.index(f'id="kalibrasi-{draft.pk}"') :].split("</tr>")[0]
    assert "tampil setelah evaluasi Anda final" in own and "Sangat Baik" not in own
    api = login("kasi").get(
        f"/api/v1/penilaian/kalibrasi/unit/{cast.seksi.pk}?year={YEAR}&period=2"
    )
    rows = {r["evaluasi_id"]: r for r in api.json()}
    assert {k: rows[draft.pk][k] for k in ("rating_hasil", "rating_perilaku", "predikat")} == {
        "rating_hasil": "", "rating_perilaku": "", "predikat": ""}  # fmt: skip
    assert any(r["predikat"] == "BAIK" for r in rows.values())  # staf_a's final row stays
    above = login("kabid").get(
        f"/api/v1/penilaian/kalibrasi/unit/{cast.seksi.pk}?year={YEAR}&period=2"
    )
    assert {r["evaluasi_id"]: r for r in above.json()}[draft.pk]["predikat"] == "SANGAT_BAIK"


def rekap(client: Client, cast: Cast) -> tuple[dict[str, tuple[object, ...]], dict[str, str]]:
    response = client.get(reverse("assessments:rekap_xlsx", args=[cast.seksi.pk, YEAR, 2]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows: dict[str, tuple[object, ...]] = {
        str(r[1]): r for r in book["Rekap"].iter_rows(min_row=8, values_only=True)
    }
    counts = {
        str(r[0]): str(r[1])
        for r in book["Distribusi"].iter_rows(min_row=6, max_row=10, values_only=True)
    }
    return rows, counts


def test_a_unit_head_sees_no_rating_of_his_own_draft_in_the_rekap(cast: Cast, login: Login) -> None:
    own_draft_of_the_kasi(cast)
    rows, counts = rekap(login("kasi"), cast)
    assert rows[cast.kasi.nip][6:10] == ("Draf", "-", "-", "-")
    assert counts["SANGAT BAIK"] == "0" and counts["BAIK"] == "1"  # his own is not counted
    rows, counts = rekap(login("kabid"), cast)
    assert rows[cast.kasi.nip][9] == "SANGAT BAIK" and counts["SANGAT BAIK"] == "1"


def test_a_unit_head_is_not_counted_in_his_own_units_figures_while_a_draft(
    cast: Cast, login: Login
) -> None:
    own_draft_of_the_kasi(cast)
    query = f"?year={YEAR}&period=2"
    kasi = login("kasi")
    raters = kasi.get(f"/api/v1/penilaian/konsistensi/unit/{cast.seksi.pk}{query}").json()
    # kabid rates only the kasi here: his row would be the kasi's own predicate
    assert [r["name"] for r in raters["raters"]] == ["Agus Salim"]  # the kasi, rater of staf_a
    assert raters["instansi_counts"]["SANGAT_BAIK"] == 0
    groups = kasi.get(f"/api/v1/penilaian/distribusi/unit/{cast.seksi.pk}{query}").json()
    # the head's evaluation belongs to no group of his own unit: it shows as ungrouped
    assert groups["ungrouped"]["SANGAT_BAIK"] == 0 and groups["groups"][0]["counts"]["BAIK"] == 1
    kabid = login("kabid")
    groups = kabid.get(f"/api/v1/penilaian/distribusi/unit/{cast.seksi.pk}{query}").json()
    assert groups["ungrouped"]["SANGAT_BAIK"] == 1
    above = kabid.get(f"/api/v1/penilaian/konsistensi/unit/{cast.seksi.pk}{query}")
    assert above.json()["instansi_counts"]["SANGAT_BAIK"] == 1
    assert len(above.json()["raters"]) == 2
