"""Importing units (paths, moves) and jabatan (heads), and the errors of their rows."""

from __future__ import annotations

import pytest

from kinerja.audit.models import AuditEvent
from kinerja.org.models import Jabatan, UnitKerja
from kinerja.org.testing import Cast

from .import_helpers import csv_bytes, messages, run, xlsx_bytes

# --- units ---------------------------------------------------------------------------------


def test_units_from_xlsx_with_parent_later_in_file_get_paths(cast: Cast) -> None:
    content = xlsx_bytes(
        [
            ["kode", "nama", "jenis", "kode_induk"],
            ["SEKSI-GIZI", "Seksi Gizi", "seksi", "BID-KESMAS"],
            ["BID-KESMAS", "Bidang Kesehatan Masyarakat", "Bidang", "DINKES"],
            ["DINKES", "Dinas Kesehatan", "DINAS", "PEMDA"],
            [None, None, None, None],
        ]
    )

    result = run(cast, "unit", content, name="unit.xlsx")

    assert (result.created, result.updated, result.unchanged, result.errors) == (2, 0, 1, [])
    bidang = UnitKerja.objects.get(instansi=cast.kab, code="BID-KESMAS")
    seksi = UnitKerja.objects.get(instansi=cast.kab, code="SEKSI-GIZI")
    assert (bidang.parent_id, bidang.kind, bidang.depth) == (cast.dinkes.pk, "BIDANG", 2)
    assert bidang.path == f"{cast.dinkes.path}{bidang.pk}/"
    assert (seksi.parent_id, seksi.depth, seksi.path) == (bidang.pk, 3, f"{bidang.path}{seksi.pk}/")
    assert AuditEvent.objects.filter(action="unit_create").count() >= 2


def test_moving_a_unit_repaths_its_subtree(cast: Cast) -> None:
    content = csv_bytes(
        "kode,nama,jenis,kode_induk",
        "YANKES,Bidang Pelayanan Kesehatan,BIDANG,PEMDA",
    )

    result = run(cast, "unit", content)

    assert (result.updated, result.errors) == (1, [])
    bidang = UnitKerja.objects.get(pk=cast.bidang.pk)
    seksi = UnitKerja.objects.get(pk=cast.seksi.pk)
    assert (bidang.path, bidang.depth) == (f"/{cast.pemda.pk}/{bidang.pk}/", 1)
    assert (seksi.path, seksi.depth) == (f"{bidang.path}{seksi.pk}/", 2)
    assert UnitKerja.objects.subtree_of(cast.dinkes).count() == 2  # dinkes + puskesmas
    again = run(cast, "unit", content)
    assert (again.unchanged, again.updated) == (1, 0)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (["A,Unit A,DINAS,XYZ"], "Baris 2: kode_induk 'XYZ' tidak ditemukan"),
        (["A,Unit A,KANTOR,"], "Baris 2: jenis unit 'KANTOR' tidak dikenal"),
        (
            ["A,Unit A,DINAS,", "A,Unit A lagi,DINAS,"],
            "Baris 3: kode 'A' ganda: sudah dipakai di baris 2",
        ),
        (["A,Unit A,DINAS,A"], "Baris 2: kode_induk tidak boleh sama dengan kode unit"),
        ([",Unit A,DINAS,"], "Baris 2: kode wajib diisi"),
        (["A,,DINAS,"], "Baris 2: nama wajib diisi"),
        (
            ["A,Unit A,DINAS,B", "B,Unit B,DINAS,A"],
            "Baris 2: kode_induk membentuk lingkaran: A → B → A",
        ),
        (
            ["PEMDA,Pemerintah Kabupaten Contoh,PEMDA,PRIMER"],
            "Baris 2: kode_induk membentuk lingkaran: PEMDA → PRIMER → YANKES → DINKES → PEMDA",
        ),
    ],
)
def test_unit_row_errors_name_the_row(cast: Cast, rows: list[str], expected: str) -> None:
    before = list(UnitKerja.objects.values_list("id", "path", "parent_id"))

    result = run(cast, "unit", csv_bytes("kode,nama,jenis,kode_induk", *rows))

    assert any(m.startswith(expected) for m in messages(result)), messages(result)
    assert list(UnitKerja.objects.values_list("id", "path", "parent_id")) == before


# --- jabatan -------------------------------------------------------------------------------

JABATAN_HEADER = "kode;nama;jenis;kode_unit;kode_atasan;kepala_unit"


def test_jabatan_import_semicolon_with_bom(cast: Cast) -> None:
    content = csv_bytes(
        JABATAN_HEADER,
        "ANALIS-GIZI;Nutrisionis Ahli Pertama;fungsional;PKM-SUKAMAJU;KAPUS-SUKAMAJU;tidak",
        "KASI-PRIMER;Kepala Seksi Layanan Primer;PENGAWAS;PRIMER;KABID-YANKES;ya",
        bom=True,
    )

    result = run(cast, "jabatan", content)

    assert (result.created, result.updated, result.errors) == (1, 1, [])
    gizi = Jabatan.objects.get(instansi=cast.kab, code="ANALIS-GIZI")
    assert (gizi.unit_id, gizi.parent_id, gizi.jenis, gizi.is_unit_head) == (
        cast.puskesmas.pk,
        cast.j_kapus.pk,
        "FUNGSIONAL",
        False,
    )
    assert Jabatan.objects.get(pk=cast.j_kasi.pk).name == "Kepala Seksi Layanan Primer"
    assert run(cast, "jabatan", content).unchanged == 2


def test_head_moves_between_jabatan_of_one_unit(cast: Cast) -> None:
    content = csv_bytes(
        JABATAN_HEADER,
        "KAPUS-SUKAMAJU;Kepala Puskesmas Sukamaju;PENGAWAS;PKM-SUKAMAJU;KADINKES;0",
        "PERAWAT-SUKAMAJU;Perawat Ahli Pertama;FUNGSIONAL;PKM-SUKAMAJU;KAPUS-SUKAMAJU;1",
    )

    result = run(cast, "jabatan", content)

    assert (result.updated, result.errors) == (2, [])
    assert Jabatan.objects.get(unit=cast.puskesmas, is_unit_head=True).pk == cast.j_perawat.pk


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (["A;Jab A;PELAKSANA;NOPE;;"], "Baris 2: kode_unit 'NOPE' tidak ditemukan"),
        (["A;Jab A;STAF;PRIMER;;"], "Baris 2: jenis jabatan 'STAF' tidak dikenal"),
        (["A;Jab A;PELAKSANA;PRIMER;XYZ;"], "Baris 2: kode_atasan 'XYZ' tidak ditemukan"),
        (["A;Jab A;PELAKSANA;PRIMER;;mungkin"], "Baris 2: kepala_unit 'mungkin' tidak dikenal"),
        (
            ["A;Jab A;PENGAWAS;PRIMER;;ya"],
            "Baris 2: unit 'PRIMER' sudah punya kepala unit: jabatan 'KASI-PRIMER' "
            "(sudah tersimpan)",
        ),
        (
            ["A;Jab A;PENGAWAS;PEMDA;;ya", "B;Jab B;PENGAWAS;PEMDA;;ya"],
            "Baris 3: unit 'PEMDA' sudah punya kepala unit: jabatan 'A' (baris 2)",
        ),
        (
            ["A;Jab A;PELAKSANA;PRIMER;B;", "B;Jab B;PELAKSANA;PRIMER;A;"],
            "Baris 2: kode_atasan membentuk lingkaran: A → B → A",
        ),
        (
            ["KADINKES;Kepala Dinas Kesehatan;JPT;DINKES;KASI-PRIMER;ya"],
            "Baris 2: kode_atasan membentuk lingkaran: KADINKES → KASI-PRIMER → KABID-YANKES",
        ),
    ],
)
def test_jabatan_row_errors_name_the_row(cast: Cast, rows: list[str], expected: str) -> None:
    before = Jabatan.objects.count()

    result = run(cast, "jabatan", csv_bytes(JABATAN_HEADER, *rows))

    assert any(m.startswith(expected) for m in messages(result)), messages(result)
    assert Jabatan.objects.count() == before
    assert Jabatan.objects.get(pk=cast.j_kadis.pk).parent_id is None
