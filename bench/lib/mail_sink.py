"""Helpers for the mail benchmarks: a counting SMTP server (aiosmtpd) in its own process, CPU model, load."""
from __future__ import annotations

import multiprocessing as mp
import os
import socket
import time


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


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
