"""Helpers shared by the benchmarks: run the real app under gunicorn, read a process's memory."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.lib.report import bench_line  # noqa: F401  (the benchmarks import it from here too)

ROOT = Path(__file__).resolve().parent.parent.parent
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """`gunicorn wsgi:app` with GALLERY_* settings, started and stopped by this process."""

    def __init__(self, settings: dict, workers: int = 1, extra_args: list[str] | None = None):
        self.port = free_port()
        env = {**os.environ, **{f"GALLERY_{k.upper()}": str(v) for k, v in settings.items()}}
        self.process = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{self.port}", "--log-level",
             "warning", *(extra_args or []), "wsgi:app"], cwd=ROOT, env=env)
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 120  # a busy machine takes a while to import the app
        while True:
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise SystemExit("gunicorn did not start")
                time.sleep(0.2)

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def memory_kib(pid: int, field: str) -> int:
    """VmRSS (now) or VmHWM (peak) of a process, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def published_gallery(title: str):
    """Fresh tables, a photographer, a published gallery and a client share link (inside an app context)."""
    from gallery.accounts import services as accounts
    from gallery.extensions import db
    from gallery.galleries import services as galleries
    from gallery.sharing import links as share_links

    db.drop_all()
    db.create_all()
    photographer = accounts.create_photographer(email="bench@example.com", password="bench password 1",
                                                studio_name="Bench")
    gallery = galleries.create_gallery(photographer.id, {"title": title})
    galleries.publish_gallery(photographer.id, gallery.id)
    link = share_links.create_link(photographer.id, gallery.id, {"role": "client"})
    return photographer, gallery, link
