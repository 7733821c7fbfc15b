"""Helpers for the benchmarks that send mail: a counting SMTP server (aiosmtpd) in its own process and a
PostgreSQL database of their own (the CPU model and load come from bench.lib.report)."""
from __future__ import annotations

import multiprocessing as mp
import socket
import time

from bench.lib.report import cpu_model, load_average as load  # noqa: F401 - re-exported for the mail benches


def ensure_database(url: str) -> None:
    """Create the benchmark's PostgreSQL database if it is missing."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}):
            conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(port, counter, ready):
    from aiosmtpd.controller import Controller

    class Counting:
        async def handle_DATA(self, _server, _session, envelope):  # noqa: N802 - aiosmtpd's hook name
            with counter.get_lock():
                counter.value += 1
            return "250 OK"

    controller = Controller(Counting(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    while True:
        time.sleep(3600)


class SmtpSink:
    """aiosmtpd on loopback in its own process (so it does not share our GIL); `received` counts mails."""

    def __init__(self):
        self.port = free_port()
        self._counter, ready = mp.Value("i", 0), mp.Event()
        self._process = mp.Process(target=_serve, args=(self.port, self._counter, ready), daemon=True)
        self._process.start()
        if not ready.wait(15):
            raise SystemExit("the SMTP sink did not start")

    @property
    def received(self) -> int:
        return self._counter.value

    def stop(self) -> None:
        self._process.terminate()
