"""Building one mail: the studio-branded sender, the template in the recipient's language, the bytes.

A mail is rendered from `templates/mail/<name>.txt` (plain text; it sets the subject with
`{% set subject %}...{% endset %}`) and, when it exists, `templates/mail/<name>.html` (which extends
`mail/layout.html`: the studio's name, logo and accent colour in the header).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid, parseaddr

from flask import current_app
from flask_babel import force_locale
from jinja2 import TemplateNotFound
from markupsafe import Markup, escape

from gallery.core import clock

LANGUAGES = ("en", "nb", "pl", "hr", "id")
_ALIASES = {"no": "nb", "nn": "nb", "in": "id"}
# RFC 5322 allows 998-character lines: a long List-Unsubscribe URL stays one line (a folded one is an
# encoded-word no mail client reads as a URL). CRLF line ends, ASCII headers (RFC 2047 for the rest).
POLICY = SMTP.clone(max_line_length=998)
_CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")
_HEX_COLOUR = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
DEFAULT_ACCENT = "#222222"


def mail_language(tag: str | None) -> str:
    """The catalog for a language tag (nb-NO -> nb, no -> nb); English when we have none."""
    base = (tag or "en").replace("_", "-").split("-")[0].strip().lower()
    base = _ALIASES.get(base, base)
    return base if base in LANGUAGES else "en"


def display_name(name: str | None, limit: int = 78) -> str:
    """A display name safe for a header: no CR, LF or other control characters, spaces collapsed."""
    return " ".join(_CONTROL.sub(" ", name or "").split())[:limit].strip()


@dataclass(frozen=True)
class Brand:
    """Who a mail is from: the studio's name (the From display name; the address stays the platform's,
    for SPF and DKIM), where replies go, and what the header shows."""

    name: str
    reply_to: str | None = None
    logo_url: str | None = None
    accent: str | None = None
    phone: str | None = None
    website: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def accent_colour(self) -> str:
        """The accent as #rrggbb, darkened until white text on it reads (WCAG contrast 4.5:1)."""
        match = _HEX_COLOUR.match((self.accent or "").strip())
        if not match:
            return DEFAULT_ACCENT
        digits = match.group(1)
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        rgb = [int(digits[i:i + 2], 16) for i in (0, 2, 4)]
        while _contrast_with_white(rgb) < 4.5:
            rgb = [int(c * 0.9) for c in rgb]
        return "#" + "".join(f"{c:02x}" for c in rgb)


def _contrast_with_white(rgb: list[int]) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])
    return 1.05 / (luminance + 0.05)


def platform_address() -> tuple[str, str]:
    """(display name, address) of GALLERY_MAIL_FROM: the address every mail leaves from."""
    name, address = parseaddr(current_app.config["GALLERY"].mail_from)
    return display_name(name) or "Gallery", address or "no-reply@localhost"


def _address(name: str | None, email: str) -> Address:
    local, _, domain = email.strip().rpartition("@")
    if not local or not domain or _CONTROL.search(email):
        raise ValueError(f"not a mail address: {email!r}")
    return Address(display_name=display_name(name), username=local, domain=domain)


_URL = re.compile(r"https?://[^\s<>\"']+")


def paragraphs(text: str) -> list[Markup]:
    """Plain text as HTML paragraphs: escaped, line breaks kept, links clickable."""
    def linked(line: str) -> Markup:
        out, last = Markup(""), 0
        for match in _URL.finditer(line):
            url = match.group(0)
            out += escape(line[last:match.start()]) + Markup('<a href="%s">%s</a>') % (url, url)
            last = match.end()
        return out + escape(line[last:])

    blocks = [block.strip("\n") for block in re.split(r"\n\s*\n", text) if block.strip()]
    return [Markup("<br>\n").join(linked(line) for line in block.split("\n")) for block in blocks]


@dataclass
class Rendered:
    subject: str
    text: str
    html: str | None


def render(template: str, language: str, context: dict) -> Rendered:
    """Render `mail/<template>.txt` (and `.html` if present) in `language`."""
    env = current_app.jinja_env
    with force_locale(language):
        variables = {"lang": language, **context}
        module = env.get_template(f"mail/{template}.txt").make_module(variables)
        subject = " ".join(str(getattr(module, "subject", "")).split())
        text = str(module).strip() + "\n"
        try:
            html_template = env.get_template(f"mail/{template}.html")
        except TemplateNotFound:  # the plain text in the studio's frame
            html_template = env.get_template("mail/layout.html")
            variables["paragraphs"] = paragraphs(text)
        html = html_template.render(subject=subject, **variables)
    if not subject:
        raise ValueError(f"mail/{template}.txt sets no subject")
    return Rendered(subject, text, html)


def build(*, to: str, to_name: str | None, subject: str, text: str, html: str | None, language: str,
          brand: Brand | None, reply_to: str | None = None,
          headers: dict[str, str] | None = None) -> tuple[str, EmailMessage]:
    """(envelope sender, message): From "<studio> <platform address>", Reply-To the studio's contact
    (or `reply_to`: a mail to the photographer answers the client who caused it)."""
    platform_name, sender = platform_address()
    message = EmailMessage(policy=POLICY)
    message["From"] = _address((brand.name if brand else None) or platform_name, sender)
    message["To"] = _address(to_name, to)
    if reply_to:
        message["Reply-To"] = _address(None, reply_to)
    elif brand and brand.reply_to:
        message["Reply-To"] = _address(brand.name, brand.reply_to)
    message["Subject"] = display_name(subject, limit=300)
    message["Date"] = format_datetime(clock.now())
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "gallery.local")
    message["Auto-Submitted"] = "auto-generated"
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    message["Content-Language"] = language  # after set_content, which drops Content-* headers
    return sender, message
