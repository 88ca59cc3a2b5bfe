"""Importing pegawai from CSV and XLSX: accounts, derived fields, updates, mutasi, dry runs and
all-or-nothing."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.hashers import is_password_usable

from kinerja.accounts.models import User
from kinerja.audit.models import AuditEvent
from kinerja.org.models import Pegawai, Penempatan
from kinerja.org.testing import START, Cast

from .import_helpers import (
    BAD_GENDER_NIP,
    NIP_A,
    NIP_B,
    NIP_C,
    PEGAWAI_HEADER,
    THREE_PEGAWAI,
    csv_bytes,
    messages,
    pegawai_csv,
    run,
    xlsx_bytes,
)


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
