"""Sending mail through the configured backend.

The file backend writes .eml files (the embedded default, so `make run` needs
no mail server); the SMTP backend talks to a real server. Callers build an
`email.message.EmailMessage`; `build_message` covers the common case.
"""
from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path

from flask import current_app

from gallery.core import clock
from gallery.core.exports import one_line
from gallery.core.ids import new_id

log = logging.getLogger(__name__)


def build_message(*, to: str, subject: str, text: str, html: str | None = None, sender: str | None = None,
                  reply_to: str | None = None, headers: dict[str, str] | None = None,
                  to_name: str | None = None) -> EmailMessage:
    settings = current_app.config["GALLERY"]
    message = EmailMessage()
    # Header values are single lines whatever a client typed into a name: a CR/LF would be refused by the
    # email package (or, worse, inject headers), after the order or selection it reports was committed.
    to, to_name, subject = one_line(to), one_line(to_name) or None, one_line(subject)
    sender, reply_to = one_line(sender) or None, one_line(reply_to) or None
    message["From"] = sender or settings.mail_from
    message["To"] = formataddr((to_name, to)) if to_name else to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="gallery.local")
    message["Date"] = clock.now().strftime("%a, %d %b %Y %H:%M:%S +0000")
    if reply_to:
        message["Reply-To"] = reply_to
    for name, value in (headers or {}).items():
        message[name] = one_line(value)
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def send(message: EmailMessage) -> None:
    """Hand the message to the backend; counted (sent, failed) and logged under the causing request's id."""
    from gallery.observability import metrics
    from gallery.observability.logs import current_request_id

    request_id = current_request_id()
    if request_id and "X-Request-ID" not in message:
        message["X-Request-ID"] = request_id  # ties a mail to the request (or job) that sent it
    try:
        _send(message)
    except Exception:
        metrics.MAILS.labels("failed").inc()
        raise
    metrics.MAILS.labels("sent").inc()
    log.info("mail sent", extra={"message_id": message["Message-ID"], "mail_subject": str(message["Subject"])[:120]})


def _send(message: EmailMessage) -> None:
    settings = current_app.config["GALLERY"]
    if settings.mail_backend == "smtp":
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password or "")
            smtp.send_message(message)
        return
    folder = Path(settings.mail_dir)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{clock.now():%Y%m%dT%H%M%S}-{new_id()}.eml").write_bytes(bytes(message))
