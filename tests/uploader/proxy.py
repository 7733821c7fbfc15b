"""A small real HTTP proxy on loopback, in front of the app or the S3 test server: it counts what
arrives upstream (per request: method, path, body bytes, upstream status), can be slowed down, and
can misbehave (drop the connection, answer 503 or 429 with Retry-After) on the requests a rule picks.

One request per client connection (answers carry `Connection: close`), so a fault never leaks into
the next request. Used by tests/uploader/conftest.py's `proxy` fixture.
"""
from __future__ import annotations

import socket
import socketserver
import threading
import time
from dataclasses import dataclass
from typing import Callable
from urllib.parse import parse_qs, urlsplit


@dataclass
class Seen:
    method: str
    path: str
    query: dict
    body_bytes: int
    status: int | None  # the upstream's answer; None when the proxy did not forward (fault or cut body)
    fault: str | None = None

    @property
    def target(self) -> tuple[str, str | None]:
        """What a body was sent to: the object (or the app's part route) and the part number, if any."""
        return self.path, (self.query.get("partNumber") or [None])[0]


class _Handler(socketserver.StreamRequestHandler):
    def handle(self):
        proxy: Proxy = self.server.proxy  # type: ignore[attr-defined]
        try:
            request_line = self.rfile.readline(65537)
            if not request_line:
                return
            method, target, _ = request_line.decode("latin-1").split(" ", 2)
            headers = []
            while (line := self.rfile.readline(65537)) not in (b"\r\n", b"\n", b""):
                headers.append(line)
            lengths = [int(h.split(b":", 1)[1]) for h in headers if h.lower().startswith(b"content-length:")]
            parts = urlsplit(target)
            seen = Seen(method, parts.path, parse_qs(parts.query), 0, None)
            with proxy.lock:
                index = len(proxy.seen)
                proxy.seen.append(seen)
            fault = proxy.fault(index, seen) if proxy.fault else None
            if fault == "drop-early":
                seen.fault = fault
                return  # closes before reading the body
            body = bytearray()
            remaining = lengths[0] if lengths else 0
            while remaining > 0:
                block = self.rfile.read(min(proxy.chunk, remaining))
                if not block:
                    seen.fault = "client went away"
                    return
                body += block
                remaining -= len(block)
                seen.body_bytes = len(body)
                if proxy.delay:
                    time.sleep(proxy.delay)
            if fault in ("drop", "503", "429"):
                seen.fault = fault
                if fault != "drop":
                    status = {"503": b"503 Service Unavailable", "429": b"429 Too Many Requests"}[fault]
                    self.wfile.write(b"HTTP/1.1 " + status + b"\r\nContent-Type: application/problem+json\r\n"
                                     b"Retry-After: " + str(proxy.retry_after).encode() + b"\r\nContent-Length: 2"
                                     b"\r\nConnection: close\r\n\r\n{}")
                return
            upstream = socket.create_connection(proxy.upstream, timeout=120)
            with upstream:
                kept = [h for h in headers if not h.lower().startswith((b"connection:", b"keep-alive:"))]
                upstream.sendall(request_line + b"".join(kept) + b"Connection: close\r\n\r\n" + bytes(body))
                answer = bytearray()
                while block := upstream.recv(1024 * 1024):
                    answer += block
            status_line = bytes(answer.split(b"\r\n", 1)[0])
            seen.status = int(status_line.split(b" ")[1]) if b" " in status_line else None
            if fault == "drop-answer":  # the upstream got it; the client never hears back
                seen.fault = fault
                return
            self.wfile.write(bytes(answer))
        except (ConnectionError, OSError, ValueError):
            return


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class Proxy:
    def __init__(self, upstream_url: str, *, fault: Callable[[int, Seen], str | None] | None = None,
                 delay: float = 0.0, chunk: int = 256 * 1024, retry_after: int = 1):
        upstream = urlsplit(upstream_url)
        self.upstream = (upstream.hostname, upstream.port)
        self.fault = fault
        self.delay = delay  # seconds slept per body chunk read (a slow uplink)
        self.chunk = chunk
        self.retry_after = retry_after
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.proxy = self
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def arrived(self, method: str = "PUT") -> list[Seen]:
        """Requests the upstream answered 2xx (what arrived)."""
        return [s for s in self.seen if s.method == method and s.status is not None and 200 <= s.status < 300]
