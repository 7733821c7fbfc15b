"""The platform's API over HTTP, with retries: backoff with full jitter for connection errors, timeouts,
429 (honouring Retry-After) and 5xx; never for a 4xx that will not change by asking again."""
from __future__ import annotations

import asyncio
import email.utils
import random
import time
from dataclasses import dataclass
from typing import AsyncIterator, Callable

import httpx

RETRYABLE_STATUS = {408, 425, 429, 500, 502, 503, 504, 507, 509, 520, 521, 522, 523, 524}
USER_AGENT = "gallery-upload"


class ApiError(RuntimeError):
    def __init__(self, message: str, status: int | None = None, body: dict | None = None):
        super().__init__(message)
        self.status = status
        self.body = body or {}


class MaybeDone(ApiError):
    """A request that is not safe to repeat was sent, but its answer was lost: look before sending it again."""


# Failures after which the server cannot have acted on the request (nothing reached it).
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass
class RetryPolicy:
    """`attempts` None retries for ever (watch mode); waits grow 2x from `base` up to `cap`, fully jittered."""

    attempts: int | None = 8
    base: float = 0.5
    cap: float = 30.0
    max_retry_after: float = 600.0

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_retry_after)
        return random.uniform(self.base / 2, min(self.cap, self.base * 2 ** attempt))  # noqa: S311 - jitter, not a secret

    def gives_up(self, attempt: int) -> bool:
        return self.attempts is not None and attempt + 1 >= self.attempts


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds, from delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def _describe(response: httpx.Response) -> str:
    try:
        body = response.json()
        detail = body.get("detail") or body.get("title") or ""
    except ValueError:
        detail = response.text[:200].strip()
    return f"{response.status_code} {detail}".strip()


BodyFactory = Callable[[Callable[[int], None]], AsyncIterator[bytes]]


class Api:
    def __init__(self, base_url: str, token: str | None, *, policy: RetryPolicy | None = None,
                 on_retry: Callable[[str], None] = lambda message: None, timeout: float = 120.0,
                 connections: int = 8):
        self.base_url = base_url.rstrip("/")
        self.policy = policy or RetryPolicy()
        self.on_retry = on_retry
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        timeouts = httpx.Timeout(timeout, connect=15.0)
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        self.app = httpx.AsyncClient(base_url=self.base_url, timeout=timeouts, limits=limits,
                                     headers={**headers, **({"Authorization": f"Bearer {token}"} if token else {})})
        # Presigned bucket URLs carry their own signature: never the bearer token.
        self.bucket = httpx.AsyncClient(timeout=timeouts, limits=limits, headers={"User-Agent": USER_AGENT})

    async def aclose(self) -> None:
        await asyncio.gather(self.app.aclose(), self.bucket.aclose(), return_exceptions=True)

    async def request(self, method: str, url: str, *, json: dict | None = None, body: BodyFactory | None = None,
                      length: int | None = None, headers: dict | None = None, files_factory=None,
                      data: dict | None = None, progress: Callable[[int], None] = lambda n: None,
                      repeatable: bool = True) -> httpx.Response:
        """Send with retries; returns the 2xx response or raises ApiError. `body(advance)` makes a fresh
        stream for each attempt; bytes of an attempt that failed are taken back from the progress.
        A request that is not `repeatable` (creating a set) raises MaybeDone when its answer was lost."""
        client = self.app if url.startswith("/") else self.bucket
        attempt = 0
        while True:
            sent = 0

            def advance(n: int) -> None:
                nonlocal sent
                sent += n
                progress(n)

            kwargs: dict = {"headers": dict(headers or {})}
            if json is not None:
                kwargs["json"] = json
            if body is not None:
                kwargs["content"] = body(advance)
                kwargs["headers"]["Content-Length"] = str(length)
            if files_factory is not None:
                kwargs["files"] = files_factory(advance)
                kwargs["data"] = data
            retry_after = None
            try:
                response = await client.request(method, url, **kwargs)
            except httpx.TransportError as error:
                problem = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
                if not repeatable and not isinstance(error, NOT_SENT):
                    raise MaybeDone(f"{method} {_short(url)}: {problem}") from None
            else:
                if response.status_code < 400:
                    return response
                if response.status_code not in RETRYABLE_STATUS:
                    try:
                        parsed = response.json()
                    except ValueError:
                        parsed = {}
                    raise ApiError(f"{method} {_short(url)}: {_describe(response)}", response.status_code,
                                   parsed if isinstance(parsed, dict) else {})
                problem = _describe(response)
                retry_after = retry_after_seconds(response.headers.get("Retry-After"))
            progress(-sent)
            if self.policy.gives_up(attempt):
                raise ApiError(f"{method} {_short(url)}: {problem} (gave up after {attempt + 1} attempts)")
            wait = self.policy.delay(attempt, retry_after)
            self.on_retry(f"{method} {_short(url)}: {problem}; retrying in {wait:.1f} s")
            await asyncio.sleep(wait)
            attempt += 1

    async def json(self, method: str, path: str, payload: dict | None = None, *, repeatable: bool = True) -> dict:
        response = await self.request(method, path, json=payload, repeatable=repeatable)
        return response.json() if response.content else {}


def _short(url: str) -> str:
    return url.split("?", 1)[0] if len(url) > 120 else url


def file_slice(path, start: int, length: int, chunk: int = 1024 * 1024) -> BodyFactory:
    """A body factory streaming `length` bytes of `path` from `start` (never the whole file in memory)."""

    async def stream(advance: Callable[[int], None]) -> AsyncIterator[bytes]:
        with open(path, "rb") as handle:
            handle.seek(start)
            remaining = length
            while remaining > 0:
                block = handle.read(min(chunk, remaining))
                if not block:
                    raise ApiError(f"{path} changed while it was being sent (it is shorter now)")
                remaining -= len(block)
                advance(len(block))
                yield block

    return stream
