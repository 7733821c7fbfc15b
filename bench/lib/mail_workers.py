"""Real mail workers for the benchmarks: `flask --app wsgi gallery worker --queues mail` processes, as deployed,
configured through GALLERY_* variables to the benchmark's database, Redis and SMTP sink."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.lib.report import process_cpu_seconds

ROOT = Path(__file__).resolve().parents[2]


class MailWorkers:
    """`count` RQ worker processes on the `mail` queue, started before the work arrives (as in production) and
    stopped on exit; their output goes to a log file that is printed if one of them dies."""

    def __init__(self, count: int, *, database_url: str, redis_url: str, smtp_port: int, secret_key: str):
        self.count = count
        self.env = {**os.environ, "GALLERY_ENV": "testing", "GALLERY_DATABASE_URL": database_url,
                    "GALLERY_REDIS_URL": redis_url, "GALLERY_MAIL_BACKEND": "smtp", "GALLERY_SMTP_HOST": "127.0.0.1",
                    "GALLERY_SMTP_PORT": str(smtp_port), "GALLERY_SECRET_KEY": secret_key,
                    "GALLERY_PUBLIC_BASE_URL": "https://bench.example", "GALLERY_DATABASE_STATEMENT_TIMEOUT": "0",
                    "GALLERY_LOG_FORMAT": "text", "GALLERY_MAIL_DIR": tempfile.mkdtemp(prefix="bench-mail-")}
        self.log = tempfile.NamedTemporaryFile("w+", prefix="bench-mail-workers-", suffix=".log", delete=False)
        self.processes: list[subprocess.Popen] = []

    def __enter__(self) -> "MailWorkers":
        command = [sys.executable, "-m", "flask", "--app", "wsgi", "gallery", "worker", "--queues", "mail",
                   "--no-schedule"]
        self.processes = [subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
                          for _ in range(self.count)]
        deadline = time.monotonic() + 60
        while self._started() < self.count:  # each worker logs once it listens on its queue
            self.check()
            if time.monotonic() > deadline:
                raise SystemExit(f"the mail workers did not start; see {self.log.name}")
            time.sleep(0.2)
        return self

    def _started(self) -> int:
        return Path(self.log.name).read_text(errors="replace").count("*** Listening on")

    def check(self) -> None:
        for process in self.processes:
            if process.poll() is not None:
                raise SystemExit(f"a mail worker exited ({process.returncode}):\n"
                                 + Path(self.log.name).read_text(errors="replace")[-4000:])

    def cpu_seconds(self) -> float:
        """User + system CPU of the workers and their work horses so far (children that have exited included)."""
        return sum(process_cpu_seconds(process.pid, with_children=True) for process in self.processes)

    def __exit__(self, *exc) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        self.log.close()
