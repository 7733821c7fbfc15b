"""The RQ worker the `gallery worker` command runs: each job logs under the request id that caused it
(carried in the job's meta) and reports its duration and outcome to the metrics."""
from __future__ import annotations

import logging
import time

from rq import Worker

from gallery.observability import logs, metrics

# RQ adds a plain-text handler to its logger unless it has one; ours go through the root's JSON handler.
logging.getLogger("rq.worker").addHandler(logging.NullHandler())


class ObservedWorker(Worker):
    def perform_job(self, job, queue) -> bool:  # runs in the work horse
        # The horses of one worker run one after another: they share one metrics file (no pile-up per job).
        metrics.adopt_identity(f"{metrics.HOST}-rq.{self.name}")
        token = logs.set_request_id((job.meta or {}).get("request_id") or logs.new_request_id())
        started = time.perf_counter()
        succeeded = False
        try:
            succeeded = super().perform_job(job, queue)
            return succeeded
        finally:
            name = job.func_name or "unknown"
            metrics.JOB_SECONDS.labels(name).observe(time.perf_counter() - started)
            metrics.JOBS.labels(name, "finished" if succeeded else "failed").inc()
            logs.reset_request_id(token)
