"""/metrics sums what every process did: requests served by two gunicorn workers and a job run by an
RQ worker, through prometheus_client's multiprocess directory, as deployed."""
import json
import re
import sys
import threading

import pytest

from tests.conftest import REDIS_URL

pytestmark = pytest.mark.postgres_only


def _sample(text: str, name: str, **labels) -> float:
    total = 0.0
    for line in text.splitlines():
        match = re.match(rf"^{name}{{(.*)}} (\S+)$", line)
        if match and all(f'{k}="{v}"' in match.group(1) for k, v in labels.items()):
            total += float(match.group(2))
    return total


def _post_json(url: str, body: dict, headers: dict) -> int:
    import json
    import urllib.request

    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", **headers})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def test_metrics_after_requests_from_two_workers_and_a_job(app, database_backend, tmp_path, rq_redis, smtp_server,
                                                           make_photographer, make_gallery, make_share_link):
    if database_backend != "postgresql":
        pytest.skip("several processes share one database: run on PostgreSQL, as deployed")
    import subprocess

    from rq import Queue

    from tests.plugins.serving import gunicorn_server, http_get
    from tests.plugins.uploads import PROJECT, settings_env

    photographer, _ = make_photographer()
    token = make_share_link(make_gallery(photographer, publish=True)).token
    metrics_dir = tmp_path / "metrics"
    # Sync workers take one connection at a time, so parallel requests reach both (a gthread worker may
    # accept them all).
    env = {"PROMETHEUS_MULTIPROC_DIR": str(metrics_dir), "GALLERY_WEB_WORKER_CLASS": "sync"}
    # Code requests queue mail in the web processes; the mail job on the worker delivers it: one is taken,
    # one is refused for good.
    smtp_server.reply = lambda envelope: "550 5.1.1 no such user" if "nobody" in envelope.rcpt_tos[0] else None
    with smtp_server.configured(app), gunicorn_server(app, tmp_path, workers=2, env=env) as server:
        pids = set(server.worker_pids())
        assert len(pids) == 2
        served: set[str] = set()
        statuses: list[int] = []

        def hit():
            statuses.append(http_get(f"{server.base}/api/v1/share/{token}")[0])

        # Parallel requests until both workers have written samples (each keeps files named by its pid).
        for _ in range(50):
            if served == {str(pid) for pid in pids}:
                break
            threads = [threading.Thread(target=hit) for _ in range(8)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            served = {m.group(1) for p in metrics_dir.glob("counter_*.db") if (m := re.search(r"-(\d+)\.db$", p.name))}
        assert served == {str(pid) for pid in pids}, "both workers served requests"
        assert set(statuses) == {200}
        count = len(statuses)
        for address, request_id in (("kari@example.no", "metrics-mail-0001"), ("nobody@example.no", "metrics-mail-0002")):
            assert _post_json(f"{server.base}/api/v1/share/{token}/visitors", {"email": address},
                              {"X-Request-ID": request_id}) == 202

        Queue("default", connection=rq_redis).enqueue("workers.jobs.backfill_crc32", meta={"request_id": "metrics-0001"})
        Queue("default", connection=rq_redis).enqueue("workers.jobs.reconcile_photos")
        worker_env = {**settings_env(app), "GALLERY_REDIS_URL": REDIS_URL, "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
        worker = subprocess.run([sys.executable, "-m", "gallery", "worker", "--burst", "--no-schedule",
                                 "--queues", "default,mail"],
                                cwd=PROJECT, env={**worker_env, "GALLERY_LOG_FORMAT": "json"}, check=True, timeout=120,
                                capture_output=True)
        Queue("default", connection=rq_redis).enqueue("workers.jobs.reconcile_photos")  # waiting: queue depth 1

        status, headers, body = http_get(f"{server.base}/metrics")
        assert status == 200 and headers["Content-Type"].startswith("text/plain")
        text = body.decode()
    route = "/api/v1/share/<token>"
    assert _sample(text, "gallery_http_requests_total", route=route, method="GET", status="200") == count
    assert _sample(text, "gallery_http_request_duration_seconds_count", route=route, method="GET") == count
    assert _sample(text, "gallery_http_request_duration_seconds_bucket", route=route, le="+Inf") == count
    assert _sample(text, "gallery_jobs_total", job="workers.jobs.backfill_crc32", status="finished") == 1
    assert _sample(text, "gallery_jobs_total", job="workers.jobs.reconcile_photos", status="finished") == 1
    assert _sample(text, "gallery_job_duration_seconds_count", job="workers.jobs.backfill_crc32") == 1
    assert _sample(text, "gallery_queue_depth", queue="default") == 1
    assert "# TYPE gallery_sweep_duration_seconds histogram" in text
    assert [m["To"].addresses[0].addr_spec for m in smtp_server.messages] == ["kari@example.no"]
    assert smtp_server.messages[0]["X-Request-ID"] == "metrics-mail-0001"
    assert _sample(text, "gallery_mails_total", result="sent") == 1
    assert _sample(text, "gallery_mails_total", result="failed") == 1
    # The worker's log says which request the refused mail came from (warnings show at the test log level).
    failures = [line for line in map(json.loads, worker.stderr.decode().splitlines()) if line.get("message") == "mail failed"]
    assert [line["request_id"] for line in failures] == ["metrics-mail-0002"]
