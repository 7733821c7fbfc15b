"""GET /share/{token}/downloads: the zips a link may download, with sizes equal to what download.zip sends."""
from gallery.extensions import db


def test_options_and_their_exact_sizes(client, make_photographer, make_gallery, make_photo, make_share_link,
                                       make_visitor_api):
    from gallery.galleries import services

    photographer, _ = make_photographer()
    gallery = make_gallery(photographer, publish=True, download_policy={"client": "full", "guest": "web"})
    ceremony = services.add_set(photographer.id, gallery.id, {"name": "Ceremony"})
    photos = [make_photo(gallery, data=bytes([i]) * (5000 + i), set_id=ceremony.id if i % 2 else None)
              for i in range(4)]
    db.session.commit()
    token, _, kari = make_visitor_api(gallery, "kari@example.com")
    kari.put(f"/api/v1/share/{token}/favourites/{photos[1].id}", json={})
    options = kari.get(f"/api/v1/share/{token}/downloads").json
    assert options["allowed"] == "full" and options["pin_required"] is False
    assert [(z["scope"].split(":")[0], z["name"]) for z in options["zips"]] == [
        ("all", None), ("set", "Ceremony"), ("favourites", "Favourites")]
    for option in options["zips"]:
        for size in option["sizes"]:
            query = f"scope={option['scope']}&size={size['size']}" + (
                f"&list_id={option['list_id']}" if option["list_id"] else "")
            response = kari.request("HEAD", f"/api/v1/share/{token}/download.zip?{query}")
            assert response.status_code == 200
            assert int(response.headers["Content-Length"]) == size["bytes"], option
    assert options["zips"][0]["sizes"][1] == {"size": "original", "files": 4,
                                              "bytes": options["zips"][0]["sizes"][1]["bytes"]}

    guest = client.get(f"/api/v1/share/{make_share_link(gallery, role='guest').token}/downloads").json
    assert [s["size"] for s in guest["zips"][0]["sizes"]] == ["web"]
    gallery.download_policy = {"client": "none", "guest": "none"}
    db.session.commit()
    assert client.get(f"/api/v1/share/{token}/downloads").json == {"allowed": "none", "pin_required": False,
                                                                    "zips": []}
