"""Fields of the studio's brand and website settings: addresses a client's browser will follow or a browser
will send, so each is held to the one form that is safe and useful (http(s) links only, a social link on its
own network, an origin exactly as browsers send it)."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from marshmallow import ValidationError, fields, validate

_CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")
_HANDLE = re.compile(r"^@?([A-Za-z0-9][A-Za-z0-9._-]{0,59})$")
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")

# network -> (hosts its profiles live on, the address of a profile given as @handle)
NETWORKS = {
    "instagram": (("instagram.com",), "https://www.instagram.com/{}"),
    "facebook": (("facebook.com", "fb.com", "fb.me"), "https://www.facebook.com/{}"),
    "pinterest": (("pinterest.com", "pinterest.co.uk", "pinterest.de", "pinterest.fr", "pinterest.ca",
                   "pinterest.com.au", "pinterest.es", "pinterest.it", "pinterest.pt", "pinterest.jp"),
                  "https://www.pinterest.com/{}"),
    "tiktok": (("tiktok.com",), "https://www.tiktok.com/@{}"),
    "youtube": (("youtube.com", "youtu.be"), "https://www.youtube.com/@{}"),
    "vimeo": (("vimeo.com",), "https://vimeo.com/{}"),
    "linkedin": (("linkedin.com",), "https://www.linkedin.com/in/{}"),
}


class WebUrl(fields.Url):
    """An http or https address with a host name (javascript:, data:, ftp: and bare words are refused)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("validate", validate.Length(max=500))
        super().__init__(schemes={"http", "https"}, **kwargs)


class SenderName(fields.String):
    """A display name for the From header: one line, no angle brackets, at most 78 characters."""

    def __init__(self, **kwargs):
        kwargs.setdefault("validate", validate.Length(min=1, max=78))
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        raw = super()._deserialize(value, attr, data, **kwargs)
        name = " ".join(raw.split())
        if _CONTROL.search(raw) or any(c in name for c in "<>\""):
            raise ValidationError("One line of text, without < > or quotes.")
        if not name:
            raise ValidationError("Give a name or leave it empty.")
        return name


class SocialLink(fields.String):
    """A profile on one network: its full address there (https://www.instagram.com/name) or @name."""

    def __init__(self, network: str, **kwargs):
        self.network = network
        kwargs.setdefault("validate", validate.Length(max=500))
        kwargs.setdefault("metadata", {"description": f"A {network} profile: its address or @handle."})
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        hosts, pattern = NETWORKS[self.network]
        handle = _HANDLE.match(text)
        if handle:
            return pattern.format(handle.group(1))
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
        if parts.scheme not in {"http", "https"} or not any(host == h or host.endswith("." + h) for h in hosts):
            raise ValidationError(f"Give the profile's address on {hosts[0]} or @name.")
        if parts.username or parts.password or _CONTROL.search(text):
            raise ValidationError("Not a profile address.")
        return text


class Origin(fields.String):
    """An origin as a browser sends it: scheme, host and port only, e.g. https://www.example.com.
    Stored normalised (lower case, no default port, no trailing slash), so it matches the Origin header."""

    def __init__(self, **kwargs):
        kwargs.setdefault("validate", validate.Length(max=200))
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if _CONTROL.search(text) or " " in text:
            raise ValidationError("An origin such as https://www.example.com.")
        parts = urlsplit(text)
        scheme = parts.scheme.lower()
        if scheme not in {"http", "https"}:
            raise ValidationError("An origin starts with https:// (or http://).")
        if parts.path not in ("", "/") or parts.query or parts.fragment or "?" in text or "#" in text:
            raise ValidationError("Only the site's origin: no path, query or fragment (https://www.example.com).")
        if parts.username is not None or parts.password is not None:
            raise ValidationError("An origin holds no user name or password.")
        try:
            port = parts.port
            host = (parts.hostname or "").encode("idna").decode("ascii").lower()
        except (ValueError, UnicodeError):
            raise ValidationError("Not a valid host name or port.") from None
        if not (_HOST.match(host) or host == "::1"):
            raise ValidationError("Not a valid host name.")
        if port is not None and port == {"https": 443, "http": 80}[scheme]:
            port = None
        host = f"[{host}]" if ":" in host else host
        return f"{scheme}://{host}" + (f":{port}" if port is not None else "")
