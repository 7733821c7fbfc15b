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
