"""Shared fixtures: the named cast (kinerja/org/testing.py) and API/browser clients."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from kinerja.org.testing import Cast, build_cast

# The shared checks in kinerja/audit/testing.py keep pytest's detailed assertion messages (it
# must be registered before any test module imports it).
pytest.register_assert_rewrite("kinerja.audit.testing")

# Property tests check results, never speed: on a busy 2-core CI machine input generation can be
# slow, so neither the deadline nor the too-slow health check may fail a test.
hypothesis_settings.register_profile(
    "kinerja", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("kinerja")


@pytest.fixture
def cast(db: None) -> Cast:
    return build_cast()


@pytest.fixture
def login(client: Client, cast: Cast):  # type: ignore[no-untyped-def]
    """login("kasi") logs the test client in as that member of the cast."""

    def _login(name: str) -> Client:
        client.force_login(cast.user(name))
        return client

    return _login


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Uploaded evidence and import previews go to a per-test folder, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts and ends in the default language: LocaleMiddleware leaves a request's
    language (English from a cookie or Accept-Language) active on the thread, and services
    translate their messages when they raise, so a later direct service call would speak
    English."""
    translation.deactivate()
    yield
    translation.deactivate()
