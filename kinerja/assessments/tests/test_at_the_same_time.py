"""The rater opens one evaluation twice at once (PostgreSQL, two connections): the SKP's row is
locked before the evaluation is looked for, so the second opening waits and gets the first one's
evaluation, as when sent one after the other (the API: 201, then 200); never a 500."""

from __future__ import annotations

from datetime import date

import pytest

from kinerja.audit.models import AuditEvent
from kinerja.core.race_testing import Gate, on_postgres, one_after_another
from kinerja.org.testing import Cast
from kinerja.plans.models import Skp

from .. import guards, services
from ..models import Evaluasi
from ..testing import YEAR, approved_skp

pytestmark = [on_postgres, pytest.mark.django_db(transaction=True)]


def test_a_second_opening_at_once_gets_the_same_evaluation(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guards, "today", lambda: date(YEAR, 6, 30))
    plan = approved_skp(cast, "staf_a")
    kasi, pk = cast.user("kasi"), plan.skp.pk
    gate = Gate()
    held = gate.hold(services._record, when=lambda action, **kwargs: action == "evaluasi_open")
    monkeypatch.setattr(services, "_record", held)

    def open_it() -> tuple[Evaluasi, bool]:
        return services.evaluasi_start(by=kasi, skp=Skp.objects.get(pk=pk), period=2)

    first, other, waited = one_after_another(gate, open_it, open_it)
    assert first.error is None and other.error is None, (first.error, other.error)
    assert waited
    (evaluasi, opened), (again, opened_again) = first.result, other.result
    assert opened and not opened_again and again.pk == evaluasi.pk
    assert Evaluasi.objects.filter(skp_id=pk, period=2).count() == 1
    assert AuditEvent.objects.filter(action="evaluasi_open").count() == 1
