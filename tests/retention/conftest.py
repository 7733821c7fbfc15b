from datetime import UTC, date, datetime

import pytest

from gallery.core import clock
from gallery.extensions import db


@pytest.fixture
def studio(make_photographer, make_client, make_gallery):
    """studio(**client_fields) -> (photographer, api, client, gallery): a wedding shot on 2024-06-15,
    published 2024-06-20 with a client share link, the client consenting unless told otherwise."""
    from gallery.sharing.models import ShareLink

    def make(consent=True, locale="en", timezone="Europe/Oslo", email="kari@example.no", **gallery_fields):
        photographer, api = make_photographer(studio_name="Lys Studio")
        client = make_client(photographer, name="Kari Nordmann", email=email, locale=locale, timezone=timezone,
                             marketing_consent=consent, consent_source="contract" if consent else None)
        gallery_fields.setdefault("event_type", "wedding")
        gallery_fields.setdefault("shoot_date", date(2024, 6, 15))
        with clock.frozen(datetime(2024, 6, 20, 12, tzinfo=UTC)):
            gallery = make_gallery(photographer, publish=True, client_id=client.id, title="Kari & Ola",
                                   **gallery_fields)
            db.session.add(ShareLink(gallery_id=gallery.id, token="client-share-token-0123456789", role="client"))
            db.session.commit()
        return photographer, api, client, gallery

    return make
