"""Brand in the studio, in a real browser at 1280x800, through the real app: a logo uploaded in the studio shows
on the client's share page, the accent's live preview with the readability warning, contact and social links on
the client page, the sender name in a mail's From; hostile values are refused on their field."""
from __future__ import annotations

import email
import io
from email import policy

from PIL import Image

from gallery.core.colours import readable_accent
from tests.plugins.browser import ARTIFACTS

LIGHT = "#f5d142"  # a sunny yellow: unreadable on the page as it is


def rgb(hex_colour: str) -> str:
    return "rgb({}, {}, {})".format(*(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)))


def logo_png() -> bytes:
    image = Image.new("RGBA", (480, 160), (0, 0, 0, 0))
    image.paste((31, 95, 91, 255), (0, 0, 160, 160))
    image.paste((138, 59, 18, 255), (200, 40, 480, 120))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_brand_logo_accent_contact_social_and_sender_reach_the_client(studio, app, make_photographer, make_gallery,
                                                                      make_share_link, clean_mail_dir):
    photographer, _ = make_photographer(email="nora@northlight.example", studio_name="Northlight", locale=studio.lang)
    link = make_share_link(make_gallery(photographer, publish=True, title="Kari & Ola"))
    studio.login("nora@northlight.example")
    page = studio.page
    page.click("a.nav-item[href='#/brand']")
    page.wait_for_selector("#brand-form")
    preview = page.frame_locator(".brand-preview iframe")
    preview.locator(".studio-footer").wait_for()

    # Logo: uploaded, re-encoded by the server, shown in the studio and in the preview at once.
    page.set_input_files("#b-logo", files=[{"name": "logo.png", "mimeType": "image/png", "buffer": logo_png()}])
    page.wait_for_selector("img.logo-current")
    page.wait_for_function("() => { const i = document.querySelector('img.logo-current');"
                           " return i && i.complete && i.naturalWidth === 480; }")  # re-encoded, same size
    preview.locator("header .studio-logo").wait_for()

    # A file that is not a picture: the server's reason on the field, nothing replaced.
    page.set_input_files("#b-logo", files=[{"name": "logo.svg", "mimeType": "image/svg+xml",
                                           "buffer": b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"}])
    page.wait_for_selector("#b-logo-error")
    assert "SVG" in page.locator("#b-logo-error").inner_text()
    assert page.locator("img.logo-current").count() == 1

    # Accent: a light yellow gets the warning, and the preview shows what clients will see (the darkened one).
    page.fill("#b-accent-hex", LIGHT)
    page.wait_for_selector("#b-accent-warning")
    darker = readable_accent(LIGHT)
    assert darker in page.locator("#b-accent-warning").inner_text()
    button = preview.locator(".toolbar .button.primary")
    page.wait_for_function("expected => document.querySelector('.brand-preview iframe').contentDocument"
                           ".querySelector('.toolbar .button.primary') && getComputedStyle(document.querySelector("
                           "'.brand-preview iframe').contentDocument.querySelector('.toolbar .button.primary'))"
                           ".backgroundColor === expected", arg=rgb(darker))
    assert button.evaluate("b => getComputedStyle(b).color") == "rgb(255, 255, 255)"
    studio.axe("brand with a readability warning")
    studio.shot("brand-warning")
    # A readable colour: no warning.
    page.fill("#b-accent-hex", "#1f5f5b")
    page.wait_for_selector("#b-accent-status")
    assert page.locator("#b-accent-warning").count() == 0
    page.fill("#b-accent-hex", LIGHT)
    page.wait_for_selector("#b-accent-warning")

    # Name, contact, social links and the sender name; a link on another site is refused on its field.
    page.fill("#b-studio_name", "Northlight Foto")
    page.fill("#b-sender_name", "Nora at Northlight")
    page.fill("#b-contact_email", "hello@northlight.example")
    page.fill("#b-contact_phone", "+47 912 34 567")
    page.fill("#b-website", "https://www.northlight.example")
    page.fill("#b-instagram", "https://evil.example/northlight")
    page.fill("#b-tiktok", "@northlight")
    page.click("#brand-form button[type=submit]")
    page.wait_for_selector(".field.invalid #b-instagram")
    page.fill("#b-instagram", "@northlight.foto")
    page.click("#brand-form button[type=submit]")
    studio.toast(studio.t("brand.saved"))
    assert page.locator(".brand-name").inner_text() == "Northlight Foto"
    preview.locator(".studio-footer li", has_text="TikTok").wait_for()
    studio.axe("brand")
    studio.shot("brand")

    # The client's share page, loaded fresh, shows all of it.
    client = page.context.new_page()
    client.goto(f"{studio.base}/g/{link.token}")
    logo = client.locator("header.topbar img.studio-logo")
    assert logo.get_attribute("alt") == "Northlight Foto"
    client.wait_for_function("() => { const i = document.querySelector('header.topbar img.studio-logo');"
                             " return i.complete && i.naturalWidth === 480; }")
    footer = client.locator("footer.studio-footer")
    for text, href in (("+47 912 34 567", "tel:+4791234567"), ("hello@northlight.example", "mailto:hello@northlight.example"),
                       ("northlight.example", "https://www.northlight.example"),
                       ("Instagram", "https://www.instagram.com/northlight.foto"),
                       ("TikTok", "https://www.tiktok.com/@northlight")):
        assert footer.get_by_role("link", name=text, exact=True).get_attribute("href") == href
    accent = client.evaluate("() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()")
    assert accent == darker
    client.screenshot(path=str(ARTIFACTS / f"studio-brand-client-page-{studio.lang}.png"), full_page=True)
    client.close()

    # A mail to the client comes from the sender name, with the logo from the studio's address.
    before = set(clean_mail_dir.glob("*.eml"))
    answer = app.test_client().post(f"/api/v1/share/{link.token}/visitors", json={"email": "kari@example.com"})
    assert answer.status_code == 202
    new = sorted(set(clean_mail_dir.glob("*.eml")) - before)
    message = email.message_from_bytes(new[-1].read_bytes(), policy=policy.default)
    assert message["From"].addresses[0].display_name == "Nora at Northlight"
    html = message.get_body(("html",)).get_content()
    assert f"/api/v1/logos/{photographer.id}?v=" in html and darker in html
    assert studio.errors == []
