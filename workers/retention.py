"""The periodic retention sweep as an RQ job (hourly is enough: sending is windowed to local mornings)."""
from __future__ import annotations


def run_sweep(now_iso: str | None = None) -> dict:
    """Plan and send due retention messages; logic lives in gallery.retention.sweep."""
    from datetime import datetime

    from flask import has_app_context

    from gallery.retention.sweep import sweep

    now = datetime.fromisoformat(now_iso) if now_iso else None
    if has_app_context():
        return sweep(now).as_dict()
    from gallery import create_app

    with create_app().app_context():
        return sweep(now).as_dict()
