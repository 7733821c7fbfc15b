"""S3 storage against an S3-compatible server over real HTTP (moto's server mode)."""
import io
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from gallery.core import clock
from gallery.storage import ObjectNotFound, get_storage
from gallery.storage.signing import signed_url
from tests.plugins.uploads import swapped_settings


def test_save_read_range_exists_delete(s3):
    big = bytes(range(256)) * 80_000  # 20 MB: boto3 switches to a multipart upload
    assert s3.save("originals/g1/p1", io.BytesIO(big), content_type="image/jpeg") == len(big)
    assert s3.size("originals/g1/p1") == len(big)
    assert b"".join(s3.iter_range("originals/g1/p1", 1000, 1010, chunk_size=4)) == big[1000:1010]
    with s3.open("originals/g1/p1") as body:
        assert body.read(5) == big[:5]
    assert s3.save_bytes("renditions/g1/p1/thumb.jpg", b"thumb") == 5
    assert s3.exists("renditions/g1/p1/thumb.jpg")
    s3.delete_prefix("renditions/g1/")
    assert not s3.exists("renditions/g1/p1/thumb.jpg") and s3.exists("originals/g1/p1")
    s3.delete("originals/g1/p1")
    with pytest.raises(ObjectNotFound):
        s3.open("originals/g1/p1")
    with pytest.raises(ObjectNotFound):
        s3.size("originals/g1/p1")


def test_signed_url_redirects_to_a_short_lived_presigned_get(s3, client):
    s3.save_bytes("renditions/g/p/thumb.jpg", b"jpeg bytes", content_type="image/jpeg")
    url = signed_url("renditions/g/p/thumb.jpg", expires_in=60)
    response = client.get(url)
    assert response.status_code == 302
    location = response.headers["Location"]
    query = parse_qs(urlparse(location).query)
    assert query["X-Amz-Expires"] == ["60"]
    fetched = httpx.get(location)
    assert fetched.status_code == 200 and fetched.content == b"jpeg bytes"
    # Our signature is still checked first: tampered and expired URLs never reach the bucket.
    assert client.get(url.replace("thumb", "large")).status_code == 403
    with clock.frozen(clock.now() + timedelta(seconds=61)):
        assert client.get(url).status_code == 410


def test_download_name_becomes_the_presigned_content_disposition(s3, client):
    s3.save_bytes("originals/g/p", b"raw")
    response = client.get(signed_url("originals/g/p", download_name="Bryllup Ås 001.jpg"))
    location = response.headers["Location"]
    disposition = parse_qs(urlparse(location).query)["response-content-disposition"][0]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''" in disposition
    fetched = httpx.get(location)
    assert fetched.content == b"raw" and fetched.headers["Content-Disposition"] == disposition


def test_renditions_may_be_served_from_a_cdn(app, s3, client):
    s3.save_bytes("renditions/g/p/preview.jpg", b"x")
    s3.save_bytes("originals/g/p", b"y")
    with swapped_settings(app, cdn_base_url="https://cdn.example.com/"):
        assert client.get(signed_url("renditions/g/p/preview.jpg")).headers["Location"] == \
            "https://cdn.example.com/renditions/g/p/preview.jpg"
        # Originals are never on the CDN.
        assert client.get(signed_url("originals/g/p")).headers["Location"].startswith(s3.client.meta.endpoint_url)


def test_missing_objects_answer_404(s3, client):
    assert client.get(signed_url("renditions/g/p/none.jpg")).status_code == 302  # S3 decides at fetch time
    assert httpx.get(client.get(signed_url("renditions/g/p/none.jpg")).headers["Location"]).status_code == 404


def test_presigned_put_and_multipart_over_http(s3):
    plan = s3.presigned_put("originals/g/direct", content_type="image/jpeg")
    assert httpx.put(plan["url"], content=b"direct bytes", headers=plan["headers"]).status_code == 200
    assert s3.size("originals/g/direct") == 12
    part = b"a" * (5 * 1024 * 1024)
    upload_id = s3.start_multipart("originals/g/multi")
    etags = []
    for number, data in [(1, part), (2, b"tail")]:
        response = httpx.put(s3.presigned_part("originals/g/multi", upload_id, number), content=data)
        etags.append({"part_number": number, "etag": response.headers["ETag"]})
    s3.complete_multipart("originals/g/multi", upload_id, list(reversed(etags)))
    assert s3.size("originals/g/multi") == len(part) + 4
    unfinished = s3.start_multipart("originals/g/abandoned")
    s3.abort_multipart("originals/g/abandoned", unfinished)
    s3.abort_multipart("originals/g/abandoned", unfinished)  # twice is fine


def test_the_backend_follows_the_settings(app, s3):
    from gallery.storage.s3 import S3Storage

    assert isinstance(get_storage(), S3Storage)


def test_transient_errors_are_told_apart(s3):
    from botocore.exceptions import ClientError, EndpointConnectionError

    from gallery.storage.s3 import is_transient

    assert is_transient(EndpointConnectionError(endpoint_url="http://x"))
    assert is_transient(ClientError({"Error": {"Code": "InternalError"}, "ResponseMetadata": {"HTTPStatusCode": 500}}, "Get"))
    assert not is_transient(ClientError({"Error": {"Code": "AccessDenied"}, "ResponseMetadata": {"HTTPStatusCode": 403}}, "Get"))
    assert not is_transient(ValueError("bad"))
