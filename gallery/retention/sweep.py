"""The sweep: plan what is due with set-based SQL, then send what is due now.

plan(now)  one query per rule (per group of photographers sharing settings) selects every
           candidate; rows go into the outbox with INSERT ... ON CONFLICT (dedupe_key) DO NOTHING,
           so a repeated or concurrent sweep plans nothing twice.
send(now)  set-based UPDATEs suppress what may no longer go out (consent, unsubscribe, superseded
           by newer activity, rule switched off); each remaining due message is claimed with
           `UPDATE ... WHERE status='queued'` (one winner among concurrent sweeps) and sent in the
           client's local 09:00-11:00 window, in the client's language.

Dates that return yearly or follow a timestamp by whole days are compared as UTC calendar dates;
a message for due date D is scheduled at 09:00 on D in the client's timezone.
"""
from __future__ import annotations

import threading
from contextlib import nullcontext
from datetime import datetime

from gallery.core import clock
from gallery.core.ids import new_id
from gallery.core.transaction import commit
from gallery.extensions import db
from gallery.retention import schedule
from gallery.retention.digest import send_digests
from gallery.retention import campaigns, loyalty
from gallery.retention.outbox_writes import insert_ignoring_duplicates
from gallery.retention.planners import PLANNERS
from gallery.retention.rules import CATEGORIES, rule_groups, stored_rules
from gallery.retention.sending import SweepResult, recover_stalled, send_due  # noqa: F401 - the sweep's result


def plan(now: datetime | None = None, kinds=None) -> int:
    """Write every message that is due (or due within a day) to the outbox; returns how many are new."""
    now = now or clock.now()
    rows = []
    stored = stored_rules()
    for kind, planner in PLANNERS.items():
        if kinds and kind not in kinds:
            continue
        for settings, group in rule_groups(kind, stored[kind]):
            for c in planner(settings, group, now):
                rows.append({
                    "id": new_id(), "photographer_id": c.photographer_id, "client_id": c.client_id,
                    "visitor_id": c.visitor_id,
                    "gallery_id": c.gallery_id, "rule": c.rule, "category": CATEGORIES[c.rule],
                    "dedupe_key": c.dedupe_key, "anchor_at": c.anchor_at, "due_at": c.due_at,
                    "send_after": schedule.next_window_start(c.due_at, c.timezone), "context": c.context,
                    "status": "queued", "created_at": now,
                })
    if not kinds or "campaign" in kinds:
        rows.extend(campaigns.plan_due(now))
    if not kinds or "loyalty" in kinds:
        rows.extend(loyalty.plan_moves(now))
    if not rows:
        commit()  # tier holdings may have changed without a move up
        return 0
    inserted = insert_ignoring_duplicates(rows)
    commit()  # planned messages are durable before the send step claims them
    return inserted


def sweep(now: datetime | None = None) -> SweepResult:
    """One full sweep at `now` (the injected clock in tests, the real one in production)."""
    now = now or clock.now()
    # SQLite (the embedded, single-process default) cannot upgrade a stale read snapshot to a write,
    # so sweeps of one process take turns there; PostgreSQL sweeps run concurrently, kept apart by
    # the dedupe key and the status claim.
    serial = _sqlite_sweep_lock if db.engine.dialect.name == "sqlite" else nullcontext()
    with serial, clock.frozen(now):  # everything the sweep stamps (events, Date headers) reads this instant
        result = SweepResult(planned=plan(now))
        result.recovered, interrupted = recover_stalled(now)
        result.failed += interrupted
        send_due(now, result)
        result.digests = send_digests(now)
        return result


_sqlite_sweep_lock = threading.Lock()
