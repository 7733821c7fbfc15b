"""GET /api/v1/inbox: each kind of pending item shows after the client creates it through the share API, and
clears when the photographer handles it; owner-scoped; a constant number of SQL statements."""
from datetime import timedelta

from sqlalchemy import event, select

from gallery import mail
from gallery.core import clock
from gallery.core.transaction import commit
from gallery.extensions import db
from gallery.mail.models import OutboxMail
from gallery.retention import tokens
from gallery.retention.models import Message
from tests.plugins.problems import problem

ADDRESS = {"name": "Kari Nordmann", "line1": "Storgata 1", "postal_code": "0155", "city": "Oslo", "country": "NO"}


def inbox(api, **params):
    response = api.get("/api/v1/inbox", query_string=params)
    assert response.status_code == 200, response.json
    return response.json


def counts(api):
    body = inbox(api)
    return {kind: body[kind]["count"] for kind in
            ("selections", "comments", "orders", "expiring", "followups", "failed_mail")} | {"total": body["total"]}


EMPTY = {"selections": 0, "comments": 0, "orders": 0, "expiring": 0, "followups": 0, "failed_mail": 0, "total": 0}


def test_comment_and_selection_show_until_replied_and_acknowledged(make_shop, make_visitor_api):
    shop = make_shop()
    api = shop.api
    assert counts(api) == EMPTY
    token, visitor, visitor_api = make_visitor_api(shop.gallery, shop.client.email, name="Kari")
    base = f"/api/v1/share/{token}"
    photo = shop.photos[0]

    assert visitor_api.post(f"{base}/photos/{photo.id}/comments", json={"body": "Warmer, please?"}).status_code == 201
    [comment] = inbox(api)["comments"]["items"]
    assert comment["body"] == "Warmer, please?" and comment["visitor_name"] == "Kari"
    assert comment["gallery_id"] == shop.gallery.id and comment["photo_id"] == photo.id and comment["filename"]
    assert comment["thumb_url"]  # the photo as the studio's grid shows it
    reply = api.post(f"/api/v1/galleries/{shop.gallery.id}/comments/{comment['id']}/replies", json={"body": "Sure!"})
    assert reply.status_code == 201
    assert inbox(api)["comments"] == {"count": 0, "items": []}

    for picked in shop.photos[:2]:
        assert visitor_api.put(f"{base}/favourites/{picked.id}", json={}).status_code == 200
    assert visitor_api.post(f"{base}/selection/submit", json={"note": "These two"}).status_code == 200
    [selection] = inbox(api)["selections"]["items"]
    assert selection["photo_count"] == 2 and selection["note"] == "These two"
    assert selection["visitor_email"] == shop.client.email and selection["gallery_title"] == shop.gallery.title
    selections = f"/api/v1/galleries/{shop.gallery.id}/selections/{selection['id']}"
    listed = api.get(f"/api/v1/galleries/{shop.gallery.id}/selections").json["items"]
    assert [item["awaiting_photographer"] for item in listed] == [True]  # the same rule, in the gallery's list
    acknowledged = api.post(f"{selections}/acknowledge")
    assert acknowledged.status_code == 200 and acknowledged.json["acknowledged_at"]
    assert acknowledged.json["awaiting_photographer"] is False
    assert inbox(api)["selections"]["count"] == 0
    # Reopened (handed back to the client), then submitted again: new again.
    assert api.post(f"{selections}/reopen").status_code == 200
    assert inbox(api)["selections"]["count"] == 0
    clock.set_now(clock.now() + timedelta(minutes=1))
    assert visitor_api.post(f"{base}/selection/submit", json={}).status_code == 200
    assert inbox(api)["selections"]["count"] == 1
    api.post(f"{selections}/acknowledge")
    assert counts(api) == EMPTY


def test_an_order_shows_until_shipped_and_its_failed_mail_until_sent_again(make_shop, make_visitor_api,
                                                                           smtp_server, app):
    shop = make_shop()
    api = shop.api
    token, _, visitor_api = make_visitor_api(shop.gallery, shop.client.email, name="Kari")
    base = f"/api/v1/share/{token}"
    visitor_api.put(f"{base}/cart", json={"items": [
        {"product_id": shop.product("print").id, "photo_id": shop.photos[0].id, "quantity": 2}]})
    # The client's mail server refuses the order confirmation for good.
    refused = shop.client.email
    smtp_server.reply = lambda envelope: "550 5.1.1 mailbox unavailable" if refused in envelope.rcpt_tos else None
    with smtp_server.configured(app):
        placed = visitor_api.post(f"{base}/orders", json={"shipping_address": ADDRESS})
        assert placed.status_code == 201, placed.json
        smtp_server.wait_for(1)
    order_id = placed.json["id"]
    body = inbox(api)
    [order] = body["orders"]["items"]
    assert (order["id"], order["status"], order["next_step"], order["item_count"]) == (
        order_id, "pending_payment", "confirm_payment", 2)
    assert order["total"] == placed.json["total"] and order["gallery_title"] == shop.gallery.title
    [failed] = body["failed_mail"]["items"]
    assert failed["to_email"] == shop.client.email and failed["kind"] == "order_placed"
    assert "550" in failed["last_error"]

    # Sent again through the outbox once the client's server takes it.
    smtp_server.reply = None
    with smtp_server.configured(app):
        retried = api.post(f"/api/v1/mail/{failed['id']}/retry")
        assert retried.status_code == 200 and retried.json["status"] == "queued"
        delivered = smtp_server.wait_for(2)
    assert delivered[-1]["To"].addresses[0].addr_spec == shop.client.email
    db.session.expire_all()
    assert db.session.get(OutboxMail, failed["id"]).status == "sent"
    assert inbox(api)["failed_mail"]["count"] == 0
    problem(api.post(f"/api/v1/mail/{failed['id']}/retry"), 409)

    for status, step in (("paid", "produce"), ("in_production", "ship")):
        assert api.patch(f"/api/v1/orders/{order_id}", json={"status": status}).status_code == 200
        assert inbox(api)["orders"]["items"][0]["next_step"] == step
    assert api.patch(f"/api/v1/orders/{order_id}", json={"status": "shipped", "tracking": "RR1NO"}).status_code == 200
    assert counts(api) == EMPTY


def test_a_failed_mail_can_be_dismissed(make_shop, smtp_server, app):
    shop = make_shop()
    smtp_server.reply = lambda envelope: "550 5.1.1 no such user"
    with smtp_server.configured(app):
        mail.queue("selection_reopened", to="kari@example.com", language="en", photographer_id=shop.photographer.id,
                   context={"gallery_title": "Kari & Ola", "name": "Kari", "page_url": "http://gallery.test/g/x"})
        commit()
    [failed] = inbox(shop.api)["failed_mail"]["items"]
    dismissed = shop.api.post(f"/api/v1/mail/{failed['id']}/dismiss")
    assert dismissed.status_code == 200 and dismissed.json["status"] == "dismissed"
    assert inbox(shop.api)["failed_mail"]["count"] == 0
    problem(shop.api.post(f"/api/v1/mail/{failed['id']}/dismiss"), 409)


def test_expiring_gallery_and_low_survey_score(make_shop, client):
    shop = make_shop()
    api = shop.api
    soon = (clock.now() + timedelta(days=3)).isoformat()
    assert api.patch(f"/api/v1/galleries/{shop.gallery.id}", json={"expires_at": soon}).status_code == 200
    [expiring] = inbox(api)["expiring"]["items"]
    assert expiring["id"] == shop.gallery.id and expiring["client_name"] == "Kari"
    later = (clock.now() + timedelta(days=30)).isoformat()
    assert api.patch(f"/api/v1/galleries/{shop.gallery.id}", json={"expires_at": later}).status_code == 200
    assert inbox(api)["expiring"]["count"] == 0

    # The post-delivery survey the client received; they answer it from the mail's link.
    message = Message(photographer_id=shop.photographer.id, client_id=shop.client.id, gallery_id=shop.gallery.id,
                      rule="followup", category="service", dedupe_key=f"followup:{shop.gallery.id}",
                      due_at=clock.now(), send_after=clock.now(), status="sent", to_email=shop.client.email)
    db.session.add(message)
    db.session.commit()
    answered = client.post(f"/t/s/{tokens.sign('survey', message.id)}", json={"score": 3, "comment": "Too slow"})
    assert answered.status_code == 200, answered.get_data(as_text=True)
    [followup] = inbox(api)["followups"]["items"]
    assert (followup["kind"], followup["score"], followup["comment"]) == ("low_score", 3, "Too slow")
    assert followup["client_name"] == "Kari" and followup["gallery_title"] == shop.gallery.title
    assert api.patch(f"/api/v1/retention/followups/{followup['id']}", json={"resolve": True}).status_code == 200
    assert counts(api) == EMPTY


def test_scoped_to_the_owner(make_shop, make_visitor_api, make_photographer, smtp_server, app):
    shop = make_shop()
    token, _, visitor_api = make_visitor_api(shop.gallery, shop.client.email)
    base = f"/api/v1/share/{token}"
    visitor_api.post(f"{base}/photos/{shop.photos[0].id}/comments", json={"body": "Hi"})
    visitor_api.put(f"{base}/favourites/{shop.photos[0].id}", json={})
    visitor_api.post(f"{base}/selection/submit", json={})
    shop.api.patch(f"/api/v1/galleries/{shop.gallery.id}",
                   json={"expires_at": (clock.now() + timedelta(days=2)).isoformat()})
    smtp_server.reply = lambda envelope: "550 5.1.1 no such user"
    with smtp_server.configured(app):
        visitor_api.put(f"{base}/cart", json={"items": [{"product_id": shop.product("print").id,
                                                         "photo_id": shop.photos[0].id}]})
        visitor_api.post(f"{base}/orders", json={"shipping_address": ADDRESS})
    mine = counts(shop.api)
    assert all(mine[kind] >= 1 for kind in ("selections", "comments", "orders", "expiring", "failed_mail"))
    _, other = make_photographer()
    assert counts(other) == EMPTY
    body = inbox(shop.api)
    problem(other.post(f"/api/v1/mail/{body['failed_mail']['items'][0]['id']}/retry"), 404)
    problem(other.post(f"/api/v1/mail/{body['failed_mail']['items'][0]['id']}/dismiss"), 404)
    selection = body["selections"]["items"][0]
    problem(other.post(f"/api/v1/galleries/{shop.gallery.id}/selections/{selection['id']}/acknowledge"), 404)
    assert counts(shop.api) == mine


def test_malformed_requests_are_problems(photographer_api, client):
    problem(client.get("/api/v1/inbox"), 401)
    problem(photographer_api.get("/api/v1/inbox?limit=0"), 422)
    problem(photographer_api.get("/api/v1/inbox?limit=many"), 422)
    problem(photographer_api.post("/api/v1/mail/nope/retry"), 404)


class StatementCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, *args, **kwargs):
        self.count += 1


def _pile_up(shop, n):
    """n more items of every kind, written directly (the counts, not the routes, are under test here)."""
    from gallery.proofing.models import Comment, Favourite, FavouriteList, Selection
    from gallery.retention.models import FollowUp
    from gallery.sharing.models import ShareLink, Visitor
    from gallery.store.models import Order, OrderItem

    now = clock.now()
    link = db.session.scalar(select(ShareLink).where(ShareLink.gallery_id == shop.gallery.id))
    for i in range(n):
        visitor = Visitor(gallery_id=shop.gallery.id, share_link_id=link.id, email=f"v{i}-{now.timestamp()}@example.com")
        db.session.add(visitor)
        db.session.flush()
        picks = FavouriteList(visitor_id=visitor.id, gallery_id=shop.gallery.id, name="Favourites")
        db.session.add(picks)
        db.session.flush()
        db.session.add(Favourite(list_id=picks.id, photo_id=shop.photos[0].id))
        db.session.add(Selection(gallery_id=shop.gallery.id, visitor_id=visitor.id, list_id=picks.id,
                                 status="submitted", submitted_at=now))
        db.session.add(Comment(gallery_id=shop.gallery.id, photo_id=shop.photos[1].id, visitor_id=visitor.id, body="?"))
        order = Order(photographer_id=shop.photographer.id, gallery_id=shop.gallery.id, visitor_id=visitor.id,
                      status="paid", currency="EUR", subtotal=2500, total=2500)
        order.items = [OrderItem(product_kind="print", product_name="Print", unit_price=2500, quantity=1,
                                 line_total=2500)]
        db.session.add(order)
        db.session.add(FollowUp(photographer_id=shop.photographer.id, client_id=shop.client.id, kind="complaint",
                                comment="late", log=[]))
        db.session.add(OutboxMail(kind="order_placed", photographer_id=shop.photographer.id, envelope_from="a@b.c",
                                  to_email="x@example.com", subject="Order", content=b"x", status="failed"))
    db.session.commit()


def test_the_number_of_statements_does_not_grow_with_the_items(make_shop, make_share_link, make_gallery):
    shop = make_shop()
    make_share_link(shop.gallery)

    def measured():
        counter = StatementCounter()
        event.listen(db.engine, "before_cursor_execute", counter)
        try:
            body = inbox(shop.api, limit=3)
        finally:
            event.remove(db.engine, "before_cursor_execute", counter)
        return counter.count, body

    def expire_soon(count):
        for _ in range(count):
            gallery = make_gallery(shop.photographer, publish=True)
            gallery.expires_at = clock.now() + timedelta(days=2)
        db.session.commit()

    _pile_up(shop, 1)
    expire_soon(1)
    measured()  # the first call of a token also records its use: not part of the inbox
    few, body = measured()
    assert body["total"] == 6
    _pile_up(shop, 12)
    expire_soon(12)
    many, body = measured()
    assert body["total"] == 6 * 13
    assert all(body[kind]["count"] == 13 and len(body[kind]["items"]) == 3 for kind in
               ("selections", "comments", "orders", "expiring", "followups", "failed_mail"))
    assert many == few
    assert few <= 9  # the bearer token and its photographer, one statement per kind, the comments' thumbnails
