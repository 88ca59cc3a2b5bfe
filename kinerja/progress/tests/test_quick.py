"""The one-statement path for recording a plain realisasi through the API (quick.py).

The fast path may only ever accept what the ordinary service accepts, with the same entry, the
same audit event and the same answer. So every rule of `services.realisasi_record` is tried
here twice: through the API with the fast path on, then with it off, and the two answers must
be the same (and nothing written by a refusal). PostgreSQL only: SQLite has no data-modifying
WITH, and there the ordinary path is the only one.

Cast as in test_api.py: staf_a reports on her approved SKP (clock fixed at 15 May,
TRIWULAN II), staf_b is her peer.
"""

from __future__ import annotations

import json
import threading
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from kinerja.accounts.models import ApiToken
from kinerja.accounts.services import api_token_create
from kinerja.audit.models import AuditEvent
from kinerja.audit.sql_append import NotExpressible, Sql, append_one
from kinerja.audit.verify import verify_chains
from kinerja.org.testing import Cast
from kinerja.plans.models import TahunKinerja
from kinerja.progress import quick
from kinerja.progress.models import PeriodeTerkunci, Realisasi
from kinerja.progress.tests.test_services import TODAY, YEAR, Plan, fix_clock, make_plan

API = "/api/v1"
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the one-statement path is PostgreSQL only"
)


def fix_quick_clock(monkeypatch: pytest.MonkeyPatch, today: date = TODAY) -> None:
    monkeypatch.setattr(
        quick, "timezone", SimpleNamespace(localdate=lambda: today, now=timezone.now)
    )


@pytest.fixture
def plan(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> Plan:
    fix_clock(monkeypatch)
    fix_quick_clock(monkeypatch)
    return make_plan(cast)


@pytest.fixture
def raw_token(cast: Cast, plan: Plan) -> str:
    _token, raw = api_token_create(by=cast.user("staf_a"), name="aplikasi seluler")
    return raw


def post(raw: str, iki_id: int, key: str | None = "k-1", **fields: Any) -> Any:
    data = {"date": TODAY.isoformat(), "value": "3"} | fields
    headers = {"Authorization": f"Bearer {raw}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return Client().post(
        f"{API}/iki/{iki_id}/realisasi",
        data=urlencode(data),
        content_type="application/x-www-form-urlencoded",
        headers=headers,
    )


def answer(response: Any) -> tuple[int, Any]:
    return response.status_code, json.loads(response.content)


# --- pure: the audit placeholders -----------------------------------------------------------


def test_an_event_whose_constant_parts_hold_a_placeholder_is_not_built_in_sql() -> None:
    with pytest.raises(NotExpressible):
        append_one(
            scope_from="SELECT 1", source="src", actor=Sql("src.a"), action="x",
            target_type="skp", target_id=Sql("src.b"), new={"n": Sql("src.c")},
            at=timezone.now(), request_id="7391000000000000000",
        )  # fmt: skip


def test_the_event_text_is_built_from_the_canonical_payload() -> None:
    built = append_one(
        scope_from="SELECT 1", source="src", actor=Sql("src.a"), action="realisasi_record",
        target_type="skp", target_id=Sql("src.b"), new={"n": Sql("src.c"), "v": "3"},
        at=timezone.now(), request_id="r-1",
    )  # fmt: skip
    text = built.params["audit_text"]
    assert text.startswith('["@@audit-prev@@",') and text.endswith(',"v":"3"},"r-1"]')
    assert built.event_ctes.count("replace(") == 6  # the previous hash and five integers
    assert json.loads(built.params["audit_new"]) == {"v": "3"}
    assert "jsonb_build_object('n', src.c)" in built.event_ctes


# --- the accepted case ----------------------------------------------------------------------


@on_postgres
def test_a_plain_entry_is_one_statement_with_its_audit_event(
    cast: Cast, plan: Plan, raw_token: str, django_assert_num_queries: Any
) -> None:
    # The connection's first call also PREPAREs the statement (two more queries, once).
    assert post(raw_token, plan.iki_kualitas.pk, key="pertama").status_code == 201
    with django_assert_num_queries(1):
        response = post(raw_token, plan.iki.pk, value="12,5")
    status, entry = answer(response)
    assert status == 201, entry
    stored = Realisasi.objects.get(iki=plan.iki)
    assert entry["id"] == stored.pk and entry["value"] == "12.50" and entry["period"] == 2
    assert (stored.value, stored.period, stored.pegawai_id) == (Decimal("12.5"), 2, cast.staf_a.pk)
    assert stored.created_by == cast.user("staf_a") and stored.idempotency_key == "k-1"
    event = AuditEvent.objects.filter(action="realisasi_record").latest("sequence")
    assert (event.scope, event.target_id, event.actor_id) == (
        plan.skp.instansi_id, str(plan.skp.pk), cast.user("staf_a").pk,
    )  # fmt: skip
    assert event.new_values == {
        "realisasi_id": stored.pk, "iki_id": plan.iki.pk, "date": TODAY.isoformat(),
        "value": "12.5", "period": 2,
    }  # fmt: skip
    checked, breaks = verify_chains()
    assert checked > 1 and breaks == []


@on_postgres
def test_the_answer_is_the_one_the_list_reads_back(plan: Plan, raw_token: str) -> None:
    status, entry = answer(post(raw_token, plan.iki_kualitas.pk, value="88", narrative=" ok "))
    assert status == 201
    listed = Client().get(
        f"{API}/skp/{plan.skp.pk}/realisasi", headers={"Authorization": f"Bearer {raw_token}"}
    )
    [same] = [e for e in json.loads(listed.content)["entries"] if e["id"] == entry["id"]]
    assert same == entry and entry["narrative"] == "ok"


@on_postgres
def test_a_replayed_key_answers_200_with_the_first_entry(plan: Plan, raw_token: str) -> None:
    first = answer(post(raw_token, plan.iki.pk, key="sama"))
    again = answer(post(raw_token, plan.iki.pk, key="sama"))
    assert first[0] == 201 and again == (200, first[1])
    assert Realisasi.objects.count() == 1
    assert AuditEvent.objects.filter(action="realisasi_record").count() == 1


@on_postgres
def test_a_replayed_key_with_another_value_is_a_409(plan: Plan, raw_token: str) -> None:
    first = answer(post(raw_token, plan.iki.pk, key="sama"))
    status, body = answer(post(raw_token, plan.iki.pk, key="sama", value="9"))
    assert first[0] == 201 and status == 409 and body["code"] == "conflict"
    assert "sudah dikirim dengan isi yang lain" in body["detail"]
    assert list(Realisasi.objects.values_list("value", flat=True)) == [Decimal("3")]
    assert AuditEvent.objects.filter(action="realisasi_record").count() == 1


@on_postgres
def test_monthly_cadence_records_the_month(plan: Plan, raw_token: str) -> None:
    TahunKinerja.objects.filter(instansi_id=plan.skp.instansi_id, year=YEAR).update(
        cadence="BULANAN"
    )
    status, entry = answer(post(raw_token, plan.iki.pk, date=date(YEAR, 5, 1).isoformat()))
    assert status == 201 and entry["period"] == 5


@on_postgres
def test_the_token_use_is_noted_at_most_once_a_minute(plan: Plan, raw_token: str) -> None:
    token = ApiToken.objects.get(name="aplikasi seluler")
    long_ago = timezone.now() - timedelta(minutes=5)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=long_ago)
    assert post(raw_token, plan.iki.pk, key="a").status_code == 201
    token.refresh_from_db()
    assert token.last_used_at is not None and token.last_used_at > long_ago
    noted = token.last_used_at
    assert post(raw_token, plan.iki.pk, key="b").status_code == 201
    token.refresh_from_db()
    assert token.last_used_at == noted


@on_postgres
def test_a_request_id_the_sql_cannot_carry_takes_the_ordinary_path(
    plan: Plan, raw_token: str
) -> None:
    response = Client().post(
        f"{API}/iki/{plan.iki.pk}/realisasi",
        data=urlencode({"date": TODAY.isoformat(), "value": "3"}),
        content_type="application/x-www-form-urlencoded",
        headers={"Authorization": f"Bearer {raw_token}", "X-Request-ID": "7391000000000000000"},
    )
    assert response.status_code == 201
    assert verify_chains()[1] == []


# --- every refusal: the fast path writes nothing, the ordinary path answers ------------------


def _bad_token(cast: Cast, plan: Plan, raw: str) -> dict[str, Any]:
    return {"raw": "kin_bukan-token-yang-sah"}


def _revoked(cast: Cast, plan: Plan, raw: str) -> dict[str, Any]:
    ApiToken.objects.update(revoked_at=timezone.now())
    return {}


def _inactive(cast: Cast, plan: Plan, raw: str) -> dict[str, Any]:
    user = cast.user("staf_a")
    user.is_active = False
    user.save(update_fields=["is_active"])
    return {}


def _peer(cast: Cast, plan: Plan, raw: str) -> dict[str, Any]:
    _token, other = api_token_create(by=cast.user("staf_b"), name="hp rekan")
    return {"raw": other}


def _not_approved(cast: Cast, plan: Plan, raw: str) -> dict[str, Any]:
    type(plan.skp).objects.filter(pk=plan.skp.pk).update(status="DIAJUKAN")
    return {}


def _locked(period: int) -> Any:
    def lock(cast: Cast, plan: Plan, raw: str) -> dict[str, Any]:
        PeriodeTerkunci.objects.create(skp=plan.skp, period=period)
        return {}

    return lock


def _locked_on_another_version(cast: Cast, plan: Plan, raw: str) -> dict[str, Any]:
    """A lock on another version of the same SKP (pegawai, year, jabatan) holds for this one."""
    skp = plan.skp
    other = type(skp).objects.create(
        instansi_id=skp.instansi_id, pegawai_id=skp.pegawai_id, year=skp.year,
        jabatan_id=skp.jabatan_id, unit_path=skp.unit_path, rater_id=skp.rater_id,
        start_date=skp.start_date, end_date=skp.end_date, pendekatan=skp.pendekatan,
        version=skp.version + 1, is_current=False, status="DISETUJUI",
    )  # fmt: skip
    PeriodeTerkunci.objects.create(skp=other, period=2)
    return {}


def _key_of_other_iki(cast: Cast, plan: Plan, raw: str) -> dict[str, Any]:
    assert post(raw, plan.iki_kualitas.pk, key="k-1").status_code == 201
    return {}


def _fields(**fields: Any) -> Any:
    return lambda cast, plan, raw: {"fields": fields}


REFUSALS = [
    ("token salah", _bad_token, 401),
    ("token dicabut", _revoked, 401),
    ("akun nonaktif", _inactive, 401),
    ("IKI rekan kerja", _peer, 404),
    ("SKP belum disetujui", _not_approved, 409),
    ("triwulan terkunci", _locked(2), 409),
    ("tahun terkunci", _locked(0), 409),
    ("terkunci di versi lain", _locked_on_another_version, 409),
    ("kunci dipakai IKI lain", _key_of_other_iki, 409),
    ("tanggal masa depan", _fields(date=(TODAY + timedelta(days=1)).isoformat()), 400),
    ("triwulan lalu", _fields(date=date(YEAR, 3, 31).isoformat()), 400),
    ("kuantitatif tanpa nilai", _fields(value="", narrative="sudah jalan"), 400),
    ("nilai bukan angka", _fields(value="dua belas"), 400),
    ("tanpa nilai dan uraian", _fields(value=""), 400),
    ("tanggal tidak valid", _fields(date="15-05"), 422),
]


@on_postgres
@pytest.mark.parametrize(("story", "arrange", "status"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_a_refused_entry_gets_the_ordinary_answer(
    cast: Cast, plan: Plan, raw_token: str, monkeypatch: pytest.MonkeyPatch,
    story: str, arrange: Any, status: int,
) -> None:  # fmt: skip
    setup = arrange(cast, plan, raw_token)
    raw, fields = setup.get("raw", raw_token), setup.get("fields", {})
    before = (Realisasi.objects.count(), AuditEvent.objects.count())
    fast = answer(post(raw, plan.iki.pk, **fields))
    assert fast[0] == status, fast
    assert (Realisasi.objects.count(), AuditEvent.objects.count()) == before
    monkeypatch.setattr(quick, "available", lambda: False)
    assert answer(post(raw, plan.iki.pk, **fields)) == fast


@on_postgres
def test_an_unknown_iki_is_404(raw_token: str) -> None:
    status, body = answer(post(raw_token, 999_999))
    assert status == 404 and body["code"] == "not_found"


@on_postgres
def test_a_bad_token_is_401_before_the_form_is_checked(plan: Plan) -> None:
    status, body = answer(post("kin_salah", plan.iki.pk, date="bukan tanggal"))
    assert status == 401 and body["code"] == "unauthorized"


# --- many writers, one chain ----------------------------------------------------------------


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_entries_keep_one_unbroken_chain(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    fix_clock(monkeypatch)
    fix_quick_clock(monkeypatch)
    plan = make_plan(cast)
    _token, raw = api_token_create(by=cast.user("staf_a"), name="hp")
    stored: list[int] = []
    failures: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(5):
                entry = quick.realisasi_record_quick(
                    token=raw, iki_id=plan.iki.pk, day=TODAY, value=Decimal(i), narrative="",
                    key=f"w{n}-{i}",
                )  # fmt: skip
                assert entry is not None
                stored.append(entry.id)
        except BaseException as exc:  # reported below
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == [] and len(stored) == 30
    checked, breaks = verify_chains()
    assert breaks == [] and checked >= 30
    events = AuditEvent.objects.filter(action="realisasi_record")
    assert sorted(e.new_values["realisasi_id"] for e in events) == sorted(stored)
