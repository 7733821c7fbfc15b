"""The photographer answers comments (owner-scoped) and the visitor sees the answers; favourite lists are
renamed, deleted and photos moved between them; the share view counts each set's photos."""
from tests.accounts.test_auth import problem


def test_the_photographer_replies_and_only_the_commenter_sees_it(make_photographer, make_gallery, make_photo,
                                                                  make_visitor_api):
    photographer, studio = make_photographer(studio_name="Northlight")
    gallery = make_gallery(photographer, publish=True)
    photo = make_photo(gallery)
    token, _, kari = make_visitor_api(gallery, "kari@example.com", name="Kari")
    guest_token, _, guest = make_visitor_api(gallery, "ola@example.com", role="guest")
    comment = kari.post(f"/api/v1/share/{token}/photos/{photo.id}/comments", json={"body": "Tighter crop?"}).json

    url = f"/api/v1/galleries/{gallery.id}/comments/{comment['id']}/replies"
    reply = studio.post(url, json={"body": "Of course, done by Friday."})
    assert reply.status_code == 201
    assert reply.json["author"] == "Northlight" and reply.json["from_photographer"] is True
    problem(studio.post(url, json={"body": ""}), 422)
    problem(studio.post(url, json={}), 422)
    problem(studio.post(url, json={"body": "x" * 2001}), 422)

    thread = kari.get(f"/api/v1/share/{token}/photos/{photo.id}/comments").json["items"]
    assert [(c["body"], [r["body"] for r in c["replies"]]) for c in thread] == [
        ("Tighter crop?", ["Of course, done by Friday."])]
    assert guest.get(f"/api/v1/share/{guest_token}/photos/{photo.id}/comments").json["items"] == []
    assert [r["body"] for r in studio.get(url).json["items"]] == ["Of course, done by Friday."]

    # another photographer, another gallery's comment, an unknown comment: 404, nothing written
    _, stranger = make_photographer()
    problem(stranger.post(url, json={"body": "Hijack"}), 404)
    problem(stranger.get(url), 404)
    other = make_gallery(photographer, publish=True)
    problem(studio.post(f"/api/v1/galleries/{other.id}/comments/{comment['id']}/replies", json={"body": "x"}), 404)
    problem(studio.post(f"/api/v1/galleries/{gallery.id}/comments/nope/replies", json={"body": "x"}), 404)
    problem(kari.post(url, json={"body": "visitors cannot reply as the studio"}), 401)
    assert len(studio.get(url).json["items"]) == 1

    problem(stranger.delete(f"{url}/{reply.json['id']}"), 404)
    assert studio.delete(f"{url}/{reply.json['id']}").status_code == 204
    assert kari.get(f"/api/v1/share/{token}/photos/{photo.id}/comments").json["items"][0]["replies"] == []


def test_lists_rename_delete_and_move(make_photographer, make_gallery, make_photo, make_visitor_api):
    photographer, _ = make_photographer()
    gallery = make_gallery(photographer, publish=True, selection_limit=1)
    photos = [make_photo(gallery) for _ in range(3)]
    token, _, kari = make_visitor_api(gallery, "kari@example.com")
    base = f"/api/v1/share/{token}"
    default = kari.put(f"{base}/favourites/{photos[0].id}", json={"note": "cover!"}).json["list_id"]
    album = kari.post(f"{base}/favourite-lists", json={"name": "Album"}).json
    prints = kari.post(f"{base}/favourite-lists", json={"name": "Prints"}).json

    assert kari.patch(f"{base}/favourite-lists/{album['id']}", json={"name": "Wedding album"}).json["name"] == \
        "Wedding album"
    problem(kari.patch(f"{base}/favourite-lists/{album['id']}", json={"name": "Prints"}), 409)
    problem(kari.patch(f"{base}/favourite-lists/{album['id']}", json={"name": "Favourites"}), 409)
    problem(kari.patch(f"{base}/favourite-lists/{default}", json={"name": "Mine"}), 409)
    problem(kari.patch(f"{base}/favourite-lists/{album['id']}", json={"name": ""}), 422)
    problem(kari.delete(f"{base}/favourite-lists/{default}"), 409)

    # move keeps the note; the limit applies to the default list only
    moved = kari.post(f"{base}/favourites/{photos[0].id}/move",
                      json={"from_list_id": default, "to_list_id": album["id"]})
    assert moved.status_code == 200 and moved.json["note"] == "cover!"
    counts = {item["name"]: item["count"] for item in kari.get(f"{base}/favourite-lists").json["items"]}
    assert counts == {"Favourites": 0, "Wedding album": 1, "Prints": 0}
    problem(kari.post(f"{base}/favourites/{photos[0].id}/move",
                      json={"from_list_id": album["id"], "to_list_id": album["id"]}), 422)

    # another visitor cannot touch these lists
    other_token, _, ola = make_visitor_api(gallery, "ola@example.com")
    problem(ola.patch(f"/api/v1/share/{other_token}/favourite-lists/{album['id']}", json={"name": "Mine"}), 404)
    problem(ola.delete(f"/api/v1/share/{other_token}/favourite-lists/{prints['id']}"), 404)
    problem(ola.post(f"/api/v1/share/{other_token}/favourites/{photos[0].id}/move",
                     json={"from_list_id": album["id"], "to_list_id": prints["id"]}), 404)

    assert kari.delete(f"{base}/favourite-lists/{prints['id']}").status_code == 204
    assert [item["name"] for item in kari.get(f"{base}/favourite-lists").json["items"]] == [
        "Favourites", "Wedding album"]


def test_the_share_view_counts_photos_per_set_as_the_link_sees_them(client, make_photographer, make_gallery,
                                                                    make_photo, make_share_link):
    from gallery.galleries import services

    photographer, _ = make_photographer()
    gallery = make_gallery(photographer, publish=True)
    ceremony = services.add_set(photographer.id, gallery.id, {"name": "Ceremony"})
    party = services.add_set(photographer.id, gallery.id, {"name": "Party"})
    make_photo(gallery, set_id=ceremony.id)
    make_photo(gallery, set_id=ceremony.id, hidden_from_guests=True)
    make_photo(gallery, set_id=party.id)
    make_photo(gallery)
    client_view = client.get(f"/api/v1/share/{make_share_link(gallery).token}").json
    guest_view = client.get(f"/api/v1/share/{make_share_link(gallery, role='guest').token}").json
    assert [(s["name"], s["photo_count"]) for s in client_view["sets"]] == [("Ceremony", 2), ("Party", 1)]
    assert [(s["name"], s["photo_count"]) for s in guest_view["sets"]] == [("Ceremony", 1), ("Party", 1)]
    assert client_view["unsorted_count"] == 1
