"""The client's address behind reverse proxies (GALLERY_TRUSTED_PROXIES).

Exactly that many hops of X-Forwarded-For/-Proto/-Host are believed; anything a client put before them is
ignored, so a client cannot pick its own rate-limit bucket. With 0 (the default) nothing is believed.
"""
from __future__ import annotations

from werkzeug.middleware.proxy_fix import ProxyFix


def install(app, trusted_proxies: int) -> None:
    if trusted_proxies and not isinstance(app.wsgi_app, ProxyFix):
        n = trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=0, x_prefix=0)
