"""Outgoing mail, one path for all of it: a domain renders a template in the recipient's language and
queues it (`mail.queue(...)`); the outbox row leaves after the commit through the mail job, batched over
one SMTP connection, retried with backoff, never sent twice. Imports no domain: domains call it."""
from gallery.mail.compose import LANGUAGES, Brand, Rendered, mail_language, render
from gallery.mail.outbox import init_app, queue, queue_rendered

__all__ = ["LANGUAGES", "Brand", "Rendered", "init_app", "mail_language", "queue", "queue_rendered", "render"]
