"""Export one client's data (zip of JSON and CSV) and erase a client (report of what was removed and kept),
through the API, scoped to the client's photographer."""
import csv
import io
import json
import zipfile
from datetime import date

import pytest
from sqlalchemy import func, select

from gallery.core import clock
from gallery.engagement.models import Event
from gallery.engagement.services import record_event
from gallery.extensions import db
from gallery.proofing.models import Comment, Favourite, Visitor
from gallery.retention.models import Feedback, Message, Unsubscribe
from gallery.store.models import Order, OrderItem


@pytest.fixture
def client_with_history(make_photographer, make_client, make_gallery, make_photo, make_share_link, identify_visitor):
    """A client who viewed, favourited, commented, ordered, got mail, answered a survey and unsubscribed;
    and, at another studio, someone with the same email (who must stay untouched)."""
    photographer, api = make_photographer()
    client = make_client(photographer, name="Kari Nordmann", email="kari@example.no", marketing_consent=True,
                         consent_source="booking form", important_dates=[{"kind": "wedding", "date": date(2026, 6, 20)}])
    gallery = make_gallery(photographer, publish=True, client_id=client.id, title="Kari & Ola")
    photo = make_photo(gallery, filename="DSC_0001.jpg")
    link = make_share_link(gallery)
    token = identify_visitor(link, "kari@example.no", name="Kari")
    http = api.raw.application.test_client()
    auth = {"Authorization": f"Bearer {token}"}
    assert http.put(f"/api/v1/share/{link.token}/favourites/{photo.id}", json={"note": "album cover"},
                    headers=auth).status_code in (200, 201)
    assert http.post(f"/api/v1/share/{link.token}/photos/{photo.id}/comments", json={"body": "Lovely light!"},
                     headers=auth).status_code == 201
    visitor = db.session.scalar(select(Visitor).where(Visitor.share_link_id == link.id))
    order = Order(photographer_id=photographer.id, gallery_id=gallery.id, visitor_id=visitor.id, client_id=client.id,
                  email="kari@example.no", name="Kari Nordmann", currency="NOK", subtotal=50000, total=50000,
                  shipping_address={"line1": "Storgata 1", "city": "Oslo"}, note="Gift wrap", status="paid")
    db.session.add(order)
    db.session.flush()
    db.session.add(OrderItem(order_id=order.id, product_kind="print", product_name="Print 20x30", photo_id=photo.id,
                             photo_filename="DSC_0001.jpg", unit_price=50000, quantity=1, line_total=50000))
    message = Message(photographer_id=photographer.id, client_id=client.id, gallery_id=gallery.id, rule="anniversary",
                      category="marketing", dedupe_key=f"anniversary:{gallery.id}:2027", due_at=clock.now(),
                      send_after=clock.now(), to_email="kari@example.no", subject="Happy anniversary", status="sent")
    db.session.add(message)
    db.session.flush()
    db.session.add(Feedback(photographer_id=photographer.id, message_id=message.id, client_id=client.id, score=10,
                            comment="Wonderful"))
    db.session.add(Unsubscribe(photographer_id=photographer.id, email="kari@example.no", message_id=message.id))
    record_event("order_placed", photographer_id=photographer.id, gallery_id=gallery.id, client_id=client.id,
                 visitor_id=visitor.id)

    other, other_api = make_photographer()
    stranger = make_client(other, name="Kari at another studio", email="kari@example.no")
    record_event("gallery_viewed", photographer_id=other.id, client_id=stranger.id)
    db.session.commit()
    return {"api": api, "client": client, "gallery": gallery, "order": order, "visitor": visitor,
            "other_api": other_api, "stranger": stranger}


def _archive(response) -> zipfile.ZipFile:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.data))


def test_export_holds_everything_about_the_client_in_json_and_csv(client_with_history):
    data = client_with_history
    archive = _archive(data["api"].get(f"/api/v1/clients/{data['client'].id}/export"))
    names = set(archive.namelist())
    assert {"client.json", "README.txt", "visitors.json", "visitors.csv", "orders.csv", "events.json",
            "favourites.csv", "comments.csv", "messages.csv", "feedback.json", "unsubscribes.csv"} <= names
    client = json.loads(archive.read("client.json"))
    assert client["email"] == "kari@example.no" and client["consent_source"] == "booking form"
    assert client["important_dates"][0]["kind"] == "wedding"
    [visitor] = json.loads(archive.read("visitors.json"))
    assert visitor["email"] == "kari@example.no" and "code_hash" not in visitor and "token_version" not in visitor
    [favourite] = list(csv.DictReader(io.StringIO(archive.read("favourites.csv").decode())))
    assert favourite["note"] == "album cover"
    assert json.loads(archive.read("comments.json"))[0]["body"] == "Lovely light!"
    [order] = list(csv.DictReader(io.StringIO(archive.read("orders.csv").decode())))
    assert order["total"] == "50000" and json.loads(order["shipping_address"])["city"] == "Oslo"
    assert json.loads(archive.read("order_items.json"))[0]["product_name"] == "Print 20x30"
    assert json.loads(archive.read("messages.json"))[0]["subject"] == "Happy anniversary"
    assert json.loads(archive.read("feedback.json"))[0]["score"] == 10
    kinds = {event["kind"] for event in json.loads(archive.read("events.json"))}
    assert "order_placed" in kinds and "gallery_viewed" not in kinds  # the other studio's row is not here
    assert json.loads(archive.read("galleries.json"))[0]["title"] == "Kari & Ola"


def test_erase_removes_the_client_and_keeps_orders_anonymised(client_with_history):
    data = client_with_history
    client_id, order_id, visitor_id = data["client"].id, data["order"].id, data["visitor"].id
    refused = data["api"].post(f"/api/v1/clients/{client_id}/erase", json={})
    assert refused.status_code == 422 and refused.mimetype == "application/problem+json"
    response = data["api"].post(f"/api/v1/clients/{client_id}/erase", json={"confirm": True})
    assert response.status_code == 200, response.json
    report = response.json
    assert report["removed"]["client"] == 1 and report["removed"]["visitors"] == 1
    assert report["removed"]["favourites"] == 1 and report["removed"]["comments"] == 1
    assert report["removed"]["messages"] == 1 and report["removed"]["feedback"] == 1
    kept = {item["what"]: item for item in report["kept"]}
    assert kept["orders"]["count"] == 1 and "law" in kept["orders"]["why"]
    assert {"events", "unsubscribes", "galleries"} <= set(kept)

    db.session.expire_all()
    assert data["api"].get(f"/api/v1/clients/{client_id}").status_code == 404
    assert db.session.get(Visitor, visitor_id) is None
    assert db.session.scalar(select(func.count()).select_from(Favourite)) == 0
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 0
    assert db.session.scalar(select(func.count()).select_from(Message)) == 0
    order = db.session.get(Order, order_id)
    assert order.total == 50000 and len(order.items) == 1  # the sale stays in the books
    assert (order.email, order.name, order.shipping_address, order.note, order.client_id) == (None,) * 5
    assert order.visitor_id == "erased"
    assert db.session.scalar(select(func.count()).select_from(Event).where(Event.client_id == client_id)) == 0
    assert db.session.scalar(select(func.count()).select_from(Unsubscribe)) == 1  # never mailed again
    # The other studio's client with the same email is untouched.
    assert data["other_api"].get(f"/api/v1/clients/{data['stranger'].id}").status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Event).where(
        Event.client_id == data["stranger"].id)) == 1
    again = data["api"].post(f"/api/v1/clients/{client_id}/erase", json={"confirm": True})
    assert again.status_code == 404


def test_another_photographer_can_neither_export_nor_erase(client_with_history):
    data = client_with_history
    client_id = data["client"].id
    assert data["other_api"].get(f"/api/v1/clients/{client_id}/export").status_code == 404
    assert data["other_api"].post(f"/api/v1/clients/{client_id}/erase", json={"confirm": True}).status_code == 404
    anonymous = data["api"].raw.application.test_client()
    assert anonymous.get(f"/api/v1/clients/{client_id}/export").status_code == 401
    assert data["api"].get(f"/api/v1/clients/{client_id}").status_code == 200
