"""Share links and proofing results in the browser: client and guest links with password, expiry and download
policy, copied, as a QR code, revoked, with visits per link; each submitted selection as a grid with the notes,
the Lightroom / Capture One filter copied in one click, reopened; favourites per visitor; the comments inbox
with replies; the activity timeline. Then a 3,000-photo gallery stays a small DOM, and the tablet layout."""
from sqlalchemy import select

from gallery.extensions import db
from gallery.sharing.models import ShareLink
from gallery.proofing.models import Selection
from tests.plugins.uploads import wait_for


# Elements inside `root` whose right edge is past the root's (what a reader sees as sticking out of the card).
OVERFLOWING = """(root) => { const box = document.querySelector(root).getBoundingClientRect();
  return [...document.querySelectorAll(root + ' *')].filter(el => el.getBoundingClientRect().right > box.right + 0.5)
    .map(el => el.tagName + '.' + el.className + ': ' + el.textContent.slice(0, 30)); }"""


def test_share_links(studio, live_server, make_photographer, make_gallery, make_photo):
    photographer, _ = make_photographer(email="sigrid@studio.example", locale=studio.lang)
    gallery = make_gallery(photographer, publish=True, title="Fjord wedding")
    make_photo(gallery)
    studio.login("sigrid@studio.example")
    studio.open(f"g/{gallery.id}/share")
    page = studio.page
    page.wait_for_selector(".empty")

    page.click(f"button:has-text({studio.t('share.new')!r})")
    page.fill("#l-label", "Kari")
    page.fill("#l-password", "fjord2026")
    page.fill("#l-expires", "2027-06-30T12:00")
    page.select_option("#l-download", "full")
    studio.axe("new link")
    page.click("dialog button[type=submit]")
    page.wait_for_selector("table.links tbody tr")
    client_link = db.session.scalar(select(ShareLink).where(ShareLink.label == "Kari"))
    assert client_link.role == "client" and client_link.password_hash and client_link.expires_at.year == 2027
    assert client_link.permissions == {"download": "full"}
    assert page.evaluate("window.__lastCopied").endswith(f"/g/{client_link.token}")  # created and copied

    page.click(f"button:has-text({studio.t('share.new')!r})")
    page.check("input[name=role][value=guest]")
    page.fill("#l-label", "Guests")
    page.select_option("#l-download", "none")
    page.click("dialog button[type=submit]")
    page.wait_for_function("document.querySelectorAll('table.links tbody tr').length === 2")
    guest = db.session.scalar(select(ShareLink).where(ShareLink.label == "Guests"))
    assert guest.role == "guest" and guest.password_hash is None

    # Visits per link: a client opens the page; the count shows after a reload.
    studio.page.context.request.get(f"{live_server}/api/v1/share/{guest.token}")
    studio.page.context.request.get(f"{live_server}/api/v1/share/{guest.token}")
    page.reload()
    row = page.locator("tr", has_text="Guests")
    row.wait_for()
    wait_for(lambda: row.locator("td.num").inner_text().startswith("2"), timeout=10)

    row.locator(f"button:has-text({studio.t('share.copy')!r})").click()
    assert page.evaluate("window.__lastCopied").endswith(f"/g/{guest.token}")
    row.locator(f"button:has-text({studio.t('share.qr')!r})").click()
    qr = page.locator("dialog .qr img")
    qr.wait_for()
    assert page.evaluate("(img) => img.naturalWidth > 0", qr.element_handle())
    studio.axe("qr")
    studio.shot("qr")
    page.keyboard.press("Escape")

    # At 1280x800 in every language: nothing of the table sticks out of the tab, headings stay on one line,
    # and the whole link shows.
    assert page.evaluate(OVERFLOWING, ".share") == []
    assert page.evaluate("() => [...document.querySelectorAll('table.links th')].filter(th => th.offsetHeight > 45)"
                         ".map(th => th.textContent)") == []
    assert page.evaluate("() => [...document.querySelectorAll('table.links .token')]"
                         ".filter(c => c.scrollWidth > c.clientWidth).length") == 0
    studio.axe("share links")
    studio.shot("share")
    row.locator(f"button:has-text({studio.t('share.revoke')!r})").click()
    page.click("dialog button.danger")
    wait_for(lambda: db.session.get(ShareLink, guest.id).revoked_at or db.session.expire_all(), timeout=10)
    assert studio.page.context.request.get(f"{live_server}/api/v1/share/{guest.token}").status == 410
    assert studio.errors == []


def test_proofing_results(studio, make_photographer, make_gallery, make_photo, make_share_link, visitor_actions):
    photographer, _ = make_photographer(email="nora@studio.example", locale=studio.lang)
    gallery = make_gallery(photographer, publish=True, title="Emma", selection_limit=3)
    photos = [make_photo(gallery, filename=f"DSC_{i:04d}.NEF") for i in range(1, 6)]
    kari = visitor_actions(make_share_link(gallery), "kari@example.com", "Kari")
    kari.favourite(photos[0].id, note="Album cover please")
    kari.favourite(photos[3].id)
    kari.submit(note="We love these!")
    guest = visitor_actions(make_share_link(gallery, role="guest"), "aunt@example.com", "Aunt Liv")
    guest.favourite(photos[4].id)
    comment = guest.comment(photos[4].id, "Can I get this one printed?")
    kari.comment(photos[1].id, "Is there one with eyes open?")

    studio.login("nora@studio.example")
    studio.open(f"g/{gallery.id}/selections")
    page = studio.page
    selection = page.locator(".selection").first
    selection.wait_for()
    assert "Kari" in selection.inner_text() and "We love these!" in selection.inner_text()
    assert selection.locator(".thumbs li").count() == 2
    assert "Album cover please" in selection.inner_text()
    selection.locator(f"button:has-text({studio.t('proofing.copyFilter')!r})").click()
    assert page.evaluate("window.__lastCopied") == "DSC_0001, DSC_0004"
    selection.locator(f"button:has-text({studio.t('home.selection.done')!r})").click()  # handled: off the home
    wait_for(lambda: db.session.scalar(select(Selection.acknowledged_at)) or db.session.expire_all(), timeout=10)
    assert "Aunt Liv" in page.locator(".proofing").inner_text()  # favourites still in progress, per visitor
    studio.axe("selections")
    studio.shot("selections")
    selection.locator(f"button:has-text({studio.t('proofing.reopen')!r})").click()
    page.click("dialog button.primary")
    wait_for(lambda: db.session.scalar(select(Selection.status)) == "reopened" or db.session.expire_all(), timeout=10)

    page.click("a.tab[href$='/comments']")
    inbox = page.locator(".comment", has_text="printed")
    inbox.wait_for()
    inbox.locator("input[name=body]").fill("Yes, order it in the shop!")
    inbox.locator("button[type=submit]").click()
    page.wait_for_selector(".reply:has-text('Yes, order it in the shop!')")
    from gallery.proofing.replies import CommentReply
    assert db.session.scalar(select(CommentReply.comment_id)) == comment["id"]
    page.check(".section-head input[type=checkbox]")  # only unanswered
    page.wait_for_function("document.querySelectorAll('.comment').length === 1")
    assert "eyes open" in page.locator(".comment").inner_text()
    studio.axe("comments")
    studio.shot("comments")

    page.click("a.tab[href$='/activity']")
    page.wait_for_selector(".timeline li")
    timeline = page.locator(".timeline").inner_text()
    assert "Kari" in timeline and "Aunt Liv" in timeline
    assert studio.t("kind.selection_submitted") in timeline
    assert studio.t("kind.studio.gallery_published") in timeline  # the photographer's own publish is the studio's
    studio.axe("activity")
    studio.shot("activity")
    assert studio.errors == []


def test_three_thousand_photos_and_the_tablet_layout(studio, make_photographer, make_gallery, make_photo_rows):
    photographer, _ = make_photographer(email="big@studio.example", locale=studio.lang)
    gallery = make_gallery(photographer, title="Big wedding")
    make_photo_rows(gallery, 3000)
    studio.login("big@studio.example")
    studio.open(f"g/{gallery.id}/photos")
    page = studio.page
    page.wait_for_selector(".cell")
    cells = page.locator(".cell").count()
    assert 0 < cells < 150  # a window of rows, not 3,000 cells
    assert page.evaluate("document.querySelectorAll('*').length") < 2500
    page.locator(".grid-scroll").evaluate("el => el.scrollTop = el.scrollHeight")
    page.wait_for_selector(".cell[aria-label='IMG_3000.jpg']")
    page.locator(".cell[aria-label='IMG_3000.jpg']").click()
    page.keyboard.press("Control+a")
    page.wait_for_selector(".toolbar .count")
    assert "3" in page.locator(".toolbar .count").inner_text() and page.locator(".cell.on").count() == page.locator(".cell").count()
    studio.axe("3000 photos")
    studio.shot("photos-3000")
    page.set_viewport_size({"width": 820, "height": 1180})  # a tablet, upright
    page.wait_for_timeout(300)
    studio.shot("tablet-photos")
    studio.open("galleries")
    page.wait_for_selector(".card")
    studio.shot("tablet-galleries")
    studio.axe("tablet galleries")
    assert studio.errors == []
