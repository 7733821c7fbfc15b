"""The share side end to end: view, photos with signed URLs, guests, unlock, visitors."""
from datetime import timedelta

from gallery.core import clock
from gallery.engagement.models import Event
from gallery.extensions import db
from gallery.sharing.models import Visitor
from tests.plugins.problems import problem


def kinds():
    return [e.kind for e in db.session.scalars(db.select(Event).order_by(Event.id))]


def test_photographer_creates_lists_and_revokes_links(make_photographer, make_gallery):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer, publish=True)
    created = api.post(f"/api/v1/galleries/{gallery.id}/share-links", json={"role": "guest", "label": "Instagram"})
    assert created.status_code == 201, created.json
    link = created.json
    assert len(link["token"]) >= 22 and link["url"].endswith("/g/" + link["token"]) and link["has_password"] is False
    api.post(f"/api/v1/galleries/{gallery.id}/share-links", json={"role": "client", "password": "secret"})
    listed = api.get(f"/api/v1/galleries/{gallery.id}/share-links").json["items"]
    assert [item["role"] for item in listed] == ["guest", "client"] and listed[1]["has_password"] is True
    revoked = api.delete(f"/api/v1/galleries/{gallery.id}/share-links/{link['id']}")
    assert revoked.status_code == 200 and revoked.json["revoked_at"]
    body = problem(api.post(f"/api/v1/galleries/{gallery.id}/share-links",
                            json={"role": "owner", "expires_at": "2020-01-01T00:00:00Z"}), 422)
    assert "role" in body["errors"]
    problem(api.post(f"/api/v1/galleries/{gallery.id}/share-links",
                     json={"expires_at": "2020-01-01T00:00:00Z"}), 422)


def test_share_view_and_photo_listing(client, make_photographer, make_gallery, make_photo, make_share_link):
    photographer, api = make_photographer(studio_name="Fjord Foto")
    gallery = make_gallery(photographer, publish=True, selection_limit=2, title="Ola & Kari")
    ceremony = api.post(f"/api/v1/galleries/{gallery.id}/sets", json={"name": "Ceremony"}).json
    photos = [make_photo(gallery, set_id=ceremony["id"]) for _ in range(5)]
    link = make_share_link(gallery)

    view = client.get(f"/api/v1/share/{link.token}")
    assert view.status_code == 200, view.json
    body = view.json
    assert body["title"] == "Ola & Kari" and body["role"] == "client" and body["locked"] is False
    assert body["photo_count"] == 5 and body["sets"][0]["name"] == "Ceremony"
    assert body["photographer"]["studio_name"] == "Fjord Foto" and body["permissions"]["download"] == "full"
    assert body["visitor"] is None and body["selection"] is None
    assert "gallery_viewed" in kinds()

    first = client.get(f"/api/v1/share/{link.token}/photos?limit=2").json
    assert [p["id"] for p in first["items"]] == [p.id for p in photos[:2]]
    item = first["items"][0]
    assert item["width"] == 6000 and item["placeholder_color"] == "#336699"
    assert set(item["renditions"]) == {"thumb", "preview", "large"}
    assert item["renditions"]["thumb"]["webp"] and item["renditions"]["large"]["webp"] is None
    assert client.get(item["renditions"]["thumb"]["url"]).data.startswith(b"thumb.jpeg:")
    rest = client.get(f"/api/v1/share/{link.token}/photos?limit=10&cursor={first['next_cursor']}").json
    assert len(rest["items"]) == 3 and rest["next_cursor"] is None
    problem(client.get(f"/api/v1/share/{link.token}/photos?limit=0"), 422)
    problem(client.get(f"/api/v1/share/{link.token}/photos?cursor=garbage"), 400)


def test_watermarked_gallery_never_hands_out_clean_previews(client, make_photographer, make_gallery, make_photo,
                                                             make_share_link):
    photographer, _ = make_photographer()
    gallery = make_gallery(photographer, publish=True, watermark=True)
    make_photo(gallery, renditions=("thumb", "preview", "large", "watermarked"))
    link = make_share_link(gallery)
    sizes = client.get(f"/api/v1/share/{link.token}/photos").json["items"][0]["renditions"]
    assert set(sizes) == {"thumb", "preview"}
    assert client.get(sizes["preview"]["url"]).data.startswith(b"watermarked.jpeg:")


def test_guests_never_see_what_is_hidden_from_them(client, make_photographer, make_gallery, make_photo,
                                                   make_share_link, identify_visitor):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer, publish=True)
    secret_set = api.post(f"/api/v1/galleries/{gallery.id}/sets", json={"name": "Boudoir",
                                                                       "hidden_from_guests": True}).json
    public = make_photo(gallery)
    in_secret_set = make_photo(gallery, set_id=secret_set["id"])
    hidden_by_client = make_photo(gallery)
    client_link, guest_link = make_share_link(gallery), make_share_link(gallery, role="guest")

    client_token = identify_visitor(client_link, "client@example.com")
    hide = client.put(f"/api/v1/share/{client_link.token}/photos/{hidden_by_client.id}/hidden",
                      json={"hidden_from_guests": True}, headers={"Authorization": f"Bearer {client_token}"})
    assert hide.status_code == 200 and hide.json == {"hidden_from_guests": True}
    problem(client.put(f"/api/v1/share/{guest_link.token}/photos/{public.id}/hidden",
                       json={"hidden_from_guests": True}), 403)

    gallery.cover_photo_id = in_secret_set.id
    db.session.commit()
    assert client.get(f"/api/v1/share/{client_link.token}").json["cover"]["thumb"]["url"]
    guest_view = client.get(f"/api/v1/share/{guest_link.token}").json
    assert guest_view["sets"] == [] and guest_view["photo_count"] == 1 and guest_view["cover"] is None
    assert guest_view["permissions"]["download"] == "web" and guest_view["permissions"]["selection"] is False
    guest_ids = [p["id"] for p in client.get(f"/api/v1/share/{guest_link.token}/photos").json["items"]]
    assert guest_ids == [public.id]
    for hidden in (in_secret_set, hidden_by_client):
        problem(client.get(f"/api/v1/share/{guest_link.token}/photos/{hidden.id}/download"), 404)
        problem(client.put(f"/api/v1/share/{guest_link.token}/favourites/{hidden.id}"), 401)
    guest_token = identify_visitor(guest_link, "guest@example.com")
    for hidden in (in_secret_set, hidden_by_client):
        problem(client.put(f"/api/v1/share/{guest_link.token}/favourites/{hidden.id}", json={},
                           headers={"Authorization": f"Bearer {guest_token}"}), 404)
    problem(client.get(f"/api/v1/share/{guest_link.token}/download.zip?scope=set:{secret_set['id']}"), 404)
    client_ids = {p["id"] for p in client.get(f"/api/v1/share/{client_link.token}/photos").json["items"]}
    assert client_ids == {public.id, in_secret_set.id, hidden_by_client.id}


def test_password_link_shows_nothing_before_unlock(client, make_photographer, make_gallery, make_photo,
                                                   make_share_link):
    photographer, _ = make_photographer()
    gallery = make_gallery(photographer, publish=True, password="gallery-pass")
    make_photo(gallery)
    link = make_share_link(gallery)
    locked = client.get(f"/api/v1/share/{link.token}").json
    assert locked["locked"] is True and "sets" not in locked and "photo_count" not in locked
    body = problem(client.get(f"/api/v1/share/{link.token}/photos"), 401)
    assert body["locked"] is True
    problem(client.post(f"/api/v1/share/{link.token}/unlock", json={"password": "wrong"}), 401)
    problem(client.post(f"/api/v1/share/{link.token}/unlock", json={}), 422)

    fresh = client.application.test_client()
    unlocked = fresh.post(f"/api/v1/share/{link.token}/unlock", json={"password": "gallery-pass"})
    assert unlocked.status_code == 200
    # the cookie now unlocks this browser...
    assert fresh.get(f"/api/v1/share/{link.token}/photos").status_code == 200
    # ...and the token unlocks an API caller without cookies.
    header = {"X-Share-Unlock": unlocked.json["unlock_token"]}
    assert client.application.test_client(use_cookies=False).get(
        f"/api/v1/share/{link.token}/photos", headers=header).status_code == 200
    # A link's own password wins, and an unlock token of another link does not open it.
    other = make_share_link(gallery, password="link-pass")
    problem(client.application.test_client(use_cookies=False).get(f"/api/v1/share/{other.token}/photos",
                                                                  headers=header), 401)
    # Changing the password invalidates the unlock.
    from gallery.galleries import services
    services.update_gallery(photographer.id, gallery.id, {"password": "new-pass"})
    db.session.commit()
    problem(client.application.test_client(use_cookies=False).get(f"/api/v1/share/{link.token}/photos",
                                                                  headers=header), 401)


def test_unlock_is_rate_limited(client, make_photographer, make_gallery, make_share_link):
    photographer, _ = make_photographer()
    gallery = make_gallery(photographer, publish=True, password="gallery-pass")
    link = make_share_link(gallery)
    statuses = [client.post(f"/api/v1/share/{link.token}/unlock", json={"password": "guess"}).status_code
                for _ in range(11)]
    assert statuses[:10] == [401] * 10 and statuses[10] == 429


def test_expired_and_unpublished_answer_410_with_contact(client, make_photographer, make_gallery, make_share_link):
    photographer, api = make_photographer(studio_name="Fjord Foto", email="anna@fjord.example")
    gallery = make_gallery(photographer, publish=True, expires_at=clock.now() + timedelta(days=1))
    link = make_share_link(gallery)
    assert client.get(f"/api/v1/share/{link.token}").status_code == 200
    with clock.frozen(clock.now() + timedelta(days=2)):
        body = problem(client.get(f"/api/v1/share/{link.token}"), 410)
    assert body["contact"]["studio_name"] == "Fjord Foto" and body["contact"]["email"] == "anna@fjord.example"
    assert "expired" in body["detail"]
    api.patch(f"/api/v1/galleries/{gallery.id}", json={"status": "archived"})
    assert problem(client.get(f"/api/v1/share/{link.token}"), 410)["contact"]["studio_name"] == "Fjord Foto"
    problem(client.get("/api/v1/share/no-such-token"), 404)
    problem(client.get("/api/v1/share/" + "x" * 300), 404)


def test_visitor_identification_by_one_time_code(app, client, make_photographer, make_client, make_gallery,
                                                 make_share_link, smtp_server):
    photographer, _ = make_photographer()
    kari = make_client(photographer, name="Kari", email="kari@example.com")
    gallery = make_gallery(photographer, publish=True, client_id=kari.id)
    link = make_share_link(gallery)
    with smtp_server.configured(app):
        sent = client.post(f"/api/v1/share/{link.token}/visitors", json={"email": "Kari@Example.com", "name": "Kari"})
        assert sent.status_code == 202 and sent.json == {"sent": True, "expires_in": 900}
        message = smtp_server.wait_for(1)[0]
    assert message["To"] == "kari@example.com"
    code = message["Subject"].rsplit(" ", 1)[-1]
    assert len(code) == 6 and code.isdigit()
    visitor = db.session.scalar(db.select(Visitor))
    assert visitor.code_hash and code not in visitor.code_hash and visitor.verified_at is None

    wrong = "000000" if code != "000000" else "111111"
    problem(client.post(f"/api/v1/share/{link.token}/visitors/verify", json={"email": "kari@example.com",
                                                                            "code": wrong}), 401)
    problem(client.post(f"/api/v1/share/{link.token}/visitors/verify", json={"email": "kari@example.com",
                                                                            "code": "12"}), 422)
    verified = client.post(f"/api/v1/share/{link.token}/visitors/verify",
                           json={"email": "kari@example.com", "code": code})
    assert verified.status_code == 200, verified.json
    assert verified.json["visitor"]["email"] == "kari@example.com"
    db.session.expire_all()
    visitor = db.session.scalar(db.select(Visitor))
    assert visitor.client_id == kari.id and visitor.verified_at is not None
    # The code works once.
    problem(client.post(f"/api/v1/share/{link.token}/visitors/verify",
                        json={"email": "kari@example.com", "code": code}), 401)
    token = verified.json["visitor_token"]
    me = client.application.test_client(use_cookies=False).get(f"/api/v1/share/{link.token}",
                                                                headers={"Authorization": f"Bearer {token}"})
    assert me.json["visitor"]["email"] == "kari@example.com" and me.json["selection"]["count"] == 0
    identified = db.session.scalar(db.select(Event).where(Event.kind == "visitor_identified"))
    assert identified.client_id == kari.id and identified.visitor_id == visitor.id


def test_the_code_comes_in_the_language_the_page_speaks(app, client, make_photographer, make_client, make_gallery,
                                                       make_share_link, smtp_server):
    photographer, _ = make_photographer(studio_name="Lys Studio")
    gallery = make_gallery(photographer, publish=True, title="Kari & Ola")
    link = make_share_link(gallery)
    with smtp_server.configured(app):
        client.post(f"/api/v1/share/{link.token}/visitors", json={"email": "ola@example.com"},
                    headers={"Accept-Language": "nb-NO,nb;q=0.9,en;q=0.5"})
        client.set_cookie("gallery_lang", "pl")  # the language switch on the page wins over the browser's
        client.post(f"/api/v1/share/{link.token}/visitors", json={"email": "ewa@example.com"},
                    headers={"Accept-Language": "nb-NO"})
        norwegian, polish = smtp_server.wait_for(2)
    assert norwegian["Subject"].startswith("Koden din for Kari & Ola: ") and norwegian["Content-Language"] == "nb"
    assert "«Kari & Ola» fra Lys Studio" in norwegian.get_body(("plain",)).get_content()
    assert polish["Subject"].startswith("Twój kod do Kari & Ola: ") and polish["Content-Language"] == "pl"


def test_the_code_mail_follows_the_clients_language_on_their_link_only(app, client, make_photographer, make_client,
                                                                       make_gallery, make_share_link, smtp_server):
    photographer, _ = make_photographer()
    kari = make_client(photographer, name="Kari", email="kari@example.com", locale="nb-NO")
    gallery = make_gallery(photographer, publish=True, client_id=kari.id, title="Kari & Ola")
    client_link, guest_link = make_share_link(gallery), make_share_link(gallery, role="guest")
    with smtp_server.configured(app):
        client.post(f"/api/v1/share/{client_link.token}/visitors", json={"email": "kari@example.com"})
        client.post(f"/api/v1/share/{guest_link.token}/visitors", json={"email": "guest@example.com"})
        to_client, to_guest = smtp_server.wait_for(2)
    assert to_client["Content-Language"] == "nb" and to_guest["Content-Language"] == "en"


def test_codes_expire_and_die_after_five_wrong_tries(client, make_photographer, make_gallery, make_share_link):
    photographer, _ = make_photographer()
    gallery = make_gallery(photographer, publish=True)
    link = make_share_link(gallery)
    client.post(f"/api/v1/share/{link.token}/visitors", json={"email": "a@example.com"})
    for _ in range(5):
        problem(client.post(f"/api/v1/share/{link.token}/visitors/verify",
                            json={"email": "a@example.com", "code": "999999"}), 401)
    problem(client.post(f"/api/v1/share/{link.token}/visitors/verify",
                        json={"email": "a@example.com", "code": "999999"}), 429)
    with clock.frozen(clock.now() + timedelta(minutes=16)):
        problem(client.post(f"/api/v1/share/{link.token}/visitors/verify",
                            json={"email": "a@example.com", "code": "999999"}), 401)


def test_sending_codes_is_rate_limited_per_email(client, make_photographer, make_gallery, make_share_link):
    photographer, _ = make_photographer()
    gallery = make_gallery(photographer, publish=True)
    link = make_share_link(gallery)
    statuses = [client.post(f"/api/v1/share/{link.token}/visitors", json={"email": "a@example.com"}).status_code
                for _ in range(6)]
    assert statuses == [202] * 5 + [429]
    assert client.post(f"/api/v1/share/{link.token}/visitors", json={"email": "b@example.com"}).status_code == 202


def test_client_reported_events(client, make_photographer, make_gallery, make_photo, make_share_link):
    photographer, _ = make_photographer()
    gallery = make_gallery(photographer, publish=True)
    photo = make_photo(gallery)
    link = make_share_link(gallery)
    assert client.post(f"/api/v1/share/{link.token}/events",
                       json={"kind": "photo_viewed", "photo_id": photo.id}).status_code == 204
    assert client.post(f"/api/v1/share/{link.token}/events",
                       json={"kind": "shared", "channel": "whatsapp"}).status_code == 204
    problem(client.post(f"/api/v1/share/{link.token}/events", json={"kind": "order_paid"}), 422)
    problem(client.post(f"/api/v1/share/{link.token}/events", json={"kind": "photo_viewed", "photo_id": "nope"}), 404)
    assert kinds() == ["gallery_published", "photo_viewed", "shared"]


def test_batch_signer_gives_the_same_urls_as_signed_url(app):
    from gallery.storage.signing import batch_signer, signed_url

    with clock.frozen(clock.now()):
        sign = batch_signer(expires_in=600, scope="link:01abc")
        for key in ("renditions/g/p/thumb.jpg", "originals/x/y"):
            assert sign(key) == signed_url(key, expires_in=600, scope="link:01abc")
        assert batch_signer(expires_in=60)("a/b") == signed_url("a/b", expires_in=60)


def test_fold_equivalent_spellings_share_one_code_budget(client, make_photographer, make_gallery, make_share_link):
    photographer, _ = make_photographer()
    gallery = make_gallery(photographer, publish=True)
    link = make_share_link(gallery)
    spellings = ["victim@example.com", "Victim@EXAMPLE.com", "victim@ｅxample.com", "ＶＩＣＴＩＭ@example.com",
                 "victim@example.com.", "victim@ＥＸＡＭＰＬＥ.ＣＯＭ"]
    statuses = [client.post(f"/api/v1/share/{link.token}/visitors", json={"email": address},
                            environ_base={"REMOTE_ADDR": f"10.1.0.{i}"}).status_code
                for i, address in enumerate(spellings)]
    assert statuses == [202] * 5 + [429]
    from gallery.sharing.models import Visitor

    assert db.session.scalar(db.select(db.func.count(Visitor.id))) == 1


def test_parallel_guesses_are_counted_atomically(app, make_photographer, make_gallery, make_share_link):
    import threading

    photographer, _ = make_photographer()
    gallery = make_gallery(photographer, publish=True)
    link = make_share_link(gallery)
    app.test_client().post(f"/api/v1/share/{link.token}/visitors", json={"email": "a@example.com"})
    barrier = threading.Barrier(10)
    statuses = []

    def guess(i):
        http = app.test_client()
        barrier.wait()
        statuses.append(http.post(f"/api/v1/share/{link.token}/visitors/verify",
                                  json={"email": "a@example.com", "code": f"{100000 + i}"},
                                  environ_base={"REMOTE_ADDR": f"10.2.0.{i}"}).status_code)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses.count(401) <= 5 and len(statuses) == 10, statuses
    from gallery.sharing.models import Visitor

    db.session.expire_all()
    assert db.session.scalar(db.select(Visitor.code_attempts)) == 5


def test_a_new_code_does_not_buy_new_guesses(client, make_photographer, make_gallery, make_share_link):
    photographer, _ = make_photographer()
    gallery = make_gallery(photographer, publish=True)
    link = make_share_link(gallery)
    statuses = []
    for round_ in range(3):
        client.post(f"/api/v1/share/{link.token}/visitors", json={"email": "a@example.com"},
                    environ_base={"REMOTE_ADDR": f"10.3.{round_}.1"})
        for i in range(5):
            statuses.append(client.post(f"/api/v1/share/{link.token}/visitors/verify",
                                        json={"email": "a@example.com", "code": "000000"},
                                        environ_base={"REMOTE_ADDR": f"10.3.{round_}.{i + 2}"}).status_code)
    assert statuses.count(401) == 10 and statuses[-1] == 429
