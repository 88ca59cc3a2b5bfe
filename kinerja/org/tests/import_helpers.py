"""What the import tests share: CSV and XLSX files built in memory, the NIPs in them, and
running the import for the admin of KAB."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from kinerja.accounts.models import User
from kinerja.org.importing import ImportResult, Kind, org_import
from kinerja.org.testing import Cast, make_nip

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
