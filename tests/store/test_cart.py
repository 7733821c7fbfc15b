"""Carts: one per visitor per gallery, items validated against THIS gallery and its price sheet."""
import pytest
from sqlalchemy import select

from gallery.engagement.models import Event
from gallery.errors import Problem
from gallery.extensions import db
from gallery.store import services
from tests.store.conftest import fill_cart


def test_replace_cart_prices_items_and_records_the_event(make_shop, make_buyer):
    shop = make_shop()
    buyer = make_buyer(shop.client)
    view = fill_cart(shop, buyer, ("print", 0, 2, {"finish": "matte", "crop": {"x": 0.1, "y": 0, "width": 0.8,
                                                                               "height": 1}}),
                     ("digital_gallery", None, 1))
    assert view.currency == "EUR" and view.subtotal == 2 * 2500 + 20000
    assert view.items[0]["options"] == {"finish": "matte", "border": False,
                                        "crop": {"x": 0.1, "y": 0, "width": 0.8, "height": 1}}
    # PUT replaces: the second call leaves one line.
    view = fill_cart(shop, buyer, ("canvas", 1, 1))
    assert [(i["product_kind"], i["quantity"]) for i in view.items] == [("canvas", 1)]
    assert view.items[0]["options"] == {"wrap": "gallery"}
    events = db.session.scalars(select(Event).where(Event.kind == "cart_updated").order_by(Event.id)).all()
    assert [(e.client_id, e.visitor_id, e.payload["items"]) for e in events] == [
        (shop.client.id, buyer.visitor_id, 2), (shop.client.id, buyer.visitor_id, 1)]
    # Another visitor has their own cart.
    assert services.get_cart(shop.gallery, make_buyer()).items == []


def test_cart_items_are_validated(make_shop, make_buyer, make_photo, make_gallery):
    shop = make_shop()
    other_shop = make_shop()
    foreign_photo = other_shop.photos[0]
    buyer = make_buyer()
    with pytest.raises(Problem) as refused:
        services.replace_cart(shop.gallery, buyer, [
            {"product_id": other_shop.product("print").id, "photo_id": shop.photos[0].id, "quantity": 1},
            {"product_id": shop.product("print").id, "photo_id": foreign_photo.id, "quantity": 1},
            {"product_id": shop.product("print").id, "photo_id": None, "quantity": 1},
            {"product_id": shop.product("digital_gallery").id, "photo_id": shop.photos[0].id, "quantity": 1},
            {"product_id": shop.product("digital_photo").id, "photo_id": shop.photos[0].id, "quantity": 3},
            {"product_id": shop.product("print").id, "photo_id": shop.photos[0].id, "quantity": 1,
             "options": {"finish": "shiny", "crop": {"x": 2, "y": 0, "width": 1, "height": 1}, "size": "huge"}},
            {"product_id": shop.product("album").id, "quantity": 1,
             "options": {"photo_ids": [shop.photos[0].id, foreign_photo.id]}},
        ])
    assert refused.value.code == 422
    assert set(refused.value.errors) == {
        "items.0.product_id", "items.1.photo_id", "items.2.photo_id", "items.3.photo_id", "items.4.quantity",
        "items.5.options.finish", "items.5.options.crop.x", "items.5.options.size", "items.6.options.photo_ids"}
    assert services.get_cart(shop.gallery, buyer).items == []  # bad input lost nothing, saved nothing
    assert db.session.scalar(select(Event.id).where(Event.kind == "cart_updated")) is None


def test_guests_cannot_buy_what_the_client_hid(make_shop, make_buyer, make_photo):
    from gallery.galleries.services import add_set

    shop = make_shop()
    hidden_set = add_set(shop.photographer.id, shop.gallery.id, {"name": "Private", "hidden_from_guests": True})
    in_hidden_set = make_photo(shop.gallery, set_id=hidden_set.id)
    hidden_photo = make_photo(shop.gallery, hidden_from_guests=True)
    guest = make_buyer(role="guest")
    for photo in (in_hidden_set, hidden_photo):
        with pytest.raises(Problem) as refused:
            services.replace_cart(shop.gallery, guest, [
                {"product_id": shop.product("print").id, "photo_id": photo.id, "quantity": 1}])
        assert "items.0.photo_id" in refused.value.errors
    client_view = services.replace_cart(shop.gallery, make_buyer(shop.client), [
        {"product_id": shop.product("print").id, "photo_id": hidden_photo.id, "quantity": 1}])
    assert client_view.subtotal == 2500


def test_gallery_without_store_and_retired_products(make_shop, make_buyer, make_photographer, make_gallery):
    photographer, _ = make_photographer()
    bare = make_gallery(photographer, publish=True)
    with pytest.raises(Problem) as refused:
        services.get_cart(bare, make_buyer())
    assert refused.value.code == 409 and "no store" in refused.value.detail

    shop = make_shop()
    buyer = make_buyer()
    fill_cart(shop, buyer, ("print", 0, 1), ("digital_photo", 1, 1))
    services.update_price_sheet(shop.photographer.id, shop.sheet.id, {"products": [
        {"id": shop.product("print").id, "kind": "print", "name": "Print 20x30", "price": 2500}]})
    db.session.commit()
    view = services.get_cart(shop.gallery, buyer)
    assert [i["available"] for i in view.items] == [True, False] and view.subtotal == 2500
    with pytest.raises(Problem) as refused:
        services.place_order(shop.gallery, buyer)
    assert refused.value.code == 409 and "Full-size download" in refused.value.detail


@pytest.mark.parametrize("status", ["uploading", "processing", "failed"])
def test_nobody_buys_a_photo_that_is_not_ready(make_shop, make_buyer, make_photo, status):
    """The store asks the same visibility rule as the share API: a photo not ready is not there to buy."""
    shop = make_shop()
    photo = make_photo(shop.gallery, status=status)
    for buyer in (make_buyer(role="guest"), make_buyer(shop.client)):
        with pytest.raises(Problem) as refused:
            services.replace_cart(shop.gallery, buyer, [
                {"product_id": shop.product("print").id, "photo_id": photo.id, "quantity": 1}])
        assert "items.0.photo_id" in refused.value.errors
