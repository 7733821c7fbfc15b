"""The photographer's activity view of a gallery: JSON pages and a CSV export."""
import csv
import io

from tests.plugins.problems import problem


def test_activity_lists_who_did_what(client, make_photographer, make_gallery, make_photo, make_share_link,
                                     identify_visitor):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer, publish=True)
    photo = make_photo(gallery, filename="DSC_0007.jpg")
    link = make_share_link(gallery)
    auth = {"Authorization": "Bearer " + identify_visitor(link, "kari@example.com", name="Kari")}
    base = f"/api/v1/share/{link.token}"
    client.get(base, headers=auth)
    client.put(f"{base}/favourites/{photo.id}", json={}, headers=auth)
    client.get(f"{base}/photos/{photo.id}/download", headers=auth)
    client.get(f"{base}/download.zip", headers=auth)

    page = api.get(f"/api/v1/galleries/{gallery.id}/activity?limit=3").json
    assert [e["kind"] for e in page["items"]] == ["zip_downloaded", "downloaded", "favourited"]
    assert page["items"][1]["visitor_email"] == "kari@example.com" and page["items"][1]["photo_filename"] == "DSC_0007.jpg"
    rest = api.get(f"/api/v1/galleries/{gallery.id}/activity?cursor={page['next_cursor']}").json
    assert [e["kind"] for e in rest["items"]] == ["gallery_viewed", "visitor_identified", "gallery_published"]
    only = api.get(f"/api/v1/galleries/{gallery.id}/activity?kind=favourited&kind=downloaded").json["items"]
    assert {e["kind"] for e in only} == {"favourited", "downloaded"}
    problem(api.get(f"/api/v1/galleries/{gallery.id}/activity?kind=hacked"), 422)

    exported = api.get(f"/api/v1/galleries/{gallery.id}/activity", headers={"Accept": "text/csv"})
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert [r["kind"] for r in rows] == ["gallery_published", "visitor_identified", "gallery_viewed", "favourited",
                                         "downloaded", "zip_downloaded"]
    assert rows[3]["visitor_name"] == "Kari" and rows[3]["photo_filename"] == "DSC_0007.jpg"


def test_activity_is_the_photographers_own(make_photographer, make_gallery):
    owner, _ = make_photographer()
    gallery = make_gallery(owner, publish=True)
    _, intruder = make_photographer()
    problem(intruder.get(f"/api/v1/galleries/{gallery.id}/activity"), 404)
    problem(intruder.get(f"/api/v1/galleries/{gallery.id}/activity", headers={"Accept": "text/csv"}), 404)


def test_photographer_actions_are_the_studios(make_photographer, make_gallery):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer, publish=True)
    items = api.get(f"/api/v1/galleries/{gallery.id}/activity").json["items"]
    assert [(e["kind"], e["actor"]) for e in items] == [("gallery_published", "studio")]


def test_reloads_within_a_visit_show_as_one_open(client, make_photographer, make_gallery, make_share_link,
                                                 identify_visitor):
    from datetime import UTC, datetime, timedelta

    from gallery.core import clock

    photographer, api = make_photographer()
    gallery = make_gallery(photographer, publish=True)
    link = make_share_link(gallery)
    auth = {"Authorization": "Bearer " + identify_visitor(link, "kari@example.com", name="Kari")}
    start = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    for minutes in (0, 1, 2, 10, 50, 51):  # two visits: 12:00-12:10 and 12:50
        clock.set_now(start + timedelta(minutes=minutes))
        client.get(f"/api/v1/share/{link.token}", headers=auth)
        client.get(f"/api/v1/share/{link.token}")  # anonymous opens are never merged
    opens = api.get(f"/api/v1/galleries/{gallery.id}/activity?kind=gallery_viewed").json["items"]
    mine = [e["ts"] for e in opens if e["visitor_email"] == "kari@example.com"]
    assert [datetime.fromisoformat(ts).minute for ts in mine] == [50, 0]
    assert len([e for e in opens if e["visitor_id"] is None]) == 6
    exported = api.get(f"/api/v1/galleries/{gallery.id}/activity?kind=gallery_viewed", headers={"Accept": "text/csv"})
    assert exported.get_data(as_text=True).count("gallery_viewed") == 12  # the events themselves are all kept
