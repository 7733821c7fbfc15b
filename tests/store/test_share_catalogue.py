"""GET /api/v1/share/{token}/products: what a share link's visitor may buy."""
from __future__ import annotations

from gallery.extensions import db


def test_products_of_the_gallerys_sheet_in_order_without_inactive_ones(client, make_shop, make_share_link):
    shop = make_shop()
    hidden = shop.sheet.products[-1]
    hidden.active = False
    db.session.commit()
    link = make_share_link(shop.gallery)
    response = client.get(f"/api/v1/share/{link.token}/products")
    assert response.status_code == 200
    body = response.json
    assert body["currency"] == "EUR"
    names = [p["name"] for p in body["products"]]
    assert hidden.name not in names
    assert names == [p.name for p in sorted(shop.sheet.products, key=lambda p: (p.position, p.id)) if p.active]
    assert set(body["products"][0]) == {"id", "kind", "name", "description", "price"}


def test_a_gallery_without_a_store_has_no_products(client, make_photographer, make_gallery, make_share_link):
    photographer, _ = make_photographer()
    link = make_share_link(make_gallery(photographer, publish=True))
    assert client.get(f"/api/v1/share/{link.token}/products").json == {"currency": None, "products": []}


def test_another_photographers_sheet_is_never_shown(client, make_shop, make_photographer, make_gallery,
                                                     make_share_link):
    shop = make_shop()
    intruder, _ = make_photographer()
    gallery = make_gallery(intruder, publish=True)
    gallery.price_sheet_id = shop.sheet.id  # not theirs
    db.session.commit()
    link = make_share_link(gallery)
    assert client.get(f"/api/v1/share/{link.token}/products").json["products"] == []


def test_locked_unknown_and_revoked_links_are_refused(client, make_shop, make_share_link):
    shop = make_shop()
    locked = make_share_link(shop.gallery, password="secret-words")
    response = client.get(f"/api/v1/share/{locked.token}/products")
    assert response.status_code == 401 and response.json["locked"] is True
    assert client.get("/api/v1/share/no-such-token/products").status_code == 404
    revoked = make_share_link(shop.gallery)
    from gallery.sharing.links import revoke_link

    revoke_link(shop.photographer.id, shop.gallery.id, revoked.id)
    db.session.commit()
    assert client.get(f"/api/v1/share/{revoked.token}/products").status_code == 410
