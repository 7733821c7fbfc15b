"""The cached share photo list (gallery.sharing.page_cache): served again from the cache and as 304 while nothing
changed, fresh after every write that changes what that visitor sees, and never one visitor's or link's view for
another's."""
import gzip
from datetime import timedelta

import brotli
import pytest
from sqlalchemy import event

from gallery.core import clock, response_cache
from gallery.extensions import db


@pytest.fixture
def shared(make_photographer, make_gallery, make_photo, make_share_link, identify_visitor):
    """A published gallery of three photos in a set, a client link with an identified visitor, a guest link."""
    photographer, api = make_photographer()
    gallery = make_gallery(photographer, publish=True)
    ceremony = api.post(f"/api/v1/galleries/{gallery.id}/sets", json={"name": "Ceremony"}).json
    photos = [make_photo(gallery, set_id=ceremony["id"]) for _ in range(3)]
    link = make_share_link(gallery)
    guest = make_share_link(gallery, role="guest")
    token = identify_visitor(link, "kari@example.com")

    class Shared:
        pass

    shared = Shared()
    shared.api, shared.gallery, shared.photos, shared.set_id = api, gallery, photos, ceremony["id"]
    shared.link, shared.guest, shared.token = link, guest, token
    shared.path = f"/api/v1/share/{link.token}/photos"
    shared.guest_path = f"/api/v1/share/{guest.token}/photos"
    shared.auth = {"Authorization": f"Bearer {token}"}
    return shared


def get(client, path, headers=None):
    response = client.get(path, headers=headers or {})
    assert response.status_code in (200, 304), response.get_data(as_text=True)
    return response


def ids(response):
    return [item["id"] for item in response.json["items"]]


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, *_args):
        self.count += 1


def test_a_page_seen_is_served_from_the_cache_and_as_304(client, shared):
    first = get(client, shared.path, shared.auth)
    etag = first.headers["ETag"]
    assert etag.startswith('W/"') and first.headers["Cache-Control"] == "private, no-cache"
    assert "Authorization" in first.headers["Vary"]
    counter = QueryCounter()
    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        again = get(client, shared.path, shared.auth)
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    assert again.data == first.data and again.headers["ETag"] == etag
    assert counter.count == 1  # the link with its gallery and visitor: the page itself came from the cache
    not_modified = get(client, shared.path, {**shared.auth, "If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.data == b"" and not_modified.headers["ETag"] == etag
    # Other arguments are other pages.
    assert get(client, shared.path + "?limit=1", shared.auth).headers["ETag"] != etag


def test_compressed_encodings_are_cached_beside_the_json(client, shared):
    plain = get(client, shared.path, shared.auth)
    br = get(client, shared.path, {**shared.auth, "Accept-Encoding": "br, gzip"})
    assert br.headers["Content-Encoding"] == "br" and brotli.decompress(br.data) == plain.data
    assert br.headers["ETag"] == plain.headers["ETag"]
    gz = get(client, shared.path, {**shared.auth, "Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip" and gzip.decompress(gz.data) == plain.data


def assert_changes(client, shared, change, path=None, headers=None):
    """Fetch (filling the cache), apply `change`, fetch again: a new ETag, the old one no longer 304."""
    path = path or shared.path
    headers = shared.auth if headers is None else headers
    before = get(client, path, headers)
    get(client, path, headers)  # from the cache
    change()
    after = get(client, path, headers)
    assert after.headers["ETag"] != before.headers["ETag"]
    assert get(client, path, {**headers, "If-None-Match": before.headers["ETag"]}).status_code == 200
    return before, after


def test_a_new_photo_shows(client, shared, make_photo):
    before, after = assert_changes(client, shared, lambda: make_photo(shared.gallery))
    assert len(ids(after)) == len(ids(before)) + 1


def test_a_deleted_photo_goes(client, shared):
    gone = shared.photos[1].id
    before, after = assert_changes(client, shared, lambda: shared.api.delete(
        f"/api/v1/galleries/{shared.gallery.id}/photos/{gone}"))
    assert gone in ids(before) and gone not in ids(after)


def test_reordering_and_moving_photos_shows(client, shared):
    last = shared.photos[-1].id
    before, after = assert_changes(client, shared, lambda: shared.api.patch(
        f"/api/v1/galleries/{shared.gallery.id}/photos/{last}", json={"position": 0, "set_id": None}))
    assert ids(after)[0] == last and after.json["items"][0]["set_id"] is None


def test_hiding_a_photo_from_guests_changes_the_guest_view(client, shared):
    hidden = shared.photos[0].id
    before, after = assert_changes(client, shared, lambda: client.put(
        f"/api/v1/share/{shared.link.token}/photos/{hidden}/hidden", json={"hidden_from_guests": True},
        headers=shared.auth), path=shared.guest_path, headers={})
    assert hidden in ids(before) and hidden not in ids(after)
    assert hidden in ids(get(client, shared.path, shared.auth))  # the client still sees it


def test_hiding_a_set_from_guests_changes_the_guest_view(client, shared):
    before, after = assert_changes(client, shared, lambda: shared.api.patch(
        f"/api/v1/galleries/{shared.gallery.id}/sets/{shared.set_id}", json={"hidden_from_guests": True}),
        path=shared.guest_path, headers={})
    assert len(ids(before)) == 3 and ids(after) == []


def test_gallery_settings_show(client, shared, make_photo):
    marked = make_photo(shared.gallery, renditions=("thumb", "preview", "large", "watermarked"))
    before, after = assert_changes(client, shared, lambda: shared.api.patch(
        f"/api/v1/galleries/{shared.gallery.id}", json={"watermark": True}))
    item = next(i for i in after.json["items"] if i["id"] == marked.id)
    assert "/watermarked." in item["renditions"]["preview"]["url"] and "large" not in item["renditions"]


def test_new_renditions_show(client, shared):
    from gallery.galleries.models import Rendition

    photo = shared.photos[0]

    def add_rendition():
        db.session.add(Rendition(photo_id=photo.id, name="large", format="webp", storage_key="renditions/x.webp",
                                 width=2048, height=1365, bytes=10))
        db.session.commit()

    before, after = assert_changes(client, shared, add_rendition)
    assert after.json["items"][0]["renditions"]["large"]["webp"]


def test_favourites_and_notes_show_for_that_visitor(client, shared):
    photo = shared.photos[0].id
    favourite = f"/api/v1/share/{shared.link.token}/favourites/{photo}"
    before, after = assert_changes(client, shared, lambda: client.put(favourite, json={}, headers=shared.auth))
    assert before.json["items"][0]["favourite_lists"] == [] and after.json["items"][0]["favourite_lists"]
    _, noted = assert_changes(client, shared, lambda: client.put(favourite, json={"note": "Crop tighter"},
                                                                  headers=shared.auth))
    assert noted.json["items"][0]["note"] == "Crop tighter"
    _, removed = assert_changes(client, shared, lambda: client.delete(favourite, headers=shared.auth))
    assert removed.json["items"][0]["favourite_lists"] == [] and removed.json["items"][0]["note"] is None


def test_a_new_list_and_a_submitted_selection_show(client, shared):
    lists = f"/api/v1/share/{shared.link.token}/favourite-lists"
    assert_changes(client, shared, lambda: client.post(lists, json={"name": "Album"}, headers=shared.auth))
    client.put(f"/api/v1/share/{shared.link.token}/favourites/{shared.photos[0].id}", json={}, headers=shared.auth)
    assert_changes(client, shared, lambda: client.post(f"/api/v1/share/{shared.link.token}/selection/submit",
                                                       json={}, headers=shared.auth))


def test_a_revoked_link_or_unpublished_gallery_is_refused_not_served_from_the_cache(client, shared):
    get(client, shared.guest_path)
    shared.api.delete(f"/api/v1/galleries/{shared.gallery.id}/share-links/{shared.guest.id}")
    assert client.get(shared.guest_path).status_code == 410
    get(client, shared.path, shared.auth)
    shared.api.patch(f"/api/v1/galleries/{shared.gallery.id}", json={"status": "archived"})
    assert client.get(shared.path, headers=shared.auth).status_code == 410


def test_an_expired_gallery_is_refused_not_served_from_the_cache(client, shared):
    get(client, shared.path, shared.auth)
    shared.api.patch(f"/api/v1/galleries/{shared.gallery.id}",
                     json={"expires_at": (clock.now() + timedelta(hours=1)).isoformat()})
    get(client, shared.path, shared.auth)
    clock.set_now(clock.now() + timedelta(hours=2))
    assert client.get(shared.path, headers=shared.auth).status_code == 410


def test_one_visitors_view_never_answers_another(client, shared, identify_visitor):
    other = {"Authorization": f"Bearer {identify_visitor(shared.link, 'ola@example.com')}"}
    client.put(f"/api/v1/share/{shared.link.token}/favourites/{shared.photos[0].id}", json={"note": "mine"},
               headers=shared.auth)
    mine = get(client, shared.path, shared.auth)
    theirs = get(client, shared.path, other)
    assert mine.json["items"][0]["note"] == "mine" and theirs.json["items"][0]["note"] is None
    assert theirs.headers["ETag"] != mine.headers["ETag"]
    assert get(client, shared.path, {**other, "If-None-Match": mine.headers["ETag"]}).status_code == 200
    anonymous = get(client, shared.path, {})
    assert anonymous.headers["ETag"] not in (mine.headers["ETag"], theirs.headers["ETag"])
    assert anonymous.json["items"][0]["favourite_lists"] == []
    # The guest link's view is its own, even for the same gallery.
    guest = get(client, shared.guest_path, {"If-None-Match": anonymous.headers["ETag"]})
    assert guest.status_code == 200 and guest.headers["ETag"] != anonymous.headers["ETag"]
    urls = [item["renditions"]["thumb"]["url"] for item in guest.json["items"]]
    assert all(f"link%3A{shared.guest.id}" in url for url in urls)


def test_signed_urls_are_fresh_in_each_signing_bucket(client, shared, app):
    first = get(client, shared.path, shared.auth)
    clock.set_now(clock.now() + timedelta(seconds=app.config["GALLERY"].signed_url_ttl))
    later = get(client, shared.path, shared.auth)
    assert later.headers["ETag"] != first.headers["ETag"]
    assert later.json["items"][0]["renditions"]["thumb"]["url"] != first.json["items"][0]["renditions"]["thumb"]["url"]


def test_another_process_sees_a_write_made_elsewhere(client, shared, app, make_photo):
    """Per-process caches: each process reads the versions from the database, so a write anywhere reaches all."""
    mine = app.extensions["response_cache"]
    other = response_cache.LocalStore()
    try:
        app.extensions["response_cache"] = other
        get(client, shared.path, shared.auth)  # the other process fills its cache
        app.extensions["response_cache"] = mine
        make_photo(shared.gallery)  # a write in this process
        app.extensions["response_cache"] = other
        assert len(ids(get(client, shared.path, shared.auth))) == 4
    finally:
        app.extensions["response_cache"] = mine


@pytest.fixture
def redis_cache(app):
    from tests.conftest import REDIS_URL

    store = response_cache.RedisStore(REDIS_URL)
    store.clear()
    previous = app.extensions["response_cache"]
    app.extensions["response_cache"] = store
    yield store
    app.extensions["response_cache"] = previous
    store.clear()


def test_redis_shares_the_cache_and_its_invalidation(client, shared, redis_cache, make_photo):
    first = get(client, shared.path, shared.auth)
    assert list(redis_cache._redis.scan_iter(response_cache.REDIS_PREFIX + "*"))
    assert get(client, shared.path, shared.auth).data == first.data
    make_photo(shared.gallery)
    assert len(ids(get(client, shared.path, shared.auth))) == 4


def test_a_failing_redis_costs_the_cache_not_the_request(client, shared, app):
    previous = app.extensions["response_cache"]
    app.extensions["response_cache"] = response_cache.RedisStore("redis://127.0.0.1:1/0")
    try:
        assert len(ids(get(client, shared.path, shared.auth))) == 3
        assert len(ids(get(client, shared.path, shared.auth))) == 3
    finally:
        app.extensions["response_cache"] = previous


def test_local_store_is_bounded_and_expires():
    store = response_cache.LocalStore(limit_bytes=800)
    for index in range(10):
        store.set(f"k{index}", b"x" * 100, ttl=60)
    assert store.get("k0") is None and store.get("k9") == b"x" * 100
    store.set("short", b"y", ttl=-1)
    assert store.get("short") is None


def test_malformed_arguments_are_refused_every_time_never_cached(client, shared):
    get(client, shared.path, shared.auth)
    for query in ("?limit=0", "?limit=abc", "?cursor=garbage", "?limit=100000"):
        for _ in range(2):
            response = client.get(shared.path + query, headers=shared.auth)
            assert response.status_code in (400, 422) and response.mimetype == "application/problem+json"
            assert "ETag" not in response.headers


def test_bulk_statements_bump_the_versions_too(client, shared):
    """Statements that bypass the unit of work (ORM bulk INSERT, UPDATE, DELETE) are caught as well."""
    from sqlalchemy import delete, insert, update

    from gallery.core.ids import new_id
    from gallery.galleries.models import Photo

    photo_id = new_id()

    def bulk_insert():
        db.session.execute(insert(Photo), [{
            "id": photo_id, "gallery_id": shared.gallery.id, "original_filename": "bulk.jpg", "storage_key": "k",
            "sha256": "b" * 64, "bytes": 1, "width": 10, "height": 10, "status": "ready", "position": 99}])
        db.session.commit()

    _, after = assert_changes(client, shared, bulk_insert)
    assert photo_id in ids(after)

    def bulk_update():
        db.session.execute(update(Photo).where(Photo.id == photo_id).values(position=-1))
        db.session.commit()

    _, after = assert_changes(client, shared, bulk_update)
    assert ids(after)[0] == photo_id

    def bulk_delete():
        db.session.execute(delete(Photo).where(Photo.id == photo_id))
        db.session.commit()

    _, after = assert_changes(client, shared, bulk_delete)
    assert photo_id not in ids(after)


def test_deleting_a_photo_loaded_in_an_earlier_transaction_bumps(client, shared):
    from gallery.galleries.models import Photo

    photo = db.session.get(Photo, shared.photos[0].id)
    db.session.commit()  # expires it

    def delete_expired():
        db.session.delete(photo)
        db.session.commit()

    _, after = assert_changes(client, shared, delete_expired)
    assert shared.photos[0].id not in ids(after)
