"""Browser journeys: pytest-playwright drives Debian's Chromium against the live server.

`playwright install` cannot download browsers on these machines, so the system Chromium is used.
The sync Playwright API keeps an event loop running in the test thread; the test still reads the
database there (the cast), hence DJANGO_ALLOW_ASYNC_UNSAFE.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any
from unittest.mock import patch

import pytest
from django.core.servers.basehttp import WSGIServer
from django.db import connection
from django.test.testcases import LiveServerThread

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


class SerialWSGIServer(WSGIServer):
    """The live server answering one request at a time (and, as Django does for a server
    without threads, closing each connection after its response)."""

    def __init__(self, *args: Any, connections_override: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # the serving thread already uses the overrides


@pytest.fixture(scope="session", autouse=True)
def _serial_live_server_on_sqlite() -> Iterator[None]:
    """On SQLite the test database lives in memory and every live-server thread shares its one
    connection, so two requests at once (a poll and a click, a preview and a submit) could
    interleave on it and one of them read a half-done state. Serve them in turn there; on
    PostgreSQL each thread has its own connection and the server stays threaded."""
    if connection.vendor != "sqlite":
        yield
        return
    with patch.object(LiveServerThread, "server_class", SerialWSGIServer):
        yield


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """A phone: 390×844, touch, and an Indonesian browser (pages are Indonesian until the
    language switch picks English, whatever the browser asks: kinerja.core.middleware)."""
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
