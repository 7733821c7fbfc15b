"""Referrals: personal link, attribution, and the referrer's reward on the referred client's first paid order."""
from datetime import UTC, datetime

from sqlalchemy import select

from gallery.core import clock
from gallery.extensions import db
from gallery.retention.models import Message
from gallery.retention.sweep import sweep


def _paid_order(photographer, client, gallery, total=30000):
    from gallery.store.models import Order
    from gallery.store.services import mark_order_paid

    order = Order(photographer_id=photographer.id, gallery_id=gallery.id, visitor_id="v-" + client.id[:8],
                  client_id=client.id, currency="NOK", subtotal=total, total=total, status="pending_payment")
    db.session.add(order)
    db.session.flush()
    mark_order_paid(order, source="test")
    db.session.commit()
    return order


def test_referral_link_attribution_and_reward(app, studio, make_client, make_gallery, smtp_server, client):
    photographer, api, kari, gallery = studio()
    link = api.get(f"/api/v1/retention/referrals/{kari.id}").json
    assert link["url"] == f"http://gallery.test/r/{link['code']}" and link["referred"] == 0
    assert api.get(f"/api/v1/retention/referrals/{kari.id}").json["code"] == link["code"]  # stable

    # The shared link lands on the studio's website with the code, or on a small page.
    page = client.get(f"/r/{link['code']}")
    assert page.status_code == 200 and b"Lys Studio" in page.data
    photographer.branding = {"website": "https://lys.example/book"}
    db.session.commit()
    # Never a redirect (the platform's address must not front whatever page was typed): a visible link.
    landing = client.get(f"/r/{link['code']}")
    assert landing.status_code == 200 and "Location" not in landing.headers
    code = link["code"]
    assert f'href="https://lys.example/book?ref={code}"'.encode() in landing.data
    assert b">lys.example</a>" in landing.data
    photographer.branding = {"website": "javascript:alert(1)"}
    db.session.commit()
    assert b"javascript:" not in client.get(f"/r/{link['code']}").data
    assert client.get("/r/unknown-code").status_code == 404

    ola = make_client(photographer, name="Ola", email="ola@example.no")
    response = api.post("/api/v1/retention/referrals/attributions", json={"code": link["code"], "client_id": ola.id})
    assert response.status_code == 201
    again = api.post("/api/v1/retention/referrals/attributions", json={"code": link["code"], "client_id": ola.id})
    assert again.status_code == 409
    itself = api.post("/api/v1/retention/referrals/attributions", json={"code": link["code"], "client_id": kari.id})
    assert itself.status_code == 422
    assert api.post("/api/v1/retention/referrals/attributions", json={"code": "nope", "client_id": ola.id}
                    ).status_code == 404
    assert api.post("/api/v1/retention/referrals/attributions", json={}).status_code == 422

    ola_gallery = make_gallery(photographer, publish=True, client_id=ola.id, title="Ola")
    with clock.frozen(datetime(2025, 3, 3, 15, tzinfo=UTC)):
        _paid_order(photographer, ola, ola_gallery)
    with clock.frozen(datetime(2025, 3, 10, 15, tzinfo=UTC)):
        _paid_order(photographer, ola, ola_gallery)  # a second order earns nothing more
    [reward] = db.session.scalars(select(Message).where(Message.rule == "referral")).all()
    assert reward.client_id == kari.id and reward.dedupe_key == f"referral:{ola.id}"
    assert reward.send_after == datetime(2025, 3, 4, 8, tzinfo=UTC)  # next 09:00 in Oslo
    with smtp_server.configured(app):
        assert sweep(datetime(2025, 3, 4, 8, 30, tzinfo=UTC)).sent == 1
    [mail] = smtp_server.messages
    db.session.refresh(reward)
    assert mail["To"] == "Kari Nordmann <kari@example.no>" and reward.coupon_code
    body = mail.get_body(("plain",)).get_content()
    assert reward.coupon_code in body and "20% off" in body
    assert api.get(f"/api/v1/retention/referrals/{kari.id}").json["referred"] == 1


def test_referral_codes_of_another_studio_do_not_attribute(app, studio, make_photographer, make_client):
    _, api, kari, _ = studio()
    code = api.get(f"/api/v1/retention/referrals/{kari.id}").json["code"]
    other, other_api = make_photographer()
    stranger = make_client(other, name="Stranger", email="s@example.no")
    response = other_api.post("/api/v1/retention/referrals/attributions", json={"code": code, "client_id": stranger.id})
    assert response.status_code == 404
    assert other_api.get(f"/api/v1/retention/referrals/{kari.id}").status_code == 404
