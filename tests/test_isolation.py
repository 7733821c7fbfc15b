"""Photographer A can never read, change or list anything of photographer B, on every route.

The test walks the app's own URL map, so a new route is covered the day it is
added: give its path parameters a value in `b_resources` below.
"""
import re

import pytest

from gallery.extensions import db

# Routes that are not scoped to a photographer at all.
# /metrics is guarded by its own rule (token or loopback), tested in tests/observability.
PUBLIC_PREFIXES = ("/healthz", "/livez", "/readyz", "/metrics", "/api/v1/auth/signup", "/api/v1/auth/login", "/api/v1/auth/logout",
                   "/api/v1/auth/csrf", "/api/v1/openapi.json", "/static/", "/api/v1/share/", "/g/",
                   "/files/", "/api/v1/payments/", "/u/", "/t/", "/r/",
                   "/api/v1/logos/",  # a studio's logo: public by design, shown on client pages and in mails
                   "/studio")  # the studio's shell page: everything it shows comes from the scoped API

# Path parameters that name a kind of thing everyone has (a retention rule, a language), not something owned:
# a route named only by them answers for the caller's own data (still checked for leaks below).
NAMES_NOT_OWNED = {"rule", "locale"}


@pytest.fixture
def b_resources(make_photographer, make_client, make_gallery):
    """Everything photographer B owns, keyed by the URL parameter that names it."""
    from gallery.accounts.models import ApiToken
    from gallery.galleries import services as galleries

    bob, _ = make_photographer(email="bob@example.com")
    client = make_client(bob, name="Bob's client", email="c@bob.example")
    gallery = make_gallery(bob, title="Bob's gallery", client_id=client.id, publish=True)
    gallery_set = galleries.add_set(bob.id, gallery.id, {"name": "Secret set"})
    from gallery.galleries.models import Photo
    photo = Photo(gallery_id=gallery.id, original_filename="Bob's photo.jpg", storage_key=f"originals/{gallery.id}/p",
                  sha256="b" * 64, status="ready")
    db.session.add(photo)
    db.session.commit()
    token = db.session.scalar(db.select(ApiToken).where(ApiToken.photographer_id == bob.id))
    from gallery.accounts.models import LoginSession
    from gallery.core import clock

    login = LoginSession(photographer_id=bob.id, created_at=clock.now(), last_seen_at=clock.now())
    db.session.add(login)
    db.session.commit()
    share = _bobs_share_link_and_selection(gallery)
    store = _b_store(bob, gallery, client)
    store.update(_b_retention_program(bob, client))
    store.update(_b_failed_mail(bob))
    return {"rule": "anniversary", "locale": "en", "gallery_id": gallery.id, "client_id": client.id,
            "set_id": gallery_set.id, "token_id": token.id, "session_id": login.id, **share, **store,
            "photo_id": photo.id, "part_number": "1",
            "_texts": [gallery.id, photo.id, client.id, gallery_set.id, "Bob's", "c@bob.example",
                                         *share.values(), *store.values()]}


def _bobs_share_link_and_selection(gallery) -> dict:
    """A share link of B's gallery and a submitted selection on it (proofing routes)."""
    from gallery.core import clock
    from gallery.sharing.models import ShareLink
    from gallery.proofing.models import FavouriteList, Selection
    from gallery.sharing.models import Visitor

    link = ShareLink(gallery_id=gallery.id, token="bobs-secret-share-token-0123456789", role="client")
    db.session.add(link)
    db.session.flush()
    visitor = Visitor(gallery_id=gallery.id, share_link_id=link.id, email="v@bob.example", verified_at=clock.now())
    db.session.add(visitor)
    db.session.flush()
    favourites = FavouriteList(visitor_id=visitor.id, gallery_id=gallery.id, name="Favourites")
    db.session.add(favourites)
    db.session.flush()
    selection = Selection(gallery_id=gallery.id, visitor_id=visitor.id, list_id=favourites.id,
                          submitted_at=clock.now())
    db.session.add(selection)
    from gallery.galleries.models import Photo
    from gallery.proofing.models import Comment
    from gallery.proofing.replies import CommentReply

    photo = db.session.scalar(db.select(Photo).where(Photo.gallery_id == gallery.id))
    comment = Comment(gallery_id=gallery.id, photo_id=photo.id, visitor_id=visitor.id, body="Bob's client asks")
    db.session.add(comment)
    db.session.flush()
    reply = CommentReply(comment_id=comment.id, photographer_id=gallery.photographer_id, body="Bob's answer")
    db.session.add(reply)
    db.session.commit()
    return {"link_id": link.id, "selection_id": selection.id, "comment_id": comment.id, "reply_id": reply.id}


def _b_store(bob, gallery, client):
    """B's price sheet, coupon and order (placed by a visitor of B's gallery)."""
    from gallery.store import services as store

    sheet = store.create_price_sheet(bob.id, {"name": "Bob's prices", "currency": "EUR", "payment_instructions": "Bank transfer to 1234.56.78903, reference: the order number.", "products": [
        {"kind": "digital_gallery", "name": "All photos", "price": 10000}]})
    gallery.price_sheet_id = sheet.id
    coupon = store.create_coupon(bob.id, {"code": "BOBS-ONLY", "percent_off": 10})
    buyer = store.Buyer(visitor_id="01visitorofbobsgallery0000", client_id=client.id, email="c@bob.example")
    store.replace_cart(gallery, buyer, [{"product_id": sheet.products[0].id, "quantity": 1}])
    order = store.place_order(gallery, buyer)
    db.session.commit()
    return {"price_sheet_id": sheet.id, "coupon_id": coupon.id, "order_id": order.id}


def _b_retention_program(bob, client):
    """B's campaign, loyalty tier and follow-up."""
    from gallery.retention import campaigns, followups, loyalty

    campaign = campaigns.create_campaign(bob.id, {"name": "Bob's campaign"})
    tier = loyalty.create_tier(bob.id, {"name": "Bob's tier", "min_sessions": 1})
    followup = followups.open_complaint(bob.id, client.id, "Bob's client complains")
    db.session.commit()
    return {"campaign_id": campaign.id, "tier_id": tier.id, "followup_id": followup.id}


def _b_failed_mail(bob):
    """A mail of B's that failed (the inbox lists it; B may send it again or dismiss it)."""
    from gallery.mail.models import OutboxMail

    row = OutboxMail(kind="order_placed", photographer_id=bob.id, envelope_from="studio@bob.example",
                     to_email="c@bob.example", subject="Bob's order mail", content=b"Subject: x", status="failed",
                     last_error="550 no such user")
    db.session.add(row)
    db.session.commit()
    return {"mail_id": row.id}


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(PUBLIC_PREFIXES):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, rule


def test_photographer_cannot_touch_another_photographers_data(app, make_photographer, b_resources):
    _, alice = make_photographer(email="alice@example.com")
    alice.post("/api/v1/galleries", json={"title": "Alice's own"})
    checked = 0
    for method, rule in _routes(app):
        params = re.findall(r"<(?:[^:<>]+:)?([^<>]+)>", rule.rule)
        missing = [p for p in params if p not in b_resources]
        assert not missing, f"{rule.rule}: add a value for {missing} to b_resources"
        path = rule.rule
        for name in params:
            path = re.sub(rf"<(?:[^:<>]+:)?{name}>", b_resources[name], path)
        response = alice.request(method, path, json={} if method in {"POST", "PUT", "PATCH"} else None)
        text = response.get_data(as_text=True)
        if set(params) - NAMES_NOT_OWNED:
            assert response.status_code in {404, 422, 403}, f"{method} {path} answered {response.status_code}"
        for secret in b_resources["_texts"]:
            assert secret not in text, f"{method} {path} leaked {secret!r}"
        checked += 1
    assert checked >= 10
    # Nothing of B's changed.
    from gallery.galleries.models import Gallery
    gallery = db.session.get(Gallery, b_resources["gallery_id"])
    assert gallery is not None and gallery.title == "Bob's gallery"


def test_anonymous_requests_are_refused_everywhere(app, b_resources):
    anonymous = app.test_client()
    for method, rule in _routes(app):
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: b_resources.get(m.group(1), "x"), rule.rule)
        response = anonymous.open(path, method=method, json={} if method in {"POST", "PUT", "PATCH"} else None)
        assert response.status_code == 401, f"{method} {path} answered {response.status_code}"
