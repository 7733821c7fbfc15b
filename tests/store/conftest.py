"""Store fixtures: price sheets, photos, buyers and a shop ready to sell."""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest

from gallery.extensions import db

_counter = itertools.count(1)

DEFAULT_PRODUCTS = [
    {"kind": "print", "name": "Print 20x30", "price": 2500},
    {"kind": "canvas", "name": "Canvas 40x60", "price": 12000},
    {"kind": "album", "name": "Album 30 pages", "price": 45000},
    {"kind": "digital_photo", "name": "Full-size download", "price": 1000},
    {"kind": "digital_gallery", "name": "All full-size downloads", "price": 20000},
]


@pytest.fixture
def make_price_sheet(app):
    """make_price_sheet(photographer, currency="EUR", products=DEFAULT_PRODUCTS, **fields) -> PriceSheet."""
    from gallery.store import services

    def make(photographer, currency="EUR", products=None, **fields):
        fields.setdefault("name", f"Prices {next(_counter)}")
        if fields.get("payment_provider", "manual") == "manual":
            fields.setdefault("payment_instructions", "Bank transfer to 1234.56.78903, your order number as reference.")
        sheet = services.create_price_sheet(photographer.id, {
            "currency": currency, "products": [dict(p) for p in (products or DEFAULT_PRODUCTS)], **fields})
        db.session.commit()
        return sheet

    return make


@pytest.fixture
def make_buyer():
    """make_buyer(client=None, **fields) -> Buyer (a visitor, linked to `client` when given)."""
    from gallery.core.ids import new_id
    from gallery.store.services import Buyer

    def make(client=None, **fields):
        fields.setdefault("email", client.email if client is not None and client.email
                          else f"visitor{next(_counter)}@example.com")
        return Buyer(visitor_id=new_id(), client_id=client.id if client is not None else None, **fields)

    return make


@dataclass
class Shop:
    photographer: object
    api: object
    client: object
    gallery: object
    sheet: object
    photos: list

    def product(self, kind):
        return next(p for p in self.sheet.products if p.kind == kind)


@pytest.fixture
def make_shop(make_photographer, make_client, make_gallery, make_price_sheet, make_photo):
    """make_shop(currency="EUR", products=None, **sheet_fields) -> Shop: a published gallery with 3 photos
    selling from a fresh price sheet, for a client with an email."""

    def make(currency="EUR", products=None, **sheet_fields):
        photographer, api = make_photographer()
        client = make_client(photographer, name="Kari", email=f"kari{next(_counter)}@example.com")
        sheet = make_price_sheet(photographer, currency=currency, products=products, **sheet_fields)
        gallery = make_gallery(photographer, publish=True, client_id=client.id, price_sheet_id=sheet.id)
        photos = [make_photo(gallery) for _ in range(3)]
        return Shop(photographer, api, client, gallery, sheet, photos)

    return make


def fill_cart(shop, buyer, *lines):
    """fill_cart(shop, buyer, ("print", photo_index_or_None, quantity[, options]), ...) -> CartView."""
    from gallery.store import services

    items = []
    for line in lines:
        kind, photo_index, quantity, *options = line
        items.append({"product_id": shop.product(kind).id, "quantity": quantity,
                      "photo_id": shop.photos[photo_index].id if photo_index is not None else None,
                      "options": options[0] if options else {}})
    view = services.replace_cart(shop.gallery, buyer, items)
    db.session.commit()
    return view


def race_checkouts(app, shop, buyers, coupon_code, monkeypatch) -> list[tuple[str, str]]:
    """Every buyer checks out at once with `coupon_code`, in the worst order: all of them have passed the
    coupon's checks before any redeems it. Returns ("won", order id) or ("refused", detail) per buyer."""
    import threading

    from gallery.errors import Problem
    from gallery.galleries.models import Gallery
    from gallery.store import orders, services

    gallery_id = shop.gallery.id
    start = threading.Barrier(len(buyers))
    all_checked = threading.Barrier(len(buyers), timeout=30)
    outcomes = []
    check = orders.check_coupon

    def check_then_wait(*args, **kwargs):
        check(*args, **kwargs)
        all_checked.wait()

    monkeypatch.setattr(orders, "check_coupon", check_then_wait)

    def checkout(buyer):
        with app.app_context():
            gallery = db.session.get(Gallery, gallery_id)
            start.wait()
            try:
                order = services.place_order(gallery, buyer, coupon_code=coupon_code)
                db.session.commit()
                outcomes.append(("won", order.id))
            except Problem as refused:
                db.session.rollback()
                outcomes.append(("refused", refused.detail))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=checkout, args=(buyer,)) for buyer in buyers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


class FakeCheckoutClient:
    """Stands in for the provider's network API (the one thing we may fake): records sessions it creates and
    refunds it makes (`refuse_refunds` makes it answer a refund with a failure)."""

    def __init__(self):
        self.sessions = []
        self.refunds = []
        self.refuse_refunds = False

    def refund_session(self, session_id, amount, idempotency_key):
        if self.refuse_refunds:
            return {"id": "re_failed", "status": "failed"}
        refund = {"id": f"re_test_{len(self.refunds) + 1}", "status": "succeeded", "session": session_id,
                  "amount": amount, "idempotency_key": idempotency_key}
        self.refunds.append(refund)
        return refund

    def create_session(self, params):
        session = {"id": f"cs_test_{len(self.sessions) + 1}", "url": f"https://checkout.test/pay/{len(self.sessions) + 1}",
                   "params": params}
        self.sessions.append(session)
        return session


WEBHOOK_SECRET = "whsec_test_0123456789abcdef"


@pytest.fixture
def stripe(app):
    """The app with the hosted-checkout provider configured; yields the fake checkout client."""
    import dataclasses

    original = app.config["GALLERY"]
    app.config["GALLERY"] = dataclasses.replace(original, stripe_secret_key="sk_test_x",
                                                stripe_webhook_secret=WEBHOOK_SECRET)
    fake = app.extensions["store_checkout_client"] = FakeCheckoutClient()
    try:
        yield fake
    finally:
        app.config["GALLERY"] = original
        app.extensions.pop("store_checkout_client", None)


@pytest.fixture(autouse=True)
def _no_mail_left_behind(clean_mail_dir):
    """Order mails go to .eml files here; leave the shared mail folder as we found it."""
    yield
