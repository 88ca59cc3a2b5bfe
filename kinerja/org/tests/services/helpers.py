"""What the org service stories check: every successful write leaves exactly its audit
event(s); every refused one leaves the database exactly as it was (no half-done mutasi, no orphan
accounts, no audit event)."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date
from typing import Any

import pytest

from kinerja.accounts.models import User
from kinerja.audit.models import AuditEvent
from kinerja.audit.testing import audit_mark as audit_mark
from kinerja.audit.testing import audit_trail_rows, events_since, refused_unchanged
from kinerja.core.errors import ServiceError
from kinerja.org import services
from kinerja.org.models import (
    DelegasiPenilai,
    Instansi,
    Jabatan,
    JenisPenempatan,
    Pegawai,
    Penempatan,
    PeranAkses,
    UnitKerja,
)
from kinerja.org.testing import Cast, make_nip

MUTASI = date(2024, 7, 1)


def _fingerprint() -> dict[str, list[Any]]:
    """Every row the org services may touch, to prove a refused call changed nothing."""
    return {
        "instansi": list(Instansi.objects.order_by("id").values_list()),
        "unit": list(UnitKerja.objects.order_by("id").values_list()),
        "jabatan": list(Jabatan.objects.order_by("id").values_list()),
        "pegawai": list(Pegawai.objects.order_by("id").values_list()),
        "penempatan": list(Penempatan.objects.order_by("id").values_list()),
        "delegasi": list(DelegasiPenilai.objects.order_by("id").values_list()),
        "peran": list(PeranAkses.objects.order_by("id").values_list()),
        "user": list(User.objects.order_by("id").values_list()),
        **audit_trail_rows(),
    }


def refused(
    kind: type[ServiceError], match: str | None = None
) -> AbstractContextManager[pytest.ExceptionInfo[ServiceError]]:
    """The call inside raises exactly `kind` and leaves every row (and the audit trail) alone."""
    return refused_unchanged(kind, match, _fingerprint)


def only_event(mark: int) -> AuditEvent:
    events = events_since(mark)
    assert len(events) == 1, [e.action for e in events]
    return events[0]


def new_pegawai(cast: Cast, seq: int, name: str = "Rina Marlina") -> Pegawai:
    return services.pegawai_save(
        by=cast.admin,
        instansi=cast.kab,
        values={"nip": make_nip("19920505", "201803", "2", seq), "jenis_asn": "PNS", "name": name},
    )


def open_placement(pegawai: Pegawai) -> Penempatan:
    return Penempatan.objects.get(
        pegawai=pegawai, kind=JenisPenempatan.DEFINITIF, end_date__isnull=True
    )
