"""A Redis cache that a Redis outage cannot turn into server errors.

The cache holds counters and short-lived marks only (the SKM rate limit and duplicate window,
the verification-page limits, the public IKM page). So when Redis fails (down, timed out,
read-only, out of memory) each operation is logged and answers as an empty cache would: `add`
succeeds, `get` misses, `incr` finds no key. The limits fail open until Redis is back: no
citizen's answer is refused or lost, and the database still refuses a reused SKM token or a
duplicate answer; the rate limits (SKM and the document verification page) are simply off.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
UNREACHABLE = RedisError  # down, timed out, read-only after a failover, out of memory, …


def _warn(operation: str, error: Exception) -> None:
    log.error("cache %s skipped: Redis unreachable (%s)", operation, error)


class TolerantRedisCache(RedisCache):
    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        try:
            return bool(super().add(key, value, timeout, version))
        except UNREACHABLE as error:
            _warn("add", error)
            return True

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except UNREACHABLE as error:
            _warn("get", error)
            return default

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        try:
            super().set(key, value, timeout, version)
        except UNREACHABLE as error:
            _warn("set", error)

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return bool(super().delete(key, version))
        except UNREACHABLE as error:
            _warn("delete", error)
            return False

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        try:
            return int(super().incr(key, delta, version))
        except UNREACHABLE as error:
            _warn("incr", error)
            raise ValueError(f"Key {key!r} not found (Redis unreachable)") from error
