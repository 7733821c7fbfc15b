"""The outbox and the mail job: after the commit only, batched over one connection, retried with backoff,
permanent refusals not retried, claims exclusive between parallel workers, never sent twice."""
from __future__ import annotations

import threading
from datetime import timedelta

from gallery.core import clock
from gallery.core.transaction import commit
from gallery.extensions import db
from gallery.mail.delivery import BACKOFF, deliver_due


def mails_counted(result: str) -> float:
    """gallery_mails_total{result} in this process's metrics (the tests run without a multiprocess dir)."""
    from prometheus_client import REGISTRY

    return REGISTRY.get_sample_value("gallery_mails_total", {"result": result}) or 0.0


def test_nothing_leaves_before_the_commit_nor_after_a_rollback(app, smtp_server, outbox):
    from gallery import mail

    with smtp_server.configured(app):
        mail.queue("selection_reopened", to="kari@example.com", language="en", brand=mail.Brand("S"),
                   context={"gallery_title": "G", "name": None, "page_url": "http://x"})
        db.session.flush()
        assert smtp_server.messages == []
        db.session.rollback()
        assert outbox() == {}
        deliver_due()
    assert smtp_server.messages == []


def test_a_committed_mail_is_delivered_once(app, smtp_server, queue_mail, outbox):
    with smtp_server.configured(app):
        queue_mail()
        deliver_due()  # a second run finds nothing due
    [message] = smtp_server.messages
    assert message["Subject"] == "Your selection in Kari & Ola is open again"
    assert message.envelope_sender == "no-reply@localhost" and message.envelope_recipients == ["kari@example.com"]
    assert outbox() == {"sent": 1}


def test_a_temporary_refusal_is_retried_with_backoff_and_a_permanent_one_is_not(app, smtp_server, queue_mail,
                                                                                outbox):
    smtp_server.reply = lambda envelope: ("451 4.3.0 try again later" if "later" in envelope.rcpt_tos[0]
                                          else "550 5.1.1 no such user" if "nobody" in envelope.rcpt_tos[0]
                                          else None)
    sent, failed = mails_counted("sent"), mails_counted("failed")
    with smtp_server.configured(app), clock.frozen(clock.now()) as start:
        queue_mail(to="later@example.com")
        queue_mail(to="nobody@example.com")
        assert (mails_counted("sent"), mails_counted("failed")) == (sent, failed + 1)  # a retry is not an outcome
        [waiting] = outbox("queued")
        [refused] = outbox("failed")
        assert waiting.attempts == 1 and "451" in waiting.last_error
        assert waiting.next_attempt_at == start + timedelta(seconds=BACKOFF[0])
        assert refused.attempts == 1 and "550" in refused.last_error
        deliver_due()  # not due yet
        assert outbox("queued")[0].attempts == 1
        smtp_server.reply = None
        with clock.frozen(start + timedelta(seconds=BACKOFF[0])):
            deliver_due()
    assert [m["To"].addresses[0].addr_spec for m in smtp_server.messages] == ["later@example.com"]
    assert outbox() == {"sent": 1, "failed": 1}
    assert (mails_counted("sent"), mails_counted("failed")) == (sent + 1, failed + 1)


def test_retries_are_bounded(app, smtp_server, queue_mail, outbox):
    smtp_server.reply = lambda envelope: "421 4.7.0 busy"
    with smtp_server.configured(app), clock.frozen(clock.now()) as moment:
        queue_mail()
        for wait in BACKOFF:
            moment += timedelta(seconds=wait)
            with clock.frozen(moment):
                deliver_due()
    [row] = outbox("failed")
    assert row.attempts == len(BACKOFF) + 1 and row.last_error.startswith("gave up after")


def test_one_connection_per_batch(app, smtp_server, queue_mail):
    connections = []
    original = smtp_server.controller.handler.handle_DATA

    async def counting(server, session, envelope):
        connections.append(id(session))
        return await original(server, session, envelope)

    smtp_server.controller.handler.handle_DATA = counting
    from gallery import mail

    with smtp_server.configured(app):
        for n in range(30):
            mail.queue("selection_reopened", to=f"c{n}@example.com", language="en", brand=mail.Brand("S"),
                       context={"gallery_title": "G", "name": None, "page_url": "http://x"})
        commit()
    assert len(smtp_server.messages) == 30 and len(set(connections)) == 1


def test_parallel_workers_never_send_a_mail_twice(app, smtp_server, outbox):
    from gallery import mail
    from gallery.mail import delivery

    with smtp_server.configured(app):
        for n in range(120):
            mail.queue("selection_reopened", to=f"c{n}@example.com", language="en", brand=mail.Brand("S"),
                       context={"gallery_title": "G", "name": None, "page_url": "http://x"})
        db.session.flush()
        db.session.commit()  # not transaction.commit(): the workers below deliver, not this test's kick
        original_batch, delivery.BATCH = delivery.BATCH, 7
        barrier = threading.Barrier(4)

        def worker():
            with app.app_context():
                barrier.wait()
                deliver_due()
                db.session.remove()

        try:
            threads = [threading.Thread(target=worker) for _ in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
        finally:
            delivery.BATCH = original_batch
    recipients = [m["To"].addresses[0].addr_spec for m in smtp_server.messages]
    assert len(recipients) == 120 and len(set(recipients)) == 120
    assert outbox() == {"sent": 120}


def test_a_claim_whose_worker_died_is_failed_not_resent(app, smtp_server, queue_mail, outbox):
    from gallery.mail.delivery import CLAIM_LEASE, claim

    failed = mails_counted("failed")
    with clock.frozen(clock.now()) as start:
        from gallery import mail

        mail.queue("selection_reopened", to="kari@example.com", language="en", brand=mail.Brand("S"),
                   context={"gallery_title": "G", "name": None, "page_url": "http://x"})
        db.session.commit()
        assert len(claim(10)) == 1  # ...and the worker dies before it records the outcome
        with smtp_server.configured(app), clock.frozen(start + CLAIM_LEASE + timedelta(seconds=1)):
            deliver_due()
    assert smtp_server.messages == []
    [row] = outbox("failed")
    assert "may have been delivered" in row.last_error
    assert mails_counted("failed") == failed + 1


def test_the_file_backend_writes_eml_files(app, queue_mail, clean_mail_dir):
    row = queue_mail(to="ola@example.com")
    [path] = [p for p in clean_mail_dir.glob("*.eml") if row.id in p.name]
    assert b"ola@example.com" in path.read_bytes()


def test_with_redis_the_mail_job_runs_on_a_worker(app, smtp_server, queue_mail, outbox):
    import dataclasses

    from redis import Redis
    from rq import Queue, SimpleWorker

    from tests.conftest import REDIS_URL

    connection = Redis.from_url(REDIS_URL)
    mail_queue = Queue("mail", connection=connection)
    mail_queue.empty()
    original = app.config["GALLERY"]
    app.extensions.pop("gallery_redis", None)
    try:
        with smtp_server.configured(app):
            app.config["GALLERY"] = dataclasses.replace(app.config["GALLERY"], redis_url=REDIS_URL)
            queue_mail()
            assert smtp_server.messages == [] and mail_queue.count == 1
            SimpleWorker([mail_queue], connection=connection).work(burst=True)
            app.config["GALLERY"] = dataclasses.replace(app.config["GALLERY"], redis_url=None)
    finally:
        app.config["GALLERY"] = original
        app.extensions.pop("gallery_redis", None)
        mail_queue.empty()
    assert len(smtp_server.messages) == 1 and outbox() == {"sent": 1}
