"""Key rotation: after GALLERY_SECRET_KEY changes, everything signed with the old key (sessions, CSRF
tokens, object URLs, unlock and visitor tokens, unsubscribe links, one-time codes) keeps working while
the old key is in GALLERY_SECRET_KEY_FALLBACKS, and stops when it is dropped."""
from contextlib import contextmanager
from dataclasses import replace

import pytest

from gallery.core.passwords import hash_password
from gallery.errors import Problem
from gallery.extensions import db

OLD = "test-secret-key-that-is-long-enough-0123456789"
NEW = "the-rotated-secret-key-also-long-enough-9876543210"


@contextmanager
def keys(app, current, fallbacks=()):
    """Run the app with these keys, as a restart with new GALLERY_SECRET_KEY(_FALLBACKS) would."""
    saved = {name: app.config[name] for name in ("SECRET_KEY", "SECRET_KEY_FALLBACKS", "WTF_CSRF_SECRET_KEY",
                                                 "GALLERY")}
    app.config.update(SECRET_KEY=current, SECRET_KEY_FALLBACKS=list(fallbacks),
                      WTF_CSRF_SECRET_KEY=[*reversed(fallbacks), current],
                      GALLERY=replace(app.config["GALLERY"], secret_key=current,
                                      secret_key_fallbacks=list(fallbacks)))
    try:
        yield
    finally:
        app.config.update(saved)


def test_settings_read_fallbacks_from_the_environment():
    from gallery.config import ConfigError, Settings

    settings = Settings.from_env({"GALLERY_SECRET_KEY": NEW, "GALLERY_SECRET_KEY_FALLBACKS": f"{OLD}, older-key-0123456789"})
    assert settings.secret_key_fallbacks == [OLD, "older-key-0123456789"]
    with pytest.raises(ConfigError, match="GALLERY_SECRET_KEY_FALLBACKS"):
        Settings.from_env({"GALLERY_SECRET_KEY_FALLBACKS": "short"})


def test_rotating_the_key_keeps_old_links_valid_until_the_fallback_is_dropped(
        app, make_photographer, make_gallery, make_photo, make_share_link, identify_visitor):
    from gallery.retention import tokens
    from gallery.storage.signing import signed_url

    photographer, _ = make_photographer(email="rotate@example.com", password="correct horse battery")
    gallery = make_gallery(photographer, publish=True)
    photo = make_photo(gallery)
    locked = make_share_link(gallery)
    locked.password_hash = hash_password("sesame")
    db.session.commit()
    open_link = make_share_link(gallery)

    # Everything signed with the old key.
    browser = app.test_client()
    login = browser.post("/api/v1/auth/login", json={"email": "rotate@example.com", "password": "correct horse battery"})
    assert login.status_code == 200, login.json
    csrf = login.json["csrf_token"]
    file_url = signed_url(photo.storage_key)
    unlock = app.test_client().post(f"/api/v1/share/{locked.token}/unlock", json={"password": "sesame"}).json["unlock_token"]
    visitor_token = identify_visitor(open_link, "kari@example.no")
    unsubscribe = tokens.sign("unsubscribe", "message-id-1")

    def all_valid() -> dict:
        fresh = app.test_client()
        return {
            "session": browser.get("/api/v1/me").status_code == 200,
            "csrf": browser.post("/api/v1/clients", json={"name": "Kari"}, headers={"X-CSRF-Token": csrf}).status_code == 201,
            "object url": fresh.get(file_url).status_code == 200,
            "unlock": fresh.get(f"/api/v1/share/{locked.token}", headers={"X-Share-Unlock": unlock}).json["locked"] is False,
            "visitor": fresh.get(f"/api/v1/share/{open_link.token}",
                                 headers={"Authorization": f"Bearer {visitor_token}"}).json.get("visitor") is not None,
            "unsubscribe": _verifies(tokens, unsubscribe),
        }

    assert all(all_valid().values()), all_valid()
    with keys(app, NEW, [OLD]):
        assert all_valid() == dict.fromkeys(all_valid(), True)
        # New signatures use the new key: they verify without the fallback.
        new_url = signed_url(photo.storage_key)
        new_unsubscribe = tokens.sign("unsubscribe", "message-id-1")
    with keys(app, NEW):
        assert not any(all_valid().values()), all_valid()
        assert app.test_client().get(new_url).status_code == 200
        assert _verifies(tokens, new_unsubscribe)


def _verifies(tokens, token) -> bool:
    try:
        return tokens.verify("unsubscribe", token) == "message-id-1"
    except Problem:
        return False
