"""Shared builders for the document tests: a final TRIWULAN II evaluation of staf_a (rated by
kasi) with realisasi, feedback and the seksi's capaian, and PDF text extraction."""

from __future__ import annotations

import re
from io import BytesIO

from pypdf import PdfReader

from kinerja.org.testing import Cast

from .. import services
from ..models import Evaluasi
from ..testing import approved_skp, evaluation, evaluation_day, on_day, realisasi

BASE = "https://kinerja.example.go.id"
RHK_NOTE = "Laporan lengkap dan tepat waktu, pertahankan"
VALUE_NOTE = "Sigap menanggapi keluhan warga"
REKOMENDASI = "Ikut pelatihan analisis data layanan"


def final_evaluation(cast: Cast, *, finalize: bool = True) -> Evaluasi:
    plan = approved_skp(cast, "staf_a")
    realisasi(cast, plan, 2, "4", narrative="Empat laporan posyandu April-Juni")
    evaluasi = evaluation(
        cast, "staf_a", 2, "DI_ATAS", "SESUAI", capaian_predikat="BAIK", catatan=REKOMENDASI
    )
    kasi = cast.user("kasi")
    with on_day(evaluation_day(plan.skp, 2)):
        services.catatan_set(by=kasi, evaluasi=evaluasi, text=RHK_NOTE, rhk=plan.rhk)
        services.catatan_set(by=kasi, evaluasi=evaluasi, text=VALUE_NOTE, core_value=1)
        if finalize:
            evaluasi = services.evaluasi_finalize(by=kasi, evaluasi=evaluasi)
    evaluasi.refresh_from_db()
    return evaluasi


def normalise(text: str) -> str:
    """One space between words; none after a slash (long headers wrap after "/")."""
    return re.sub(r"/ ", "/", re.sub(r"\s+", " ", text))


def pdf_text(data: bytes) -> str:
    reader = PdfReader(BytesIO(data))
    return normalise(" ".join(page.extract_text() or "" for page in reader.pages))


def pdf_links(data: bytes) -> list[str]:
    reader = PdfReader(BytesIO(data))
    found = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and action.get("/URI"):
                found.append(str(action["/URI"]))
    return found
