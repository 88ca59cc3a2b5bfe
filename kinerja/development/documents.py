"""Format B.1.8 and B.1.9 (P6/2022 Lampiran, ../shared/domain.md §5) as PDF. The data builders
read one session; the renderers receive the data and never query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from kinerja.org.models import Pegawai
from kinerja.plans.documents import tanggal

from . import rules
from .models import Sesi

B18_TITLE = "UMPAN BALIK PELAKSANAAN BIMBINGAN KINERJA"
B19_TITLE = "EVALUASI KOMPETENSI PEGAWAI SEBAGAI TINDAK LANJUT BIMBINGAN KINERJA"


@dataclass(frozen=True)
class Person:
    nama: str
    nip: str
    pangkat: str
    jabatan: str
    unit: str


def person(pegawai: Pegawai | None) -> Person:
    if pegawai is None:
        return Person("–", "–", "–", "–", "–")
    jabatan = pegawai.jabatan
    return Person(
        pegawai.display_name, pegawai.nip, pegawai.pangkat_golongan or "–",
        jabatan.name if jabatan else "–", jabatan.unit.name if jabatan else "–",
    )  # fmt: skip


@dataclass(frozen=True)
class B18Data:
    pegawai: Person
    penilai: Person
    groups: list[tuple[str, list[tuple[int, str, str]]]]  # group, (number, statement, answer)
    place_date: str


@dataclass(frozen=True)
class B19Data:
    pegawai: Person
    evaluator: Person
    rows: list[tuple[int, str, int, str]]
    place_date: str


def _pegawai(pk: int | None) -> Pegawai | None:
    if pk is None:
        return None
    return Pegawai.objects.select_related("jabatan__unit").filter(pk=pk).first()


def b18_data(sesi: Sesi) -> B18Data:
    form = sesi.b18
    number, groups = 0, []
    for group, statements in rules.B18_GROUPS:
        items = []
        for statement in statements:
            items.append((number + 1, statement, rules.B18_SCALE[form.answers[number]]))
            number += 1
        groups.append((group, items))
    return B18Data(person(_pegawai(sesi.pegawai_id)), person(_pegawai(sesi.rater_id)), groups,
                   f"{form.place}, {tanggal(form.date)}")  # fmt: skip


def b19_data(sesi: Sesi) -> B19Data:
    form = sesi.b19
    rows = [(n.order, n.kompetensi, n.nilai, n.alasan) for n in form.nilai.all()]
    return B19Data(person(_pegawai(sesi.pegawai_id)), person(_pegawai(form.evaluator_id)), rows,
                   f"{form.place}, {tanggal(form.date)}")  # fmt: skip


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"Dokumen bimbingan tidak memuat sumber luar: {url}")


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # imported lazily: it loads fonts and is heavy

    with translation.override("id"):
        html = render_to_string(template, context)
    pdf = HTML(string=html, url_fetcher=_no_fetch).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def b18_pdf_bytes(data: B18Data) -> bytes:
    return _pdf("development/b18_pdf.html", {"doc": data, "title": B18_TITLE})


def b19_pdf_bytes(data: B19Data) -> bytes:
    return _pdf("development/b19_pdf.html", {"doc": data, "title": B19_TITLE})
