"""Fixtures that run the app as it is deployed: gunicorn with the shipped configuration
(gallery/gunicorn_conf.py), on loopback high ports, started and stopped by the test.

Registered by the root conftest (pytest_plugins); helpers are imported from here.
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
from tests.plugins.uploads import PROJECT, settings_env

__all__ = ["gunicorn_server", "http_get", "GunicornServer", "nginx_server", "render_nginx_site"]


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
                   "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / f"metrics-{port}"), **(env or {})}
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


DEPLOY = PROJECT / "deploy"
TEMPLATE_NAMES = ("NGINX_LISTEN", "GALLERY_UPSTREAM", "GALLERY_ZIP_UPSTREAM", "GALLERY_MAX_BODY", "GALLERY_STORAGE_DIR")


def render_nginx_site(values: dict) -> str:
    """deploy/nginx/gallery.conf.template with its four ${NAMES} filled in, as envsubst would (only those)."""
    import re

    text = (DEPLOY / "nginx" / "gallery.conf.template").read_text()
    return re.sub(r"\$\{(" + "|".join(TEMPLATE_NAMES) + r")\}", lambda m: str(values[m.group(1)]), text)


@contextmanager
def nginx_server(tmp_path: Path, *, upstream_port: int, storage_dir: str, max_body: str = "210m"):
    """Debian's nginx running the shipped site in front of `upstream_port`, on a loopback high port, in the
    foreground of a process this test owns; yields its base URL."""
    import shutil

    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    root = tmp_path / "nginx"
    for sub in ("logs", "tmp", "conf"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    port = free_port()
    (root / "conf" / "site.conf").write_text(render_nginx_site({
        "NGINX_LISTEN": f"127.0.0.1:{port}", "GALLERY_UPSTREAM": f"127.0.0.1:{upstream_port}",
        "GALLERY_ZIP_UPSTREAM": f"127.0.0.1:{upstream_port}",
        "GALLERY_MAX_BODY": max_body, "GALLERY_STORAGE_DIR": storage_dir}))
    (root / "conf" / "nginx.conf").write_text(f"""
user root;
daemon off;
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/logs/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {root}/tmp/body;
    proxy_temp_path {root}/tmp/proxy;
    fastcgi_temp_path {root}/tmp/fastcgi;
    uwsgi_temp_path {root}/tmp/uwsgi;
    scgi_temp_path {root}/tmp/scgi;
    include {root}/conf/site.conf;
}}
""")
    log = open(root / "logs" / "stdout.log", "wb")
    process = subprocess.Popen([nginx, "-p", str(root), "-c", str(root / "conf" / "nginx.conf")], stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                http_get(base + "/livez", timeout=2)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("nginx did not start:\n" + (root / "logs" / "error.log").read_text()
                                         if (root / "logs" / "error.log").exists() else "nginx did not start")
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        log.close()
