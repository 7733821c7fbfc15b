"""Years of a generated studio, swept four times a day on an injected clock: the messages sent are,
one for one, the messages the rules define (computed independently in tests/retention/simulation.py)."""
from __future__ import annotations

import os
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from gallery.clients import services as clients
from gallery.core import clock
from gallery.engagement.services import record_event
from gallery.extensions import db
from gallery.galleries import services as galleries
from gallery.galleries.models import Photo
from gallery.proofing.models import Favourite, FavouriteList
from gallery.sharing.models import ShareLink, Visitor
from gallery.store.models import Order, OrderItem
from gallery.retention import campaigns, loyalty
from gallery.retention.models import Message, Unsubscribe
from gallery.retention.sweep import sweep
from tests.retention.simulation_pacing import CAP
from tests.retention.simulation import (CAMPAIGN, CATEGORY, PHOTOS_PER_GALLERY, TIERS, Expectation, generate,
                                       sweep_instants)

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

    rows = {}  # (gallery key, photo) -> photo id; gallery key -> (visitor id, favourite list id)

    def publish(g):
        def run():
            gallery = galleries.create_gallery(photographer.id, {
                "title": f"Gallery {g.key}", "client_id": g.client.id, "event_type": g.event_type,
                "shoot_date": g.shoot})
            galleries.publish_gallery(photographer.id, gallery.id, expires_at=g.expires)
            g.id = gallery.id
            link = ShareLink(gallery_id=gallery.id, token=f"simulated-client-link-{g.key:05d}-0123456789",
                             role="client")
            db.session.add(link)
            for n in range(PHOTOS_PER_GALLERY):
                photo = Photo(gallery_id=gallery.id, original_filename=f"IMG_{n}.jpg", storage_key=f"o/{g.key}/{n}",
                              sha256=f"{g.key:032x}{n:032x}", status="ready")
                db.session.add(photo)
                db.session.flush()
                rows[(g.key, str(n))] = photo.id
            visitor = Visitor(gallery_id=gallery.id, share_link_id=link.id, email=g.client.email,
                              client_id=g.client.id, verified_at=clock.now())
            db.session.add(visitor)
            db.session.flush()
            favourites = FavouriteList(visitor_id=visitor.id, gallery_id=gallery.id, name="Favourites")
            db.session.add(favourites)
            db.session.flush()
            rows[g.key] = (visitor.id, favourites.id)
        return run

    def event(e):
        def run():
            photo_id = rows.get((e.gallery.key, e.photo)) if e.gallery and e.photo else None
            if e.kind == "favourited":
                list_id = rows[e.gallery.key][1]
                if not db.session.scalar(select(Favourite.id).where(Favourite.list_id == list_id,
                                                                    Favourite.photo_id == photo_id)):
                    db.session.add(Favourite(list_id=list_id, photo_id=photo_id))
            if e.kind == "order_placed":
                order = Order(photographer_id=photographer.id, gallery_id=e.gallery.id,
                              visitor_id=rows[e.gallery.key][0], client_id=e.client.id, status="paid",
                              currency="EUR", subtotal=1000, total=1000, paid_at=clock.now())
                order.items = [OrderItem(product_kind="print", product_name="Print", unit_price=1000 // len(e.photos),
                                         quantity=1, line_total=1000 // len(e.photos),
                                         photo_id=rows[(e.gallery.key, photo)]) for photo in e.photos]
                db.session.add(order)
            record_event(e.kind, photographer_id=photographer.id, client_id=e.client.id,
                         gallery_id=e.gallery.id if e.gallery else None, photo_id=photo_id, ts=e.ts)
        return run

    def campaign():
        created = campaigns.create_campaign(photographer.id, {
            "name": "First birthdays", "segment": {"event_types": CAMPAIGN["event_types"]}, "default_locale": "en",
            "wording": {locale: {"subject": f"[{locale}] A first birthday, {{{{ client_first_name }}}}?",
                                 "body": "Book a session."} for locale in ("en", "nb", "pl", "hr", "id")}})
        campaigns.schedule_campaign(photographer.id, created.id, CAMPAIGN["send_on"], clock.now().date())
        for c in sim_clients:
            c.campaign_id = created.id

    actions.append((CAMPAIGN["scheduled_at"], 4, campaign))
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

    # The rules under the daily cap on marketing mail, as a studio runs them.
    monkeypatch.setitem(app.config, "GALLERY", dataclasses.replace(app.config["GALLERY"], marketing_mails_per_day=CAP))
    photographer, _ = make_photographer(studio_name="Nordlys Foto")
    sim_clients, sim_galleries, sim_events = generate(7, CLIENTS, START, END)
    with clock.frozen(datetime.combine(START, datetime.min.time(), tzinfo=UTC)):
        tier_ids = {name: loyalty.create_tier(photographer.id, {"name": name, "min_sessions": needed,
                                                               "rank": rank}).id
                    for name, needed, rank in TIERS}
    db.session.commit()
    for c in sim_clients:
        c.tier_ids, c.campaign_id = tier_ids, None
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

    expectation = Expectation(sim_clients, sim_galleries, sim_events, sweeps, END)
    expected = expectation.expected()
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

    _assert_the_daily_cap(expectation, sent, by_client)

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


OUTCOMES = {"occasion passed": {"occasion passed"}, "no consent": {"no marketing consent", "unsubscribed"},
            "client acted since": {"client acted since"}, "nothing to say": {"every favourite is ordered",
                                                                              "no gallery or website to link to"}}


def _assert_the_daily_cap(expectation, sent, by_client):
    """Never more than the cap of marketing mail a client a day; what lost a morning to a more relevant mail
    waited a day, and went, or was dropped for its rule's reason."""
    per_day: dict = {}
    for message in sent.values():
        if message.category == "marketing":
            day = (message.client_id, message.sent_at.astimezone(ZoneInfo(by_client[message.client_id].tz)).date())
            per_day[day] = per_day.get(day, 0) + 1
    assert max(per_day.values()) <= CAP
    waited = [offer for offer in expectation.offers if any(o == "waits a day" for _, o in offer.history)]
    assert len(waited) >= 5, "the generated studio should put the cap to work"
    outcomes = {offer.history[-1][1] for offer in waited}
    assert {"sent", "occasion passed"} <= outcomes, outcomes
    stored = {m.dedupe_key: m for m in db.session.scalars(
        select(Message).where(Message.dedupe_key.in_([offer.key for offer in waited])))}
    for offer in waited:
        message, (moment, outcome) = stored[offer.key], offer.history[-1]
        if outcome == "sent":
            assert message.status == "sent" and message.sent_at == moment, offer.key
        elif outcome == "waits a day":  # still waiting when the simulation ends
            assert message.status == "queued", offer.key
        else:
            assert message.status == "suppressed" and message.status_reason in OUTCOMES[outcome], \
                (offer.key, message.status_reason, offer.history)
