"""The one-time code leaves through the outbox after the commit: a mail server that is down never holds
the page, and the code arrives once the server is back, once."""
from __future__ import annotations

import re
from datetime import timedelta

from gallery.core import clock
from gallery.extensions import db
from gallery.mail.delivery import BACKOFF, deliver_due
from gallery.mail.models import OutboxMail


def test_with_the_mail_server_down_the_code_request_answers_and_the_code_arrives_later(
        app, client, make_photographer, make_gallery, make_share_link, smtp_server):
    photographer, _ = make_photographer(studio_name="Fjord Foto")
    link = make_share_link(make_gallery(photographer, publish=True, title="Kari & Ola"))
    smtp_server.stop()  # the mail server is down: nobody listens on its port
    with smtp_server.configured(app), clock.frozen(clock.now()) as asked_at:
        answer = client.post(f"/api/v1/share/{link.token}/visitors", json={"email": "kari@example.com"})
        assert answer.status_code == 202 and answer.json == {"sent": True, "expires_in": 900}
        db.session.expire_all()
        [row] = db.session.scalars(db.select(OutboxMail)).all()
        assert row.status == "queued" and row.attempts == 1 and "Connection" in row.last_error
        smtp_server.start()  # back, on the same port
        with clock.frozen(asked_at + timedelta(seconds=BACKOFF[0])):
            deliver_due()
            deliver_due()
    [message] = smtp_server.messages
    assert message["To"].addresses[0].addr_spec == "kari@example.com"
    assert message["From"].addresses[0].display_name == "Fjord Foto"
    code = re.search(r"\b(\d{6})\b", message["Subject"]).group(1)
    verified = client.post(f"/api/v1/share/{link.token}/visitors/verify",
                           json={"email": "kari@example.com", "code": code})
    assert verified.status_code == 200, verified.json


def test_the_code_arrives_right_after_the_response(app, client, make_photographer, make_gallery, make_share_link,
                                                   smtp_server):
    photographer, _ = make_photographer()
    link = make_share_link(make_gallery(photographer, publish=True))
    with smtp_server.configured(app):
        assert client.post(f"/api/v1/share/{link.token}/visitors",
                           json={"email": "kari@example.com"}).status_code == 202
    [message] = smtp_server.messages  # delivered once the response was closed, before the call returned
    assert message["Reply-To"].addresses[0].addr_spec == photographer.email
