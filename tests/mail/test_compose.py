"""Studio-branded mail: From the studio's name at the platform's address, Reply-To the studio, no header
injection, the brand in the HTML header."""
from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from gallery import mail
from gallery.mail.compose import Brand, build, display_name


def parse(row):
    return message_from_bytes(row.content, policy=policy.default)


def test_from_is_the_studio_at_the_platform_address_and_replies_go_to_the_studio(app, queue_mail):
    message = parse(queue_mail(studio="Fjord Foto", reply_to="anna@fjord.example"))
    [sender] = message["From"].addresses
    assert sender.display_name == "Fjord Foto" and sender.addr_spec == "no-reply@localhost"
    assert message["Reply-To"].addresses[0].addr_spec == "anna@fjord.example"
    assert message["Auto-Submitted"] == "auto-generated" and message["Message-ID"]
    html = message.get_body(("html",)).get_content()
    assert "Fjord Foto" in html and "mailto:anna@fjord.example" in html


def test_a_non_ascii_studio_name_is_encoded(app, queue_mail):
    row = queue_mail(studio="Łódź Zdjęcia «Ærlig»")
    raw_from = next(line for line in row.content.split(b"\r\n") if line.startswith(b"From:"))
    assert raw_from.isascii() and b"=?utf-8?" in raw_from.lower()
    assert parse(row)["From"].addresses[0].display_name == "Łódź Zdjęcia «Ærlig»"


@pytest.mark.parametrize("name", ["Evil\r\nBcc: victim@example.com", "Evil\nX-Injected: 1", "A\x00B\u2028C",
                                  'Quote" <attacker@example.com>, other'])
def test_no_header_injection_from_a_studio_name(app, queue_mail, name):
    message = parse(queue_mail(studio=name))
    assert message["Bcc"] is None and message["X-Injected"] is None
    [sender] = message["From"].addresses  # one address, the platform's, whatever the name says
    assert sender.addr_spec == "no-reply@localhost"
    assert "\n" not in sender.display_name and "\r" not in sender.display_name
    assert display_name(name) == sender.display_name


def test_a_recipient_address_with_a_line_break_is_refused(app):
    with pytest.raises(ValueError):
        build(to="kari@example.com\r\nBcc: x@example.com", to_name=None, subject="s", text="t", html=None,
              language="en", brand=None)


def test_the_accent_colour_is_kept_readable(app):
    assert Brand("S", accent="#1a4d2e").accent_colour == "#1a4d2e"  # dark enough already
    light = Brand("S", accent="#ffee88").accent_colour
    assert light != "#ffee88" and light.startswith("#")
    assert Brand("S", accent="red; background:url(x)").accent_colour == "#222222"


def test_the_brand_logo_and_accent_head_the_html(app):
    brand = Brand("Lys Studio", reply_to="post@lys.example", logo_url="https://lys.example/logo.png",
                  accent="#1a4d2e", phone="+47 400 00 000", website="https://lys.example")
    rendered = mail.render("selection_reopened", "nb", {"brand": brand, "gallery_title": "Kari & Ola", "name": "Kari",
                                                        "page_url": "http://gallery.test/g/x"})
    assert 'src="https://lys.example/logo.png"' in rendered.html and "#1a4d2e" in rendered.html
    assert "+47 400 00 000" in rendered.html and 'href="http://gallery.test/g/x"' in rendered.html
    assert "Kari &amp; Ola" in rendered.html and rendered.subject == "Utvalget ditt i Kari & Ola er åpent igjen"
