"""The cast of the org service stories: built once for this package, a private copy per test."""

from __future__ import annotations

import copy
from collections.abc import Iterator

import pytest
from django.db import transaction
from pytest_django import DjangoDbBlocker

from kinerja.accounts.models import User
from kinerja.org import services
from kinerja.org.testing import Cast, build_cast


@pytest.fixture(scope="package")
def module_cast(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Cast]:
    """The cast, built once for this package inside a transaction rolled back at its end.

    Each test still runs in its own savepoint (the `db` fixture), so nothing leaks between tests.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_cast()
        transaction.set_rollback(True)


@pytest.fixture
def cast(module_cast: Cast, db: None) -> Cast:
    """A private copy per test, so in-memory changes (and cached access facts) do not leak."""
    return copy.deepcopy(module_cast)


@pytest.fixture
def kota_admin(cast: Cast) -> User:
    """The admin kepegawaian of Pemerintah Kota Lain: powerful there, a stranger in KAB."""
    user = User.objects.create_user("admin-kota", "rahasia-kota-2026", full_name="Admin Kota")
    services.peran_grant(by=cast.superadmin, user=user, instansi=cast.kota, role="ADMIN")
    return User.objects.get(pk=user.pk)
