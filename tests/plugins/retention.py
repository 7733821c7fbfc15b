"""Fixtures for the retention screens and their API: a photographer's clients spread over the reasons a mail
reaches them or not (consent, unsubscribe, no address), each with a published gallery and a client link.

A pytest plugin registered in the root conftest: its fixtures serve every test.
"""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from gallery.core import clock
from gallery.extensions import db

# name -> client fields; every client gets a wedding gallery shot 2024-02-01 unless `event_type` says otherwise.
AUDIENCE = {
    "kari": dict(locale="nb", timezone="Europe/Oslo", marketing_consent=True, consent_source="form", tags=["vip"]),
    "bea": dict(locale="en", timezone="UTC", marketing_consent=True, consent_source="form"),
    "cleo": dict(locale="en", timezone="UTC", marketing_consent=False),
    "dina": dict(locale="en", timezone="UTC", marketing_consent=True, consent_source="form", event_type="newborn"),
    "eva": dict(locale="en", timezone="UTC", marketing_consent=True, consent_source="form", email=None),
}


@pytest.fixture
def retention_audience(make_client, make_gallery):
    """retention_audience(photographer) -> {name: Client}: Kari (nb, Oslo, tagged vip) and Bea can be mailed;
    Cleo has not consented, Dina (a newborn session) unsubscribed, Eva has no address."""
    from gallery.retention.models import Unsubscribe
    from gallery.sharing.models import ShareLink

    def make(photographer):
        made = {}
        with clock.frozen(datetime(2024, 3, 1, tzinfo=UTC)):
            for name, fields in AUDIENCE.items():
                fields = dict(fields)
                event_type = fields.pop("event_type", "wedding")
                fields.setdefault("email", f"{name}@example.test")
                made[name] = make_client(photographer, name=f"{name.title()} Nordmann", **fields)
                gallery = make_gallery(photographer, publish=True, client_id=made[name].id, event_type=event_type,
                                       title=f"{name.title()} & Ola", shoot_date=date(2024, 2, 1))
                db.session.add(ShareLink(gallery_id=gallery.id, token=f"{name}-client-link-0123456789", role="client"))
        db.session.add(Unsubscribe(photographer_id=photographer.id, email="dina@example.test"))
        db.session.commit()
        return made

    return make
