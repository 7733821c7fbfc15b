"""Many photos at once (move, hide, show, delete), ordering (sort, by hand) and the compact photo index:
all or nothing, owner-scoped, problem+json for bad input."""
from datetime import timedelta

from sqlalchemy import func, select

from gallery.core import clock

from gallery.extensions import db
from gallery.galleries.models import Photo, Rendition


def bulk(api, gallery, **body):
    return api.post(f"/api/v1/galleries/{gallery.id}/photos/bulk", json=body)


def order_of(api, gallery):
    return [p["filename"] for p in api.get(f"/api/v1/galleries/{gallery.id}/photo-index").json["items"]]


def test_move_hide_show_and_delete_many(make_photographer, make_gallery, make_photo_rows, make_photo):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    ceremony = api.post(f"/api/v1/galleries/{gallery.id}/sets", json={"name": "Ceremony"}).json
    photos = make_photo_rows(gallery, 6)
    ids = [p.id for p in photos]

    moved = bulk(api, gallery, action="move", photo_ids=ids[:4], set_id=ceremony["id"])
    assert moved.status_code == 200 and moved.json == {"action": "move", "count": 4}
    index = {p["id"]: p for p in api.get(f"/api/v1/galleries/{gallery.id}/photo-index").json["items"]}
    assert [index[i]["set_id"] for i in ids] == [ceremony["id"]] * 4 + [None] * 2
    assert bulk(api, gallery, action="move", photo_ids=ids[:1], set_id=None).json["count"] == 1

    assert bulk(api, gallery, action="hide", photo_ids=ids[2:5]).json["count"] == 3
    index = {p["id"]: p for p in api.get(f"/api/v1/galleries/{gallery.id}/photo-index").json["items"]}
    assert [index[i]["hidden_from_guests"] for i in ids] == [False, False, True, True, True, False]
    bulk(api, gallery, action="show", photo_ids=ids[2:3])
    assert db.session.get(Photo, ids[2]).hidden_from_guests is False

    real_id = make_photo(gallery, filename="real.jpg").id
    api.patch(f"/api/v1/galleries/{gallery.id}", json={"cover_photo_id": real_id})
    deleted = bulk(api, gallery, action="delete", photo_ids=[ids[0], ids[1], real_id])
    assert deleted.json["count"] == 3
    gallery_id = gallery.id
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Photo).where(Photo.gallery_id == gallery_id)) == 4
    assert db.session.scalar(select(func.count()).select_from(Rendition).where(Rendition.photo_id == real_id)) == 0
    assert api.get(f"/api/v1/galleries/{gallery_id}").json["cover_photo_id"] is None


def test_all_or_nothing_and_owner_scoped(make_photographer, make_gallery, make_photo_rows):
    photographer, api = make_photographer()
    other, other_api = make_photographer()
    mine, theirs = make_gallery(photographer), make_gallery(other)
    my_photos, their_photos = make_photo_rows(mine, 2), make_photo_rows(theirs, 2)

    mixed = bulk(api, mine, action="hide", photo_ids=[my_photos[0].id, their_photos[0].id])
    assert mixed.status_code == 422 and mixed.content_type == "application/problem+json"
    assert their_photos[0].id in mixed.json["errors"]["photo_ids"][0]
    db.session.expire_all()
    assert not db.session.get(Photo, my_photos[0].id).hidden_from_guests  # nothing changed
    assert bulk(other_api, mine, action="delete", photo_ids=[my_photos[0].id]).status_code == 404
    assert api.get(f"/api/v1/galleries/{theirs.id}/photo-index").status_code == 404
    their_set = other_api.post(f"/api/v1/galleries/{theirs.id}/sets", json={"name": "X"}).json
    assert bulk(api, mine, action="move", photo_ids=[my_photos[0].id], set_id=their_set["id"]).status_code == 422


def test_hostile_bodies_are_problems(make_photographer, make_gallery, make_photo_rows):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    photo = make_photo_rows(gallery, 1)[0]
    for body in [{}, {"action": "explode", "photo_ids": [photo.id]}, {"action": "hide", "photo_ids": []},
                 {"action": "hide", "photo_ids": "abc"}, {"action": "move", "photo_ids": [photo.id]},
                 {"action": "hide", "photo_ids": ["x" * 300]}, {"action": "hide", "photo_ids": ["a"] * 5001}]:
        answer = bulk(api, gallery, **body)
        assert answer.status_code in (400, 422) and answer.content_type == "application/problem+json", body
    for body in [{}, {"sort": "colour"}, {"sort": "filename", "photo_ids": [photo.id]}, {"photo_ids": [photo.id], "before": photo.id},
                 {"photo_ids": [photo.id], "before": "nope"}]:
        answer = api.post(f"/api/v1/galleries/{gallery.id}/photos/order", json=body)
        assert answer.status_code == 422, body
    assert api.get(f"/api/v1/galleries/{gallery.id}/photo-index?since=yesterday").status_code == 422
    assert api.raw.post(f"/api/v1/galleries/{gallery.id}/photos/bulk", data="{", content_type="application/json",
                        headers={"Authorization": f"Bearer {api.token}"}).status_code in (400, 422)


def test_sort_and_move_by_hand(make_photographer, make_gallery, make_photo_rows):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    photos = make_photo_rows(gallery, 5, names=["c.jpg", "A.jpg", "e.jpg", "b.jpg", "d.jpg"])
    by_name = api.post(f"/api/v1/galleries/{gallery.id}/photos/order", json={"sort": "filename"})
    assert by_name.status_code == 200 and by_name.json == {"count": 5}
    assert order_of(api, gallery) == ["A.jpg", "b.jpg", "c.jpg", "d.jpg", "e.jpg"]
    api.post(f"/api/v1/galleries/{gallery.id}/photos/order", json={"sort": "taken_at"})
    assert order_of(api, gallery) == ["c.jpg", "A.jpg", "e.jpg", "b.jpg", "d.jpg"]  # rows were taken in that order

    ids = {p.original_filename: p.id for p in photos}
    api.post(f"/api/v1/galleries/{gallery.id}/photos/order", json={"photo_ids": [ids["d.jpg"], ids["b.jpg"]], "before": ids["c.jpg"]})
    assert order_of(api, gallery) == ["d.jpg", "b.jpg", "c.jpg", "A.jpg", "e.jpg"]
    api.post(f"/api/v1/galleries/{gallery.id}/photos/order", json={"photo_ids": [ids["d.jpg"]], "before": None})
    assert order_of(api, gallery) == ["b.jpg", "c.jpg", "A.jpg", "e.jpg", "d.jpg"]
    positions = [p["position"] for p in api.get(f"/api/v1/galleries/{gallery.id}/photo-index").json["items"]]
    assert positions == [0, 1, 2, 3, 4]


def test_photo_index_is_compact_signed_and_incremental(make_photographer, make_gallery, make_photo, make_photo_rows):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    ready = make_photo(gallery, filename="ready.jpg")
    make_photo_rows(gallery, 2, status="processing", start=10)
    index = api.get(f"/api/v1/galleries/{gallery.id}/photo-index").json
    assert len(index["items"]) == 3
    first = next(p for p in index["items"] if p["id"] == ready.id)
    assert first["thumb_url"].startswith("/files/") and "thumb.webp" in first["thumb_url"]
    assert api.raw.get(first["thumb_url"]).status_code == 200
    assert all(p["thumb_url"] is None for p in index["items"] if p["status"] == "processing")

    later = api.get(f"/api/v1/galleries/{gallery.id}/photo-index", query_string={"since": index["as_of"]}).json
    assert len(later["items"]) == 3  # the last 30 seconds again: rows committed late are not missed
    clock.set_now(clock.now() + timedelta(minutes=5))
    api.patch(f"/api/v1/galleries/{gallery.id}/photos/{ready.id}", json={"hidden_from_guests": True})
    since = (clock.now() - timedelta(seconds=1)).isoformat()
    later = api.get(f"/api/v1/galleries/{gallery.id}/photo-index", query_string={"since": since}).json
    assert [p["id"] for p in later["items"]] == [ready.id]
