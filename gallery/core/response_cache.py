"""A store of ready response bodies: shared by every process through Redis when `GALLERY_REDIS_URL` is set, else
one per process (a bounded LRU). Keys are opaque strings chosen by the caller and must name everything the body
depends on: entries are never invalidated, only made unreachable by a new key, and expire after their TTL.

A failing Redis costs the cache, never the request: reads miss and writes are skipped, Redis is left alone for a
few seconds after a failure (so requests do not each wait for its timeout), and it is logged once a minute.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict

from flask import Flask, current_app

log = logging.getLogger(__name__)

LOCAL_LIMIT_BYTES = 64 * 1024 * 1024
REDIS_PREFIX = "gallery:response:"
RETRY_AFTER_SECONDS = 5


class LocalStore:
    """Per process: least recently used entries go first once `limit_bytes` is reached."""

    def __init__(self, limit_bytes: int = LOCAL_LIMIT_BYTES):
        self.limit_bytes = limit_bytes
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            expires, value = entry
            if expires < time.monotonic():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return value

    def set(self, key: str, value: bytes, ttl: int) -> None:
        if len(value) > self.limit_bytes // 8:
            return
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (time.monotonic() + ttl, value)
            self._bytes += len(value)
            while self._bytes > self.limit_bytes:
                self._drop(next(iter(self._entries)))

    def _drop(self, key: str) -> None:
        _expires, value = self._entries.pop(key)
        self._bytes -= len(value)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


class RedisStore:
    def __init__(self, url: str):
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._last_warning = 0.0
        self._down_until = 0.0  # after a failure, requests skip Redis for a few seconds instead of each waiting

    def get(self, key: str) -> bytes | None:
        if time.monotonic() < self._down_until:
            return None
        try:
            return self._redis.get(REDIS_PREFIX + key)
        except Exception as error:  # noqa: BLE001 - any Redis failure is a miss
            self._warn(error)
            return None

    def set(self, key: str, value: bytes, ttl: int) -> None:
        if time.monotonic() < self._down_until:
            return
        try:
            self._redis.set(REDIS_PREFIX + key, value, ex=max(1, int(ttl)))
        except Exception as error:  # noqa: BLE001
            self._warn(error)

    def _warn(self, error: Exception) -> None:
        now = time.monotonic()
        self._down_until = now + RETRY_AFTER_SECONDS
        if now - self._last_warning > 60:
            self._last_warning = now
            log.warning("response cache: Redis unavailable (%s); serving without it", type(error).__name__)

    def clear(self) -> None:
        for key in self._redis.scan_iter(REDIS_PREFIX + "*", count=1000):
            self._redis.delete(key)


def init_app(app: Flask) -> None:
    url = app.config["GALLERY"].redis_url
    app.extensions["response_cache"] = RedisStore(url) if url else LocalStore()


def store() -> LocalStore | RedisStore:
    return current_app.extensions["response_cache"]
