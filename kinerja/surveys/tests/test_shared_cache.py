"""The SKM limits in a shared Redis cache (CACHE_URL=redis://…), and what a Redis outage does:
counted once for every worker while Redis is up; failing open, never losing an answer, when not."""

from __future__ import annotations

import logging
import secrets
import socket
from collections.abc import Iterator

import pytest
import redis
from django.core.cache import cache
from django.test import Client, override_settings

from config.settings import cache_config
from kinerja.surveys.models import SkmResponse, SurveyPeriod
from kinerja.surveys.public import TooMany, check_rate

from .conftest import form_data
from .test_public import URL, token_from

REDIS_URL = "redis://127.0.0.1:6379/15"
NOBODY_LISTENS = "redis://127.0.0.1:1/0"


def _redis_is_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.fixture
def redis_cache() -> Iterator[str]:
    """The default cache on the local Redis (database 15) under a prefix of this test only."""
    if not _redis_is_up():
        pytest.skip("no Redis on 127.0.0.1:6379 (CI has one)")
    prefix = f"kinerja-test-{secrets.token_hex(6)}"
    with override_settings(
        CACHES={"default": cache_config(REDIS_URL) | {"KEY_PREFIX": prefix}},
        KINERJA_SKM_RATE_LIMIT=3,
    ):
        yield prefix
        cache.clear()


def test_the_rate_limit_is_counted_in_redis_where_every_worker_reads_it(
    redis_cache: str,
) -> None:
    client_key = "client-under-test"
    for _ in range(3):
        check_rate(client_key)
    # Another process (a plain Redis client here) sees the same count under the same key.
    other = redis.Redis.from_url(REDIS_URL)
    assert int(other.get(f"{redis_cache}:1:skm:rl:{client_key}") or 0) == 3
    other.close()
    with pytest.raises(TooMany):
        check_rate(client_key)


def test_a_citizen_answers_through_the_redis_cache(
    redis_cache: str, phone: Client, period: SurveyPeriod
) -> None:
    token = token_from(phone.get(URL).content.decode())
    assert phone.post(URL, form_data(token)).status_code == 302
    again = token_from(phone.get(URL).content.decode())
    repeat = phone.post(URL, form_data(again))  # same answers, same client: the window holds
    assert repeat.status_code == 409
    assert SkmResponse.objects.count() == 1


def test_with_redis_down_an_answer_is_still_accepted_and_the_outage_logged(
    phone: Client, period: SurveyPeriod, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        override_settings(CACHES={"default": cache_config(NOBODY_LISTENS)}),
        caplog.at_level(logging.ERROR, logger="kinerja.core.cache"),
    ):
        token = token_from(phone.get(URL).content.decode())
        answer = phone.post(URL, form_data(token, saran="Redis mati"))
        assert answer.status_code == 302
        assert phone.get(answer["Location"]).status_code == 200
        # The same form sent again: the token's UNIQUE in the database still counts it once.
        assert phone.post(URL, form_data(token, saran="Redis mati")).status_code == 302
    assert SkmResponse.objects.get().saran == "Redis mati"
    assert "Redis unreachable" in caplog.text
    assert any(r.getMessage().startswith("cache add skipped") for r in caplog.records)
