"""Real network faults on loopback: a port nothing listens on, a black hole, a proxy that can be cut."""
from __future__ import annotations

import socket
import threading

import pytest


class BlackHole:
    """Accepts TCP connections and never answers (a database host that hangs)."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(64)
        self.port = self.server.getsockname()[1]
        self.held: list[socket.socket] = []
        self.running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while self.running:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self):
        self.running = False
        try:
            self.server.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.server.close()
        for conn in self.held:
            conn.close()


class Proxy:
    """Forwards a loopback port to a real service; `cut()` refuses connections, `restore()` serves again."""

    def __init__(self, target_port: int):
        self.target = ("127.0.0.1", target_port)
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.server = None
        self.pipes: list[socket.socket] = []
        self.restore()

    def restore(self):
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", self.port))
        self.server.listen(64)
        threading.Thread(target=self._accept, args=(self.server,), daemon=True).start()

    def cut(self):
        try:
            self.server.shutdown(socket.SHUT_RDWR)  # wakes accept(): the port refuses from now on
        except OSError:
            pass
        self.server.close()
        for pipe in self.pipes:
            try:
                pipe.shutdown(socket.SHUT_RDWR)  # wakes the pumping threads; close() alone would not
                pipe.close()
            except OSError:
                pass
        self.pipes = []

    def _accept(self, server):
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.pipes += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.close()
                except OSError:
                    pass


@pytest.fixture
def black_hole():
    hole = BlackHole()
    yield hole
    hole.close()


@pytest.fixture
def closed_port():
    from tests.conftest import free_port

    return free_port()  # bound and released: nothing listens there


@pytest.fixture
def make_proxy():
    proxies = []

    def make(target_port: int) -> Proxy:
        proxy = Proxy(target_port)
        proxies.append(proxy)
        return proxy

    yield make
    for proxy in proxies:
        proxy.cut()
