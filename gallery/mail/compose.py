"""Building one mail: the studio-branded sender, the template in the recipient's language, the bytes.

A mail is rendered from `templates/mail/<name>.txt` (plain text; it sets the subject with
`{% set subject %}...{% endset %}`) and, when it exists, `templates/mail/<name>.html` (which extends
`mail/layout.html`: the studio's name, logo and accent colour in the header).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
import binascii
import secrets
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.policy import Compat32
from email.utils import format_datetime, formataddr, make_msgid, parseaddr

from flask import current_app
from flask_babel import force_locale
from jinja2 import TemplateNotFound
from markupsafe import Markup, escape

from gallery.core import clock
from gallery.core.colours import readable_accent
from gallery.core.locales import LANGUAGES as core_languages, language_or_default

LANGUAGES = tuple(core_languages)
# RFC 5322 allows 998-character lines: a long List-Unsubscribe URL stays one line (a folded one is an
# encoded-word no mail client reads as a URL). CRLF line ends, ASCII headers (RFC 2047 for the rest),
# UTF-8 bodies in quoted-printable.
_FOLD = "\r\n "  # a header's continuation line


class _Policy(Compat32):
    """compat32 with CRLF and 998-character lines; a header that is already one short ASCII line (every header
    we set but an encoded non-ASCII subject or name) is written as it is, without the Header object compat32
    builds to fold each one (the same bytes, a third of the cost of a mail)."""

    def _fold(self, name, value, sanitize):
        if isinstance(value, str) and value.isascii():
            lines = value.split(_FOLD)  # encoded words, already folded by _header_text
            if (all("\n" not in line and "\r" not in line for line in lines)
                    and len(name) + 2 + max(len(line) for line in lines) <= self.max_line_length):
                return f"{name}: {value}{self.linesep}"
        return super()._fold(name, value, sanitize)


POLICY = _Policy(linesep="\r\n", max_line_length=998)
_CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")
DEFAULT_ACCENT = "#222222"


def mail_language(tag: str | None) -> str:
    """The catalog for a language tag (nb-NO -> nb, no -> nb); English when we have none."""
    return language_or_default(tag)


def display_name(name: str | None, limit: int = 78) -> str:
    """A display name safe for a header: no CR, LF or other control characters, spaces collapsed."""
    return " ".join(_CONTROL.sub(" ", name or "").split())[:limit].strip()


@dataclass(frozen=True)
class Brand:
    """Who a mail is from: the studio's sender name, else its name (the From display name; the address stays
    the platform's, for SPF and DKIM), where replies go, and what the header shows. Built from the studio's
    brand by gallery.accounts.branding.mail_brand."""

    name: str
    reply_to: str | None = None
    logo_url: str | None = None
    accent: str | None = None
    phone: str | None = None
    website: str | None = None
    sender_name: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def accent_colour(self) -> str:
        """The accent as #rrggbb, kept readable by the one rule the client page uses (gallery.core.colours)."""
        return readable_accent(self.accent, default=DEFAULT_ACCENT)

    @property
    def from_name(self) -> str:
        """The From display name: the studio's sender name for mail, else its name."""
        return display_name(self.sender_name) or self.name


def platform_address() -> tuple[str, str]:
    """(display name, address) of GALLERY_MAIL_FROM: the address every mail leaves from."""
    name, address = parseaddr(current_app.config["GALLERY"].mail_from)
    return display_name(name) or "Gallery", address or "no-reply@localhost"


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
          headers: dict[str, str] | None = None) -> tuple[str, bytes]:
    """(envelope sender, RFC 5322 bytes): From "<studio> <platform address>", Reply-To the studio's contact
    (or `reply_to`: a mail to the photographer answers the client who caused it).

    Built with the compat32 MIME classes, about four times cheaper than EmailMessage's header objects;
    every value that reaches a header is checked first (names cleaned of control characters, addresses
    refused if they hold any), so no header can be injected."""
    platform_name, sender = platform_address()
    if html:
        # "=_" never occurs in quoted-printable text ("=" is always encoded there): a boundary that cannot clash,
        # so the generator need not search both parts for one.
        message = MIMEMultipart("alternative", boundary=f"=_{secrets.token_hex(16)}")
        message.attach(_text_part(text, "plain"))
        message.attach(_text_part(html, "html"))
    else:
        message = _text_part(text, "plain")
    del message["MIME-Version"]  # once (the multipart container already carried one)
    message["MIME-Version"] = "1.0"
    message["From"] = _mailbox((brand.from_name if brand else None) or platform_name, sender)
    message["To"] = _mailbox(to_name, to)
    if reply_to:
        message["Reply-To"] = _mailbox(None, reply_to)
    elif brand and brand.reply_to:
        message["Reply-To"] = _mailbox(brand.from_name, brand.reply_to)
    message["Subject"] = _header_text(display_name(subject, limit=300))
    message["Date"] = format_datetime(clock.now())
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "gallery.local")
    message["Auto-Submitted"] = "auto-generated"
    message["Content-Language"] = language
    for name, value in (headers or {}).items():
        if _CONTROL.search(name) or _CONTROL.search(value):
            raise ValueError(f"header {name!r} holds a control character")
        message[name] = value
    return sender, message.as_bytes(policy=POLICY)


def _text_part(body: str, subtype: str) -> MIMENonMultipart:
    """UTF-8 in quoted-printable, encoded by binascii in C (the email package's own encoder is pure Python)."""
    part = MIMENonMultipart("text", subtype, charset="utf-8")
    part["Content-Transfer-Encoding"] = "quoted-printable"
    part.set_payload(binascii.b2a_qp(body.encode("utf-8")).decode("ascii"))
    del part["MIME-Version"]
    return part


def _mailbox(name: str | None, email: str) -> str:
    email = email.strip()
    local, _, domain = email.rpartition("@")
    if not local or not domain or _CONTROL.search(email) or any(c in email for c in " <>,;\"\\"):
        raise ValueError(f"not a mail address: {email!r}")
    return formataddr((display_name(name), email), charset="utf-8")


_WORD_BYTES = 36  # UTF-8 bytes per encoded word: 60 characters with its =?utf-8?b?...?= frame


def _header_text(value: str) -> str:
    """ASCII as it is; anything else as RFC 2047 encoded words (base64 of whole UTF-8 characters), one per line
    so every line stays under 76 characters."""
    if value.isascii():
        return value
    words, chunk = [], b""
    for character in value:
        encoded = character.encode("utf-8")
        if len(chunk) + len(encoded) > _WORD_BYTES:
            words.append(chunk)
            chunk = b""
        chunk += encoded
    words.append(chunk)
    return _FOLD.join(f"=?utf-8?b?{binascii.b2a_base64(word, newline=False).decode('ascii')}?=" for word in words)
