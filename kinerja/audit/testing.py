"""What service stories check about the audit trail: the events a call left, and that a refused
call left every row it could have touched (and the trail) exactly as it was.

The asserts here keep pytest's detailed messages: the root conftest.py registers this module for
assertion rewriting.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db.models import Max

from kinerja.core.errors import ServiceError

from .models import AuditChainHead, AuditEvent

Fingerprint = Callable[[], dict[str, list[Any]]]


def audit_trail_rows() -> dict[str, list[Any]]:
    """The audit part of a fingerprint: every event id and every chain head."""
    return {
        "audit": list(AuditEvent.objects.order_by("id").values_list("id", flat=True)),
        "audit_head": list(AuditChainHead.objects.order_by("scope").values_list()),
    }


def audit_mark() -> int:
    """The newest audit event's id (0 when there is none), to read what a call adds after it."""
    mark: int | None = AuditEvent.objects.aggregate(m=Max("id"))["m"]
    return mark or 0


def events_since(mark: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(id__gt=mark).order_by("id"))


@contextmanager
def refused_unchanged(
    kind: type[ServiceError], match: str | None, fingerprint: Fingerprint
) -> Iterator[pytest.ExceptionInfo[ServiceError]]:
    """The call inside raises exactly `kind` (with a message containing `match`, if given) and
    `fingerprint()` reads the same before and after it."""
    before = fingerprint()
    with pytest.raises(ServiceError, match=re.escape(match) if match else None) as info:
        yield info
    assert type(info.value) is kind, f"expected {kind.__name__}, got {type(info.value).__name__}"
    assert info.value.message
    assert fingerprint() == before
