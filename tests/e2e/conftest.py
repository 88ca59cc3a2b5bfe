"""Browser journeys: pytest-playwright drives Debian's Chromium against the live server.

`playwright install` cannot download browsers on these machines, so the system Chromium is used.
The sync Playwright API keeps an event loop running in the test thread; the test still reads the
database there (the cast), hence DJANGO_ALLOW_ASYNC_UNSAFE.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from kinerja.org.testing import Cast, build_cast

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """A phone: 390×844, touch, and an Indonesian browser (the app follows Accept-Language)."""
    return {
        **browser_context_args,
        "viewport": PHONE,
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
        "locale": "id-ID",
    }


@pytest.fixture
def e2e_cast(transactional_db: None) -> Cast:
    """The named cast, committed so the live server's thread sees it."""
    return build_cast()
