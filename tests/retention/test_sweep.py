"""The sweep: idempotent planning, one send per message even with concurrent sweeps, consent rules,
local-morning timing, offers that reopen a gallery, and the CLI."""
import threading
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from gallery.core import clock
from gallery.engagement.models import Event
from gallery.engagement.services import record_event
from gallery.extensions import db
from gallery.galleries.models import Gallery, Photo, Rendition
from gallery.sharing.models import ShareLink
from gallery.retention.models import Message, Unsubscribe
from gallery.retention.sweep import plan, sweep

# 2025-06-01 is 14 days before the first anniversary of a 2024-06-15 wedding; 07:30 UTC is 09:30 in Oslo.
ANNIVERSARY_MORNING = datetime(2025, 6, 1, 7, 30, tzinfo=UTC)


def _sent(rule=None):
    stmt = select(Message).where(Message.status == "sent")
    if rule:
        stmt = stmt.where(Message.rule == rule)
    return list(db.session.scalars(stmt))


def test_anniversary_goes_out_once_in_local_morning_with_offer_and_reopens_the_gallery(app, studio, smtp_server):
    photographer, _, client, gallery = studio(locale="nb-NO")
    gallery.expires_at = datetime(2024, 9, 1, tzinfo=UTC)
    db.session.commit()
    with smtp_server.configured(app):
        early = sweep(ANNIVERSARY_MORNING - timedelta(hours=5))  # 04:30 in Oslo: planned, not sent
        assert early.planned == 1 and early.sent == 0
        assert sweep(ANNIVERSARY_MORNING).sent == 1
        again = sweep(ANNIVERSARY_MORNING + timedelta(minutes=30))
        assert again.planned == 0 and again.sent == 0
    [message] = _sent("anniversary")
    assert message.dedupe_key == f"anniversary:g:{gallery.id}:2025"
    from gallery.store.models import Coupon

    coupon = db.session.scalar(select(Coupon).where(Coupon.code == message.coupon_code))
    assert coupon.client_id == client.id and coupon.percent_off == 15 and coupon.max_uses == 1
    assert coupon.valid_until == ANNIVERSARY_MORNING + timedelta(days=30)
    [mail] = smtp_server.messages
    assert mail["Subject"] == "En liten jubileumshilsen fra Lys Studio"
    assert mail["Content-Language"] == "nb"
    body = mail.get_body(("plain",)).get_content()
    assert "Hei Kari Nordmann," in body and "15 % rabatt" in body and "1. juli 2025" in body
    assert f"med koden {message.coupon_code}" in body
    assert "http://gallery.test/t/c/" in body  # the gallery link goes through click tracking
    # The expired gallery is open again for the offer window, and closes when it ends.
    db.session.expire_all()
    assert db.session.get(Gallery, gallery.id).expires_at == ANNIVERSARY_MORNING + timedelta(days=30)
    assert message.context["reopened_from"].startswith("2024-09-01")


def test_a_message_due_outside_the_window_waits_for_the_next_local_morning(app, studio, smtp_server):
    studio(timezone="America/New_York")
    with smtp_server.configured(app):
        assert sweep(ANNIVERSARY_MORNING).sent == 0  # 03:30 in New York
        assert sweep(datetime(2025, 6, 1, 13, 30, tzinfo=UTC)).sent == 1  # 09:30 in New York
    [message] = _sent()
    assert message.send_after == datetime(2025, 6, 1, 13, 0, tzinfo=UTC)


def test_missed_window_moves_to_the_next_morning(app, studio, smtp_server):
    studio()
    plan(ANNIVERSARY_MORNING - timedelta(hours=5))
    with smtp_server.configured(app):
        result = sweep(datetime(2025, 6, 1, 15, tzinfo=UTC))  # 17:00 in Oslo: the sweep was down all morning
        assert result.sent == 0 and result.rescheduled == 1
        assert sweep(datetime(2025, 6, 2, 7, 5, tzinfo=UTC)).sent == 1
    [message] = _sent()
    assert message.sent_at == datetime(2025, 6, 2, 7, 5, tzinfo=UTC)


def _twelve_weddings(photographer, make_client, make_gallery):
    with clock.frozen(datetime(2024, 6, 20, tzinfo=UTC)):
        for n in range(12):
            client = make_client(photographer, name=f"C{n}", email=f"c{n}@example.test", timezone="Europe/Oslo",
                                 marketing_consent=True, consent_source="form")
            gallery = make_gallery(photographer, publish=True, client_id=client.id, event_type="wedding",
                                   shoot_date=date(2024, 6, 15))
            db.session.add(ShareLink(gallery_id=gallery.id, token=f"wedding-share-token-{n:02d}-0123456789",
                                     role="client"))
        db.session.commit()


def test_the_send_step_goes_through_every_batch(app, make_photographer, make_client, make_gallery, smtp_server,
                                                monkeypatch):
    from gallery.retention import sending as sweep_module

    monkeypatch.setattr(sweep_module, "SEND_BATCH", 5)  # 12 due messages: batches of 5, 5 and 2
    photographer, _ = make_photographer()
    _twelve_weddings(photographer, make_client, make_gallery)
    with smtp_server.configured(app):
        assert sweep(ANNIVERSARY_MORNING).sent == 12
    assert len(_sent()) == 12


def test_concurrent_sweeps_send_each_message_once(app, make_photographer, make_client, make_gallery, smtp_server):
    photographer, _ = make_photographer()
    _twelve_weddings(photographer, make_client, make_gallery)
    errors = []

    def run():
        try:
            with app.app_context():
                sweep(ANNIVERSARY_MORNING)
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    with smtp_server.configured(app):
        threads = [threading.Thread(target=run) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert not errors
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Message)) == 12
    assert len(_sent()) == 12
    received = smtp_server.wait_for(12)
    assert sorted(m["To"] for m in received) == sorted(f"C{n} <c{n}@example.test>" for n in range(12))
    assert db.session.scalar(select(func.count()).select_from(Event).where(Event.kind == "email_sent")) == 12


def _claimed_for_a_lost_job() -> Message:
    """The anniversary message, claimed at 09:30 Oslo by a sweep whose mail job never ran."""
    from gallery.retention.sending import _claim

    plan(ANNIVERSARY_MORNING - timedelta(hours=5))
    message = db.session.scalars(select(Message)).one()
    with clock.frozen(ANNIVERSARY_MORNING):
        assert _claim([message.id]) == [message.id]
    return message


def test_a_claim_whose_mail_job_was_lost_goes_back_to_the_outbox(app, studio, smtp_server):
    studio()
    message = _claimed_for_a_lost_job()
    with smtp_server.configured(app):
        assert sweep(ANNIVERSARY_MORNING + timedelta(minutes=50)).recovered == 0  # the job may still be queued
        late = sweep(ANNIVERSARY_MORNING + timedelta(hours=3))  # 12:30 in Oslo: taken back, for tomorrow
        assert late.recovered == 1 and late.sent == 0 and late.rescheduled == 1
        assert sweep(datetime(2025, 6, 2, 7, 10, tzinfo=UTC)).sent == 1
    db.session.refresh(message)
    assert message.status == "sent" and message.sent_at == datetime(2025, 6, 2, 7, 10, tzinfo=UTC)
    assert len(smtp_server.wait_for(1)) == 1


def test_an_interrupted_delivery_is_failed_with_its_reason_never_sent_twice(app, studio, smtp_server):
    from gallery.retention.sending import deliver_claimed

    studio()
    message = _claimed_for_a_lost_job()
    # A worker marked its attempt and died before it could record the outcome.
    message.attempted_at = ANNIVERSARY_MORNING
    db.session.commit()
    with smtp_server.configured(app):
        assert deliver_claimed([message.id], ANNIVERSARY_MORNING) == (0, 0)  # a second worker with the same id
        result = sweep(datetime(2025, 6, 2, 7, 10, tzinfo=UTC))
    assert result.failed == 1 and result.sent == 0
    db.session.refresh(message)
    assert message.status == "failed" and message.status_reason.startswith("delivery interrupted")
    assert smtp_server.messages == []


def test_marketing_needs_consent_and_no_unsubscribe_transactional_does_not(app, studio, smtp_server):
    photographer, _, client, gallery = studio(consent=False)
    record_event("gallery_viewed", photographer_id=photographer.id, gallery_id=gallery.id, client_id=client.id,
                 ts=datetime(2024, 6, 21, tzinfo=UTC))
    gallery.expires_at = datetime(2024, 9, 1, 12, tzinfo=UTC)
    db.session.add(Unsubscribe(photographer_id=photographer.id, email=client.email))
    db.session.commit()
    with smtp_server.configured(app):
        sweep(datetime(2024, 8, 25, 7, 30, tzinfo=UTC))  # 7 days before expiry, 09:30 in Oslo
        sweep(ANNIVERSARY_MORNING)
    [reminder] = _sent()
    assert reminder.rule == "expiry" and reminder.category == "transactional"
    [mail] = smtp_server.messages
    assert mail["List-Unsubscribe"] is None and "7" in mail["Subject"]
    suppressed = db.session.scalar(select(Message).where(Message.rule == "anniversary"))
    assert suppressed.status == "suppressed" and suppressed.status_reason == "no marketing consent"


def test_survey_is_service_mail_sent_without_marketing_consent_but_not_after_unsubscribe(app, studio, smtp_server):
    photographer, _, client, gallery = studio(consent=False)
    with smtp_server.configured(app):
        sweep(datetime(2024, 6, 27, 7, 30, tzinfo=UTC))  # published 2024-06-20 + 7 days
    [message] = _sent("followup")
    assert smtp_server.messages[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # A second gallery's survey, after the client unsubscribed, stays home.
    from gallery.galleries import services as galleries

    with clock.frozen(datetime(2024, 7, 1, 12, tzinfo=UTC)):
        second = galleries.create_gallery(photographer.id, {"title": "Second", "client_id": client.id})
        galleries.publish_gallery(photographer.id, second.id)
    db.session.add(Unsubscribe(photographer_id=photographer.id, email=client.email))
    db.session.add(Unsubscribe(photographer_id=photographer.id, email="someone.else@example.no"))
    db.session.commit()
    with smtp_server.configured(app):
        result = sweep(datetime(2024, 7, 8, 7, 30, tzinfo=UTC))
    assert result.sent == 0 and result.suppressed == 1
    assert db.session.scalar(select(Message.status_reason).where(Message.gallery_id == second.id)) == "unsubscribed"


def _favourites_setup(studio, count):
    from gallery.proofing.models import Favourite, FavouriteList
    from gallery.sharing.models import Visitor

    photographer, _, client, gallery = studio()
    link = db.session.scalar(select(ShareLink).where(ShareLink.gallery_id == gallery.id))
    visitor = Visitor(gallery_id=gallery.id, share_link_id=link.id, email=client.email, client_id=client.id,
                      verified_at=datetime(2025, 3, 1, tzinfo=UTC))
    db.session.add(visitor)
    db.session.flush()
    favourites = FavouriteList(visitor_id=visitor.id, gallery_id=gallery.id, name="Favourites")
    db.session.add(favourites)
    db.session.flush()
    photos = []
    for n in range(count):
        photo = Photo(gallery_id=gallery.id, original_filename=f"IMG_{n}.jpg", storage_key=f"k/{n}",
                      sha256=str(n % 10) * 63 + chr(97 + n // 10), status="ready")
        db.session.add(photo)
        db.session.flush()
        db.session.add(Rendition(photo_id=photo.id, name="thumb", format="jpeg", storage_key=f"r/{photo.id}/thumb.jpg",
                                 width=400, height=300, bytes=1000))
        photos.append(photo)

    def favourite(photo, ts):
        db.session.add(Favourite(list_id=favourites.id, photo_id=photo.id, created_at=ts))
        record_event("favourited", photographer_id=photographer.id, gallery_id=gallery.id, client_id=client.id,
                     visitor_id=visitor.id, photo_id=photo.id, ts=ts)
        db.session.commit()

    def unfavourite(photo, ts):
        db.session.execute(Favourite.__table__.delete().where(Favourite.photo_id == photo.id))
        record_event("unfavourited", photographer_id=photographer.id, gallery_id=gallery.id, client_id=client.id,
                     visitor_id=visitor.id, photo_id=photo.id, ts=ts)
        db.session.commit()

    def order(ordered, ts):
        from gallery.store.models import Order, OrderItem

        placed = Order(photographer_id=photographer.id, gallery_id=gallery.id, visitor_id=visitor.id,
                       client_id=client.id, status="paid", currency="EUR", subtotal=100 * len(ordered),
                       total=100 * len(ordered), placed_at=ts, paid_at=ts)
        placed.items = [OrderItem(product_kind="print", product_name="Print 13x18", photo_id=photo.id,
                                  unit_price=100, quantity=1, line_total=100) for photo in ordered]
        db.session.add(placed)
        record_event("order_placed", photographer_id=photographer.id, gallery_id=gallery.id, client_id=client.id,
                     visitor_id=visitor.id, ts=ts)
        db.session.commit()

    return photos, favourite, unfavourite, order


def _favourite_images(message):
    import re

    sources = [src for src in re.findall(r'<img src="([^"]+)"', message.get_body(("html",)).get_content())
               if "/t/o/" not in src]  # the open pixel aside
    return len(sources), sum("/t/c/" in src for src in sources)


def test_favourites_mail_names_the_favourites_not_yet_ordered(app, studio, smtp_server):
    photos, favourite, unfavourite, order = _favourites_setup(studio, 10)
    base = datetime(2025, 3, 1, 12, tzinfo=UTC)
    for n, photo in enumerate(photos):
        favourite(photo, base + timedelta(minutes=n))
    unfavourite(photos[0], base + timedelta(minutes=20))
    order([photos[1]], base + timedelta(hours=2))  # one print after ten favourites: eight are still waiting
    with smtp_server.configured(app):
        result = sweep(datetime(2025, 3, 7, 8, 30, tzinfo=UTC))
    assert result.sent == 1
    [message] = smtp_server.messages
    shown, tracked = _favourite_images(message)
    assert shown == 6 and tracked == 0  # the first six of eight; opening the mail is not a click
    assert message.get_body(("html",)).get_content().count('href="http://gallery.test/t/c/') >= 6


def test_favourites_all_ordered_are_not_prompted_even_by_an_earlier_order(app, studio, smtp_server):
    photos, favourite, _, order = _favourites_setup(studio, 3)
    base = datetime(2025, 3, 1, 12, tzinfo=UTC)
    favourite(photos[0], base)
    order(photos, base + timedelta(minutes=5))  # an order of every photo, placed before the last favourite
    favourite(photos[1], base + timedelta(minutes=10))
    favourite(photos[2], base + timedelta(minutes=11))
    with smtp_server.configured(app):
        result = sweep(datetime(2025, 3, 7, 8, 30, tzinfo=UTC))
    assert result.sent == 0 and smtp_server.messages == []


def test_favourites_prompt_is_dropped_when_the_rest_is_ordered_before_it_goes(app, studio, smtp_server):
    photos, favourite, _, order = _favourites_setup(studio, 3)
    base = datetime(2025, 3, 1, 12, tzinfo=UTC)
    for n, photo in enumerate(photos):
        favourite(photo, base + timedelta(minutes=n))
    assert plan(datetime(2025, 3, 6, 13, tzinfo=UTC)) == 1
    order(photos, datetime(2025, 3, 6, 14, tzinfo=UTC))
    with smtp_server.configured(app):
        result = sweep(datetime(2025, 3, 7, 8, 30, tzinfo=UTC))
    assert result.sent == 0 and smtp_server.messages == []
    assert db.session.scalar(select(Message.status_reason).where(Message.rule == "favourites")) == \
        "every favourite is ordered"


def test_a_switched_off_rule_plans_nothing(app, studio):
    _, api, _, _ = studio()
    response = api.put("/api/v1/retention/rules", json={"rules": [{"kind": "anniversary", "enabled": False}]})
    assert response.status_code == 200
    assert sweep(ANNIVERSARY_MORNING).planned == 0


def test_rule_settings_change_the_timing(app, studio):
    _, api, _, gallery = studio()
    api.put("/api/v1/retention/rules", json={"rules": [{"kind": "anniversary", "settings": {"days_before": 3}}]})
    assert plan(ANNIVERSARY_MORNING) == 0
    assert plan(datetime(2025, 6, 12, 7, tzinfo=UTC)) == 1


def test_cli_sweep_at_a_given_instant(app, studio, runner):
    studio()
    result = runner.invoke(args=["gallery", "sweep", "--now", "2025-06-01T07:30:00+00:00"])
    assert result.exit_code == 0, result.output
    assert "planned=1 sent=1" in result.output
    bad = runner.invoke(args=["gallery", "sweep", "--now", "yesterday"])
    assert bad.exit_code != 0 and "ISO-8601" in bad.output


def test_expiry_reminders_reach_engaged_guests_through_their_own_link(app, studio, smtp_server):
    from gallery.sharing.models import ShareLink
    from gallery.sharing.models import Visitor

    photographer, _, client, gallery = studio()
    guest_link = ShareLink(gallery_id=gallery.id, token="guest-share-token-0123456789", role="guest")
    db.session.add(guest_link)
    db.session.flush()
    engaged = Visitor(gallery_id=gallery.id, share_link_id=guest_link.id, email="aunt@example.no", name="Aunt",
                      verified_at=datetime(2024, 6, 21, tzinfo=UTC))
    silent = Visitor(gallery_id=gallery.id, share_link_id=guest_link.id, email="quiet@example.no",
                     verified_at=datetime(2024, 6, 21, tzinfo=UTC))
    db.session.add_all([engaged, silent])
    db.session.flush()
    record_event("favourited", photographer_id=photographer.id, gallery_id=gallery.id, visitor_id=engaged.id,
                 photo_id="p1", ts=datetime(2024, 6, 22, tzinfo=UTC))
    gallery.expires_at = datetime(2024, 9, 1, 12, tzinfo=UTC)
    db.session.commit()
    with smtp_server.configured(app):
        result = sweep(datetime(2024, 8, 25, 8, 30, tzinfo=UTC))  # photographer's timezone is UTC: 08:30 waits
        assert result.sent == 0
        result = sweep(datetime(2024, 8, 25, 9, 30, tzinfo=UTC))
    assert result.sent == 1
    [mail] = smtp_server.messages
    assert mail["To"] == "Aunt <aunt@example.no>" and mail["List-Unsubscribe"] is None
    [message] = _sent("expiry")
    assert message.visitor_id == engaged.id and message.client_id is None
    from urllib.parse import urlparse

    click = next(w for w in mail.get_body(("plain",)).get_content().split() if "/t/c/" in w)
    location = app.test_client().get(urlparse(click).path).headers["Location"]
    assert location.endswith("/g/guest-share-token-0123456789")


def test_with_redis_the_sweep_hands_delivery_to_mail_workers(app, studio, smtp_server):
    import dataclasses

    from redis import Redis
    from rq import Queue, SimpleWorker

    from tests.conftest import REDIS_URL

    studio()
    original = app.config["GALLERY"]
    app.config["GALLERY"] = dataclasses.replace(original, redis_url=REDIS_URL)
    app.extensions.pop("gallery_redis", None)
    connection = Redis.from_url(REDIS_URL)
    queue = Queue("mail", connection=connection)
    queue.empty()
    try:
        with smtp_server.configured(app):
            result = sweep(ANNIVERSARY_MORNING)
            assert result.enqueued == 1 and result.sent == 0
            assert db.session.scalar(select(Message.status)) == "sending"
            assert sweep(ANNIVERSARY_MORNING).enqueued == 0  # claimed once, never handed out twice
            SimpleWorker([queue], connection=connection).work(burst=True)
    finally:
        app.config["GALLERY"] = original
        app.extensions.pop("gallery_redis", None)
    db.session.expire_all()
    assert len(_sent("anniversary")) == 1
    assert len(smtp_server.messages) == 1
