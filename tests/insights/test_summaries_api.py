"""The studio's gallery list: cover, state (draft, published, expiring, expired, archived) and the figures
each card shows, counted from what visitors really did through the share API; search and filters."""
from datetime import timedelta

from gallery.core import clock


def summaries(api, **params):
    answer = api.get("/api/v1/gallery-summaries", query_string=params)
    assert answer.status_code == 200, answer.json
    return {g["title"]: g for g in answer.json["items"]}


def test_states_search_and_figures(make_photographer, make_gallery, make_client, make_photo, make_share_link,
                                   visitor_actions):
    photographer, api = make_photographer()
    kari = make_client(photographer, name="Kari Nordmann")
    now = clock.now()
    wedding = make_gallery(photographer, publish=True, title="Kari & Ola", client_id=kari.id, selection_limit=5)
    make_gallery(photographer, title="Draft shoot")
    make_gallery(photographer, publish=True, title="Soon gone", expires_at=now + timedelta(days=3))
    make_gallery(photographer, publish=True, title="Long gone", expires_at=now - timedelta(days=1))
    make_gallery(photographer, title="Old", status="archived")
    photos = [make_photo(wedding, filename=f"DSC_{i}.jpg") for i in range(3)]
    link = make_share_link(wedding)
    visitor = visitor_actions(link, "kari@example.com", "Kari")
    visitor.favourite(photos[0].id, note="album")
    visitor.favourite(photos[1].id)
    visitor.comment(photos[0].id, "Lovely!")
    visitor.submit()

    everything = summaries(api)
    assert {t: g["state"] for t, g in everything.items()} == {
        "Kari & Ola": "published", "Draft shoot": "draft", "Soon gone": "expiring", "Long gone": "expired", "Old": "archived"}
    card = everything["Kari & Ola"]
    assert card["client"] == {"id": kari.id, "name": "Kari Nordmann"}
    assert card["cover_url"].startswith("/files/") and "thumb" in card["cover_url"]
    assert (card["photo_count"], card["favourites"], card["selections_submitted"], card["comments"], card["visitors"]) == (3, 2, 1, 1, 1)
    assert card["visits"] >= 1 and card["orders"] == 0 and card["share_links"] == 1
    assert everything["Draft shoot"]["cover_url"] is None and everything["Draft shoot"]["photo_count"] == 0

    for state, titles in [("expiring", {"Soon gone"}), ("expired", {"Long gone"}), ("draft", {"Draft shoot"}),
                          ("archived", {"Old"}), ("published", {"Kari & Ola"})]:
        assert set(summaries(api, state=state)) == titles, state
    assert set(summaries(api, q="nordmann")) == {"Kari & Ola"}  # by client name
    assert set(summaries(api, q="GONE")) == {"Soon gone", "Long gone"}
    assert set(summaries(api, client_id=kari.id)) == {"Kari & Ola"}

    visits = api.get(f"/api/v1/galleries/{wedding.id}/link-visits").json["items"]
    assert visits == [{"link_id": link.id, "visits": visits[0]["visits"], "visitors": 1}] and visits[0]["visits"] >= 1


def test_paging_scoping_and_bad_input(make_photographer, make_gallery):
    photographer, api = make_photographer()
    other, other_api = make_photographer()
    for n in range(5):
        make_gallery(photographer, title=f"G{n}")
    theirs = make_gallery(other, title="Theirs")
    first = api.get("/api/v1/gallery-summaries?limit=3").json
    second = api.get("/api/v1/gallery-summaries", query_string={"limit": 3, "cursor": first["next_cursor"]}).json
    titles = [g["title"] for g in first["items"] + second["items"]]
    assert sorted(titles) == [f"G{n}" for n in range(5)] and second["next_cursor"] is None
    assert "Theirs" not in titles
    assert api.get(f"/api/v1/galleries/{theirs.id}/link-visits").status_code == 404
    for params in [{"state": "lost"}, {"limit": 0}, {"cursor": "%%%"}, {"q": "x" * 500}]:
        answer = api.get("/api/v1/gallery-summaries", query_string=params)
        assert answer.status_code in (400, 422) and answer.content_type == "application/problem+json", params
