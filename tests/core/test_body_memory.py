"""A 30 MB JSON body to login, against a real gunicorn worker: refused before parsing, memory flat."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BODY_BYTES = 30 * 1024 * 1024


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def _worker_pid(master: int) -> int:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _request(port: int, head: bytes, body_chunks) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head)
        try:
            for chunk in body_chunks:
                sock.sendall(chunk)
        except OSError:
            pass  # the server answered and closed early: what we want
        answer = b""
        try:
            while data := sock.recv(65536):
                answer += data
        except OSError:
            pass
        return answer


@pytest.fixture
def gunicorn(tmp_path):
    port = _free_port()
    env = dict(os.environ, GALLERY_ENV="testing", GALLERY_DATABASE_URL=f"sqlite:///{tmp_path / 'g.db'}",
               GALLERY_SECRET_KEY="k" * 40, GALLERY_STORAGE_DIR=str(tmp_path / "s"), GALLERY_MAIL_DIR=str(tmp_path / "m"))
    env.pop("GALLERY_REDIS_URL", None)
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}",
                                "wsgi:app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        worker = _worker_pid(process.pid)
        yield port, worker
    finally:
        process.terminate()
        process.wait(timeout=30)


def _warm(port: int) -> None:
    for _ in range(3):
        _request(port, b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       b"Content-Length: 40\r\nConnection: close\r\n\r\n", [b'{"email":"a@b.cd","password":"xxxxxxxx"}'])


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_30_mb_json_body_to_login_is_refused_before_parsing(gunicorn, chunked):
    port, worker = gunicorn
    _warm(port)
    before = _rss_kb(worker)
    piece = b'"' + b"a" * (1024 * 1024 - 2) + b'"'
    chunks = [b'{"email": ['] + [piece + b"," for _ in range(29)] + [piece + b"]}"]
    if chunked:
        head = (b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
        chunks = [b"%x\r\n%s\r\n" % (len(c), c) for c in chunks] + [b"0\r\n\r\n"]
    else:
        head = (b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: %d\r\nConnection: close\r\n\r\n" % sum(len(c) for c in chunks))
    answer = _request(port, head, chunks)
    after = _rss_kb(worker)
    growth_mb = (after - before) / 1024
    print(f"worker RSS {before / 1024:.1f} MB -> {after / 1024:.1f} MB ({growth_mb:+.1f} MB): {answer[:12]!r}")
    assert answer.startswith(b"HTTP/1.1 413"), answer[:600]
    assert b"application/problem+json" in answer
    assert growth_mb < 20
