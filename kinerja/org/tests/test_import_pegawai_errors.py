"""Importing pegawai: the errors of rows, placements and headers, each naming its row."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from kinerja.accounts.models import User
from kinerja.org import services
from kinerja.org.models import Pegawai
from kinerja.org.testing import Cast, make_nip

from .import_helpers import BAD_GENDER_NIP, NIP_A, NIP_B, csv_bytes, messages, pegawai_csv, run

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
