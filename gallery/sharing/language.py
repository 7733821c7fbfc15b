"""The language a share link speaks: its page and the mails it sends to its visitors."""
from __future__ import annotations

from flask import Request

from gallery.clients.models import Client
from gallery.core.locales import choose_language
from gallery.extensions import db
from gallery.galleries.models import Gallery
from gallery.sharing.models import ShareLink


def client_locale(client_id: str | None) -> str | None:
    """The locale the photographer recorded for a client, if any."""
    client = db.session.get(Client, client_id) if client_id else None
    return client.locale if client is not None else None


def share_language(request: Request, link: ShareLink, gallery: Gallery) -> tuple[str, bool]:
    """The language of a share link's page and of the mails it sends: the client's recorded locale counts
    only on the client's own link, never for guests."""
    recorded = client_locale(gallery.client_id) if link.role == "client" else None
    return choose_language(request, client_locale=recorded)
