"""Retention RQ jobs: the periodic sweep (hourly is enough: sending is windowed to local mornings)
and the delivery of messages a sweep claimed (queue `mail`). Logic lives in gallery.retention."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime


@contextmanager
def _app_context():
    from flask import has_app_context

    if has_app_context():
        yield
        return
    from gallery import create_app

    with create_app().app_context():
        yield


def run_sweep(now_iso: str | None = None) -> dict:
    """Plan and send (or hand to mail workers) due retention messages."""
    from gallery.retention.sweep import sweep

    with _app_context():
        return sweep(datetime.fromisoformat(now_iso) if now_iso else None).as_dict()


def deliver_messages(message_ids: list[str], now_iso: str) -> dict:
    """Deliver messages a sweep claimed; `now` is the sweep's instant (the local-morning decision)."""
    from gallery.retention.sweep import deliver_claimed

    with _app_context():
        sent, failed = deliver_claimed(message_ids, datetime.fromisoformat(now_iso))
        return {"sent": sent, "failed": failed}
