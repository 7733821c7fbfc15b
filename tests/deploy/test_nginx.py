"""The shipped nginx site (deploy/nginx/gallery.conf.template) run for real: Debian's nginx in front of
gunicorn with the shipped configuration, both on loopback high ports, started by the test."""
import http.client
import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from gallery.extensions import db

pytestmark = pytest.mark.postgres_only
DEMO = Path(__file__).resolve().parent.parent.parent / "gallery" / "demo_photos" / "DSCN0010.jpg"


def _request(base: str, method: str, path: str, *, body=None, headers=None, source: str | None = None):
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30,
                                            source_address=(source, 0) if source else None)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, data


def _multipart(filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = "gallery-test-boundary-0123456789"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
            f"Content-Type: image/jpeg\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def _app_log_line(log: Path, request_id: str) -> dict:
    for line in log.read_text().splitlines():
        if line.startswith("{") and request_id in line:
            record = json.loads(line)
            if record.get("logger") == "gallery.access" and record.get("request_id") == request_id:
                return record
    raise AssertionError(f"no access log line with request id {request_id}")


def test_nginx_in_front_of_gunicorn(app, database_backend, tmp_path, make_photographer, make_gallery, make_photo,
                                    make_share_link):
    if database_backend != "postgresql":
        pytest.skip("the proxy path does not depend on the database: run once, on PostgreSQL as deployed")
    from gallery.storage.signing import signed_url
    from tests.plugins.serving import gunicorn_server, nginx_server
    from tests.plugins.uploads import swapped_settings

    photographer, api = make_photographer()
    gallery = make_gallery(photographer, publish=True)
    gallery.download_policy = {"client": "full", "guest": "none"}
    original = os.urandom(300_000)
    photo = make_photo(gallery, filename="DSC_0001.jpg", data=original)
    link = make_share_link(gallery)
    db.session.commit()
    token, gallery_id, bearer = link.token, gallery.id, api.token
    file_path = signed_url(photo.storage_key)

    with swapped_settings(app, storage_send_header="X-Accel-Redirect", trusted_proxies=1) as settings, \
            gunicorn_server(app, tmp_path, workers=2, env={"GALLERY_ENV": "development"}) as web, \
            nginx_server(tmp_path, upstream_port=web.port, storage_dir=settings.storage_dir, max_body="1m") as proxy:
        # X-Accel-Redirect: the app authorises and names the file; nginx sends its bytes.
        status, headers, body = _request(web.base, "GET", file_path)
        assert status == 200 and headers["x-accel-redirect"] == f"/protected/{photo.storage_key}" and body == b""
        status, headers, body = _request(proxy, "GET", file_path)
        assert status == 200 and body == original and "x-accel-redirect" not in headers
        assert _request(proxy, "GET", f"/protected/{photo.storage_key}")[0] == 404  # internal only

        # The client's address as the proxy saw it; what the client claimed before that is ignored.
        status, headers, _ = _request(proxy, "GET", f"/api/v1/share/{token}",
                                      headers={"X-Forwarded-For": "6.6.6.6"}, source="127.0.0.2")
        assert status == 200
        request_id = headers["x-request-id"]
        assert len(request_id) == 32 and "," not in request_id  # nginx's id, passed to the app and echoed once
        logged = _app_log_line(web.log, request_id)
        assert logged["remote_addr"] == "127.0.0.2" and logged["route"] == "/api/v1/share/<token>"

        # Upload size: nginx refuses bodies over its limit before the app sees them; smaller ones stream through.
        auth = {"Authorization": f"Bearer {bearer}"}
        big, content_type = _multipart("big.jpg", os.urandom(2 * 1024 * 1024))
        status, _, _ = _request(proxy, "POST", f"/api/v1/galleries/{gallery_id}/photos", body=big,
                                headers={**auth, "Content-Type": content_type})
        assert status == 413
        small, content_type = _multipart("DSCN0010.jpg", DEMO.read_bytes())
        status, _, data = _request(proxy, "POST", f"/api/v1/galleries/{gallery_id}/photos", body=small,
                                   headers={**auth, "Content-Type": content_type})
        assert status == 201, data

        # A zip streams through the zip location whole, with its exact length.
        status, headers, data = _request(proxy, "GET", f"/api/v1/share/{token}/download.zip?size=original")
        assert status == 200 and int(headers["content-length"]) == len(data)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert archive.testzip() is None
            assert archive.read("DSC_0001.jpg") == original

        # Metrics are not for the world: through the proxy they need the token.
        assert _request(proxy, "GET", "/metrics")[0] == 403
        assert _request(web.base, "GET", "/metrics")[0] == 200
