"""The no-login links in retention mail: RFC 8058 one-click unsubscribe, open pixel, click redirect, survey."""
from datetime import UTC, datetime

from sqlalchemy import select

from gallery.clients.models import Client
from gallery.engagement.models import Event
from gallery.extensions import db
from gallery.retention.models import Feedback, Message, Unsubscribe
from gallery.retention.sweep import sweep

ANNIVERSARY_MORNING = datetime(2025, 6, 1, 7, 30, tzinfo=UTC)
FOLLOWUP_MORNING = datetime(2024, 6, 27, 7, 30, tzinfo=UTC)


def _link(mail, prefix):
    body = mail.get_body(("plain",)).get_content()
    return next(word for word in body.split() if word.startswith(f"http://gallery.test{prefix}"))


def _path(url):
    return url.removeprefix("http://gallery.test")


def test_one_click_unsubscribe_by_post_without_cookie(app, studio, smtp_server, client):
    photographer, _, kari, _ = studio()
    with smtp_server.configured(app):
        sweep(ANNIVERSARY_MORNING)
    [mail] = smtp_server.messages
    header = mail["List-Unsubscribe"]
    assert header.startswith("<http://gallery.test/u/") and header.endswith(">")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = _path(header[1:-1])

    page = client.get(url)
    assert page.status_code == 200 and b"Unsubscribe" in page.data and b'method="post"' in page.data
    fresh = app.test_client(use_cookies=False)
    response = fresh.post(url, data="List-Unsubscribe=One-Click",
                          content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert fresh.post(url, data="List-Unsubscribe=One-Click").status_code == 200  # idempotent
    db.session.expire_all()
    [row] = db.session.scalars(select(Unsubscribe)).all()
    assert row.email == "kari@example.no" and row.photographer_id == photographer.id
    assert db.session.get(Client, kari.id).marketing_consent is False
    assert db.session.scalar(select(Event).where(Event.kind == "unsubscribed")) is not None


def test_a_tampered_or_foreign_token_is_refused(app, client):
    assert client.post("/u/not-a-token").status_code == 404
    assert client.get("/t/o/forged.gif").status_code == 404
    assert client.get("/t/c/forged").status_code == 404
    assert client.get("/t/s/forged").status_code == 404
    response = client.post("/u/eyJhIjoxfQ.forged")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_open_pixel_and_click_redirect_come_back_as_events(app, studio, smtp_server, client):
    studio()
    with smtp_server.configured(app):
        sweep(ANNIVERSARY_MORNING)
    [mail] = smtp_server.messages
    html = mail.get_body(("html",)).get_content()
    pixel = html.split('<img src="http://gallery.test/t/o/')[1].split('"')[0]
    response = client.get(f"/t/o/{pixel}")
    assert response.status_code == 200 and response.mimetype == "image/gif"
    click = _link(mail, "/t/c/")
    response = client.get(_path(click))
    assert response.status_code == 302
    assert response.headers["Location"] == "http://gallery.test/g/client-share-token-0123456789"
    db.session.expire_all()
    message = db.session.scalar(select(Message))
    assert message.opened_at is not None and message.clicked_at is not None
    kinds = {e.kind for e in db.session.scalars(select(Event))}
    assert {"email_sent", "email_opened", "email_clicked"} <= kinds
    # A click link edited to point elsewhere fails its signature.
    assert client.get(_path(click)[:-3] + "abc").status_code == 404


def test_survey_answer_is_stored_and_a_low_score_alerts_the_photographer(app, studio, smtp_server, client):
    photographer, _, kari, gallery = studio(locale="pl", timezone="Europe/Warsaw")
    with smtp_server.configured(app):
        sweep(FOLLOWUP_MORNING)
        [mail] = smtp_server.messages
        assert mail["Subject"] == "Dziękujemy od Lys Studio: jak nam poszło?"
        survey_click = _path(_link(mail, "/t/c/"))
        survey = client.get(survey_click).headers["Location"]
        page = client.get(_path(survey))
        assert page.status_code == 200 and "polecisz" in page.get_data(as_text=True)
        assert client.post(_path(survey), json={"score": 11}).status_code == 422
        assert client.post(_path(survey), json={}).status_code == 422
        response = client.post(_path(survey), json={"score": 4, "comment": "Zdjęcia przyszły za późno"})
        assert response.status_code == 200 and response.json["score"] == 4
        alert = smtp_server.wait_for(2)[1]
    assert alert["To"] == photographer.email and "4/10" in alert["Subject"]
    assert alert["Reply-To"] == "kari@example.no"
    [feedback] = db.session.scalars(select(Feedback)).all()
    assert feedback.gallery_id == gallery.id and feedback.comment == "Zdjęcia przyszły za późno"
    # A form post (the page's own form) replaces the answer; a good score alerts nobody.
    with smtp_server.configured(app):
        response = client.post(_path(survey), data={"score": "9", "comment": ""})
    assert response.status_code == 200 and response.mimetype == "text/html"
    db.session.expire_all()
    assert db.session.scalar(select(Feedback.score)) == 9
    assert len(smtp_server.messages) == 2


def test_mail_photo_urls_die_with_the_clients_link(app, make_photographer, make_client, make_gallery, make_photo,
                                                   make_share_link):
    from urllib.parse import urlsplit

    from gallery.core import clock as clock_
    from gallery.engagement.services import record_event
    from gallery.sharing import links as share_links
    from gallery.retention.delivery import favourite_photos

    photographer, _ = make_photographer()
    client = make_client(photographer, name="Kari", email="kari@example.no")
    gallery = make_gallery(photographer, publish=True, client_id=client.id)
    photo = make_photo(gallery)
    link = make_share_link(gallery)
    record_event("favourited", photographer_id=photographer.id, gallery_id=gallery.id, client_id=client.id,
                 photo_id=photo.id)
    db.session.commit()
    [shown] = favourite_photos(client.id, clock_.now(), only=[photo.id])
    url = urlsplit(shown["url"])
    http = app.test_client()
    assert http.get(f"{url.path}?{url.query}").status_code == 200
    assert f"c=link%3A{link.id}" in url.query
    share_links.revoke_link(photographer.id, gallery.id, link.id)
    db.session.commit()
    assert http.get(f"{url.path}?{url.query}").status_code == 410
    assert favourite_photos(client.id, clock_.now(), only=[photo.id]) == []  # no live link: no photo in the next mail
