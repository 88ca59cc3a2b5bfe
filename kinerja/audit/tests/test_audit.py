"""The audit trail: append-only events, hash-chained per scope, verified by `audit_verify`."""

from __future__ import annotations

import io
import itertools
import json
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import Client

from kinerja.accounts.models import User
from kinerja.audit import services as audit
from kinerja.audit.chain import GENESIS_HASH, event_hash
from kinerja.audit.models import AppendOnlyError, AuditChainHead, AuditEvent
from kinerja.audit.verify import verify_chains
from kinerja.core.middleware import current_request_id

KAB, KOTA = 101, 202
TABLE = AuditEvent._meta.db_table


@pytest.fixture
def pejabat(db: None) -> User:
    return User.objects.create_user("pejabat", "rahasia-audit-2026", full_name="Pejabat Audit")


def write(
    action: str,
    *,
    scope: int = KAB,
    by: User | None = None,
    target_id: int | str = 1,
    old: dict[str, object] | None = None,
    new: dict[str, object] | None = None,
) -> AuditEvent:
    with transaction.atomic():
        return audit.record(
            action, by=by, scope=scope, target_type="pegawai", target_id=target_id, old=old, new=new
        )


def recomputed(event: AuditEvent) -> str:
    return event_hash(
        prev_hash=event.prev_hash,
        scope=event.scope,
        sequence=event.sequence,
        at=event.at,
        actor_id=event.actor_id,
        action=event.action,
        target_type=event.target_type,
        target_id=event.target_id,
        old_values=event.old_values,
        new_values=event.new_values,
        request_id=event.request_id,
    )


def stored(scope: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(scope=scope).order_by("sequence"))


def verify() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("audit_verify", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def verify_fails() -> str:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="rantai audit rusak"):
        call_command("audit_verify", stdout=out, stderr=err)
    assert "OK" not in out.getvalue()
    return err.getvalue()


def five_events(by: User | None = None) -> list[AuditEvent]:
    """Three events in KAB's chain and two in KOTA's."""
    write("pegawai_create", by=by, target_id=1, new={"nip": "198001012005011001"})
    write("pegawai_create", scope=KOTA, by=by, target_id=2, new={"nip": "198001012005011008"})
    write("pegawai_update", by=by, target_id=1, old={"name": "Dewi"}, new={"name": "Dewi L."})
    write("penempatan_end", scope=KOTA, by=by, target_id=2, new={"end_date": "2024-06-30"})
    write("penempatan_assign", by=by, target_id=1, new={"jabatan_id": 7})
    return stored(KAB) + stored(KOTA)


# --- writing ------------------------------------------------------------------------------


def test_each_event_links_to_the_one_before_in_its_scope(pejabat: User) -> None:
    five_events(pejabat)
    kab, kota = stored(KAB), stored(KOTA)
    assert [e.sequence for e in kab] == [1, 2, 3]
    assert [e.sequence for e in kota] == [1, 2]
    for chain in (kab, kota):
        assert chain[0].prev_hash == GENESIS_HASH
        for before, after in itertools.pairwise(chain):
            assert after.prev_hash == before.hash
        for event in chain:
            assert event.hash == recomputed(event)
            assert re.fullmatch(r"[0-9a-f]{64}", event.hash)
    assert len({e.hash for e in kab + kota}) == 5
    heads = {h.scope: (h.sequence, h.last_hash) for h in AuditChainHead.objects.all()}
    assert heads == {KAB: (3, kab[-1].hash), KOTA: (2, kota[-1].hash)}


def test_an_event_records_who_what_and_the_values(pejabat: User) -> None:
    event = write(
        "pegawai_update",
        by=pejabat,
        target_id=42,
        old={"name": "Dewi", "tmt": date(2020, 1, 2)},
        new={"name": "Dewi Lestari", "nilai": Decimal("88.50")},
    )
    row = AuditEvent.objects.get(pk=event.pk)
    assert (row.actor_id, row.action, row.target_type, row.target_id) == (
        pejabat.pk,
        "pegawai_update",
        "pegawai",
        "42",
    )
    # Values are stored as JSON, exactly as hashed: dates and decimals become strings.
    assert row.old_values == {"name": "Dewi", "tmt": "2020-01-02"}
    assert row.new_values == {"name": "Dewi Lestari", "nilai": "88.50"}
    assert row.hash == recomputed(row) == event.hash
    assert row.request_id == ""  # no request around this one
    assert list(AuditEvent.objects.for_target("pegawai", 42)) == [row]
    assert str(row) == "pegawai_update pegawai#42"


@pytest.mark.parametrize("anonymous", [None, AnonymousUser()], ids=["none", "anonymous"])
def test_an_event_without_a_logged_in_actor_has_no_actor(
    db: None, anonymous: AnonymousUser | None
) -> None:
    with transaction.atomic():
        event = audit.record("system_job", by=anonymous, scope=0, target_type="job", target_id="x")
    assert AuditEvent.objects.get(pk=event.pk).actor_id is None


def test_record_many_appends_a_linked_batch(pejabat: User) -> None:
    first = write("pegawai_create", by=pejabat, target_id=1)
    changes = [
        audit.Change("pegawai_create", "pegawai", n, new={"row": n}) for n in range(2, 6)
    ]  # an import of four rows
    with transaction.atomic():
        batch = audit.record_many(changes, by=pejabat, scope=KAB)
    assert [e.sequence for e in batch] == [2, 3, 4, 5]
    assert batch[0].prev_hash == first.hash
    assert len({e.at for e in batch}) == 1  # one moment for the whole batch
    chain = stored(KAB)
    assert [e.target_id for e in chain] == ["1", "2", "3", "4", "5"]
    for before, after in itertools.pairwise(chain):
        assert after.prev_hash == before.hash
        assert after.hash == recomputed(after)
    assert AuditChainHead.objects.get(scope=KAB).sequence == 5
    # The chain continues after the batch.
    assert write("pegawai_update", by=pejabat).sequence == 6


def test_an_empty_batch_writes_nothing(db: None) -> None:
    with transaction.atomic():
        assert audit.record_many([], by=None, scope=KAB) == []
    assert not AuditEvent.objects.exists()
    assert verify()[0].startswith("OK: 0 kejadian")


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused() -> None:
    with pytest.raises(RuntimeError, match="inside the service's transaction"):
        audit.record("pegawai_create", by=None, scope=KAB, target_type="pegawai", target_id=1)
    assert not AuditEvent.objects.exists()
    assert not AuditChainHead.objects.exists()


# --- append-only --------------------------------------------------------------------------


def test_an_event_cannot_be_changed_through_the_orm(pejabat: User) -> None:
    event = write("pegawai_create", by=pejabat, new={"name": "Dewi"})
    event.new_values = {"name": "Dewi yang lain"}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(new_values={"name": "Dewi yang lain"})
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    row = AuditEvent.objects.get(pk=event.pk)
    assert row.new_values == {"name": "Dewi"}
    assert verify()[0].startswith("OK: 1 kejadian")


# --- verification -------------------------------------------------------------------------


def test_a_clean_trail_verifies(pejabat: User) -> None:
    five_events(pejabat)
    out, err = verify()
    assert out.strip() == "OK: 5 kejadian audit diperiksa, semua rantai utuh."
    assert err == ""
    assert verify_chains() == (5, [])


def test_an_empty_trail_verifies(db: None) -> None:
    assert verify()[0].startswith("OK: 0 kejadian")


def _raw(sql: str, params: list[int | str]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _event(scope: int, sequence: int) -> AuditEvent:
    return AuditEvent.objects.get(scope=scope, sequence=sequence)


def _change_new_values(scope: int, sequence: int) -> None:
    _raw(
        f"UPDATE {TABLE} SET new_values = %s WHERE id = %s",  # noqa: S608 - fixed table name
        [json.dumps({"name": "Nama yang dipalsukan"}), _event(scope, sequence).pk],
    )


def _change_actor(scope: int, sequence: int) -> None:
    other = User.objects.create_user("penyusup", "rahasia-penyusup-2026")
    _raw(
        f"UPDATE {TABLE} SET actor_id = %s WHERE id = %s",  # noqa: S608 - fixed table name
        [other.pk, _event(scope, sequence).pk],
    )


def _delete_row(scope: int, sequence: int) -> None:
    _raw(f"DELETE FROM {TABLE} WHERE id = %s", [_event(scope, sequence).pk])  # noqa: S608


TAMPERING: dict[str, tuple[Callable[[int, int], None], int, int, int, str]] = {
    # name: (how, scope, sequence tampered with, sequence reported, reason reported)
    "new values changed": (_change_new_values, KAB, 2, 2, "isi kejadian berubah setelah dicatat"),
    "actor changed": (_change_actor, KOTA, 1, 1, "isi kejadian berubah setelah dicatat"),
    # A deleted row shows as a gap at the next row, or as a chain ending early.
    "first row deleted": (_delete_row, KAB, 1, 2, "urutan hilang: diharapkan 1, ditemukan 2"),
    "middle row deleted": (_delete_row, KAB, 2, 3, "urutan hilang: diharapkan 2, ditemukan 3"),
    "last row deleted": (_delete_row, KAB, 3, 2, "kejadian terakhir hilang dari rantai"),
}


@pytest.mark.parametrize("case", list(TAMPERING))
def test_tampering_is_detected_and_located(pejabat: User, case: str) -> None:
    how, scope, tampered, reported, reason = TAMPERING[case]
    five_events(pejabat)
    how(scope, tampered)
    err = verify_fails()
    assert f"lingkup {scope}, kejadian #{reported}: {reason}" in err
    # Only the chain that was touched is reported.
    assert err.count("lingkup") == 1
    checked, breaks = verify_chains()
    assert [(b.scope, b.sequence, b.reason) for b in breaks] == [(scope, reported, reason)]
    assert checked == (4 if how is _delete_row else 5)


def test_a_forged_hash_does_not_hide_a_change(pejabat: User) -> None:
    # The forger changes a row and recomputes its own hash: the next row no longer links to it.
    five_events(pejabat)
    event = _event(KAB, 2)
    forged = dict(event.new_values, name="Palsu")
    event.new_values = forged
    _raw(
        f"UPDATE {TABLE} SET new_values = %s, hash = %s WHERE id = %s",  # noqa: S608
        [json.dumps(forged), recomputed(event), event.pk],
    )
    err = verify_fails()
    assert f"lingkup {KAB}, kejadian #3: hash sebelumnya tidak cocok" in err


def test_a_truncated_chain_without_its_head_is_detected(pejabat: User) -> None:
    # Deleting the last event and the chain head together must not pass for a clean chain.
    five_events(pejabat)
    _delete_row(KAB, 3)
    _raw(f"DELETE FROM {AuditChainHead._meta.db_table} WHERE scope = %s", [KAB])  # noqa: S608
    err = verify_fails()
    assert f"lingkup {KAB}, kejadian #2: kepala rantai hilang" in err


def test_every_broken_scope_is_reported(pejabat: User) -> None:
    five_events(pejabat)
    _change_new_values(KAB, 1)
    _delete_row(KOTA, 2)
    err = verify_fails()
    assert f"lingkup {KAB}, kejadian #1" in err
    assert f"lingkup {KOTA}, kejadian #1: kejadian terakhir hilang" in err


# --- request id ---------------------------------------------------------------------------


def test_the_request_id_header_is_recorded_with_the_event(
    login: Callable[[str], Client],
) -> None:
    client = login("kasi")
    response = client.post(
        "/akun/token/", {"name": "Integrasi SIASN"}, headers={"X-Request-ID": "req-2024-abc.123"}
    )
    assert response.status_code == 200
    assert response["X-Request-ID"] == "req-2024-abc.123"
    event = AuditEvent.objects.get(action="api_token_create")
    assert event.request_id == "req-2024-abc.123"
    assert event.new_values["name"] == "Integrasi SIASN"
    assert event.scope == 0
    assert event.hash == recomputed(event)
    assert current_request_id.get() == ""  # reset after the request
    assert verify()[0].startswith("OK")


@pytest.mark.parametrize("header", ["", "short", "has spaces in it", "x" * 65, "semi;colon;id"])
def test_an_unsafe_or_missing_request_id_is_replaced(
    login: Callable[[str], Client], header: str
) -> None:
    client = login("staf_a")
    headers = {"X-Request-ID": header} if header else {}
    response = client.post("/akun/token/", {"name": "Laporan"}, headers=headers)
    generated = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    assert AuditEvent.objects.get(action="api_token_create").request_id == generated
