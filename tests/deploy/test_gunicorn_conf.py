"""The shipped gunicorn configuration: a pool that serves only zips can run at a lower CPU priority."""
from __future__ import annotations

import os
import subprocess
import sys

PROBE = ("import os; import gallery.gunicorn_conf as conf; before = os.nice(0); conf.post_fork(None, None); "
         "print(conf.nice, before, os.nice(0))")


def _run(nice: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", PROBE], env={**os.environ, "GALLERY_WEB_NICE": nice},
                          capture_output=True, text=True, timeout=120)


def test_a_zip_pool_runs_its_workers_at_the_configured_priority():
    result = _run("10")
    assert result.returncode == 0, result.stderr
    configured, before, after = map(int, result.stdout.split())
    assert configured == 10 and after == min(19, before + 10)


def test_the_default_pool_keeps_its_priority():
    result = _run("")
    assert result.returncode == 0, result.stderr
    configured, before, after = map(int, result.stdout.split())
    assert configured == 0 and after == before


def test_a_priority_outside_nice_range_is_refused():
    result = _run("25")
    assert result.returncode != 0 and "GALLERY_WEB_NICE" in result.stderr
