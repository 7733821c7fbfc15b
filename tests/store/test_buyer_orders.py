"""A visitor's own orders through the share link (status, tracking, how to pay) and pictures on cart lines."""
from tests.accounts.test_auth import problem

ADDRESS = {"name": "Kari Nordmann", "line1": "Storgata 1", "postal_code": "0155", "city": "Oslo", "country": "NO"}
HOW_TO_PAY = "Bank transfer to 1234.56.78901, reference: your order number. Or Vipps 91234567."


def test_my_orders_with_status_tracking_and_payment_instructions(make_shop, make_visitor_api, smtp_server, app):
    shop = make_shop(currency="NOK", payment_instructions=HOW_TO_PAY)
    assert shop.api.get(f"/api/v1/price-sheets/{shop.sheet.id}").json["payment_instructions"] == HOW_TO_PAY
    token, _, kari = make_visitor_api(shop.gallery, shop.client.email, name="Kari")
    base = f"/api/v1/share/{token}"
    assert kari.get(f"{base}/orders").json == {"items": []}
    cart = kari.put(f"{base}/cart", json={"items": [
        {"product_id": shop.product("print").id, "photo_id": shop.photos[0].id, "quantity": 1}]}).json
    thumb = cart["items"][0]["thumb"]
    assert thumb["width"] == 400 and "/files/" in thumb["url"] and thumb["webp"]
    with smtp_server.configured(app):
        placed = kari.post(f"{base}/orders", json={"shipping_address": ADDRESS})
        mails = smtp_server.wait_for(2)
    assert placed.status_code == 201 and placed.json["payment_instructions"] == HOW_TO_PAY
    confirmation = next(m for m in mails if m["To"].addresses[0].addr_spec == shop.client.email)
    assert HOW_TO_PAY in confirmation.get_body(preferencelist=("plain",)).get_content()
    assert placed.json["items"][0]["thumb"]["width"] == 400

    mine = kari.get(f"{base}/orders").json["items"]
    assert [(o["id"], o["status"], o["payment_instructions"]) for o in mine] == [
        (placed.json["id"], "pending_payment", HOW_TO_PAY)]
    assert "visitor_id" not in mine[0]

    shop.api.patch(f"/api/v1/orders/{placed.json['id']}", json={"status": "paid"})
    shop.api.patch(f"/api/v1/orders/{placed.json['id']}", json={"status": "in_production"})
    shop.api.patch(f"/api/v1/orders/{placed.json['id']}", json={"status": "shipped",
                                                                "tracking": "https://track.example/AB123"})
    order = kari.get(f"{base}/orders").json["items"][0]
    assert (order["status"], order["tracking"], order["payment_instructions"]) == (
        "shipped", "https://track.example/AB123", None)  # paid: no instructions any more

    # another visitor of the same gallery sees none of it; no visitor at all: 401
    other_token, _, ola = make_visitor_api(shop.gallery, "ola@example.com", role="guest")
    assert ola.get(f"/api/v1/share/{other_token}/orders").json == {"items": []}
    problem(ola.get(f"/api/v1/share/{other_token}/orders/{placed.json['id']}"), 404)
    problem(shop.api.raw.get(f"{base}/orders"), 401)


def test_cart_pictures_follow_the_watermark_rule(make_shop, make_visitor_api, make_photo):
    shop = make_shop()
    shop.gallery.watermark = True
    photo = make_photo(shop.gallery, renditions=("thumb", "preview", "large", "watermarked"))
    token, _, kari = make_visitor_api(shop.gallery, "kari@example.com")
    cart = kari.put(f"/api/v1/share/{token}/cart", json={"items": [
        {"product_id": shop.product("print").id, "photo_id": photo.id, "quantity": 1}]}).json
    thumb = cart["items"][0]["thumb"]
    # the picture is what the share API hands out for this photo and link, nothing larger than its thumbnail
    listed = kari.get(f"/api/v1/share/{token}/photos").json["items"]
    sizes = next(p for p in listed if p["id"] == photo.id)["renditions"]
    assert thumb in sizes.values() and thumb["width"] <= 400
