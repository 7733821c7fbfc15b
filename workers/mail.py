"""The mail job (queue `mail`): deliver the outbox. Logic lives in gallery.mail."""
from __future__ import annotations

from workers.jobs import app_job


@app_job
def deliver_outbox() -> dict:
    """Drain what is due; enqueued after every commit that queued mail, and every few seconds for retries."""
    from gallery.mail.delivery import deliver_due

    return deliver_due().as_dict()


@app_job
def purge_outbox() -> int:
    from gallery.mail.delivery import purge_sent

    return purge_sent()
