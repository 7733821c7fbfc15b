"""`pip install .` is a complete product: the wheel carries templates, static files, migrations, compiled
catalogs, the demo photos and the gunicorn configuration; installed into a fresh venv outside the
repository, its `gallery` command migrates, seeds the demo and serves the share page."""
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.conftest import free_port

PROJECT = Path(__file__).resolve().parent.parent.parent
IGNORED = shutil.ignore_patterns(".git", ".venv", "var", "bench", "tests", "build", "*.egg-info", "__pycache__",
                                 "node_modules", ".pytest_cache", ".mypy_cache", ".ruff_cache")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("source") / "gallery"
    shutil.copytree(PROJECT, source, ignore=IGNORED)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(source)],
                   check=True, timeout=600)
    [built] = out.glob("gallery-*.whl")
    return built


def test_the_wheel_carries_everything_the_app_reads_from_disk(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = ["gallery/wsgi.py", "gallery/gunicorn_conf.py", "gallery/console.py",
                "gallery/migrations/env.py", "gallery/migrations/alembic.ini", "gallery/migrations/script.py.mako",
                "gallery/static/page/gallery.js", "gallery/demo_photos/jolla.jpg", "workers/jobs.py"]
    for name in expected:
        assert name in names, name
    assert any(re.match(r"gallery/migrations/versions/\w+\.py$", n) for n in names)
    assert any(n.startswith("gallery/templates/") and n.endswith(".html") for n in names)
    for language in ("nb", "pl", "hr", "id"):
        assert f"gallery/translations/{language}/LC_MESSAGES/messages.mo" in names
        assert f"gallery/web_client/translations/{language}/LC_MESSAGES/page.mo" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "gallery = gallery.console:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_into_a_fresh_venv_it_serves_a_share_page(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    # Dependencies resolve from the index like any install (pip's cache makes it quick after `make install`).
    subprocess.run([*pip, str(wheel)], check=True, timeout=900, cwd=tmp_path)
    site = tmp_path / "site"  # a deployment folder, far from the repository
    site.mkdir()
    (site / ".env").write_text(  # read by every command of the installed package, as in a checkout
        f"GALLERY_DATABASE_URL=sqlite:///{site / 'gallery.db'}\n"
        f"GALLERY_STORAGE_DIR={site / 'storage'}\nGALLERY_MAIL_DIR={site / 'mail'}\n"
        "GALLERY_SECRET_KEY=an-installed-site-secret-key-0123456789\n"
        f"PROMETHEUS_MULTIPROC_DIR={site / 'metrics'}\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GALLERY_", "PYTHON", "VIRTUAL_ENV", "FLASK_"))}
    env["PATH"] = f"{venv / 'bin'}:{env.get('PATH', '')}"
    gallery = str(venv / "bin" / "gallery")

    def run(*args: str) -> str:
        done = subprocess.run([gallery, *args], cwd=site, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    imported = subprocess.run([str(venv / "bin" / "python"), "-c", "import gallery; print(gallery.__file__)"],
                              cwd=site, env=env, capture_output=True, text=True, check=True).stdout
    assert str(venv) in imported and str(PROJECT) not in imported
    assert "database at head" in run("migrate")
    seeded = run("seed-demo")
    share_path = re.search(r"/g/[A-Za-z0-9_-]+", seeded).group(0)
    assert "8 of 8 ready" in seeded  # the demo photos came with the package and went through the pipeline
    run("create-photographer", "--email", "anna@example.com", "--studio", "Anna Foto", "--password",
        "a long secret 42")
    run("sweep", "--now", "2026-06-01T09:00:00Z")

    port = free_port()
    server = subprocess.Popen([gallery, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"], cwd=site, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        from tests.plugins.serving import http_get

        deadline = time.monotonic() + 60
        while True:
            try:
                status, _, body = http_get(f"http://127.0.0.1:{port}{share_path}", timeout=5)
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, server.stdout.read().decode()
                time.sleep(0.2)
        assert status == 200 and (b"Kari" in body or b"Wedding" in body), body[:500]
        script = re.search(rb'src="(/static/[^"]+\.js)"', body).group(1).decode()
        assert http_get(f"http://127.0.0.1:{port}{script}")[0] == 200
        api_status, _, api_body = http_get(f"http://127.0.0.1:{port}/api/v1/share/{share_path[3:]}")
        assert api_status == 200 and b'"sets"' in api_body
        assert http_get(f"http://127.0.0.1:{port}/readyz")[0] == 200
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(20)
