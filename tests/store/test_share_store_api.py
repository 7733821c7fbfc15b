"""The visitor's side of the store through a share link: cart and checkout over HTTP."""
from sqlalchemy import select

from gallery.engagement.models import Event
from gallery.extensions import db
from gallery.store.models import Coupon
from tests.plugins.problems import problem

ADDRESS = {"name": "Kari Nordmann", "line1": "Storgata 1", "postal_code": "0155", "city": "Oslo", "country": "NO"}


def test_visitor_fills_cart_and_checks_out(make_shop, make_visitor_api, smtp_server, app):
    shop = make_shop(currency="NOK", tax_rate_bp=2500, shipping_flat=9900)
    token, visitor, visitor_api = make_visitor_api(shop.gallery, shop.client.email, name="Kari")
    base = f"/api/v1/share/{token}"
    assert visitor_api.get(f"{base}/cart").json == {"gallery_id": shop.gallery.id, "currency": "NOK", "items": [],
                                                    "subtotal": 0, "updated_at": None}
    put = visitor_api.put(f"{base}/cart", json={"items": [
        {"product_id": shop.product("print").id, "photo_id": shop.photos[0].id, "quantity": 2,
         "options": {"finish": "matte"}},
        {"product_id": shop.product("digital_photo").id, "photo_id": shop.photos[1].id}]})
    assert put.status_code == 200, put.json
    assert put.json["subtotal"] == 2 * 2500 + 1000 and len(put.json["items"]) == 2
    assert visitor_api.get(f"{base}/cart").json["items"][0]["options"] == {"finish": "matte", "border": False}
    coupon = shop.api.post("/api/v1/coupons", json={"code": "WELCOME", "percent_off": 10}).json

    with smtp_server.configured(app):
        placed = visitor_api.post(f"{base}/orders", json={"coupon_code": "welcome", "shipping_address": ADDRESS,
                                                          "note": "Thanks!"})
        assert placed.status_code == 201, placed.json
        smtp_server.wait_for(2)
    order = placed.json
    assert (order["subtotal"], order["discount"], order["shipping"], order["total"]) == (6000, 600, 9900, 15300)
    assert order["tax"] == 3060 and order["status"] == "pending_payment" and "visitor_id" not in order
    assert order["email"] == shop.client.email and order["coupon_code"] == "WELCOME"
    assert visitor_api.get(f"{base}/cart").json["items"] == []
    assert {m["To"].addresses[0].addr_spec for m in smtp_server.messages} == {shop.client.email,
                                                                              shop.photographer.email}
    events = {e.kind: e for e in db.session.scalars(select(Event).where(Event.gallery_id == shop.gallery.id))}
    assert events["order_placed"].client_id == shop.client.id and events["order_placed"].visitor_id == visitor.id
    assert events["cart_updated"].client_id == shop.client.id
    assert db.session.get(Coupon, coupon["id"]).uses == 1
    # The visitor can read their own order back, nobody else can.
    assert visitor_api.get(f"{base}/orders/{order['id']}").json["total"] == 15300
    other_token, _, other_visitor = make_visitor_api(shop.gallery, "friend@example.com", role="guest")
    problem(other_visitor.get(f"/api/v1/share/{other_token}/orders/{order['id']}"), 404)
    # The photographer sees it.
    listed = shop.api.get(f"/api/v1/orders?gallery_id={shop.gallery.id}").json["items"]
    assert [o["id"] for o in listed] == [order["id"]] and listed[0]["visitor_id"] == visitor.id


def test_share_store_refusals(make_shop, make_visitor_api, client, make_photographer, make_gallery):
    shop = make_shop()
    token, _, visitor_api = make_visitor_api(shop.gallery, "guest@example.com", role="guest")
    base = f"/api/v1/share/{token}"
    # No visitor identity: identify first.
    assert problem(client.get(f"{base}/cart"), 401)["needs_visitor"] is True
    problem(client.put(f"{base}/cart", json={"items": []}), 401)
    problem(client.post(f"{base}/orders", json={}), 401)
    problem(client.get("/api/v1/share/no-such-token/cart"), 404)
    # Bad input, each field named.
    body = problem(visitor_api.put(f"{base}/cart", json={"items": [
        {"product_id": shop.product("print").id, "photo_id": shop.photos[0].id, "quantity": 101},
        {"quantity": 1}]}), 422)
    assert {"items.0.quantity", "items.1.product_id"} <= set(body["errors"])
    assert "items" in problem(visitor_api.put(f"{base}/cart", json={}), 422)["errors"]
    assert problem(visitor_api.post(f"{base}/orders", json={}), 422)["detail"] == "The cart is empty."
    visitor_api.put(f"{base}/cart", json={"items": [{"product_id": shop.product("print").id,
                                                     "photo_id": shop.photos[0].id}]})
    body = problem(visitor_api.post(f"{base}/orders", json={"coupon_code": "NOPE",
                                                             "shipping_address": {"country": "Norway"}}), 422)
    assert {"shipping_address.country", "shipping_address.name"} <= set(body["errors"])
    body = problem(visitor_api.post(f"{base}/orders", json={"coupon_code": "NOPE", "shipping_address": ADDRESS}), 422)
    assert body["type"] == "/problems/coupon-refused" and body["errors"] == {
        "coupon_code": ["There is no coupon with this code."]}
    # The visitor token of one gallery's link opens nothing of another gallery.
    other = make_shop()
    other_token, _, _ = make_visitor_api(other.gallery, "someone@example.com")
    problem(visitor_api.get(f"/api/v1/share/{other_token}/cart"), 401)
    # A gallery without a store.
    photographer, _ = make_photographer()
    bare = make_gallery(photographer, publish=True)
    bare_token, _, bare_api = make_visitor_api(bare, "x@example.com")
    assert "no store" in problem(bare_api.get(f"/api/v1/share/{bare_token}/cart"), 409)["detail"]


def test_hosted_checkout_returns_the_payment_url(stripe, make_shop, make_visitor_api):
    shop = make_shop(payment_provider="stripe")
    token, _, visitor_api = make_visitor_api(shop.gallery, "buyer@example.com")
    visitor_api.put(f"/api/v1/share/{token}/cart", json={"items": [
        {"product_id": shop.product("digital_gallery").id}]})
    order = visitor_api.post(f"/api/v1/share/{token}/orders", json={}).json
    assert order["checkout_url"] == "https://checkout.test/pay/1" and order["payment_provider"] == "stripe"
    assert stripe.sessions[0]["params"]["success_url"] == f"http://gallery.test/g/{token}"


HOSTILE_NAME = "Kari\r\nBcc: evil@example.com\r\nX-Injected: 1"
SAFE_HEADERS = {"MIME-Version", "Content-Type", "Content-Transfer-Encoding", "From", "To", "Reply-To", "Subject",
                "Date", "Message-ID", "Auto-Submitted", "Content-Language", "X-Request-ID", "List-Unsubscribe",
                "List-Unsubscribe-Post"}


def _top_headers(raw: bytes) -> list[str]:
    """The names of the message's own header lines, read from the bytes (continuation lines folded in)."""
    head = raw.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0].decode("ascii")
    return [line.split(":", 1)[0] for line in head.split("\n") if line and not line[0].isspace()]


def test_a_name_with_line_breaks_still_checks_out_and_mails(make_shop, make_visitor_api, smtp_server, app):
    """A visitor name with CR/LF asks for a code and checks out; every mail it causes leaves through the
    outbox with its headers intact (the name is one line inside a display name, never a header of its own)."""
    from gallery.mail.models import OutboxMail

    shop = make_shop()
    token, visitor, visitor_api = make_visitor_api(shop.gallery, shop.client.email, name=HOSTILE_NAME)
    [code_mail] = db.session.scalars(select(OutboxMail)).all()  # the code request's mail, delivered
    assert code_mail.kind == "visitor_code" and code_mail.status == "sent"
    base = f"/api/v1/share/{token}"
    assert visitor_api.put(f"{base}/cart", json={"items": [
        {"product_id": shop.product("digital_photo").id, "photo_id": shop.photos[1].id}]}).status_code == 200
    address = dict(ADDRESS, name=HOSTILE_NAME)
    with smtp_server.configured(app):
        placed = visitor_api.post(f"{base}/orders", json={"shipping_address": address})
        assert placed.status_code == 201, placed.get_data(as_text=True)
        messages = smtp_server.wait_for(2)
    assert len(messages) == 2
    assert sorted(m.envelope_recipients[0] for m in messages) == sorted([shop.client.email,
                                                                         shop.photographer.email])
    for message in messages:
        assert "Bcc" not in message and "X-Injected" not in message
        assert all(a.addr_spec != "evil@example.com" for a in message["To"].addresses)
    [buyer] = [m for m in messages if m.envelope_recipients == [shop.client.email]]
    assert buyer["To"].addresses[0].display_name == "Kari Bcc: evil@example.com X-Injected: 1"
    db.session.expire_all()
    rows = db.session.scalars(select(OutboxMail)).all()
    assert sorted(row.kind for row in rows) == ["order_notice", "order_placed", "visitor_code"]
    assert {row.status for row in rows} == {"sent"}
    for row in rows:
        assert set(_top_headers(row.content)) <= SAFE_HEADERS, row.kind


def test_cart_options_of_the_wrong_type_are_422(make_shop, make_visitor_api):
    shop = make_shop()
    token, _, visitor_api = make_visitor_api(shop.gallery, shop.client.email)
    base = f"/api/v1/share/{token}"
    for photo_ids in (5, [{}], "abc", [[1]]):
        response = visitor_api.put(f"{base}/cart", json={"items": [
            {"product_id": shop.product("album").id, "options": {"photo_ids": photo_ids}}]})
        assert response.status_code == 422, (photo_ids, response.get_data(as_text=True))
