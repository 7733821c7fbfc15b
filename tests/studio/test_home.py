"""The home in the browser: every kind of pending item a client creates through the share API (a comment, a
submitted selection, an order, a survey answer; plus a gallery about to expire and an order mail the client's
server refused) shows with its count, and each leaves the home once handled from there."""
from datetime import timedelta

from sqlalchemy import select

from gallery import mail
from gallery.core import clock
from gallery.core.transaction import commit
from gallery.extensions import db
from gallery.galleries.models import Gallery
from gallery.mail.models import OutboxMail
from gallery.proofing.models import Selection
from gallery.proofing.replies import CommentReply
from gallery.retention import tokens
from gallery.retention.models import FollowUp, Message
from gallery.store.models import Order
from tests.plugins.uploads import wait_for

ADDRESS = {"name": "Kari Nordmann", "line1": "Storgata 1", "postal_code": "0155", "city": "Oslo", "country": "NO"}
KINDS = ("selections", "comments", "orders", "expiring", "followups", "failed_mail")


def _everything_pending(app, client, api, photographer, make_client, make_gallery, make_photo, make_share_link,
                        visitor_actions, smtp_server):
    kari = make_client(photographer, name="Kari Nordmann", email="kari@example.com")
    sheet = api.post("/api/v1/price-sheets", json={"name": "Prints", "currency": "EUR", "payment_instructions": "Bank transfer to 1234.56.78903, reference: the order number.", "products": [
        {"kind": "print", "name": "Print 20x30", "price": 2500}]}).json
    gallery = make_gallery(photographer, publish=True, title="Kari & Ola", client_id=kari.id,
                           price_sheet_id=sheet["id"], expires_at=clock.now() + timedelta(days=3))
    photos = [make_photo(gallery, filename=f"DSC_{i:04d}.jpg") for i in range(1, 4)]
    visitor = visitor_actions(make_share_link(gallery), "kari@example.com", "Kari")
    visitor.comment(photos[0].id, "Could this one be a little warmer?")
    visitor.favourite(photos[1].id)
    visitor.favourite(photos[2].id)
    visitor.submit(note="For the album")
    cart = visitor.http.put(f"{visitor.base}/cart", headers=visitor.headers, json={"items": [
        {"product_id": sheet["products"][0]["id"], "photo_id": photos[1].id, "quantity": 2}]})
    assert cart.status_code == 200, cart.json
    smtp_server.reply = lambda envelope: "550 5.1.1 mailbox unavailable" if "kari@" in envelope.rcpt_tos[0] else None
    with smtp_server.configured(app):
        placed = visitor.http.post(f"{visitor.base}/orders", headers=visitor.headers, json={"shipping_address": ADDRESS})
        assert placed.status_code == 201, placed.json
        smtp_server.wait_for(1)
    survey = Message(photographer_id=photographer.id, client_id=kari.id, gallery_id=gallery.id, rule="followup",
                     category="service", dedupe_key=f"followup:{gallery.id}", due_at=clock.now(),
                     send_after=clock.now(), status="sent", to_email=kari.email)
    db.session.add(survey)
    db.session.commit()
    answer = client.post(f"/t/s/{tokens.sign('survey', survey.id)}", json={"score": 4, "comment": "Took too long"})
    assert answer.status_code == 200
    return gallery, placed.json["id"]


def test_home_shows_each_kind_and_clears_it_when_handled(studio, app, client, make_photographer, make_client,
                                                         make_gallery, make_photo, make_share_link, visitor_actions,
                                                         smtp_server, clean_mail_dir):
    photographer, api = make_photographer(email="liv@studio.example", studio_name="Liv Foto", locale=studio.lang)
    gallery, order_id = _everything_pending(app, client, api, photographer, make_client, make_gallery, make_photo,
                                            make_share_link, visitor_actions, smtp_server)
    page = studio.page
    thumbs = []
    page.on("response", lambda response: "/thumb." in response.url and thumbs.append(response.status))
    studio.login("liv@studio.example")  # the home is where the studio opens
    page.wait_for_selector(".home-section")
    for kind in KINDS:
        assert page.locator(f"#home-{kind} .count").inner_text() == "1", kind
    assert page.locator(".tally.on").count() == 6
    # The numbers line up across the cards, however the labels wrap; the items' buttons stay inside their card.
    assert len(set(page.evaluate("() => [...document.querySelectorAll('.tally strong')]"
                                 ".map(n => Math.round(n.getBoundingClientRect().top))"))) == 1
    assert page.evaluate("""() => [...document.querySelectorAll('.home-section .acts')].filter(acts =>
      acts.getBoundingClientRect().right > acts.closest('.home-section').getBoundingClientRect().right - 8).length""") == 0
    wait_for(lambda: thumbs == [200], timeout=10)  # the photo commented on, through its signed URL
    studio.axe("home")
    studio.shot("home")
    page.screenshot(path=str(studio.shot("home").with_name(f"studio-home-full-{studio.lang}.png")), full_page=True)

    def gone(kind):
        page.wait_for_selector(f"#home-{kind}", state="detached")

    def button(kind, key):
        return page.locator(f"#home-{kind} button:has-text({studio.t(key)!r})")

    # A reply, inline.
    page.fill("#home-comments input[name=body]", "Of course, I will warm it up.")
    button("comments", "home.comment.reply").click()
    gone("comments")
    assert db.session.scalar(select(CommentReply.body)) == "Of course, I will warm it up."

    # The selection opens in its gallery; marked handled, it leaves.
    link = page.locator(f"#home-selections a:has-text({studio.t('home.selection.open')!r})")
    assert link.get_attribute("href") == f"#/g/{gallery.id}/selections"
    button("selections", "home.selection.done").click()
    gone("selections")
    db.session.expire_all()
    assert db.session.scalar(select(Selection.acknowledged_at)) is not None

    # The order: payment confirmed, into production, then shipping on the order's page (tracking number).
    button("orders", "home.order.do.confirm_payment").click()
    page.wait_for_selector(f"#home-orders .home-step:has-text({studio.t('home.order.step.produce')!r})")
    button("orders", "home.order.do.produce").click()
    page.wait_for_selector(f"#home-orders .home-step:has-text({studio.t('home.order.step.ship')!r})")
    ship = page.locator(f"#home-orders a:has-text({studio.t('home.order.do.ship')!r})")
    assert ship.get_attribute("href") == f"#/store/orders/{order_id}"
    studio.axe("home, order to ship")

    # The expiry, moved a month on.
    page.select_option("#home-expiring select", "30")
    button("expiring", "home.expiring.extend").click()
    gone("expiring")
    db.session.expire_all()
    assert db.session.get(Gallery, gallery.id).expires_at > clock.now() + timedelta(days=30)

    # The unhappy client, resolved; the refused mail, sent again through the outbox.
    assert page.locator("#home-followups .home-quote").inner_text() == "Took too long"
    button("followups", "home.followup.resolve").click()
    gone("followups")
    assert db.session.scalar(select(FollowUp.status)) == "resolved"
    assert "550" in page.locator("#home-failed_mail .home-error").inner_text()
    studio.shot("home-handled")
    button("failed_mail", "home.mail.retry").click()
    gone("failed_mail")
    db.session.expire_all()
    assert {row.status for row in db.session.scalars(select(OutboxMail))} <= {"queued", "sending", "sent"}

    # Shipped (here through the API, as the order's page does): nothing is left.
    assert api.patch(f"/api/v1/orders/{order_id}", json={"status": "shipped", "tracking": "RR123NO"}).status_code == 200
    page.click(f"button:has-text({studio.t('home.refresh')!r})")
    page.wait_for_selector(".home-done")
    assert page.locator(".tally.on").count() == 0
    assert page.locator(".home-done a[href='#/galleries']").inner_text() == studio.t("home.toGalleries")
    assert db.session.get(Order, order_id).status == "shipped"
    studio.axe("home, all done")
    studio.shot("home-done")
    assert studio.errors == []


def test_failed_mail_dismissed_and_more_than_the_first_items(studio, app, make_photographer, smtp_server):
    photographer, _ = make_photographer(email="per@studio.example", locale=studio.lang)
    smtp_server.reply = lambda envelope: "550 5.1.1 no such user"
    with smtp_server.configured(app):
        for n in range(7):
            mail.queue("selection_reopened", to=f"guest{n}@example.com", language="en", photographer_id=photographer.id,
                       context={"gallery_title": "Summer", "name": "Guest", "page_url": "http://gallery.test/g/x"})
        commit()  # delivered (and refused) right after the commit
    assert {row.status for row in db.session.scalars(select(OutboxMail))} == {"failed"}
    page = studio.page
    studio.login("per@studio.example")
    page.wait_for_selector("#home-failed_mail")
    assert page.locator("#home-failed_mail .home-items > li").count() == 5
    page.click("#home-failed_mail > button.ghost")  # "show all 7"
    page.wait_for_function("document.querySelectorAll('#home-failed_mail .home-items > li').length === 7")
    page.locator(f"#home-failed_mail button:has-text({studio.t('home.mail.dismiss')!r})").first.click()
    page.wait_for_selector("#home-failed_mail .count:text-is('6')")
    db.session.expire_all()
    assert db.session.scalar(select(OutboxMail.status).where(OutboxMail.status == "dismissed")) == "dismissed"
    assert studio.errors == []
