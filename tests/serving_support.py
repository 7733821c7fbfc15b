"""Fixtures that run the app as it is deployed: gunicorn with the shipped configuration
(gallery/gunicorn_conf.py), on loopback high ports, started and stopped by the test.

Import them into a test package's conftest: `from tests.serving_support import *`.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import free_port
from tests.uploads_support import PROJECT, settings_env

__all__ = ["gunicorn_server", "http_get", "GunicornServer"]


class GunicornServer:
    def __init__(self, process: subprocess.Popen, port: int, log: Path):
        self.process = process
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.log = log

    def worker_pids(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []


def http_get(url: str, headers: dict | None = None, timeout: float = 10.0) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@contextmanager
def gunicorn_server(app, tmp_path: Path, *, workers: int = 2, env: dict | None = None,
                    python: str = sys.executable, cwd: Path = PROJECT, app_path: str = "gallery.wsgi:app"):
    """`python -m gunicorn -c python:gallery.gunicorn_conf gallery.wsgi:app` serving the same database and
    storage as `app`; yields a GunicornServer once /livez answers."""
    port = free_port()
    log = tmp_path / f"gunicorn-{port}.log"
    environment = {**settings_env(app), "GALLERY_WEB_BIND": f"127.0.0.1:{port}", "GALLERY_WEB_WORKERS": str(workers),
                   **(env or {})}
    with open(log, "wb") as out:
        process = subprocess.Popen([python, "-m", "gunicorn", "-c", "python:gallery.gunicorn_conf", app_path],
                                   cwd=cwd, env=environment, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    server = GunicornServer(process, port, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if http_get(server.base + "/livez", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("gunicorn did not start:\n" + log.read_text()[-3000:])
            time.sleep(0.1)
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)
