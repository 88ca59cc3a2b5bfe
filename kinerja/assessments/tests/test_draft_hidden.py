"""The rated pegawai sees no rating or predicate of a draft evaluation (docs/evaluation.md §2)
through the side doors either: the evaluation PDF (page and API) and the angka kredit API wait
for the final evaluation; the rater still gets the watermarked draft."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

from django.test import Client
from pypdf import PdfReader

from kinerja.org.testing import Cast

from .. import credit
from ..testing import evaluation

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
