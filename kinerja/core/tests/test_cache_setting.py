"""CACHE_URL: which cache holds the SKM rate limit and duplicate window (see also
kinerja/surveys/tests/test_shared_cache.py, against the local Redis)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import cache_config


@pytest.mark.parametrize("url", ["", "locmem://"])
def test_empty_or_locmem_is_the_in_process_cache(url: str) -> None:
    assert cache_config(url) == {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}


@pytest.mark.parametrize("url", ["redis://127.0.0.1:6379/1", "rediss://user:pw@cache:6380/0"])
def test_redis_urls_select_the_redis_backend(url: str) -> None:
    assert cache_config(url) == {
        "BACKEND": "kinerja.core.cache.TolerantRedisCache",
        "LOCATION": url,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }


def test_db_url_names_the_cache_table() -> None:
    assert cache_config("db://kinerja_cache") == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "kinerja_cache",
    }


@pytest.mark.parametrize("table", ["", "bad-name", "x; DROP TABLE y"])
def test_db_url_refuses_a_table_name_that_is_not_an_identifier(table: str) -> None:
    with pytest.raises(ImproperlyConfigured) as info:
        cache_config(f"db://{table}")
    assert str(info.value) == (
        f"CACHE_URL db:// needs a table name of letters, digits and _, got {table!r}"
    )


@pytest.mark.parametrize(("url", "scheme"), [("memcached://x", "'memcached'"), ("x", "'x'")])
def test_other_schemes_stop_the_start(url: str, scheme: str) -> None:
    with pytest.raises(ImproperlyConfigured) as info:
        cache_config(url)
    assert str(info.value) == (
        "CACHE_URL must be empty or start with locmem://, redis://, rediss:// or db://, "
        f"got {scheme}"
    )
