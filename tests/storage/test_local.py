import io
from datetime import timedelta

import pytest

from gallery.core import clock
from gallery.storage import ObjectNotFound, get_storage
from gallery.storage.signing import register_scope_check, signed_url


def test_save_read_range_delete(app):
    storage = get_storage()
    assert storage.save("originals/g1/p1", io.BytesIO(b"0123456789")) == 10
    assert storage.size("originals/g1/p1") == 10
    assert b"".join(storage.iter_range("originals/g1/p1", 2, 6, chunk_size=3)) == b"2345"
    storage.delete_prefix("originals/g1/")
    assert not storage.exists("originals/g1/p1")
    with pytest.raises(ObjectNotFound):
        storage.open("originals/g1/p1")


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs", "a/../../b", ""])
def test_unsafe_keys_are_refused(app, key):
    with pytest.raises(ValueError):
        get_storage().path(key)


def test_signed_urls_work_until_they_expire(app, client):
    get_storage().save_bytes("renditions/g/p/thumb.jpg", b"jpeg bytes")
    url = signed_url("renditions/g/p/thumb.jpg", expires_in=60)
    response = client.get(url)
    assert response.status_code == 200 and response.data == b"jpeg bytes"
    assert client.get(url.replace("thumb", "large")).status_code == 403
    assert client.get(url[:-3] + "abc").status_code == 403
    assert client.get("/files/renditions/g/p/thumb.jpg").status_code == 403
    with clock.frozen(clock.now() + timedelta(seconds=61)):
        expired = client.get(url)
    assert expired.status_code == 410 and expired.mimetype == "application/problem+json"


def test_scoped_urls_stop_when_the_scope_ends(app, client):
    allowed = {"yes"}
    register_scope_check("test", lambda value: value in allowed)
    get_storage().save_bytes("renditions/g/p/preview.jpg", b"x")
    url = signed_url("renditions/g/p/preview.jpg", scope="test:yes")
    assert client.get(url).status_code == 200
    allowed.clear()
    assert client.get(url).status_code == 410


def test_download_name_sets_a_safe_content_disposition(app, client):
    get_storage().save_bytes("originals/g/p", b"raw")
    response = client.get(signed_url("originals/g/p", download_name='Bryllup "Ås"/../DSC_0001.jpg'))
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and ".." not in disposition.split("filename*=")[0]
    assert "filename*=UTF-8''" in disposition
