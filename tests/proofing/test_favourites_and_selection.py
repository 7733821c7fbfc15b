"""Favourites (lists, notes, idempotence, concurrency), comments, and the selection: limit, submit, lock,
mail to the photographer, export, reopen."""
import threading

import pytest

from gallery.engagement.models import Event
from gallery.extensions import db
from gallery.proofing.models import Favourite
from tests.plugins.problems import problem


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def proofing_gallery(make_photographer, make_gallery, make_photo, make_share_link):
    photographer, api = make_photographer(email="anna@fjord.example")
    gallery = make_gallery(photographer, publish=True, selection_limit=3, title="Ola & Kari")
    photos = [make_photo(gallery, filename=f"DSC_{i:04d}.NEF") for i in range(1, 7)]
    return photographer, api, gallery, photos, make_share_link(gallery)


def count_events(kind):
    return db.session.scalar(db.select(db.func.count()).select_from(Event).where(Event.kind == kind))


def test_favourites_are_idempotent_with_notes_and_lists(client, proofing_gallery, identify_visitor):
    _, _, gallery, photos, link = proofing_gallery
    auth = bearer(identify_visitor(link))
    base = f"/api/v1/share/{link.token}"
    first = client.put(f"{base}/favourites/{photos[0].id}", json={"note": "for the album cover"}, headers=auth)
    assert first.status_code == 200, first.json
    assert first.json["note"] == "for the album cover" and first.json["selection"]["remaining"] == 2
    again = client.put(f"{base}/favourites/{photos[0].id}", json={}, headers=auth)
    assert again.json["note"] == "for the album cover" and again.json["selection"]["count"] == 1
    assert count_events("favourited") == 1

    prints = client.post(f"{base}/favourite-lists", json={"name": "Prints"}, headers=auth)
    assert prints.status_code == 201
    client.put(f"{base}/favourites/{photos[1].id}", json={"list_id": prints.json["id"]}, headers=auth)
    lists = {item["name"]: item for item in client.get(f"{base}/favourite-lists", headers=auth).json["items"]}
    assert lists["Favourites"]["count"] == 1 and lists["Prints"]["count"] == 1
    listed = client.get(f"{base}/photos?list_id={prints.json['id']}", headers=auth).json["items"]
    assert [p["id"] for p in listed] == [photos[1].id] and listed[0]["favourite_lists"] == [prints.json["id"]]
    page = {p["id"]: p for p in client.get(f"{base}/photos", headers=auth).json["items"]}
    assert page[photos[0].id]["note"] == "for the album cover"

    assert client.delete(f"{base}/favourites/{photos[0].id}", headers=auth).status_code == 204
    assert client.delete(f"{base}/favourites/{photos[0].id}", headers=auth).status_code == 204
    assert count_events("unfavourited") == 1
    problem(client.put(f"{base}/favourites/nope", json={}, headers=auth), 404)
    problem(client.put(f"{base}/favourites/{photos[0].id}", json={"list_id": "someone-elses"}, headers=auth), 404)
    problem(client.put(f"{base}/favourites/{photos[0].id}", json={"note": "x" * 2001}, headers=auth), 422)
    problem(client.post(f"{base}/favourite-lists", json={"name": ""}, headers=auth), 422)


def test_another_visitor_sees_nothing_of_mine(client, proofing_gallery, identify_visitor):
    _, _, gallery, photos, link = proofing_gallery
    base = f"/api/v1/share/{link.token}"
    mine = bearer(identify_visitor(link, "kari@example.com"))
    client.put(f"{base}/favourites/{photos[0].id}", json={"note": "private"}, headers=mine)
    client.post(f"{base}/photos/{photos[0].id}/comments", json={"body": "lighter please"}, headers=mine)
    # Someone typing my email gets a code sent to me, and nothing of mine.
    stranger = client.application.test_client()
    assert stranger.post(f"{base}/visitors", json={"email": "kari@example.com"}).status_code == 202
    page = stranger.get(f"{base}/photos").json["items"]
    assert all(p["favourite_lists"] == [] and p["note"] is None for p in page)
    problem(stranger.get(f"{base}/favourite-lists"), 401)
    theirs = bearer(identify_visitor(link, "ola@example.com"))
    assert client.get(f"{base}/favourite-lists", headers=theirs).json["items"] == []
    assert client.get(f"{base}/photos/{photos[0].id}/comments", headers=theirs).json["items"] == []
    mine_comments = client.get(f"{base}/photos/{photos[0].id}/comments", headers=mine).json["items"]
    assert [c["body"] for c in mine_comments] == ["lighter please"] and mine_comments[0]["mine"] is True
    assert count_events("commented") == 1


def test_the_photographer_reads_every_comment_newest_first(client, proofing_gallery, identify_visitor,
                                                           make_photographer):
    _, api, gallery, photos, link = proofing_gallery
    base = f"/api/v1/share/{link.token}"
    kari = bearer(identify_visitor(link, "kari@example.com"))
    ola = bearer(identify_visitor(link, "ola@example.com"))
    client.post(f"{base}/photos/{photos[0].id}/comments", json={"body": "lighter please"}, headers=kari)
    client.post(f"{base}/photos/{photos[2].id}/comments", json={"body": "crop tighter"}, headers=ola)
    client.post(f"{base}/photos/{photos[0].id}/comments", json={"body": "and warmer"}, headers=ola)

    first = api.get(f"/api/v1/galleries/{gallery.id}/comments?limit=2")
    assert first.status_code == 200, first.json
    assert [(c["body"], c["visitor"]["email"], c["filename"]) for c in first.json["items"]] == [
        ("and warmer", "ola@example.com", "DSC_0001.NEF"), ("crop tighter", "ola@example.com", "DSC_0003.NEF")]
    rest = api.get(f"/api/v1/galleries/{gallery.id}/comments?limit=2&cursor={first.json['next_cursor']}").json
    assert [c["body"] for c in rest["items"]] == ["lighter please"] and rest["next_cursor"] is None
    on_first = api.get(f"/api/v1/galleries/{gallery.id}/comments?photo_id={photos[0].id}").json["items"]
    assert [c["body"] for c in on_first] == ["and warmer", "lighter please"]
    _, other = make_photographer(email="someone@else.example")
    problem(other.get(f"/api/v1/galleries/{gallery.id}/comments"), 404)
    problem(client.application.test_client().get(f"/api/v1/galleries/{gallery.id}/comments"), 401)


def test_selection_limit_submit_lock_export_and_reopen(app, client, proofing_gallery, identify_visitor, smtp_server):
    photographer, api, gallery, photos, link = proofing_gallery
    base = f"/api/v1/share/{link.token}"
    auth = bearer(identify_visitor(link, "kari@example.com", name="Kari"))
    problem(client.post(f"{base}/selection/submit", json={}, headers=auth), 422)  # nothing picked yet
    for photo in (photos[4], photos[1], photos[2]):
        assert client.put(f"{base}/favourites/{photo.id}", json={}, headers=auth).status_code == 200
    over = problem(client.put(f"{base}/favourites/{photos[3].id}", json={}, headers=auth), 409)
    assert over["remaining"] == 0 and over["limit"] == 3 and "pick 3" in over["detail"]

    with smtp_server.configured(app):
        submitted = client.post(f"{base}/selection/submit", json={"note": "Thanks!"}, headers=auth)
        assert submitted.status_code == 200, submitted.json
        mail = smtp_server.wait_for(1)[0]
    assert submitted.json["status"] == "submitted" and submitted.json["count"] == 3
    assert mail["To"] == "anna@fjord.example" and "3 photos" in mail["Subject"]
    assert "DSC_0002, DSC_0003, DSC_0005" in mail.get_body(("plain",)).get_content() and "Thanks!" in mail.get_body(("plain",)).get_content()
    assert count_events("selection_submitted") == 1

    locked = problem(client.delete(f"{base}/favourites/{photos[1].id}", headers=auth), 409)
    assert locked["locked"] is True
    problem(client.post(f"{base}/selection/submit", json={}, headers=auth), 409)
    assert client.get(base, headers=auth).json["selection"]["locked"] is True

    selections = api.get(f"/api/v1/galleries/{gallery.id}/selections").json["items"]
    assert len(selections) == 1
    selection = selections[0]
    assert selection["visitor"]["email"] == "kari@example.com" and selection["locked"] is True
    assert [p["filename"] for p in selection["photos"]] == ["DSC_0002.NEF", "DSC_0003.NEF", "DSC_0005.NEF"]
    text = api.get(f"/api/v1/galleries/{gallery.id}/selections", headers={"Accept": "text/plain"})
    assert text.mimetype == "text/plain" and text.get_data(as_text=True) == "DSC_0002, DSC_0003, DSC_0005\n"
    assert api.get(f"/api/v1/galleries/{gallery.id}/selections?format=text").get_data(as_text=True).startswith("DSC")
    problem(api.get(f"/api/v1/galleries/{gallery.id}/selections?format=pdf"), 422)

    with smtp_server.configured(app):
        reopened = api.post(f"/api/v1/galleries/{gallery.id}/selections/{selection['id']}/reopen")
        told = smtp_server.wait_for(2)[1]
    assert reopened.status_code == 200 and reopened.json["status"] == "reopened"
    assert told["To"].addresses[0].addr_spec == "kari@example.com" and "open again" in told["Subject"]
    assert "Hi Kari," in told.get_body(("plain",)).get_content() and f"/g/{link.token}" in told.get_body(("plain",)).get_content()
    problem(api.post(f"/api/v1/galleries/{gallery.id}/selections/nope/reopen"), 404)
    assert client.delete(f"{base}/favourites/{photos[1].id}", headers=auth).status_code == 204
    client.put(f"{base}/favourites/{photos[0].id}", json={}, headers=auth)
    with smtp_server.configured(app):
        assert client.post(f"{base}/selection/submit", json={}, headers=auth).status_code == 200
        smtp_server.wait_for(2)
    text = api.get(f"/api/v1/galleries/{gallery.id}/selections?format=text").get_data(as_text=True)
    assert text == "DSC_0001, DSC_0003, DSC_0005\n"
    assert count_events("selection_reopened") == 1 and count_events("selection_submitted") == 2


def test_guests_cannot_submit_a_selection(client, proofing_gallery, make_share_link, identify_visitor):
    _, _, gallery, photos, _ = proofing_gallery
    guest_link = make_share_link(gallery, role="guest")
    auth = bearer(identify_visitor(guest_link, "guest@example.com"))
    base = f"/api/v1/share/{guest_link.token}"
    for photo in photos[:5]:  # the selection limit is the client's; guests favourite freely
        assert client.put(f"{base}/favourites/{photo.id}", json={}, headers=auth).status_code == 200
    problem(client.post(f"{base}/selection/submit", json={}, headers=auth), 403)


@pytest.mark.postgres_only
def test_concurrent_toggles_from_two_phones_never_duplicate_or_lose(app, database_backend, proofing_gallery,
                                                                    identify_visitor):
    if database_backend != "postgresql":
        return  # row locks and real parallel writers are PostgreSQL's; SQLite serialises writers anyway
    _, _, gallery, photos, link = proofing_gallery
    token = identify_visitor(link, "kari@example.com")
    base = f"/api/v1/share/{link.token}"
    barrier = threading.Barrier(8)
    statuses = []

    def phone(photo_id):
        http = app.test_client()
        barrier.wait()
        response = http.put(f"{base}/favourites/{photo_id}", json={}, headers=bearer(token))
        statuses.append(response.status_code)

    # Eight requests at once: four for one photo (duplicates) and four for four others (the limit is 3).
    targets = [photos[0].id] * 4 + [p.id for p in photos[1:5]]
    threads = [threading.Thread(target=phone, args=(t,)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db.session.expire_all()
    favourites = list(db.session.scalars(db.select(Favourite)))
    assert len(favourites) == 3, statuses  # never more than the limit
    assert len({f.photo_id for f in favourites}) == 3  # never duplicated
    assert sorted(statuses).count(200) >= 3 and set(statuses) <= {200, 409}
    assert count_events("favourited") == 3
