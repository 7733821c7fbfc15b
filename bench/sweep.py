"""Sweep benchmark on PostgreSQL: 10k, 100k and 1M clients with 10 events each, three loyalty tiers, paid
orders for a third of the clients and a campaign to a segment going out at the measured morning.

Creates its own database (bench_sweep), generates the studio server-side (generate_series),
then times one sweep at a morning in the clients' timezone (plan, suppress, claim and hand the
due messages to the `mail` queue on Redis, as in production), a second sweep at the same instant
(everything already planned: the hourly steady state), and, separately, the delivery of a sample of
the claimed messages by one worker process, end to end: render with coupon into the mail outbox, then
the mail job sends them to a local SMTP server (aiosmtpd in its own process), as messages per second.

    .venv/bin/python bench/sweep.py [sizes, default 10000,100000,1000000]
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import UTC, datetime

from sqlalchemy import text

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench.lib.mail_support import SmtpSink, ensure_database, load  # noqa: E402
from bench.lib.report import Runs, bench_line, load_average, process_cpu_seconds  # noqa: E402

BASE_URL = os.environ.get("GALLERY_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench_sweep")
REDIS_URL = os.environ.get("GALLERY_BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
NOW = datetime(2026, 1, 15, 8, 30, tzinfo=UTC)  # 09:30 in Oslo
EVENTS_PER_CLIENT = 10
REPEATS = {10_000: 5, 100_000: 5, 1_000_000: 3}  # first and repeat sweep, from the same loaded studio
# Delivery runs on parallel mail workers: a sample gives the rate per process (0: skip it).
DELIVERY_SAMPLE = int(os.environ.get("GALLERY_BENCH_DELIVERY_SAMPLE", "1000"))
# Then the day's mail out of the door: a fresh sweep with this many real mail workers running (the README's
# recommendation for a 2-core machine; 0: skip it), timed until the SMTP server has every mail.
MAIL_WORKERS = int(os.environ.get("GALLERY_BENCH_MAIL_WORKERS", "2"))
DAY_OUT_TARGET = 120.0  # seconds, at 1M clients
DAY_OUT_REPEATS = int(os.environ.get("GALLERY_BENCH_DAY_OUT_REPEATS", "3"))
SECRET = "bench-secret-key-" + "x" * 32


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
    # each gallery shared with its client by one link (what retention mails point to)
    """INSERT INTO share_links (id, gallery_id, token, role, permissions, created_at, updated_at)
       SELECT 's' || lpad(i::text, 25, '0'), 'g' || lpad(i::text, 25, '0'), 'bench-link-' || i, 'client', '{}',
              (date '2023-01-01' + ((i * 7919) % 1095)::int + 20)::timestamptz + interval '10 hours', now()
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
    # paid orders for a third of the clients (lifetime spend for loyalty tiers and segments)
    """INSERT INTO orders (id, photographer_id, gallery_id, visitor_id, client_id, locale, status, currency, subtotal,
                           discount, shipping, tax, tax_rate_bp, tax_included, total, payment_provider, placed_at,
                           paid_at, created_at, updated_at)
       SELECT 'o' || lpad(i::text, 25, '0'), 'bench0000000000000000000p1', 'g' || lpad(i::text, 25, '0'),
              'v' || lpad(i::text, 25, '0'), 'c' || lpad(i::text, 25, '0'), 'en', 'paid', 'NOK',
              25000 * (1 + i % 5), 0, 0, 0, 0, true, 25000 * (1 + i % 5), 'manual', timestamptz '2025-06-01',
              timestamptz '2025-06-01', timestamptz '2025-06-01', timestamptz '2025-06-01'
       FROM generate_series(1::bigint, :n) AS i WHERE i % 3 = 0""",
    # three loyalty tiers, and a campaign to dormant wedding clients going out this morning
    """INSERT INTO loyalty_tiers (id, photographer_id, name, min_spend, min_sessions, discount_percent, free_digital,
                                  early_access, rank, created_at, updated_at)
       VALUES ('tier00000000000000000000t1', 'bench0000000000000000000p1', 'Friend', NULL, 1, 0, false, false, 1,
               '2025-01-01', '2025-01-01'),
              ('tier00000000000000000000t2', 'bench0000000000000000000p1', 'Regular', 50000, 2, 5, false, false, 2,
               '2025-01-01', '2025-01-01'),
              ('tier00000000000000000000t3', 'bench0000000000000000000p1', 'VIP', 100000, NULL, 10, true, true, 3,
               '2025-01-01', '2025-01-01')""",
    """INSERT INTO retention_campaigns (id, photographer_id, name, status, segment, wording, default_locale,
                                        send_on, attribution_days, early_access_days, recipients, created_at,
                                        updated_at)
       VALUES ('camp0000000000000000000ca1', 'bench0000000000000000000p1', 'Anniversary minis', 'scheduled',
               '{"event_types": ["wedding"], "dormant_months": 6}',
               '{"en": {"subject": "Minis, {{ client_first_name }}", "body": "Book a slot."}}', 'en',
               date '2026-01-15', 14, 0, 0, now(), now())""",
]


def _bulk_load(size: int) -> None:
    """Generate the studio with the event indexes dropped, then build them once, as a bulk import would:
    maintaining six indexes row by row makes 10M inserts take half an hour instead of minutes."""
    from gallery.engagement.models import Event
    from gallery.extensions import db

    indexes = list(Event.__table__.indexes)
    with db.engine.begin() as conn:
        conn.execute(text("SET LOCAL synchronous_commit = off"))
        conn.execute(text("SET LOCAL statement_timeout = 0"))  # a bulk import, not a request: no 30 s limit
        for index in indexes:
            index.drop(conn)
        for statement in LOAD:
            conn.execute(text(statement), {"n": size})
        conn.execute(text("SET LOCAL maintenance_work_mem = '1GB'"))
        for index in indexes:
            index.create(conn)


def _backend_cpu() -> float:
    """CPU seconds the database backend of this session has used (the server runs on this machine; parallel
    query workers, if any, are not counted)."""
    from gallery.extensions import db

    return process_cpu_seconds(db.session.scalar(text("SELECT pg_backend_pid()")))


def _timed(work):
    """(result, wall s, this process's CPU s, the database backend's CPU s)."""
    before_db, before_cpu, started = _backend_cpu(), time.process_time(), time.perf_counter()
    result = work()
    wall, cpu = time.perf_counter() - started, time.process_time() - before_cpu
    return result, wall, cpu, _backend_cpu() - before_db


class _Statements:
    """With GALLERY_BENCH_STATEMENTS=1: the statements of one sweep by time spent (where a sweep's time goes)."""

    def __init__(self):
        from collections import defaultdict

        self.spent: dict = defaultdict(lambda: [0, 0.0])

    def __enter__(self):
        from sqlalchemy import event

        from gallery.extensions import db

        def before(conn, cursor, statement, parameters, context, executemany):
            context._bench_started = time.perf_counter()

        def after(conn, cursor, statement, parameters, context, executemany):
            entry = self.spent[" ".join(statement.split())[:150]]
            entry[0] += 1
            entry[1] += time.perf_counter() - context._bench_started

        self.hooks = [(db.engine, "before_cursor_execute", before), (db.engine, "after_cursor_execute", after)]
        for target, name, hook in self.hooks:
            event.listen(target, name, hook)
        return self

    def __exit__(self, *exc):
        from sqlalchemy import event

        for target, name, hook in self.hooks:
            event.remove(target, name, hook)
        for statement, (count, spent) in sorted(self.spent.items(), key=lambda kv: -kv[1][1])[:12]:
            print(f"#     {spent:6.2f} s {count:5d}x {statement}", flush=True)


def _reset() -> None:
    """Back to the state before the first sweep: no messages, the campaign scheduled again (tiers are as placed:
    the sweep moves none), vacuumed as the freshly loaded table was."""
    from gallery.extensions import db

    db.session.execute(text("DELETE FROM retention_messages"))
    db.session.execute(text("UPDATE retention_campaigns SET status = 'scheduled', planned_at = NULL, recipients = 0"))
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("SET statement_timeout = 0"))
        conn.execute(text("VACUUM ANALYZE retention_messages"))


def run(size: int, sink: SmtpSink):
    from gallery import create_app
    from gallery.extensions import db
    from redis import Redis
    from rq import Queue

    from gallery.retention.models import Message
    from gallery.retention.sending import deliver_claimed
    from gallery.retention.sweep import sweep

    app = create_app({"env": "testing", "database_url": BASE_URL, "secret_key": SECRET,
                      "mail_dir": tempfile.mkdtemp(prefix="bench-mail-"), "public_base_url": "https://bench.example",
                      "redis_url": REDIS_URL, "mail_backend": "smtp", "smtp_host": "127.0.0.1",
                      "database_statement_timeout": 0,  # the bulk load runs for minutes on a busy machine
                      "smtp_port": sink.port})
    mail_queue = Queue("mail", connection=Redis.from_url(REDIS_URL))
    with app.app_context():
        if os.environ.get("GALLERY_BENCH_REUSE"):  # the studio of this size is loaded already: start over from it
            db.session.execute(text("DELETE FROM loyalty_client_tiers"))
            _reset()
        else:
            db.drop_all()
            db.create_all()
            started = time.perf_counter()
            _bulk_load(size)
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("SET statement_timeout = 0"))
                conn.execute(text("VACUUM ANALYZE"))
            print(f"BENCH sweep_load_{_label(size)} {time.perf_counter() - started:.1f} s", flush=True)
        # Defining tiers places every client at once, silently (as the API does); later sweeps mail moves up.
        from gallery.retention.loyalty import recompute

        started = time.perf_counter()
        placed = len(recompute(NOW))
        db.session.commit()
        print(f"# tier placement of {placed} clients: {time.perf_counter() - started:.2f} s", flush=True)
        first, repeat = Runs(), Runs()
        cpu_runs = {"first": Runs(), "repeat": Runs(), "first_db": Runs(), "repeat_db": Runs()}
        repeats = int(os.environ.get("GALLERY_BENCH_REPEATS") or REPEATS.get(size, 1))
        for run_number in range(repeats):
            if run_number:
                mail_queue.empty()
                _reset()
            print(f"# run {run_number + 1}: load average {load_average()}", flush=True)
            if run_number == 0 and os.environ.get("GALLERY_BENCH_STATEMENTS"):
                with _Statements():
                    sweep(NOW)
                _reset()
            result, wall, py_cpu, db_cpu = _timed(lambda: sweep(NOW))
            first.add(wall), cpu_runs["first"].add(py_cpu), cpu_runs["first_db"].add(db_cpu)
            again, wall, py_cpu, db_cpu = _timed(lambda: sweep(NOW))
            repeat.add(wall), cpu_runs["repeat"].add(py_cpu), cpu_runs["repeat_db"].add(db_cpu)
            print(f"#   first {first.values[-1]:.2f} s (CPU: this process {cpu_runs['first'].values[-1]:.2f} s, database "
                  f"{cpu_runs['first_db'].values[-1]:.2f} s), repeat {repeat.values[-1]:.2f} s (CPU {cpu_runs['repeat'].values[-1]:.2f}"
                  f" s + {cpu_runs['repeat_db'].values[-1]:.2f} s)", flush=True)
        label = _label(size)
        first.report(f"sweep_{label}", "s")
        repeat.report(f"sweep_repeat_{label}", "s")
        for name, runs in cpu_runs.items():
            print(f"#   CPU {name.replace('_db', ' (database backend)')}: {runs.spread('s')}", flush=True)
        print(f"# {size} clients: planned {result.planned}, handed to mail workers {result.enqueued}, "
              f"suppressed {result.suppressed}, rescheduled {result.rescheduled}; repeat planned {again.planned}, "
              f"enqueued {again.enqueued}", flush=True)
        mail_queue.empty()  # the bench delivers below, in this process
        if not DELIVERY_SAMPLE:
            db.session.remove()
            db.engine.dispose()
            return first, cpu_runs
        from gallery.mail.delivery import deliver_due

        claimed = list(db.session.scalars(db.select(Message.id).where(Message.status == "sending")  # a mix of rules
                                          .order_by(db.func.md5(Message.id)).limit(DELIVERY_SAMPLE)))
        received = sink.received
        started, cpu = time.perf_counter(), time.process_time()
        sent, failed = deliver_claimed(claimed, NOW)  # render into the outbox (its commits kick Redis)
        rendered, render_cpu = time.perf_counter() - started, time.process_time() - cpu
        mail_queue.empty()  # ...and this process is the mail worker
        started, cpu = time.perf_counter(), time.process_time()
        delivered = deliver_due().sent
        smtp, smtp_cpu = time.perf_counter() - started, time.process_time() - cpu
        assert delivered == sent == sink.received - received, (delivered, sent, sink.received - received)
        if not sent:
            raise SystemExit(f"none of the {len(claimed)} sampled messages had anything to say: the data is wrong")
        print(f"BENCH sweep_delivery_{_label(size)} {sent / (rendered + smtp):.1f} msg/s vs render_only "
              f"{sent / rendered:.1f} msg/s ratio {rendered / (rendered + smtp):.2f}", flush=True)
        # On a shared machine the wall-clock rate also waits for a busy database and SMTP sink; the CPU this
        # process spends per message is what bounds one mail worker when they are not starved.
        print(f"BENCH sweep_delivery_cpu_bound_{_label(size)} {sent / (render_cpu + smtp_cpu):.0f} msg/s per "
              f"CPU-second vs target 200 msg/s", flush=True)
        print(f"# a sample of {sent} (failed {failed}) by one process: rendered with coupons into the outbox in "
              f"{rendered:.2f} s, sent over SMTP in {smtp:.2f} s ({sent / smtp:.0f} msg/s); CPU of this process per "
              f"message: render {render_cpu / sent * 1000:.1f} ms, send {smtp_cpu / sent * 1000:.1f} ms", flush=True)
        if MAIL_WORKERS:
            mail_queue.empty()
            _reset()
            _day_out(size, sink)
        db.session.remove()
        db.engine.dispose()
    return first, cpu_runs


def _day_out(size: int, sink: SmtpSink) -> None:
    """Sweeps with MAIL_WORKERS real mail workers already running, each timed from its start until the SMTP server
    has received every mail it handed over (rendered with coupons into the outbox, then sent); repeated from the
    same state (DAY_OUT_REPEATS), min and median."""
    from gallery.extensions import db

    from bench.lib.mail_workers import MailWorkers

    whole, per_worker, cpu_per_mail = Runs(), Runs(), Runs()
    sent = 0
    with MailWorkers(MAIL_WORKERS, database_url=BASE_URL, redis_url=REDIS_URL, smtp_port=sink.port,
                     secret_key=SECRET) as workers:
        for run_number in range(DAY_OUT_REPEATS):
            if run_number:
                _reset()
            print(f"# the day out, run {run_number + 1}: {MAIL_WORKERS} mail workers listening; load average "
                  f"{load_average()}", flush=True)
            cpu_before = workers.cpu_seconds()
            result, sent, swept, elapsed = _one_day_out(sink, workers)
            delivering = elapsed - swept
            whole.add(elapsed)
            per_worker.add(sent / delivering / MAIL_WORKERS)
            cpu_per_mail.add((workers.cpu_seconds() - cpu_before) / max(sent, 1) * 1000)
            print(f"#   the sweep planned {result.planned} and handed {result.enqueued} to the workers in {swept:.1f} s;"
                  f" they rendered and sent {sent} (the rest had nothing left to say) in {delivering:.1f} s more "
                  f"({sent / delivering:.0f} msg/s together; worker CPU {cpu_per_mail.values[-1]:.2f} ms per mail)",
                  flush=True)
    db.session.remove()
    label = _label(size)
    bench_line(f"sweep_day_out_{label}", whole.median, "s", "target", DAY_OUT_TARGET, digits=1)
    print(f"#   sweep_day_out_{label}: {whole.spread('s', 1)}", flush=True)
    if sent >= 2000:  # fewer mails measure the workers' start-up latency, not their throughput
        bench_line(f"sweep_day_out_{label}_per_worker", per_worker.median, "msg/s", "target", 200.0, digits=1)
        print(f"#   sweep_day_out_{label}_per_worker: {per_worker.spread('msg/s', 1)}", flush=True)
    print(f"#   worker CPU per mail: {cpu_per_mail.spread('ms')}; load average {load_average()}", flush=True)


def _one_day_out(sink: SmtpSink, workers) -> tuple:
    """(the sweep's result, mails sent, seconds the sweep took, seconds until the last mail was received)."""
    from gallery.extensions import db
    from gallery.retention.sweep import sweep

    def counts() -> tuple[int, int, int]:
        db.session.rollback()  # a fresh snapshot each poll
        return db.session.execute(text(
            "SELECT (SELECT count(*) FROM retention_messages WHERE status = 'sending'), "
            "(SELECT count(*) FROM retention_messages WHERE status = 'sent'), "
            "(SELECT count(*) FROM mail_outbox WHERE status IN ('queued', 'sending'))")).one()

    received = sink.received
    started = time.perf_counter()
    result = sweep(NOW)
    swept = time.perf_counter() - started
    while True:
        sending, sent, pending = counts()
        if not sending and not pending and sink.received - received == sent:
            return result, sent, swept, time.perf_counter() - started
        workers.check()
        if time.perf_counter() - started > 900:
            raise SystemExit(f"the day's mail is not out after 15 minutes ({sending} claimed, {pending} in the "
                             f"outbox, {sink.received - received} of {sent} received)")
        time.sleep(0.25)


def _label(size: int) -> str:
    return f"{size // 1_000_000}M" if size >= 1_000_000 else f"{size // 1000}k"


def main() -> None:
    sizes = [int(s) for s in (sys.argv[1] if len(sys.argv) > 1 else "10000,100000,1000000").split(",")]
    from bench.lib.report import machine_header

    machine_header("sweep")
    ensure_database(BASE_URL)
    sink = SmtpSink()
    times, cpus = {}, {}
    try:
        for size in sizes:
            times[size], cpus[size] = run(size, sink)
    finally:
        sink.stop()
    print(f"# load average at end {load()}", flush=True)
    for small, large in zip(sizes, sizes[1:]):
        # Growth on the least disturbed runs (min), in wall time and in CPU (this process plus the database).
        ratio = times[large].min / times[small].min
        print(f"BENCH sweep_growth_{_label(small)}_to_{_label(large)} {ratio:.2f} x vs linear "
              f"{large / small:.2f} x ratio {ratio / (large / small):.2f}", flush=True)
        used = {n: cpus[n]["first"].min + cpus[n]["first_db"].min for n in (small, large)}
        print(f"#   in CPU (this process + database, min): {used[small]:.2f} s -> {used[large]:.2f} s, "
              f"{used[large] / used[small]:.2f} x", flush=True)
    from bench.lib.report import load_footer

    load_footer()


if __name__ == "__main__":
    main()
