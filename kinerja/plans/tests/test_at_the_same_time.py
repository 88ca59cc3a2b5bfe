"""Two requests on one SKP at once (PostgreSQL, two connections): the SKP's row is locked and
read again inside each transition, perubahan and start, so the second request waits for the
first and gets the ordinary refusal; never a second audit event, never a 500."""

from __future__ import annotations

from typing import Any

import pytest

from kinerja.core.errors import Conflict
from kinerja.core.race_testing import Gate, on_postgres, one_after_another
from kinerja.org.testing import Cast
from kinerja.plans import services
from kinerja.plans.models import Skp, StatusSkp

from .services.helpers import actions_since, audit_mark, build_plan, fresh, put_in, this_year

pytestmark = [on_postgres, pytest.mark.django_db(transaction=True)]


def _held_at(monkeypatch: pytest.MonkeyPatch, action: str) -> Gate:
    """The first service recording `action` stays inside its transaction until the gate opens."""
    gate = Gate()
    recorded = getattr(services, "record")  # noqa: B009 - imported there, patched there
    held = gate.hold(recorded, when=lambda name, **kwargs: name == action)
    monkeypatch.setattr(services, "record", held)
    return gate


def _refused(error: BaseException | None, match: str) -> bool:
    return isinstance(error, Conflict) and match in error.message


@pytest.mark.parametrize(
    ("second", "refusal"),
    [("approve", "tidak dapat disetujui"), ("return", "tidak dapat dikembalikan")],
)
def test_a_second_decision_on_a_submitted_skp_waits_and_is_refused(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, second: str, refusal: str
) -> None:
    plan = build_plan(cast)
    put_in(cast, plan, "DIAJUKAN")
    kasi, pk = cast.user("kasi"), plan.skp.pk
    calls: dict[str, Any] = {
        "approve": lambda: services.skp_approve(by=kasi, skp=Skp.objects.get(pk=pk)),
        "return": lambda: services.skp_return(by=kasi, skp=Skp.objects.get(pk=pk), note="Ulang"),
    }
    gate = _held_at(monkeypatch, "skp_approve")
    mark = audit_mark()
    first, other, waited = one_after_another(gate, calls["approve"], calls[second])
    assert first.error is None and waited
    assert _refused(other.error, refusal), other.error
    assert fresh(plan.skp).status == StatusSkp.DISETUJUI
    assert actions_since(mark) == ["skp_approve"]


def test_a_second_submit_at_once_is_refused(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = build_plan(cast)
    staf, pk = cast.user("staf_a"), plan.skp.pk
    gate = _held_at(monkeypatch, "skp_submit")
    mark = audit_mark()

    def submit() -> Skp:
        return services.skp_submit(by=staf, skp=Skp.objects.get(pk=pk))

    first, other, waited = one_after_another(gate, submit, submit)
    assert first.error is None and waited
    assert _refused(other.error, "tidak dapat diubah"), other.error
    assert fresh(plan.skp).status == StatusSkp.DIAJUKAN
    assert actions_since(mark) == ["skp_submit"]


def test_a_second_perubahan_at_once_is_refused(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = build_plan(cast)
    put_in(cast, plan, "DISETUJUI")
    staf, pk = cast.user("staf_a"), plan.skp.pk
    gate = _held_at(monkeypatch, "skp_revise")
    mark = audit_mark()

    def revise() -> Skp:
        return services.skp_revise(by=staf, skp=Skp.objects.get(pk=pk))

    first, other, waited = one_after_another(gate, revise, revise)
    assert first.error is None and waited
    assert _refused(other.error, "versi terbaru yang sudah disetujui"), other.error
    assert list(Skp.objects.filter(previous_id=pk).values_list("pk", flat=True)) == [
        first.result.pk
    ]
    assert actions_since(mark) == ["skp_revise"]


def test_a_second_start_of_the_same_skp_at_once_is_refused(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    staf, year = cast.user("staf_a"), this_year()
    gate = _held_at(monkeypatch, "skp_create")
    mark = audit_mark()

    def create() -> Skp:
        return services.skp_create(by=staf, pegawai=cast.staf_a, year=year)

    first, other, waited = one_after_another(gate, create, create)
    assert first.error is None and waited
    assert _refused(other.error, f"SKP tahun {year} untuk jabatan"), other.error
    assert other.error is not None and "sudah ada" in str(other.error)
    assert Skp.objects.filter(pegawai=cast.staf_a, year=year).count() == 1
    assert actions_since(mark) == ["skp_create"]
