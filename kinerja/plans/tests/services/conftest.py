"""The cast of the SKP service stories: built once for this package, a private copy per test."""

from __future__ import annotations

import copy
from collections.abc import Iterator

import pytest
from django.db import transaction
from pytest_django import DjangoDbBlocker

from kinerja.org.testing import Cast, build_cast


@pytest.fixture(scope="package")
def module_cast(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Cast]:
    """The cast, built once for this package in a transaction rolled back at its end; each test
    runs in its own savepoint on top of it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_cast()
        transaction.set_rollback(True)


@pytest.fixture
def cast(module_cast: Cast, db: None) -> Cast:
    return copy.deepcopy(module_cast)
