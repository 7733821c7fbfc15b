"""Engagement analytics: per gallery, per client, top photos, the studio overview, CSV, scoping."""
import csv
import io
from datetime import UTC, datetime, timedelta

from gallery.engagement.services import record_event
from gallery.extensions import db

DAY = datetime(2025, 3, 10, 12, tzinfo=UTC)


def _studio(make_photographer, make_client, make_gallery):
    photographer, api = make_photographer()
    kari = make_client(photographer, name="Kari", email="kari@example.no")
    ola = make_client(photographer, name="Ola", email="ola@example.no")
    gallery = make_gallery(photographer, title="=HYPERLINK(\"x\")", client_id=kari.id, publish=True)
    other = make_gallery(photographer, title="Other", client_id=ola.id, publish=True)

    def event(kind, client, at, gallery=gallery, photo=None, **payload):
        record_event(kind, photographer_id=photographer.id, gallery_id=gallery.id, client_id=client.id,
                     photo_id=photo, payload=payload, ts=at)

    event("gallery_viewed", kari, DAY)
    event("gallery_viewed", kari, DAY + timedelta(hours=1))
    event("gallery_viewed", ola, DAY + timedelta(hours=2))
    for photo in ("p1", "p1", "p2"):
        event("photo_viewed", kari, DAY + timedelta(hours=3), photo=photo)
    event("favourited", kari, DAY + timedelta(hours=4), photo="p2")
    event("favourited", kari, DAY + timedelta(hours=4), photo="p3")
    event("unfavourited", kari, DAY + timedelta(hours=5), photo="p3")
    event("downloaded", kari, DAY + timedelta(hours=6), photo="p2")
    event("zip_downloaded", kari, DAY + timedelta(hours=6))
    event("shared", ola, DAY + timedelta(hours=7), photo="p1")
    event("order_paid", kari, DAY + timedelta(days=1), total=45000, currency="NOK")
    event("gallery_viewed", ola, DAY - timedelta(days=60), gallery=other)
    db.session.commit()
    return photographer, api, kari, gallery


def test_gallery_stats_and_top_photos(app, make_photographer, make_client, make_gallery):
    _, api, _, gallery = _studio(make_photographer, make_client, make_gallery)
    body = api.get(f"/api/v1/analytics/galleries/{gallery.id}").json
    assert {k: body[k] for k in ("visits", "unique_visitors", "photo_views", "favourites", "downloads", "shares",
                                 "orders", "revenue")} == {
        "visits": 3, "unique_visitors": 2, "photo_views": 3, "favourites": 1, "downloads": 2, "shares": 1,
        "orders": 1, "revenue": 45000}
    assert body["last_activity"].startswith("2025-03-11T12:00:00")
    assert [p["photo_id"] for p in body["top_photos"]] == ["p2", "p1", "p3"]
    response = api.get(f"/api/v1/analytics/galleries/{gallery.id}?top=1", headers={"Accept": "text/csv"})
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert rows == [{"photo_id": "p2", "views": "1", "favourites": "1", "downloads": "1", "shares": "0",
                     "score": "9"}]
    assert api.get(f"/api/v1/analytics/galleries/{gallery.id}?top=0").status_code == 422


def test_client_stats(app, make_photographer, make_client, make_gallery):
    _, api, kari, gallery = _studio(make_photographer, make_client, make_gallery)
    body = api.get(f"/api/v1/analytics/clients/{kari.id}").json
    assert body["visits"] == 2 and body["orders"] == 1 and body["revenue"] == 45000
    assert [g["gallery_id"] for g in body["galleries"]] == [gallery.id]


def test_overview_over_a_range_and_csv_is_safe_for_spreadsheets(app, make_photographer, make_client, make_gallery):
    _, api, _, gallery = _studio(make_photographer, make_client, make_gallery)
    body = api.get("/api/v1/analytics/overview?from=2025-03-01&to=2025-03-31").json
    assert body["visits"] == 3 and body["active_clients"] == 2 and body["from"] == "2025-03-01"
    assert [g["gallery_id"] for g in body["galleries"]] == [gallery.id]
    wider = api.get("/api/v1/analytics/overview?from=2025-01-01&to=2025-03-31").json
    assert wider["visits"] == 4 and len(wider["galleries"]) == 2
    response = api.get("/api/v1/analytics/overview?from=2025-03-01&to=2025-03-31", headers={"Accept": "text/csv"})
    text = response.get_data(as_text=True)
    assert text.splitlines()[0].startswith("gallery_id,title,visits")
    assert "'=HYPERLINK" in text
    bad = api.get("/api/v1/analytics/overview?from=2025-04-01&to=2025-03-01")
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"
    assert api.get("/api/v1/analytics/overview?from=yesterday").status_code == 422


def test_another_photographer_sees_nothing(app, make_photographer, make_client, make_gallery):
    _, _, kari, gallery = _studio(make_photographer, make_client, make_gallery)
    _, intruder = make_photographer()
    assert intruder.get(f"/api/v1/analytics/galleries/{gallery.id}").status_code == 404
    assert intruder.get(f"/api/v1/analytics/clients/{kari.id}").status_code == 404
    body = intruder.get("/api/v1/analytics/overview?from=2025-01-01&to=2025-12-31").json
    assert body["visits"] == 0 and body["galleries"] == []
