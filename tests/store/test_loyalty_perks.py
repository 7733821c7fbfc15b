"""A loyalty tier's perks at checkout: the standing discount (never stacked on a coupon: the better one wins)
and free digital downloads."""
from gallery.extensions import db
from gallery.retention import loyalty
from gallery.store import services
from tests.store.conftest import fill_cart

ADDRESS = {"name": "Kari Nordmann", "line1": "Storgata 1", "postal_code": "0155", "city": "Oslo", "country": "NO"}


def _tier(shop, **perks):
    loyalty.create_tier(shop.photographer.id, {"name": "VIP", "min_sessions": 1, **perks})
    loyalty.recompute(photographer_id=shop.photographer.id)
    db.session.commit()


def test_the_tier_discount_applies_to_the_clients_orders_only(make_shop, make_buyer):
    shop = make_shop(products=[{"kind": "print", "name": "Print", "price": 10000}], tax_rate_bp=0)
    _tier(shop, discount_percent=10)
    client_buyer = make_buyer(shop.client)
    fill_cart(shop, client_buyer, ("print", 0, 1))
    order = services.place_order(shop.gallery, client_buyer, shipping_address=ADDRESS)
    assert order.discount == 1000
    guest = make_buyer()
    fill_cart(shop, guest, ("print", 0, 1))
    assert services.place_order(shop.gallery, guest, shipping_address=ADDRESS).discount == 0


def test_a_better_coupon_wins_over_the_tier_discount_without_stacking(make_shop, make_buyer):
    shop = make_shop(products=[{"kind": "print", "name": "Print", "price": 10000}], tax_rate_bp=0)
    _tier(shop, discount_percent=10)
    services.create_coupon(shop.photographer.id, {"code": "BIG", "percent_off": 25})
    services.create_coupon(shop.photographer.id, {"code": "SMALL", "percent_off": 5})
    db.session.commit()
    buyer = make_buyer(shop.client)
    fill_cart(shop, buyer, ("print", 0, 1))
    assert services.place_order(shop.gallery, buyer, coupon_code="big", shipping_address=ADDRESS).discount == 2500
    fill_cart(shop, buyer, ("print", 0, 1))
    assert services.place_order(shop.gallery, buyer, coupon_code="small", shipping_address=ADDRESS).discount == 1000


def test_free_digital_downloads_for_the_tier(make_shop, make_buyer):
    shop = make_shop(products=[{"kind": "digital_photo", "name": "Download", "price": 1500},
                               {"kind": "print", "name": "Print", "price": 2000}], tax_rate_bp=0)
    _tier(shop, free_digital=True)
    buyer = make_buyer(shop.client)
    fill_cart(shop, buyer, ("digital_photo", 0, 1), ("print", 1, 1))
    order = services.place_order(shop.gallery, buyer, shipping_address=ADDRESS)
    assert [(item.product_kind, item.line_total) for item in order.items] == [("digital_photo", 0), ("print", 2000)]
    assert order.subtotal == 2000
