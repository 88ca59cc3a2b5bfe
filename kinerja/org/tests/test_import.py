"""Importing units, jabatan and pegawai from CSV and XLSX (service, page, API, command)."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.hashers import is_password_usable
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from kinerja.accounts.models import User
from kinerja.audit import services as audit
from kinerja.audit.models import AuditEvent
from kinerja.audit.verify import verify_chains
from kinerja.core.errors import Refused, ServiceError
from kinerja.org import services
from kinerja.org.importing import ImportResult, Kind, org_import
from kinerja.org.models import Jabatan, Pegawai, Penempatan, UnitKerja
from kinerja.org.testing import START, Cast, make_nip

PEGAWAI_HEADER = "nip,jenis_asn,nama,gelar_depan,gelar_belakang,pangkat_golongan,email,telepon"
NIP_A = make_nip("19900215", "201503", "2", 1)  # a woman born 15-02-1990
NIP_B = make_nip("19851130", "201001", "1", 2)
NIP_C = make_nip("19950704", "202002", "1", 3)
BAD_GENDER_NIP = "199002152015033001"  # digit 15 is 3


def csv_bytes(*lines: str, bom: bool = False) -> bytes:
    text = "\r\n".join(lines) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(
    cast: Cast,
    kind: Kind,
    content: bytes,
    *,
    dry_run: bool = False,
    name: str = "data.csv",
    by: User | None = None,
) -> ImportResult:
    return org_import(
        by=by or cast.admin,
        instansi=cast.kab,
        kind=kind,
        file_name=name,
        content=content,
        dry_run=dry_run,
    )


def messages(result: ImportResult) -> list[str]:
    return [e.message for e in result.errors]


def pegawai_csv(*rows: str, header: str = PEGAWAI_HEADER) -> bytes:
    return csv_bytes(header, *rows)


THREE_PEGAWAI = pegawai_csv(
    f"{NIP_A},PNS,Siti Aminah,dr.,M.Kes.,Penata (III/c),siti@contoh.go.id,0812 3456 7890",
    f"{NIP_B},pns,Joko Susilo,,S.T.,Penata Muda (III/a),joko@contoh.go.id,",
    f"{NIP_C},PPPK,Made Wirawan,,,,,",
)


# --- pegawai -------------------------------------------------------------------------------


def test_csv_creates_pegawai_with_accounts_and_derived_fields(cast: Cast) -> None:
    before_users = User.objects.count()

    result = run(cast, "pegawai", THREE_PEGAWAI)

    assert (result.created, result.updated, result.unchanged, result.errors) == (3, 0, 0, [])
    assert result.dry_run is False
    siti = Pegawai.objects.get(nip=NIP_A)
    assert siti.instansi == cast.kab
    assert siti.display_name == "dr. Siti Aminah, M.Kes."
    assert siti.birth_date == date(1990, 2, 15)
    assert siti.gender == "P"
    assert siti.search_text == f"siti aminah {NIP_A}"
    assert siti.phone == "0812 3456 7890"
    assert Pegawai.objects.get(nip=NIP_B).jenis_asn == "PNS"  # case-insensitive
    assert Pegawai.objects.get(nip=NIP_C).jenis_asn == "PPPK"
    assert User.objects.count() == before_users + 3
    assert siti.user is not None
    assert siti.user.username == NIP_A
    assert siti.user.full_name == "dr. Siti Aminah, M.Kes."
    assert not is_password_usable(siti.user.password)


def test_xlsx_import_reads_the_first_sheet(cast: Cast) -> None:
    content = xlsx_bytes(
        [
            ["NIP", "Jenis_ASN", "Nama", "Kode_Jabatan", "TMT_Jabatan"],
            [NIP_A, "PNS", "Siti Aminah", "PENGELOLA-LAYANAN", date(2024, 3, 1)],
            [NIP_B, "PNS", "Joko Susilo", "PERAWAT-SUKAMAJU", "01-04-2024"],
        ]
    )

    result = run(cast, "pegawai", content, name="pegawai.XLSX")

    assert (result.created, result.errors) == (2, [])
    siti = Pegawai.objects.get(nip=NIP_A)
    assert siti.jabatan == cast.j_staf
    placement = Penempatan.objects.get(pegawai=siti)
    assert (placement.kind, placement.start_date, placement.end_date) == (
        "DEFINITIF",
        date(2024, 3, 1),
        None,
    )
    assert Penempatan.objects.get(pegawai__nip=NIP_B).start_date == date(2024, 4, 1)


def test_semicolon_csv_with_bom(cast: Cast) -> None:
    content = csv_bytes(
        "NIP;JENIS_ASN;NAMA;EMAIL",
        f"{NIP_A};PNS;Siti, Aminah;siti@contoh.go.id",
        bom=True,
    )

    result = run(cast, "pegawai", content)

    assert (result.created, result.errors) == (1, [])
    assert Pegawai.objects.get(nip=NIP_A).name == "Siti, Aminah"


def test_nip_printed_with_spaces_is_the_same_nip(cast: Cast) -> None:
    spaced = f"{NIP_A[:8]} {NIP_A[8:14]} {NIP_A[14]} {NIP_A[15:]}"

    result = run(cast, "pegawai", pegawai_csv(f"{spaced},PNS,Siti Aminah,,,,,"))

    assert (result.created, result.errors) == (1, [])
    assert Pegawai.objects.get(name="Siti Aminah").nip == NIP_A


def test_reimport_is_idempotent(cast: Cast) -> None:
    first = run(cast, "pegawai", THREE_PEGAWAI)
    counts = (Pegawai.objects.count(), User.objects.count(), Penempatan.objects.count())

    second = run(cast, "pegawai", THREE_PEGAWAI)

    assert first.created == 3
    assert (second.created, second.updated, second.unchanged, second.errors) == (0, 0, 3, [])
    assert (Pegawai.objects.count(), User.objects.count(), Penempatan.objects.count()) == counts


def test_update_changes_fields_account_and_search_text(cast: Cast) -> None:
    nip = cast.staf_a.nip
    content = pegawai_csv(
        f"{nip},PNS,Dewi Lestari Putri,,S.E.,Penata (III/c),dewi@contoh.go.id,0812",
        header=PEGAWAI_HEADER,
    )

    result = run(cast, "pegawai", content)

    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    staf = Pegawai.objects.get(pk=cast.staf_a.pk)
    assert staf.name == "Dewi Lestari Putri"
    assert staf.back_title == "S.E."
    assert staf.email == "dewi@contoh.go.id"
    assert staf.search_text == f"dewi lestari putri {nip}"
    assert staf.jabatan_id == cast.j_staf.pk  # untouched: no jabatan columns
    user = staf.user
    assert user is not None
    assert (user.full_name, user.email) == ("Dewi Lestari Putri, S.E.", "dewi@contoh.go.id")
    event = AuditEvent.objects.get(action="pegawai_update", target_id=str(staf.pk))
    assert event.old_values["name"] == "Dewi Lestari"
    assert event.new_values["name"] == "Dewi Lestari Putri"


def test_missing_optional_columns_keep_existing_values(cast: Cast) -> None:
    content = pegawai_csv(f"{cast.kasi.nip},PNS,Agus Salim", header="nip,jenis_asn,nama")

    result = run(cast, "pegawai", content)

    assert (result.unchanged, result.updated) == (1, 0)
    assert Pegawai.objects.get(pk=cast.kasi.pk).email == cast.kasi.email


def test_mutasi_by_import_ends_the_old_placement_and_keeps_history(cast: Cast) -> None:
    tmt = date(2024, 7, 1)
    content = pegawai_csv(
        f"{cast.staf_a.nip},PNS,Dewi Lestari,PERAWAT-SUKAMAJU,01-07-2024",
        header="nip,jenis_asn,nama,kode_jabatan,tmt_jabatan",
    )

    result = run(cast, "pegawai", content)

    assert (result.updated, result.errors) == (1, [])
    history = list(Penempatan.objects.filter(pegawai=cast.staf_a).order_by("start_date"))
    assert [(p.jabatan_id, p.start_date, p.end_date) for p in history] == [
        (cast.j_staf.pk, START, tmt - timedelta(days=1)),
        (cast.j_perawat.pk, tmt, None),
    ]
    assert Pegawai.objects.get(pk=cast.staf_a.pk).jabatan_id == cast.j_perawat.pk
    event = AuditEvent.objects.get(action="pegawai_update", target_id=str(cast.staf_a.pk))
    assert event.old_values["jabatan_id"] == cast.j_staf.pk
    assert event.new_values["jabatan_id"] == cast.j_perawat.pk
    assert event.new_values["tmt_jabatan"] == "2024-07-01"
    again = run(cast, "pegawai", content)
    assert (again.unchanged, again.updated) == (1, 0)
    assert Penempatan.objects.filter(pegawai=cast.staf_a).count() == 2


def test_head_can_move_when_the_old_holder_leaves_in_the_same_file(cast: Cast) -> None:
    header = "nip,jenis_asn,nama,kode_jabatan,tmt_jabatan"
    content = pegawai_csv(
        f"{cast.kasi.nip},PNS,Agus Salim,PENGELOLA-LAYANAN,2024-01-01",
        f"{cast.staf_b.nip},PNS,Bambang Pamungkas,KASI-PRIMER,2024-01-01",
        header=header,
    )

    result = run(cast, "pegawai", content)

    assert (result.updated, result.errors) == (2, [])
    assert Pegawai.objects.get(pk=cast.staf_b.pk).jabatan_id == cast.j_kasi.pk
    assert Penempatan.objects.get(pegawai=cast.kasi, end_date__isnull=False).end_date == date(
        2023, 12, 31
    )


def test_dry_run_counts_and_writes_nothing(cast: Cast) -> None:
    events = AuditEvent.objects.count()
    counts = (Pegawai.objects.count(), User.objects.count())
    content = pegawai_csv(
        f"{cast.staf_a.nip},PNS,Dewi Lestari Baru,,,,,",
        f"{cast.kasi.nip},PNS,Agus Salim,,,Penata (III/c),p3@contoh.go.id,081200000003",
        f"{NIP_A},PNS,Siti Aminah,,,,,",
    )

    result = run(cast, "pegawai", content, dry_run=True)

    assert (result.created, result.updated, result.unchanged, result.errors) == (1, 1, 1, [])
    assert result.dry_run is True
    assert (Pegawai.objects.count(), User.objects.count()) == counts
    assert Pegawai.objects.get(pk=cast.staf_a.pk).name == "Dewi Lestari"
    assert AuditEvent.objects.count() == events


def test_one_bad_row_means_nothing_is_written(cast: Cast) -> None:
    events = AuditEvent.objects.count()
    content = pegawai_csv(
        f"{NIP_A},PNS,Siti Aminah,,,,,",
        f"{cast.staf_a.nip},PNS,Dewi Lestari Baru,,,,,",
        f"{BAD_GENDER_NIP},PNS,Salah Satu,,,,,",
    )

    result = run(cast, "pegawai", content)

    assert result.dry_run is False
    assert messages(result) == [
        "Baris 4: NIP tidak valid: digit ke-15 (jenis kelamin) harus 1 (laki-laki) atau "
        "2 (perempuan)"
    ]
    assert not Pegawai.objects.filter(nip=NIP_A).exists()
    assert not User.objects.filter(username=NIP_A).exists()
    assert Pegawai.objects.get(pk=cast.staf_a.pk).name == "Dewi Lestari"
    assert AuditEvent.objects.count() == events


FUTURE = (timezone.localdate() + timedelta(days=3)).isoformat()
PLACEMENT_HEADER = "nip,jenis_asn,nama,email,kode_jabatan,tmt_jabatan"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([f"{BAD_GENDER_NIP},PNS,X,,,"], "Baris 2: NIP tidak valid: digit ke-15"),
        (["12345,PNS,X,,,"], "Baris 2: NIP tidak valid: NIP harus terdiri dari tepat 18 digit"),
        (["1.99002E+17,PNS,X,,,"], "Baris 2: NIP '1.99002E+17' tersimpan sebagai angka"),
        ([",PNS,X,,,"], "Baris 2: NIP wajib diisi"),
        ([f"{NIP_A},ASN,X,,,"], "Baris 2: jenis_asn 'ASN' tidak dikenal; isi PNS atau PPPK"),
        ([f"{NIP_A},PNS,,,,"], "Baris 2: nama wajib diisi"),
        ([f"{NIP_A},PNS,X,bukan-email,,"], "Baris 2: email 'bukan-email' tidak valid"),
        (
            [f"{NIP_A},PNS,X,,,", f"{NIP_A},PNS,Y,,,"],
            f"Baris 3: NIP {NIP_A} ganda: sudah ada di baris 2",
        ),
        ([f"{NIP_A},PNS,X,,XYZ,2024-01-01"], "Baris 2: kode_jabatan 'XYZ' tidak ditemukan"),
        ([f"{NIP_A},PNS,X,,PENGELOLA-LAYANAN,"], "Baris 2: tmt_jabatan wajib diisi bila"),
        ([f"{NIP_A},PNS,X,,,2024-01-01"], "Baris 2: kode_jabatan wajib diisi bila"),
        (
            [f"{NIP_A},PNS,X,,PENGELOLA-LAYANAN,31-02-2024"],
            "Baris 2: tmt_jabatan '31-02-2024' bukan tanggal yang sah",
        ),
        (
            [f"{NIP_A},PNS,X,,PENGELOLA-LAYANAN,{FUTURE}"],
            "Baris 2: TMT jabatan tidak boleh di masa depan",
        ),
        (
            [f"{make_nip('19800101', '200501', '2', 4)},PNS,Dewi,,PERAWAT-SUKAMAJU,2019-12-31"],
            "Baris 2: TMT jabatan baru (31-12-2019) harus sesudah TMT jabatan sebelumnya "
            "(02-01-2020)",
        ),
        (
            [f"{NIP_A},PNS,X,,KADINKES,2024-01-01"],
            "Baris 2: jabatan 'KADINKES' hanya boleh dipegang satu pegawai definitif; sejak "
            "01-01-2024 masih dipegang oleh Hendra Wijaya (NIP 198001012005011001)",
        ),
        (
            [f"{NIP_A},PNS,X,,PENGELOLA-LAYANAN,,", f"{NIP_B},PNS,Y,,KAPUS-SUKAMAJU,2024-01-01"],
            "Baris 3: jabatan 'KAPUS-SUKAMAJU' hanya boleh dipegang",
        ),
        (
            [f"{make_nip('19800101', '200501', '1', 8)},PNS,Putu Gede,,,"],
            "Baris 2: NIP 198001012005011008 sudah terdaftar sebagai pegawai instansi lain",
        ),
    ],
)
def test_pegawai_row_errors_name_the_row(cast: Cast, rows: list[str], expected: str) -> None:
    result = run(cast, "pegawai", csv_bytes(PLACEMENT_HEADER, *rows))

    assert any(m.startswith(expected) for m in messages(result)), messages(result)
    assert all(e.message.startswith(f"Baris {e.row}: ") for e in result.errors)
    assert not Pegawai.objects.filter(nip__in=[NIP_A, NIP_B]).exists()


def test_tmt_must_follow_the_end_of_an_earlier_placement(cast: Cast) -> None:
    placed = services.penempatan_assign(
        by=cast.admin, pegawai=cast.staf_a, jabatan=cast.j_perawat, start_date=date(2024, 7, 1)
    )
    services.penempatan_end(by=cast.admin, penempatan=placed, end_date=date(2024, 12, 31))
    content = csv_bytes(
        PLACEMENT_HEADER, f"{cast.staf_a.nip},PNS,Dewi,,PENGELOLA-LAYANAN,2024-10-01"
    )

    result = run(cast, "pegawai", content)

    assert messages(result) == [
        "Baris 2: TMT jabatan baru (01-10-2024) harus sesudah berakhirnya jabatan sebelumnya "
        "(31-12-2024)"
    ]
    later = csv_bytes(PLACEMENT_HEADER, f"{cast.staf_a.nip},PNS,Dewi,,PENGELOLA-LAYANAN,2025-01-01")
    assert run(cast, "pegawai", later).updated == 1
    assert Pegawai.objects.get(pk=cast.staf_a.pk).jabatan_id == cast.j_staf.pk


def test_two_new_holders_of_a_head_jabatan_in_one_file(cast: Cast) -> None:
    content = csv_bytes(
        PLACEMENT_HEADER,
        f"{cast.kapus.nip},PNS,Ratna Sari,,PERAWAT-SUKAMAJU,2024-01-01",
        f"{NIP_A},PNS,X,,KAPUS-SUKAMAJU,2024-02-01",
        f"{NIP_B},PNS,Y,,KAPUS-SUKAMAJU,2024-03-01",
    )

    result = run(cast, "pegawai", content)

    assert [e.row for e in result.errors] == [3, 4]
    assert f"masih dipegang oleh NIP {NIP_B} (baris 4)" in result.errors[0].message


def test_account_name_taken_is_an_error(cast: Cast) -> None:
    User.objects.create_user(NIP_A, "x" * 12)

    result = run(cast, "pegawai", pegawai_csv(f"{NIP_A},PNS,Siti,,,,,"))

    assert messages(result) == [
        f"Baris 2: NIP {NIP_A} sudah dipakai sebagai nama pengguna akun lain"
    ]


def test_header_problems_come_first(cast: Cast) -> None:
    content = csv_bytes("NIP,Nama,warna", f"{BAD_GENDER_NIP},X,biru")

    result = run(cast, "pegawai", content)

    assert messages(result)[0] == "Baris 1: kolom wajib tidak ada: jenis_asn"
    assert messages(result)[1].startswith("Baris 1: kolom tidak dikenal: warna")


def test_unknown_column_alone_still_checks_rows(cast: Cast) -> None:
    content = csv_bytes("nip,jenis_asn,nama,warna", f"{BAD_GENDER_NIP},PNS,X,biru")

    result = run(cast, "pegawai", content)

    assert [e.row for e in result.errors] == [1, 2]


def test_placement_columns_come_together(cast: Cast) -> None:
    result = run(cast, "pegawai", csv_bytes("nip,jenis_asn,nama,kode_jabatan", f"{NIP_A},PNS,X,A"))

    assert messages(result) == [
        "Baris 1: kolom kode_jabatan dan tmt_jabatan harus ada bersama-sama"
    ]


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


# --- files, permissions, audit -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("data.txt", b"nip\n1\n", "Jenis file tidak didukung"),
        ("data.xls", b"\xd0\xcf\x11\xe0", "Format .xls (Excel lama) tidak didukung"),
        ("data.xlsx", b"nip,nama\n1,2\n", "File berekstensi .xlsx tetapi isinya bukan file Excel"),
        ("data.xlsx", b"PK\x03\x04rusak", "File Excel tidak dapat dibaca"),
        ("data.csv", xlsx_bytes([["nip"]]), "File berekstensi .csv tetapi isinya arsip"),
        ("data.csv", "nip,nama\nä".encode("latin-1"), "File CSV harus berenkode UTF-8; baris 2"),
        ("data.csv", b"", "File kosong."),
        ("data.csv", csv_bytes(PEGAWAI_HEADER), "File tidak berisi baris data"),
    ],
)
def test_unusable_files_are_refused(cast: Cast, name: str, content: bytes, expected: str) -> None:
    with pytest.raises(ServiceError) as caught:
        run(cast, "pegawai", content, name=name)

    assert caught.value.message.startswith(expected)
    assert caught.value.field == "file"


def test_unknown_kind_is_refused(cast: Cast) -> None:
    with pytest.raises(ServiceError, match="Jenis impor 'gaji' tidak dikenal"):
        run(cast, "gaji", THREE_PEGAWAI)  # type: ignore[arg-type]


def test_size_cap(cast: Cast, settings: Any) -> None:
    settings.KINERJA_IMPORT_MAX_BYTES = 100

    with pytest.raises(ServiceError, match="File terlalu besar"):
        run(cast, "pegawai", THREE_PEGAWAI)


def test_only_admins_of_that_instansi_may_import(cast: Cast) -> None:
    other_admin = User.objects.create_user("admin-kota", "x" * 12)
    services.peran_grant(by=cast.superadmin, user=other_admin, instansi=cast.kota, role="ADMIN")

    for who in (cast.user("kasi"), cast.auditor, other_admin):
        with pytest.raises(Refused):
            run(cast, "pegawai", THREE_PEGAWAI, by=who, dry_run=True)

    assert run(cast, "pegawai", THREE_PEGAWAI, by=cast.superadmin).created == 3


def test_audit_events_are_written_in_the_chain(cast: Cast) -> None:
    result = run(cast, "pegawai", THREE_PEGAWAI)

    new_ids = [
        str(pk)
        for pk in Pegawai.objects.filter(nip__in=[NIP_A, NIP_B, NIP_C]).values_list("pk", flat=True)
    ]
    created = AuditEvent.objects.filter(
        action="pegawai_create", scope=cast.kab.pk, target_id__in=new_ids
    )
    assert created.count() == 3
    siti = Pegawai.objects.get(nip=NIP_A)
    event = created.get(target_id=str(siti.pk))
    assert event.actor_id == cast.admin.pk
    assert event.new_values["nip"] == NIP_A
    assert event.new_values["email"] == "siti@contoh.go.id"
    summary = AuditEvent.objects.get(action="org_import")
    assert summary.scope == cast.kab.pk
    assert summary.new_values == {
        "kind": "pegawai",
        "file_name": "data.csv",
        "created": 3,
        "updated": 0,
        "unchanged": 0,
    }
    last = AuditEvent.objects.filter(scope=cast.kab.pk).order_by("-sequence").first()
    assert last is not None and last.pk == summary.pk  # the summary closes the batch
    assert result.created == 3
    checked, breaks = verify_chains()
    assert checked > 0 and breaks == []


def test_a_large_audit_batch_gets_its_primary_keys_and_verifies(cast: Cast) -> None:
    changes = [
        audit.Change(
            "pegawai_update", "pegawai", i, {"tmt": None}, {"tmt": date(2024, 1, i % 28 + 1)}
        )
        for i in range(250)
    ]
    with transaction.atomic():
        events = audit.record_many(changes, by=cast.admin, scope=cast.kab.pk)

    stored = {e.pk: e for e in AuditEvent.objects.filter(action="pegawai_update")}
    assert len(stored) == 250
    assert [(stored[e.pk].sequence, stored[e.pk].hash) for e in events] == [
        (e.sequence, e.hash) for e in events
    ]
    assert stored[events[0].pk].new_values == {"tmt": "2024-01-01"}
    assert stored[events[0].pk].actor_id == cast.admin.pk
    assert verify_chains()[1] == []


def test_import_query_count_does_not_grow_with_rows(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    rows = [f"{make_nip('19900101', '201501', '1', i)},PNS,Pegawai {i},,,,," for i in range(1, 301)]
    with django_assert_max_num_queries(30):
        result = run(cast, "pegawai", pegawai_csv(*rows))

    assert result.created == 300
    assert Penempatan.objects.count() == 8
    assert Pegawai.objects.filter(nip__startswith="19900101").count() == 300
    # 301 events: a batch this large takes audit's plain INSERT path; the chain must verify.
    assert AuditEvent.objects.filter(action="pegawai_create", scope=cast.kab.pk).count() == 307
    checked, breaks = verify_chains()
    assert checked > 300 and breaks == []


# --- API -----------------------------------------------------------------------------------


def api_post(client: Client, kind: str, content: bytes, **data: Any) -> Any:
    upload = io.BytesIO(content)
    upload.name = "data.csv"
    return client.post(f"/api/v1/imports/{kind}", {"file": upload, **data})


def test_api_dry_run_by_default(cast: Cast, login: Any) -> None:
    client = login("admin")

    response = api_post(client, "pegawai", THREE_PEGAWAI, instansi_id=cast.kab.pk)

    assert response.status_code == 200, response.content
    assert response.json() == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "dry_run": True,
        "errors": [],
    }
    assert not Pegawai.objects.filter(nip=NIP_A).exists()


def test_api_imports_for_real(cast: Cast, login: Any) -> None:
    client = login("admin")

    response = api_post(client, "pegawai", THREE_PEGAWAI, instansi_id=cast.kab.pk, dry_run="false")

    assert response.status_code == 200, response.content
    assert response.json()["created"] == 3
    assert response.json()["dry_run"] is False
    assert Pegawai.objects.filter(nip=NIP_A).exists()


def test_api_errors_are_422_and_write_nothing(cast: Cast, login: Any) -> None:
    client = login("admin")
    content = pegawai_csv(f"{NIP_A},PNS,Siti,,,,,", f"{BAD_GENDER_NIP},PNS,X,,,,,")

    response = api_post(client, "pegawai", content, instansi_id=cast.kab.pk, dry_run="false")

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "import_invalid"
    assert "tidak ada data yang disimpan" in body["detail"]
    assert [e["row"] for e in body["errors"]] == [3]
    assert set(body["errors"][0]) == {"row", "message"}
    assert body["errors"][0]["message"].startswith("Baris 3: NIP tidak valid: digit ke-15")
    assert not Pegawai.objects.filter(nip=NIP_A).exists()
    preview = api_post(client, "pegawai", content, instansi_id=cast.kab.pk)
    assert preview.status_code == 200
    assert (preview.json()["created"], len(preview.json()["errors"])) == (1, 1)


def test_api_refuses_non_admins_and_bad_files(cast: Cast, login: Any) -> None:
    client = login("kasi")
    response = api_post(client, "pegawai", THREE_PEGAWAI, instansi_id=cast.kab.pk)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"

    client = login("admin")
    upload = io.BytesIO(b"hello")
    upload.name = "data.pdf"
    response = client.post(
        "/api/v1/imports/unit", {"file": upload, "instansi_id": cast.kab.pk, "dry_run": "true"}
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Jenis file tidak didukung")
    assert api_post(client, "gaji", THREE_PEGAWAI, instansi_id=cast.kab.pk).status_code == 422
    missing = client.post("/api/v1/imports/unit", {"instansi_id": cast.kab.pk})
    assert (missing.status_code, missing.json()["code"]) == (422, "invalid")


# --- page ----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Any, tmp_path: Path) -> None:
    """A previewed file is kept in the default storage until saved: keep it out of var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


def page_post(
    client: Client, cast: Cast, content: bytes, action: str, kind: str = "pegawai"
) -> Any:
    upload = io.BytesIO(content)
    upload.name = "pegawai.csv"
    return client.post(
        reverse("org:import"),
        {"instansi": cast.kab.pk, "kind": kind, "file": upload, "action": action},
    )


def test_page_is_for_admins_only(cast: Cast, login: Any) -> None:
    assert login("kasi").get(reverse("org:import")).status_code == 403
    assert login("auditor").get(reverse("org:import")).status_code == 403
    response = login("admin").get(reverse("org:import"))
    assert response.status_code == 200
    assert b"Pratinjau" in response.content
    assert cast.kota.name.encode() not in response.content  # only the instansi they administer


def test_page_preview_then_save_without_uploading_again(cast: Cast, login: Any) -> None:
    client = login("admin")

    response = page_post(client, cast, THREE_PEGAWAI, "preview")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<dd data-count="created">3</dd>' in html
    assert not Pegawai.objects.filter(nip=NIP_A).exists()
    assert 'value="confirm"' in html
    token = response.context["pending"]["token"]
    saved = client.post(reverse("org:import"), {"action": "confirm", "token": token}, follow=True)
    assert saved.status_code == 200
    assert "Impor tersimpan: 3 baru, 0 diubah, 0 tidak berubah." in saved.content.decode()
    assert Pegawai.objects.filter(nip__in=[NIP_A, NIP_B, NIP_C]).count() == 3
    again = client.post(reverse("org:import"), {"action": "confirm", "token": token}, follow=True)
    assert "Pratinjau tidak ditemukan" in again.content.decode()


def test_page_preview_lists_errors(cast: Cast, login: Any) -> None:
    client = login("admin")
    content = pegawai_csv(f"{NIP_A},PNS,Siti,,,,,", f"{BAD_GENDER_NIP},PNS,X,,,,,")

    response = page_post(client, cast, content, "save")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<dd data-count="errors">1</dd>' in html
    assert "<td>3</td><td>NIP tidak valid: digit ke-15" in html
    assert response.context["pending"] is None
    assert not Pegawai.objects.filter(nip=NIP_A).exists()


def test_page_direct_save_and_bad_file(cast: Cast, login: Any) -> None:
    client = login("admin")

    response = page_post(client, cast, THREE_PEGAWAI, "save")
    assert response.status_code == 302
    assert Pegawai.objects.filter(nip=NIP_A).exists()

    response = page_post(client, cast, b"\x00\x01", "preview")
    assert response.status_code == 200
    assert "File .csv ini bukan teks" in response.content.decode()


# --- command -------------------------------------------------------------------------------


def test_command_imports_and_reports(cast: Cast, tmp_path: Path) -> None:
    path = tmp_path / "pegawai.csv"
    path.write_bytes(THREE_PEGAWAI)
    out = io.StringIO()

    call_command(
        "import_org",
        "--instansi",
        "KAB",
        "--kind",
        "pegawai",
        str(path),
        "--as",
        "admin",
        stdout=out,
    )

    assert "3 baru, 0 diubah, 0 tidak berubah" in out.getvalue()
    assert Pegawai.objects.filter(nip=NIP_A).exists()


def test_command_exits_2_on_errors(cast: Cast, tmp_path: Path) -> None:
    path = tmp_path / "pegawai.csv"
    path.write_bytes(pegawai_csv(f"{BAD_GENDER_NIP},PNS,X,,,,,"))
    err = io.StringIO()

    with pytest.raises(CommandError) as caught:
        call_command("import_org", "--instansi", "KAB", "--kind", "pegawai", str(path), stderr=err)

    assert caught.value.returncode == 2
    assert "Baris 2: NIP tidak valid: digit ke-15" in err.getvalue()


def test_command_dry_run_writes_nothing(cast: Cast, tmp_path: Path) -> None:
    path = tmp_path / "pegawai.csv"
    path.write_bytes(THREE_PEGAWAI)
    out = io.StringIO()

    call_command(
        "import_org", "--instansi", "KAB", "--kind", "pegawai", str(path), "--dry-run", stdout=out
    )

    assert "Pratinjau" in out.getvalue()
    assert not Pegawai.objects.filter(nip=NIP_A).exists()
