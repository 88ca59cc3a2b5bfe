"""Importing: unusable files, the size cap, who may import, the audit chain and the query count."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import transaction

from kinerja.accounts.models import User
from kinerja.audit import services as audit
from kinerja.audit.models import AuditEvent
from kinerja.audit.verify import verify_chains
from kinerja.core.errors import Refused, ServiceError
from kinerja.org import services
from kinerja.org.models import Pegawai, Penempatan
from kinerja.org.testing import Cast, make_nip

from .import_helpers import (
    NIP_A,
    NIP_B,
    NIP_C,
    PEGAWAI_HEADER,
    THREE_PEGAWAI,
    csv_bytes,
    pegawai_csv,
    run,
    xlsx_bytes,
)


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
