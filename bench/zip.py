"""Zip download benchmark: stream a 2 GB gallery from local storage through the app under gunicorn.

Reports the zip's throughput against plain `cat` of the same files to /dev/null (target: >= 80%), and
against the same bytes sent over loopback HTTP by a bare socket with sendfile(2), which is what any
server can reach here; and the gunicorn worker's peak RSS growth while streaming (target: < 50 MB).
Then (bench/lib/zipload.py) the time to the first byte of the 2 GB zip on local storage and from an S3
server (moto's, over HTTP), with the CRC-32 recorded at upload vs computed in the first zip request, and
the share page's p99 while ten zips stream from S3: on the same gunicorn pool, on a pool of their own, and on
that pool at a lower CPU priority. BENCH_ZIP_LOAD_ONLY=1 skips the throughput part.
Files are random bytes under bench/out/zip/ (made once, reused).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.lib.report import Runs, load_footer, machine_header  # noqa: E402
from bench.lib.serve import Gunicorn, bench_line, memory_kib, published_gallery  # noqa: E402

OUT = Path(__file__).resolve().parent / "out" / "zip"
FILES = int(os.environ.get("BENCH_ZIP_FILES", 100))
FILE_MB = int(os.environ.get("BENCH_ZIP_FILE_MB", 20))
ROUNDS = int(os.environ.get("BENCH_ZIP_ROUNDS", 3))  # 100 x 20 MiB = 2 GiB, like 100 raw-size JPEGs
SECRET = "bench-zip-secret-key-0123456789-0123456789"


def make_files(storage: Path) -> list[Path]:
    folder = storage / "bench-originals"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(FILES):
        path = folder / f"photo-{i:04d}"
        if not path.exists() or path.stat().st_size != FILE_MB * 1024 * 1024:
            with open(path, "wb") as out:
                for _ in range(FILE_MB):
                    out.write(os.urandom(1024 * 1024))
        paths.append(path)
    return paths


def setup_app(settings: dict, paths: list[Path]) -> str:
    """A published gallery whose photos are the files; returns a client share token."""
    from gallery import create_app
    from gallery.extensions import db
    from gallery.galleries.models import Photo

    app = create_app(settings)
    with app.app_context():
        _, gallery, link = published_gallery("Bench 2 GB")
        for i, path in enumerate(paths):
            db.session.add(Photo(gallery_id=gallery.id, original_filename=f"DSC_{i:04d}.JPG",
                                 storage_key=f"bench-originals/{path.name}", sha256=f"{i:064d}",
                                 bytes=path.stat().st_size, status="ready", position=i))
        db.session.commit()
        return link.token


def evict(paths: list[Path]) -> None:
    """Drop these files (only these) from the page cache, so a run reads from disk."""
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def reset_peak(pid: int) -> None:
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # VmHWM := VmRSS


def timed(command: list[str], cold: list[Path] | None = None) -> float:
    if cold:
        evict(cold)
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


class SendfileFloor:
    """The fastest any HTTP server could send these files to curl on this machine: a bare socket that
    sendfile()s them back to back (no zip, no framework). Loopback TCP and curl's reads cost CPU that
    `cat > /dev/null` never pays, so this is the ceiling the zip route can reach, measured beside it."""

    def __init__(self, paths: list[Path]):
        import socket
        import threading

        self.paths = paths
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(8)
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}/"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        total = sum(p.stat().st_size for p in self.paths)
        while True:
            client, _ = self.server.accept()
            with client:
                client.recv(65536)
                client.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % total)
                for path in self.paths:
                    with open(path, "rb") as handle:
                        client.sendfile(handle)


def check_archive(url: str, paths: list[Path]) -> None:
    """The archive as served is a valid zip whose files are the originals (checked by CRC and size)."""
    import zipfile

    target = OUT / "check.zip"
    subprocess.run(["curl", "-sS", "--fail", "-o", str(target), url], check=True)
    try:
        with zipfile.ZipFile(target) as archive:
            infos = archive.infolist()
            assert len(infos) == len(paths) and all(i.file_size == p.stat().st_size for i, p in zip(infos, paths))
            assert archive.testzip() is None, "bad CRC in the served archive"
    finally:
        target.unlink(missing_ok=True)


def main() -> None:
    if not shutil.which("curl"):
        raise SystemExit("curl is needed to fetch the zip")
    OUT.mkdir(parents=True, exist_ok=True)
    storage = OUT / "storage"
    paths = make_files(storage)
    total = sum(p.stat().st_size for p in paths)
    mib = total / (1024 * 1024)
    machine_header("zip")
    settings = {"env": "testing", "database_url": f"sqlite:///{OUT / 'bench.db'}", "secret_key": SECRET,
                "storage_dir": str(storage), "mail_dir": str(OUT / "mail"), "redis_url": ""}
    token = setup_app(settings, paths)
    if os.environ.get("BENCH_ZIP_LOAD_ONLY"):
        from bench.lib import zipload

        zipload.run(settings, paths, token, OUT)
        load_footer()
        return
    cat = ["cat", *map(str, paths)]
    with Gunicorn(settings, workers=1, extra_args=["--timeout", "600"]) as server:
        url = f"{server.base}/api/v1/share/{token}/download.zip"
        curl = ["curl", "-sS", "--fail", "-o", "/dev/null", url]
        worker = server.worker_pids()[0]
        subprocess.run(["curl", "-sS", "-o", "/dev/null", f"{server.base}/api/v1/share/{token}"], check=True)
        rss_start = memory_kib(worker, "VmRSS")
        reset_peak(worker)  # the peak so far is argon2's 64 MiB at import, not ours
        # The first archive request computes and stores every photo's CRC-32 (one read of each file).
        subprocess.run(["curl", "-sS", "-o", "/dev/null", "-r", "0-99", url], check=True)
        first_growth = (memory_kib(worker, "VmHWM") - rss_start) / 1024
        check_archive(url, paths)
        rss_before = memory_kib(worker, "VmRSS")
        reset_peak(worker)
        floor = ["curl", "-sS", "--fail", "-o", "/dev/null", SendfileFloor(paths).url]
        runs = {name: Runs() for name in ("cold_cat", "cold_floor", "cold_zip", "warm_cat", "warm_floor", "warm_zip")}
        for _ in range(ROUNDS):  # alternating, so a disturbance hits every side alike
            runs["cold_cat"].add(mib / timed(cat, cold=paths))
            runs["cold_floor"].add(mib / timed(floor, cold=paths))
            runs["cold_zip"].add(mib / timed(curl, cold=paths))
            timed(cat)  # warm the page cache for all sides equally
            runs["warm_cat"].add(mib / timed(cat))
            runs["warm_floor"].add(mib / timed(floor))
            runs["warm_zip"].add(mib / timed(curl))
        peak = memory_kib(worker, "VmHWM")
    print(f"# {FILES} files, {mib:.0f} MiB; cold = files evicted from the page cache before each run; "
          f"{ROUNDS} rounds, throughput in MiB/s")
    runs["cold_zip"].report("zip_throughput_cold", "MiB/s", runs["cold_cat"], "cat_cold")
    runs["warm_zip"].report("zip_throughput_warm", "MiB/s", runs["warm_cat"], "cat_warm")
    print("# the same files over HTTP with nothing but sendfile(2) on a bare socket, to the same curl:")
    runs["cold_zip"].report("zip_throughput_cold", "MiB/s", runs["cold_floor"], "bare_sendfile_http_cold")
    runs["warm_zip"].report("zip_throughput_warm", "MiB/s", runs["warm_floor"], "bare_sendfile_http_warm")
    bench_line("zip_worker_peak_rss_growth", (peak - rss_before) / 1024, "MiB")
    bench_line("zip_worker_peak_rss_growth_first_request_with_crc", first_growth, "MiB")
    from bench.lib import zipload

    zipload.run(settings, paths, token, OUT)
    load_footer()


if __name__ == "__main__":
    main()
