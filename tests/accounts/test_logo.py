"""The studio's logo through the API: a real picture is re-encoded, stored through the storage layer and shown
on the client page, in the share API and in mail; anything else is refused with a reason and nothing stored."""
from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from gallery.accounts.branding import mail_brand
from gallery.extensions import db
from tests.plugins.problems import problem


def picture(size=(400, 200), fmt="PNG", mode="RGBA", colour=(20, 80, 160, 200)) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, colour if mode == "RGBA" else colour[:3]).save(out, fmt)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny, valid-looking PNG whose header declares a huge picture (a decompression bomb's shape)."""
    data = picture((1, 1), mode="RGB")
    ihdr = struct.pack(">II", width, height) + data[24:29]
    chunk = b"IHDR" + ihdr
    return data[:8] + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk)) + data[33:]


def upload(api, data: bytes, name="logo.png", content_type="image/png"):
    return api.put("/api/v1/me/logo", data={"file": (io.BytesIO(data), name, content_type)},
                   content_type="multipart/form-data")


def stored_logos(app, photographer) -> list[Path]:
    root = Path(app.config["GALLERY"].storage_dir) / "brand" / photographer.id
    return sorted(root.glob("*")) if root.exists() else []


def test_a_logo_is_re_encoded_stored_and_served_with_long_caching(app, make_photographer):
    photographer, api = make_photographer(studio_name="Northlight")
    answer = upload(api, picture((3000, 1000), fmt="JPEG", mode="RGB"), name="logo.jpg", content_type="image/jpeg")
    assert answer.status_code == 200, answer.json
    brand = answer.json
    assert brand["logo_uploaded"] is True and brand["logo_url"].startswith(f"/api/v1/logos/{photographer.id}?v=")
    served = app.test_client().get(brand["logo_url"])  # public: no credentials
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    image = Image.open(io.BytesIO(served.data))
    assert image.format == "PNG" and image.size == (1200, 400)  # fitted into 1200 x 600, proportions kept
    again = app.test_client().get(brand["logo_url"], headers={"If-None-Match": served.headers["ETag"]})
    assert again.status_code == 304
    assert len(stored_logos(app, photographer)) == 1

    # The mail shows it from the absolute address (mail is read elsewhere).
    db.session.expire_all()
    assert mail_brand(photographer).logo_url == app.config["GALLERY"].public_base_url.rstrip("/") + brand["logo_url"]


def test_a_new_logo_replaces_the_old_one_and_removing_it_shows_the_name(app, make_photographer, make_gallery,
                                                                        make_share_link):
    photographer, api = make_photographer(studio_name="Northlight")
    link = make_share_link(make_gallery(photographer, publish=True))
    first = upload(api, picture()).json["logo_url"]
    second = upload(api, picture(colour=(200, 30, 30, 255))).json["logo_url"]
    assert first != second
    assert [p.name for p in stored_logos(app, photographer)] == [f"logo-{second.split('v=')[1]}.png"]
    page = app.test_client().get(f"/g/{link.token}").get_data(as_text=True)
    assert second.replace("&", "&amp;") in page and first not in page
    share = app.test_client().get(f"/api/v1/share/{link.token}").json
    assert share["photographer"]["branding"]["logo_url"] == second

    assert api.delete("/api/v1/me/logo").status_code == 204
    assert stored_logos(app, photographer) == []
    problem(app.test_client().get(f"/api/v1/logos/{photographer.id}"), 404)
    page = app.test_client().get(f"/g/{link.token}").get_data(as_text=True)
    assert "studio-logo" not in page and "Northlight" in page


def test_an_uploaded_logo_survives_a_brand_patch_that_does_not_name_it(app, make_photographer):
    photographer, api = make_photographer()
    url = upload(api, picture()).json["logo_url"]
    assert api.patch("/api/v1/me", json={"branding": {"accent_color": "#1a4d2e"}}).status_code == 200
    assert api.get("/api/v1/me/brand").json["logo_url"] == url
    # The stored key is ours: no PATCH can point it elsewhere.
    answer = api.patch("/api/v1/me", json={"branding": {"logo_key": "originals/other/secret"}})
    assert problem(answer, 422)["errors"]


SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
       b'<script>alert(document.cookie)</script><rect width="100" height="100"/></svg>')


@pytest.mark.parametrize("data, name, reason", [
    (SVG, "logo.svg", "SVG is not accepted"),
    (b"<html><script>alert(1)</script></html>", "logo.png", "PNG, JPEG or WebP"),
    (b"%PDF-1.7\n" + b"0" * 2000, "logo.pdf", "PNG, JPEG or WebP"),
    (b"GIF89a" + b"\x00" * 100, "logo.gif", "PNG, JPEG or WebP"),
    (png_claiming(50_000, 50_000), "bomb.png", "at most 6000 on a side"),
    (png_claiming(5000, 5000), "big.png", "megapixels"),
    (picture((8, 8)), "tiny.png", "at least 32"),
    (picture()[:60], "cut.png", "truncated or damaged"),
    (b"", "empty.png", "empty"),
])
def test_what_is_not_a_usable_logo_is_refused_with_a_reason_and_nothing_is_stored(app, make_photographer, data, name,
                                                                                   reason):
    photographer, api = make_photographer()
    body = problem(upload(api, data, name=name), 422)
    assert reason in body["detail"] and body["errors"]["file"]
    assert stored_logos(app, photographer) == []
    db.session.expire_all()
    assert "logo_key" not in (photographer.branding or {})


def test_a_huge_logo_is_refused_from_its_length_before_it_is_read(app, make_photographer):
    photographer, api = make_photographer()
    body = problem(upload(api, b"\x89PNG\r\n\x1a\n" + b"\x00" * (3 * 1024 * 1024)), 413)
    assert body["max_bytes"] > 2 * 1024 * 1024
    # Just over the picture limit but inside the route's: refused too.
    problem(upload(api, b"\x89PNG\r\n\x1a\n" + b"\x00" * (2 * 1024 * 1024 + 10)), 413)
    assert stored_logos(app, photographer) == []


def test_the_logo_routes_refuse_malformed_and_unauthorised_requests(app, make_photographer):
    photographer, api = make_photographer()
    problem(api.put("/api/v1/me/logo", data=picture(), content_type="image/png"), 415)
    problem(api.put("/api/v1/me/logo", data={"other": "x"}, content_type="multipart/form-data"), 422)
    anonymous = app.test_client()
    problem(anonymous.put("/api/v1/me/logo", data={"file": (io.BytesIO(picture()), "l.png")},
                          content_type="multipart/form-data"), 401)
    problem(anonymous.delete("/api/v1/me/logo"), 401)
    problem(anonymous.get("/api/v1/me/brand"), 401)
    from gallery.accounts import services
    _, plain = services.issue_token(photographer, "website", ["read"])
    db.session.commit()
    from tests.conftest import ApiClient
    reader = ApiClient(app.test_client(), plain)
    assert reader.get("/api/v1/me/brand").status_code == 200
    problem(upload(reader, picture()), 403)
    problem(reader.delete("/api/v1/me/logo"), 403)
    # A cookie session must send its CSRF token.
    http = app.test_client()
    assert http.post("/api/v1/auth/login", json={"email": photographer.email,
                                                 "password": "correct horse battery"}).status_code == 200
    problem(http.put("/api/v1/me/logo", data={"file": (io.BytesIO(picture()), "l.png")},
                     content_type="multipart/form-data"), 403)
    # Unknown studios and hostile ids answer 404, never 500.
    for bad in ("nobody", "x" * 300, "..%2f..%2fetc", "%27%20OR%201=1"):
        assert anonymous.get(f"/api/v1/logos/{bad}").status_code in (400, 404)


@pytest.mark.parametrize("content_type, body", [
    ("multipart/form-data", b"garbage"),
    ("multipart/form-data; boundary=xyz", b"--xyz\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc"),
    ("multipart/form-data; boundary=", b"--\r\n"),
    ("image/svg+xml", b"<svg/>"),
])
def test_a_malformed_multipart_body_answers_4xx(make_photographer, content_type, body):
    _, api = make_photographer()
    answer = api.put("/api/v1/me/logo", data=body, headers={"Content-Type": content_type})
    assert 400 <= answer.status_code < 500 and answer.mimetype == "application/problem+json"
