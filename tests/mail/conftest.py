"""Helpers for the mail tests: queue a mail the way a domain does, and run the mail job."""
from __future__ import annotations

import pytest

from gallery.core.transaction import commit


@pytest.fixture
def queue_mail(app):
    """queue_mail(to, studio="Studio", **fields) -> the outbox row, committed (delivery starts at once)."""
    from gallery import mail

    def queue(to="kari@example.com", studio="Fjord Foto", reply_to="anna@fjord.example", language="en",
              template="selection_reopened", context=None, **fields):
        row = mail.queue(template, to=to, language=language, brand=mail.Brand(studio, reply_to=reply_to),
                         context=context or {"gallery_title": "Kari & Ola", "name": "Kari",
                                             "page_url": "http://gallery.test/g/x"}, **fields)
        commit()
        return row

    return queue


@pytest.fixture
def outbox(app):
    """outbox() -> {status: count}; outbox(status) -> rows in that status."""
    from gallery.extensions import db
    from gallery.mail.models import OutboxMail

    def read(status=None):
        db.session.expire_all()
        rows = db.session.scalars(db.select(OutboxMail).order_by(OutboxMail.created_at)).all()
        if status is not None:
            return [row for row in rows if row.status == status]
        counts: dict[str, int] = {}
        for row in rows:
            counts[row.status] = counts.get(row.status, 0) + 1
        return counts

    return read
