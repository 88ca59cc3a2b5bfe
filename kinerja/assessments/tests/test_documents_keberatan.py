"""A keberatan decided by the atasan of the pejabat penilai: the next download issues a new
document with the decided predicate and a line saying so; the earlier code says superseded."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kinerja.org.testing import Cast

from .. import services_documents, services_keberatan
from ..models import DokumenTerbit
from ..testing import on_day
from .doc_helpers import BASE, final_evaluation, pdf_text


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def test_keberatan_decision_issues_a_new_document(cast: Cast, client: Client) -> None:
    evaluasi = final_evaluation(cast)
    staf = cast.user("staf_a")
    first = services_documents.dokumen_issue(
        by=staf, evaluasi=evaluasi, kind="DOKUMEN_EVALUASI", base_url=BASE
    )
    with on_day(timezone.localdate()):  # within the window of the finalisation day
        item = services_keberatan.keberatan_file(
            by=staf, evaluasi=evaluasi, reason="Bukti dukung kegiatan tambahan belum dinilai"
        )
        kabid = cast.user("kabid")  # the rater's (kasi's) own rater decides
        services_keberatan.keberatan_explain(
            by=kabid, keberatan=item, penjelasan_pegawai="Ada dua kegiatan tambahan",
            penjelasan_penilai="Kegiatan tambahan belum dilaporkan saat penilaian",
        )  # fmt: skip
        services_keberatan.keberatan_decide(
            by=kabid, keberatan=item, outcome="DIUBAH", reason="Bukti tambahan sah",
            rating_hasil="DI_ATAS", rating_perilaku="DI_ATAS",
        )  # fmt: skip
    second = services_documents.dokumen_issue(
        by=staf, evaluasi=evaluasi, kind="DOKUMEN_EVALUASI", base_url=BASE
    )
    assert second.created and second.dokumen.code != first.dokumen.code
    text = pdf_text(second.content)
    assert "PREDIKAT KINERJA PEGAWAI SANGAT BAIK" in text
    assert "keputusan atas keberatan" in text and "(predikat semula: BAIK)" in text
    assert "3 ATASAN PEJABAT PENILAI KINERJA NAMA Sri Rahayu" in text
    assert second.dokumen.facts["predikat"] == "SANGAT BAIK"
    assert DokumenTerbit.objects.count() == 2
    old_page = client.get(reverse("verifikasi:dokumen", args=[first.dokumen.code]))
    assert "telah digantikan" in old_page.content.decode()
    # the decider may download it too (visible to them through the keberatan)
    decider = Client()
    decider.force_login(cast.user("kabid"))
    response = decider.get(reverse("assessments:dokumen_pdf", args=[evaluasi.pk, "dokumen"]))
    assert response.status_code == 200 and response.content == second.content
