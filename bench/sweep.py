"""Sweep benchmark on PostgreSQL: 10k, 100k and 1M clients with 10 events each.

Creates its own database (bench_sweep), generates the studio server-side (generate_series),
then times one sweep at a morning in the clients' timezone (plan, suppress, claim and hand the
due messages to the `mail` queue on Redis, as in production), a second sweep at the same instant
(everything already planned: the hourly steady state), and, separately, the delivery of the
claimed messages by one worker process (render, coupon, .eml file), as messages per second.

    .venv/bin/python bench/sweep.py [sizes, default 10000,100000,1000000]
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import UTC, datetime

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

BASE_URL = os.environ.get("GALLERY_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench_sweep")
REDIS_URL = os.environ.get("GALLERY_BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
NOW = datetime(2026, 1, 15, 8, 30, tzinfo=UTC)  # 09:30 in Oslo
EVENTS_PER_CLIENT = 10
DELIVERY_SAMPLE = 200  # delivery is per message and runs on parallel mail workers: a sample gives the rate


def ensure_database(url: str) -> None:
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}):
            conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


LOAD = [
    # one studio on default rules
    """INSERT INTO photographers (id, email, password_hash, studio_name, locale, timezone, branding, allowed_origins,
                                  created_at, updated_at)
       VALUES ('bench0000000000000000000p1', 'bench@example.com', 'x', 'Bench Studio', 'en', 'Europe/Oslo',
               '{}', '[]', now(), now())""",
    # clients: 70% consenting, a few languages, all in Oslo (the sweep runs at their morning)
    """INSERT INTO clients (id, photographer_id, name, email, locale, timezone, marketing_consent, tags,
                            created_at, updated_at)
       SELECT 'c' || lpad(i::text, 25, '0'), 'bench0000000000000000000p1', 'Client ' || i,
              'client' || i || '@example.test', (ARRAY['en','nb','pl','hr','id'])[1 + (i % 5)::int], 'Europe/Oslo',
              (i % 10) < 7, '[]', timestamptz '2023-01-01' + (i % 1000)::int * interval '1 hour', now()
       FROM generate_series(1::bigint, :n) AS i""",
    # one published gallery per client, shot over three years, expiring 90 days after publishing
    """INSERT INTO galleries (id, photographer_id, client_id, title, slug, event_type, shoot_date, status,
                              published_at, expires_at, download_policy, watermark, created_at, updated_at)
       SELECT 'g' || lpad(i::text, 25, '0'), 'bench0000000000000000000p1', 'c' || lpad(i::text, 25, '0'),
              'Gallery ' || i, 'gallery-' || i, (ARRAY['wedding','newborn','family','portrait'])[1 + (i % 4)::int],
              date '2023-01-01' + ((i * 7919) % 1095)::int, 'published',
              (date '2023-01-01' + ((i * 7919) % 1095)::int + 20)::timestamptz + interval '10 hours',
              (date '2023-01-01' + ((i * 7919) % 1095)::int + 110)::timestamptz + interval '10 hours',
              '{"client": "full", "guest": "web"}', false, now(), now()
       FROM generate_series(1::bigint, :n) AS i""",
    """INSERT INTO client_important_dates (id, client_id, kind, date, month_day)
       SELECT 'd' || lpad(i::text, 25, '0'), 'c' || lpad(i::text, 25, '0'), 'birthday',
              date '1980-01-01' + ((i * 104729) % 7300)::int, to_char(date '1980-01-01' + ((i * 104729) % 7300)::int, 'MM-DD')
       FROM generate_series(1::bigint, :n) AS i WHERE i % 5 = 0""",
    # ten events per client spread over three years
    """INSERT INTO events (ts, photographer_id, gallery_id, client_id, photo_id, kind, payload)
       SELECT timestamptz '2023-01-01' + ((e * 48271) % (1095 * 24 * 60)) * interval '1 minute',
              'bench0000000000000000000p1', 'g' || lpad(c::text, 25, '0'), 'c' || lpad(c::text, 25, '0'),
              'p' || (e % 500),
              (ARRAY['gallery_viewed','photo_viewed','photo_viewed','favourited','downloaded','shared',
                     'cart_updated','order_placed','order_paid','gallery_viewed'])[1 + (e % 10)::int],
              CASE WHEN e % 10 = 8 THEN '{"total": 25000, "currency": "NOK"}'::jsonb ELSE '{}'::jsonb END
       FROM generate_series(1::bigint, :n * 10) AS e, LATERAL (SELECT 1 + (e * 7) % :n AS c) AS pick""",
]


def _bulk_load(size: int) -> None:
    """Generate the studio with the event indexes dropped, then build them once, as a bulk import would:
    maintaining six indexes row by row makes 10M inserts take half an hour instead of minutes."""
    from gallery.engagement.models import Event
    from gallery.extensions import db

    indexes = list(Event.__table__.indexes)
    with db.engine.begin() as conn:
        conn.execute(text("SET LOCAL synchronous_commit = off"))
        for index in indexes:
            index.drop(conn)
        for statement in LOAD:
            conn.execute(text(statement), {"n": size})
        conn.execute(text("SET LOCAL maintenance_work_mem = '1GB'"))
        for index in indexes:
            index.create(conn)


def run(size: int) -> float:
    from gallery import create_app
    from gallery.extensions import db
    from redis import Redis
    from rq import Queue

    from gallery.retention.models import Message
    from gallery.retention.sending import deliver_claimed
    from gallery.retention.sweep import sweep

    app = create_app({"env": "testing", "database_url": BASE_URL, "secret_key": "bench-secret-key-" + "x" * 32,
                      "mail_dir": tempfile.mkdtemp(prefix="bench-mail-"), "public_base_url": "https://bench.example",
                      "redis_url": REDIS_URL})
    mail_queue = Queue("mail", connection=Redis.from_url(REDIS_URL))
    with app.app_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        _bulk_load(size)
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
        print(f"BENCH sweep_load_{_label(size)} {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        result = sweep(NOW)
        first = time.perf_counter() - started
        started = time.perf_counter()
        again = sweep(NOW)
        second = time.perf_counter() - started
        print(f"BENCH sweep_{_label(size)} {first:.2f} s", flush=True)
        print(f"BENCH sweep_repeat_{_label(size)} {second:.2f} s", flush=True)
        print(f"# {size} clients: planned {result.planned}, handed to mail workers {result.enqueued}, "
              f"suppressed {result.suppressed}; repeat planned {again.planned}, enqueued {again.enqueued}", flush=True)
        mail_queue.empty()  # the bench delivers below, in this process
        claimed = list(db.session.scalars(db.select(Message.id).where(Message.status == "sending")
                                          .limit(DELIVERY_SAMPLE)))
        started = time.perf_counter()
        sent, failed = deliver_claimed(claimed, NOW)
        elapsed = time.perf_counter() - started
        print(f"BENCH sweep_delivery_{_label(size)} {sent / elapsed:.1f} messages/s", flush=True)
        print(f"# delivered a sample of {sent} (failed {failed}) in {elapsed:.2f} s by one process", flush=True)
        db.session.remove()
        db.engine.dispose()
    return first


def _label(size: int) -> str:
    return f"{size // 1_000_000}M" if size >= 1_000_000 else f"{size // 1000}k"


def main() -> None:
    sizes = [int(s) for s in (sys.argv[1] if len(sys.argv) > 1 else "10000,100000,1000000").split(",")]
    from bench.lib.report import machine_header

    machine_header("sweep")
    ensure_database(BASE_URL)
    times = {}
    for size in sizes:
        times[size] = run(size)
    for small, large in zip(sizes, sizes[1:]):
        ratio = times[large] / times[small]
        print(f"BENCH sweep_growth_{_label(small)}_to_{_label(large)} {ratio:.2f} x vs linear "
              f"{large / small:.2f} x ratio {ratio / (large / small):.2f}", flush=True)
    from bench.lib.report import load_footer

    load_footer()


if __name__ == "__main__":
    main()
