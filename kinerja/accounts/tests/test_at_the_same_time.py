"""Two API tokens created at once by one user (PostgreSQL, two connections): the user's row is
locked before the active tokens are counted, so the limit holds (accounts.services)."""

from __future__ import annotations

import pytest

from kinerja.accounts import services
from kinerja.accounts.models import ApiToken
from kinerja.audit import services as audit
from kinerja.audit.models import AuditEvent
from kinerja.core.errors import ServiceError
from kinerja.core.race_testing import Gate, on_postgres, one_after_another
from kinerja.org.testing import Cast


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_the_token_over_the_limit_is_refused_when_sent_at_once(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    staf = cast.user("staf_a")
    for n in range(services.MAX_ACTIVE_TOKENS - 1):
        services.api_token_create(by=staf, name=f"hp {n}")
    gate = Gate()
    held = gate.hold(audit.record, when=lambda action, **kwargs: action == "api_token_create")
    monkeypatch.setattr(audit, "record", held)
    first, other, waited = one_after_another(
        gate,
        lambda: services.api_token_create(by=staf, name="laptop"),
        lambda: services.api_token_create(by=staf, name="tablet"),
    )
    assert first.error is None and waited
    assert isinstance(other.error, ServiceError) and "Paling banyak 10" in other.error.message
    active = ApiToken.objects.filter(user=staf, revoked_at__isnull=True)
    assert active.count() == services.MAX_ACTIVE_TOKENS
    assert AuditEvent.objects.filter(action="api_token_create").count() == 10
