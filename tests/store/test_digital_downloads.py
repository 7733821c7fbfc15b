"""A paid digital download unlocks full size for that visitor, through the real download routes."""
from gallery.extensions import db
from gallery.store import services
from tests.plugins.problems import problem


def test_paid_download_unlocks_full_size_for_the_buyer_only(make_shop, make_visitor_api, make_photo):
    shop = make_shop()
    shop.gallery.download_policy = {"client": "web", "guest": "none"}
    db.session.commit()
    bought, other = make_photo(shop.gallery, data=b"bought-original" * 50), shop.photos[0]
    token, _, buyer_api = make_visitor_api(shop.gallery, "guest-buyer@example.com", role="guest")
    bystander_token, _, bystander_api = make_visitor_api(shop.gallery, "bystander@example.com", role="guest")
    base = f"/api/v1/share/{token}"

    def original(api, photo):
        return api.get(f"{base}/photos/{photo.id}/download?size=original")

    problem(original(buyer_api, bought), 403)  # guests get nothing by policy
    buyer_api.put(f"{base}/cart", json={"items": [{"product_id": shop.product("digital_photo").id,
                                                   "photo_id": bought.id}]})
    order = buyer_api.post(f"{base}/orders", json={}).json
    problem(original(buyer_api, bought), 403)  # placed, not paid yet
    services.change_order_status(shop.photographer.id, order["id"], "paid")
    db.session.commit()

    response = original(buyer_api, bought)
    assert response.status_code == 200 and response.data == b"bought-original" * 50
    problem(original(buyer_api, other), 403)  # only the photo bought
    problem(buyer_api.get(f"{base}/download.zip?size=original"), 403)  # not the whole gallery
    # Another visitor of the same gallery: nothing unlocked.
    problem(bystander_api.get(f"/api/v1/share/{bystander_token}/photos/{bought.id}/download?size=original"), 403)

    # Buying the whole gallery unlocks every photo and the full-size zip.
    buyer_api.put(f"{base}/cart", json={"items": [{"product_id": shop.product("digital_gallery").id}]})
    whole = buyer_api.post(f"{base}/orders", json={}).json
    services.change_order_status(shop.photographer.id, whole["id"], "paid")
    db.session.commit()
    assert original(buyer_api, other).status_code == 200
    zipped = buyer_api.get(f"{base}/download.zip?size=original")
    assert zipped.status_code == 200 and zipped.mimetype == "application/zip"
