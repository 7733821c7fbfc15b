"""Mail delivery benchmark: the outbox drained to a local SMTP server, per process and with parallel workers.

aiosmtpd runs in its own process on loopback (a sink that counts what it accepts). N prepared mails (the
code mail, studio-branded, rendered by `mail.queue`) sit in the outbox on PostgreSQL; then, in one run:

- the ceiling: a bare smtplib loop sending the same prepared bytes over one connection (no database);
- before: one SMTP connection per message, as mail left until now (a sample);
- the mail job (`deliver_due`: claim a batch, send it over one connection, record the outcomes) in one
  process, repeated; then W worker processes draining the same outbox in parallel (exclusive claims),
  checked: the server got every mail exactly once.

    .venv/bin/python bench/mail.py [messages, default 3000] [workers, default 2,4]
"""
from __future__ import annotations

import multiprocessing as mp
import os
import smtplib
import statistics
import sys
import tempfile
import time

from sqlalchemy import text

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench.lib.mail_support import SmtpSink, cpu_model, ensure_database, load  # noqa: E402

DB_URL = os.environ.get("GALLERY_BENCH_MAIL_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench_mail")
REPEATS = 3
BEFORE_SAMPLE = 300
# Retention messages due in a 1M-client studio's day, by the sweep benchmark's plans (26k planned due
# at 1M clients); the figure below is extrapolated from the measured rate, not run at that size.
DAY_MESSAGES_1M = 26_000
RECOMMENDED_WORKERS = 2  # README: one mail worker per core


def make_app(port: int):
    from gallery import create_app

    return create_app({"env": "testing", "database_url": DB_URL, "secret_key": "bench-secret-key-" + "x" * 32,
                       "mail_dir": tempfile.mkdtemp(prefix="bench-mail-"), "public_base_url": "https://bench.example",
                       "redis_url": None, "mail_backend": "smtp", "smtp_host": "127.0.0.1", "smtp_port": port,
                       "mail_from": "Gallery <no-reply@bench.example>"})


def fill_outbox(count: int) -> None:
    from gallery import mail
    from gallery.extensions import db

    brand = mail.Brand("Fjord Foto", reply_to="post@fjord.example", accent="#1a4d2e")
    for n in range(count):
        mail.queue("visitor_code", to=f"client{n}@example.test", language=("en", "nb", "pl", "hr", "id")[n % 5],
                   brand=brand, context={"gallery_title": f"Gallery {n}", "code": f"{n % 10 ** 6:06d}", "minutes": 15})
        if n % 500 == 499:
            db.session.commit()
    db.session.commit()
    db.session.info.clear()  # delivery is timed below, not kicked by these commits


def requeue() -> None:
    from gallery.extensions import db

    db.session.execute(text("UPDATE mail_outbox SET status = 'queued', attempts = 0, claim = NULL, "
                            "claimed_at = NULL, sent_at = NULL, next_attempt_at = now() - interval '1 minute'"))
    db.session.commit()


def _worker(port, start, results):
    app = make_app(port)
    with app.app_context():
        from gallery.extensions import db
        from gallery.mail.delivery import deliver_due

        db.session.execute(text("SELECT 1"))
        start.wait()
        began = time.perf_counter()
        result = deliver_due()
        results.put((result.sent, time.perf_counter() - began))


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    parallel = [int(w) for w in (sys.argv[2] if len(sys.argv) > 2 else "2,4").split(",")]
    print(f"# CPU: {cpu_model()}, {os.cpu_count()} cores; load average at start {load()}", flush=True)
    ensure_database(DB_URL)
    sink = SmtpSink()
    port = sink.port
    app = make_app(port)
    try:
        with app.app_context():
            from gallery.extensions import db
            from gallery.mail.delivery import deliver_due
            from gallery.mail.models import OutboxMail

            db.drop_all()
            db.create_all()
            fill_outbox(count)
            prepared = db.session.execute(db.select(OutboxMail.envelope_from, OutboxMail.to_email,
                                                   OutboxMail.content)).all()

            ceiling, ceiling_cpu = [], []
            for _ in range(REPEATS):
                began, cpu = time.perf_counter(), time.process_time()
                with smtplib.SMTP("127.0.0.1", port) as smtp:
                    for sender, recipient, content in prepared:
                        smtp.sendmail(sender, [recipient], content)
                ceiling.append(count / (time.perf_counter() - began))
                ceiling_cpu.append((time.process_time() - cpu) / count)

            began = time.perf_counter()
            for sender, recipient, content in prepared[:BEFORE_SAMPLE]:
                with smtplib.SMTP("127.0.0.1", port) as smtp:
                    smtp.sendmail(sender, [recipient], content)
            before = BEFORE_SAMPLE / (time.perf_counter() - began)

            ours, ours_cpu = [], []
            for _ in range(REPEATS):
                requeue()
                received = sink.received
                began, cpu = time.perf_counter(), time.process_time()
                result = deliver_due()
                elapsed = time.perf_counter() - began
                ours_cpu.append((time.process_time() - cpu) / count)
                assert result.sent == count and sink.received - received == count, (result, sink.received)
                ours.append(count / elapsed)
            db.session.remove()

            rate, best = statistics.median(ours), max(ours)
            top = statistics.median(ceiling)
            print(f"BENCH mail_delivery {rate:.0f} msg/s vs smtplib_one_connection {top:.0f} msg/s "
                  f"ratio {rate / top:.2f}", flush=True)
            print(f"# per process, {count} mails, {REPEATS} runs: min {min(ours):.0f}, median {rate:.0f}, "
                  f"max {best:.0f} msg/s; ceiling min {min(ceiling):.0f} median {top:.0f} msg/s", flush=True)
            print(f"# CPU per mail in the sending process (the load-independent figure): mail job "
                  f"{statistics.median(ours_cpu) * 1000:.2f} ms, bare smtplib {statistics.median(ceiling_cpu) * 1000:.2f} ms "
                  f"(a free core: {1 / statistics.median(ours_cpu):.0f} vs {1 / statistics.median(ceiling_cpu):.0f} msg/s "
                  f"from the sender's side)", flush=True)
            print(f"BENCH mail_delivery_before {before:.0f} msg/s vs mail_delivery {rate:.0f} msg/s "
                  f"ratio {before / rate:.2f}", flush=True)
            print(f"# before: a new SMTP connection per message (sample of {BEFORE_SAMPLE}), SMTP cost only",
                  flush=True)

            measured = {1: rate}
            for workers in parallel:
                requeue()
                received = sink.received
                start, results = mp.Event(), mp.Queue()
                procs = [mp.Process(target=_worker, args=(port, start, results)) for _ in range(workers)]
                for proc in procs:
                    proc.start()
                time.sleep(2)  # every worker has its app and connection
                began = time.perf_counter()
                start.set()
                outcomes = [results.get(timeout=600) for _ in procs]
                elapsed = time.perf_counter() - began
                for proc in procs:
                    proc.join()
                sent_rows = db.session.scalar(text("SELECT count(*) FROM mail_outbox WHERE status = 'sent'"))
                db.session.remove()
                got = sink.received - received
                assert sum(n for n, _ in outcomes) == count == got == sent_rows, (outcomes, got, sent_rows)
                total = measured[workers] = count / elapsed
                print(f"BENCH mail_delivery_{workers}_workers {total:.0f} msg/s vs mail_delivery {rate:.0f} msg/s "
                      f"ratio {total / rate:.2f}", flush=True)
                print(f"# {workers} worker processes drained {count} mails, each sent once "
                      f"(per worker: {', '.join(str(n) for n, _ in outcomes)})", flush=True)
            workers = RECOMMENDED_WORKERS if RECOMMENDED_WORKERS in measured else 1
            day = DAY_MESSAGES_1M / measured[workers]
            print(f"# 1M-client studio: {DAY_MESSAGES_1M} due messages at the {measured[workers]:.0f} msg/s measured "
                  f"here with {workers} worker(s) = {day:.0f} s of SMTP delivery (extrapolated linearly from "
                  f"{count} mails; retention messages are rendered first: see bench/sweep.py)", flush=True)
    finally:
        sink.stop()
        print(f"# load average at end {load()}", flush=True)


if __name__ == "__main__":
    main()
