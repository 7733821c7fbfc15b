"""Every client-side route, under every way of being turned away, is denied with the right status and no data.

The routes come from the app's own URL map (everything under /api/v1/share/), so a
route added later is covered the day it is added: give it a body in BODIES if it takes one.
"""
import re
from datetime import timedelta

import pytest

from gallery.core import clock
from gallery.extensions import db

SHARE_PREFIX = "/api/v1/share/"
# A valid body per route (so validation never answers before authorisation would).
BODIES = {
    "/unlock": {"password": "wrong password"},
    "/visitors": {"email": "someone@example.com"},
    "/visitors/verify": {"email": "someone@example.com", "code": "123456"},
    "/favourites/<photo_id>": {},
    "/favourite-lists": {"name": "Album"},
    "/favourite-lists/<list_id>": {"name": "Album"},
    "/favourites/<photo_id>/move": {"from_list_id": "x", "to_list_id": "y"},
    "/photos/<photo_id>/comments": {"body": "nice"},
    "/photos/<photo_id>/hidden": {"hidden_from_guests": False},
    "/selection/submit": {},
    "/events": {"kind": "photo_viewed", "photo_id": "<photo_id>"},
    "/cart": {"items": []},  # the store's share routes (merged)
}


def share_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(SHARE_PREFIX):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield method, rule.rule


@pytest.fixture
def world(make_photographer, make_gallery, make_photo, make_share_link, identify_visitor):
    """Gallery A (the target, with secrets) and gallery B (someone else's, with a working link)."""
    photographer, api = make_photographer(studio_name="Fjord Foto")
    gallery = make_gallery(photographer, publish=True, title="Secret wedding of A")
    hidden = make_photo(gallery, filename="SECRET_hidden_from_guests.jpg", hidden_from_guests=True)
    photo = make_photo(gallery, filename="SECRET_public.jpg")
    links = {
        "valid": make_share_link(gallery),
        "revoked": make_share_link(gallery),
        "expired": make_share_link(gallery, expires_at=clock.now() + timedelta(hours=1)),
        "guest": make_share_link(gallery, role="guest"),
        "locked": make_share_link(gallery, password="the password"),
    }
    other_photographer, _ = make_photographer()
    other_gallery = make_gallery(other_photographer, publish=True, title="B's gallery")
    make_photo(other_gallery, filename="B_photo.jpg")
    links["other"] = make_share_link(other_gallery)
    tokens = {name: identify_visitor(link, f"{name}@example.com") for name, link in links.items()
              if name in {"valid", "guest", "other"}}
    from gallery.sharing import links as share_links
    share_links.revoke_link(photographer.id, gallery.id, links["revoked"].id)
    db.session.commit()
    secrets = [gallery.title, "SECRET_", photo.id, hidden.id, gallery.id, links["valid"].id]
    return {"links": links, "tokens": tokens, "photo": photo, "hidden": hidden, "secrets": secrets}


def call(http, method, rule, token, photo_id, headers=None):
    suffix = rule[len(SHARE_PREFIX) + len("<token>"):]
    path = rule.replace("<token>", token).replace("<photo_id>", photo_id)
    path = re.sub(r"<(?:[^:<>]+:)?[^<>]+>", "x", path)
    body = BODIES.get(suffix)
    if body is not None:
        body = {k: (photo_id if v == "<photo_id>" else v) for k, v in body.items()}
    elif method in {"POST", "PUT", "PATCH"}:
        body = {}
    return http.open(path, method=method, json=body, headers=headers or {})


def assert_denied(response, statuses, secrets, where):
    assert response.status_code in statuses, f"{where}: {response.status_code} {response.get_data(as_text=True)}"
    assert response.mimetype == "application/problem+json", where
    text = response.get_data(as_text=True)
    for secret in secrets:
        assert secret not in text, f"{where} leaked {secret!r}"


def test_authorization_matrix(app, world):
    links, tokens, secrets = world["links"], world["tokens"], world["secrets"]
    photo_id, hidden_id = world["photo"].id, world["hidden"].id
    routes = list(share_routes(app))
    assert len(routes) >= 14
    later = clock.now() + timedelta(hours=2)  # the "expired" link has expired by then
    checked = 0
    for method, rule in routes:
        http = app.test_client(use_cookies=False)
        where = f"{method} {rule}"
        # 1. no such link
        assert_denied(call(http, method, rule, "no-such-link-token-000000", photo_id), {404}, secrets, where)
        # 2. revoked and 3. expired link
        assert_denied(call(http, method, rule, links["revoked"].token, photo_id), {410}, secrets, where)
        with clock.frozen(later):
            body = call(http, method, rule, links["expired"].token, photo_id)
        assert_denied(body, {410}, secrets, where)
        assert body.json["contact"]["studio_name"] == "Fjord Foto"
        # 4. another gallery's (working) link, asking for this gallery's photo
        if "<photo_id>" in rule or rule.endswith("/events"):
            other = call(http, method, rule, links["other"].token, photo_id,
                         {"Authorization": f"Bearer {tokens['other']}"})
            assert_denied(other, {404, 403}, secrets, where)
        # 5. a guest link on client-only content: hidden photos and client-only actions
        guest = call(http, method, rule, links["guest"].token, hidden_id,
                     {"Authorization": f"Bearer {tokens['guest']}"})
        if "<photo_id>" in rule or rule.endswith(("/hidden", "/selection/submit")):
            assert_denied(guest, {403, 404}, secrets + [hidden_id], where)
        else:
            assert hidden_id.encode() not in guest.data and b"SECRET_hidden" not in guest.data, where
        # 6. a password link not unlocked: nothing but the title/studio (GET) and the unlock itself (wrong password)
        locked = call(http, method, rule, links["locked"].token, photo_id)
        if rule == SHARE_PREFIX + "<token>" and method == "GET":
            assert locked.status_code == 200 and locked.json["locked"] is True
            assert photo_id not in locked.get_data(as_text=True) and "sets" not in locked.json
        else:
            assert_denied(locked, {401}, secrets, where)
        # 7. a wrong visitor token: a forged one, and a real one of another link
        for wrong in ("forged.visitor.token", tokens["guest"], tokens["other"]):
            assert_denied(call(http, method, rule, links["valid"].token, photo_id,
                               {"Authorization": f"Bearer {wrong}"}), {401}, secrets, where)
        checked += 1
    assert checked == len(routes)


def test_no_url_issued_before_a_revoke_works_after_it(app, client, world, make_share_link):
    link = world["links"]["valid"]
    items = client.get(f"/api/v1/share/{link.token}/photos").json["items"]
    urls = [size[key] for item in items for size in item["renditions"].values() for key in ("url", "webp")
            if size[key]]
    assert len(urls) == 10
    assert all(client.get(url).status_code == 200 for url in urls)
    photographer_id = db.session.get(type(link), link.id).gallery_id
    from gallery.sharing import links as share_links
    from gallery.galleries.models import Gallery
    gallery = db.session.get(Gallery, photographer_id)
    share_links.revoke_link(gallery.photographer_id, gallery.id, link.id)
    db.session.commit()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 410 and b"SECRET" not in response.data and b"thumb" not in response.data

    # The same holds when the gallery is unpublished or expires.
    fresh = make_share_link(gallery)
    urls = [i["renditions"]["thumb"]["url"] for i in client.get(f"/api/v1/share/{fresh.token}/photos").json["items"]]
    gallery.expires_at = clock.now() + timedelta(minutes=5)
    db.session.commit()
    assert all(client.get(url).status_code == 200 for url in urls)
    with clock.frozen(clock.now() + timedelta(minutes=6)):
        assert all(client.get(url).status_code == 410 for url in urls)
    gallery.expires_at, gallery.status = None, "archived"
    db.session.commit()
    assert all(client.get(url).status_code == 410 for url in urls)
    # A tampered URL (another object under the same signature) is refused too.
    assert client.get(urls[0].replace("thumb.jpg", "large.jpg")).status_code == 403
