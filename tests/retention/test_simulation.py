"""Years of a generated studio, swept four times a day on an injected clock: the messages sent are,
one for one, the messages the rules define (computed independently in tests/retention/simulation.py)."""
from __future__ import annotations

import os
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select

from gallery.clients import services as clients
from gallery.core import clock
from gallery.engagement.services import record_event
from gallery.extensions import db
from gallery.galleries import services as galleries
from gallery.retention.models import Message, Unsubscribe
from gallery.retention.sweep import sweep
from tests.retention.simulation import CATEGORY, Expectation, generate, sweep_instants

START = date(2023, 1, 1)
END = date.fromisoformat(os.environ.get("GALLERY_SIMULATION_END", "2025-12-31"))
CLIENTS = int(os.environ.get("GALLERY_SIMULATION_CLIENTS", "240"))


def _actions(photographer, sim_clients, sim_galleries, sim_events):
    """Everything that happens in the studio, as (moment, order, function), applied as the clock passes it."""
    actions = []

    def create(c):
        def run():
            given = c.consent[0][1]
            client = clients.create_client(photographer.id, {
                "name": c.name, "email": c.email, "locale": c.locale, "timezone": c.tz,
                "marketing_consent": given, "consent_source": "contract" if given else None,
                "important_dates": [{"kind": kind, "date": day} for kind, day in c.dates]})
            c.id = client.id
            c.date_ids = {(d.kind, d.date): d.id for d in client.important_dates}
        return run

    def consent(c, value):
        return lambda: clients.update_client(photographer.id, c.id, {"marketing_consent": value,
                                                                      "consent_source": "web form"})

    def unsubscribe(c):
        def run():
            db.session.add(Unsubscribe(photographer_id=photographer.id, email=c.email, created_at=clock.now()))
            clients.update_client(photographer.id, c.id, {"marketing_consent": False})
        return run

    def publish(g):
        def run():
            gallery = galleries.create_gallery(photographer.id, {
                "title": f"Gallery {g.key}", "client_id": g.client.id, "event_type": g.event_type,
                "shoot_date": g.shoot})
            galleries.publish_gallery(photographer.id, gallery.id, expires_at=g.expires)
            g.id = gallery.id
        return run

    def event(e):
        return lambda: record_event(e.kind, photographer_id=photographer.id, client_id=e.client.id,
                                    gallery_id=e.gallery.id if e.gallery else None, photo_id=e.photo, ts=e.ts)

    for c in sim_clients:
        actions.append((c.created, 0, create(c)))
        for moment, value in c.consent[1:]:
            actions.append((moment, 1, consent(c, value)))
        if c.unsubscribed_at:
            actions.append((c.unsubscribed_at, 1, unsubscribe(c)))
    for g in sim_galleries:
        actions.append((g.published, 2, publish(g)))
    for e in sim_events:
        actions.append((e.ts, 3, event(e)))
    actions.sort(key=lambda a: (a[0], a[1]))
    return actions


def test_years_of_sweeps_send_exactly_what_the_rules_define(app, make_photographer, smtp_server, monkeypatch):
    import dataclasses

    # The rules alone, one for one: the daily cap on marketing mail has its own tests (test_pacing.py).
    monkeypatch.setitem(app.config, "GALLERY", dataclasses.replace(app.config["GALLERY"], marketing_mails_per_day=0))
    photographer, _ = make_photographer(studio_name="Nordlys Foto")
    sim_clients, sim_galleries, sim_events = generate(7, CLIENTS, START, END)
    actions = _actions(photographer, sim_clients, sim_galleries, sim_events)
    sweeps = sweep_instants(START, END)
    position = 0
    with smtp_server.configured(app):
        for moment in sweeps:
            while position < len(actions) and actions[position][0] <= moment:
                with clock.frozen(actions[position][0]):
                    actions[position][2]()
                position += 1
            db.session.commit()
            sweep(moment)

    expected = Expectation(sim_clients, sim_galleries, sim_events, sweeps, END).expected()
    sent = {m.dedupe_key: m for m in db.session.scalars(select(Message).where(Message.status == "sent"))}
    assert len(expected) > 300, "the generated studio should exercise the rules"
    assert {k.split(":")[0] for k in expected} == set(CATEGORY)
    missing = sorted(set(expected) - set(sent))
    unexpected = sorted(set(sent) - set(expected))
    assert not missing and not unexpected, (f"{len(missing)} missing, e.g. {missing[:5]}; "
                                            f"{len(unexpected)} unexpected, e.g. {unexpected[:5]}")
    by_client = {c.id: c for c in sim_clients}
    for key, message in sent.items():
        when, sim_client = expected[key]
        assert message.sent_at == when, key
        local = message.sent_at.astimezone(ZoneInfo(sim_client.tz))
        assert 9 <= local.hour < 11, f"{key} left at {local}"
        assert message.locale == sim_client.locale
        assert by_client[message.client_id] is sim_client

    # Every mail reached the SMTP server once, with the headers its category calls for.
    received = smtp_server.wait_for(len(sent))
    assert len(received) == len(sent)
    ids = [m["X-Gallery-Message"] for m in received]
    assert len(set(ids)) == len(ids)
    by_id = {m.id: m for m in sent.values()}
    for mail in received:
        message = by_id[mail["X-Gallery-Message"]]
        assert mail["Content-Language"] == message.locale
        assert mail.envelope_recipients == [message.to_email]
        if message.category == "transactional":
            assert mail["List-Unsubscribe"] is None
        else:
            assert mail["List-Unsubscribe"].startswith("<http://gallery.test/u/")
            assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
