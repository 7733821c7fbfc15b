"""Retention RQ jobs: the periodic sweep (hourly is enough: sending is windowed to local mornings)
and the delivery of messages a sweep claimed (queue `mail`). Logic lives in gallery.retention."""
from __future__ import annotations

from datetime import datetime

from gallery.retention.sending import deliver_claimed
from gallery.retention.sweep import sweep
from workers.jobs import app_job


@app_job
def run_sweep(now_iso: str | None = None) -> dict:
    """Plan and send (or hand to mail workers) due retention messages."""
    from gallery.observability import metrics

    with metrics.SWEEP_SECONDS.time():
        return sweep(datetime.fromisoformat(now_iso) if now_iso else None).as_dict()


@app_job
def deliver_messages(message_ids: list[str], now_iso: str) -> dict:
    """Deliver messages a sweep claimed; `now` is the sweep's instant (the local-morning decision)."""
    sent, failed = deliver_claimed(message_ids, datetime.fromisoformat(now_iso))
    return {"sent": sent, "failed": failed}
