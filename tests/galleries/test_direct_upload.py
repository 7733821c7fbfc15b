"""Direct uploads to S3 (presigned PUT and multipart over real HTTP), processed by RQ workers."""
import io

import httpx
from PIL import Image

from gallery.galleries.models import Photo
from tests.plugins.uploads import PHOTOS, refresh_photo, run_worker_burst, sha256_of, swapped_settings, upload

PORTRAIT = PHOTOS / "portrait_6.jpg"


def plan(api, gallery_id, data: bytes, filename="photo.jpg", **extra):
    return api.post(f"/api/v1/galleries/{gallery_id}/uploads", json={
        "filename": filename, "bytes": len(data), "sha256": sha256_of(data), "content_type": "image/jpeg", **extra})


def test_single_put_then_complete_then_worker_makes_renditions(app, s3, rq_redis, make_photographer, make_gallery):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    data = PORTRAIT.read_bytes()
    answer = plan(api, gallery.id, data, filename="IMG_0006.jpg")
    assert answer.status_code == 201, answer.json
    photo, steps = answer.json["photo"], answer.json["plan"]
    assert photo["status"] == "uploading" and steps["strategy"] == "put"
    assert steps["complete_url"] == f"/api/v1/galleries/{gallery.id}/uploads/{photo['id']}/complete"
    # Completing before the bytes are there is refused, and loses nothing.
    early = api.post(steps["complete_url"], json={})
    assert early.status_code == 409 and refresh_photo(photo["id"]).status == "uploading"

    assert httpx.put(steps["url"], content=data, headers=steps["headers"]).status_code == 200
    done = api.post(steps["complete_url"], json={})
    assert done.status_code == 200 and done.json["status"] == "processing"
    assert api.post(steps["complete_url"], json={}).json["status"] == "processing"  # retried call: same answer
    run_worker_burst(rq_redis)

    listed = api.get(f"/api/v1/galleries/{gallery.id}/photos").json["items"]
    assert [p["status"] for p in listed] == ["ready"]
    ready = listed[0]
    assert ready["height"] > ready["width"]  # portrait after EXIF orientation
    renditions = {(r["name"], r["format"]): r for r in ready["renditions"]}
    for name, edge in [("large", 2048), ("preview", 1200), ("thumb", 400)]:
        rendition = renditions[(name, "jpeg")]
        assert rendition["height"] == min(edge, ready["height"])
        redirect = api.raw.get(rendition["url"])
        assert redirect.status_code == 302
        image = Image.open(io.BytesIO(httpx.get(redirect.headers["Location"]).content))
        assert image.size == (rendition["width"], rendition["height"])
    assert s3.exists(refresh_photo(photo["id"]).storage_key)


def test_multipart_direct_upload(app, s3, rq_redis, make_photographer, make_gallery):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    # A real photo padded past 5 MiB (JPEG decoders ignore bytes after the end marker).
    data = (PHOTOS / "landscape_3.jpg").read_bytes() + b"\0" * (6 * 1024 * 1024)
    five_mib = 5 * 1024 * 1024
    with swapped_settings(app, direct_upload_multipart_threshold=five_mib, direct_upload_part_size=five_mib):
        answer = plan(api, gallery.id, data)
        steps = answer.json["plan"]
        assert answer.status_code == 201 and steps["strategy"] == "multipart"
        assert [p["bytes"] for p in steps["parts"]] == [five_mib, len(data) - five_mib]
        assert api.post(steps["complete_url"], json={}).status_code == 422  # parts are required
        parts = []
        for part in steps["parts"]:
            start = (part["part_number"] - 1) * steps["part_size"]
            response = httpx.put(part["url"], content=data[start:start + part["bytes"]])
            parts.append({"part_number": part["part_number"], "etag": response.headers["ETag"]})
        wrong = api.post(steps["complete_url"], json={"parts": [{"part_number": 1, "etag": '"nope"'}]})
        assert wrong.status_code == 422
        done = api.post(steps["complete_url"], json={"parts": parts})
        assert done.status_code == 200, done.json
    run_worker_burst(rq_redis)
    photo = refresh_photo(answer.json["photo"]["id"])
    assert photo.status == "ready" and photo.bytes == len(data) and photo.upload_id is None
    assert s3.size(photo.storage_key) == len(data)


def test_wrong_size_and_wrong_content_are_caught(app, s3, rq_redis, make_photographer, make_gallery):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    data = PORTRAIT.read_bytes()
    short = plan(api, gallery.id, data).json
    httpx.put(short["plan"]["url"], content=data[:-10], headers=short["plan"]["headers"])
    refused = api.post(short["plan"]["complete_url"], json={})
    assert refused.status_code == 422 and "announced" in refused.json["detail"]
    assert refresh_photo(short["photo"]["id"]).status == "failed"

    other = (PHOTOS / "portrait_7.jpg").read_bytes()
    swapped = plan(api, gallery.id, other).json
    tampered = bytearray(other)
    tampered[-3] ^= 0xFF  # same size, different bytes
    httpx.put(swapped["plan"]["url"], content=bytes(tampered), headers=swapped["plan"]["headers"])
    assert api.post(swapped["plan"]["complete_url"], json={}).status_code == 200
    run_worker_burst(rq_redis)
    photo = refresh_photo(swapped["photo"]["id"])
    assert photo.status == "failed" and "sha256" in photo.failure_reason


def test_duplicates_and_limits(app, s3, rq_redis, make_photographer, make_gallery):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    data = PORTRAIT.read_bytes()
    through_app = upload(api, gallery.id, PORTRAIT)
    assert through_app.status_code == 201 and through_app.json["photo"]["status"] == "processing"
    duplicate = plan(api, gallery.id, data)
    assert duplicate.status_code == 200 and duplicate.json["duplicate"] is True
    assert duplicate.json["photo"]["id"] == through_app.json["photo"]["id"] and duplicate.json["plan"] is None
    too_big = api.post(f"/api/v1/galleries/{gallery.id}/uploads", json={
        "filename": "x.jpg", "bytes": app.config["GALLERY"].max_upload_bytes + 1, "sha256": "a" * 64})
    assert too_big.status_code == 413
    bad_type = plan(api, gallery.id, b"xyz", content_type="application/pdf")
    assert bad_type.status_code == 422 and "content_type" in bad_type.json["errors"]
    # An interrupted upload (never completed) is replaced by the next attempt of the same file.
    other = (PHOTOS / "portrait_8.jpg").read_bytes()
    first = plan(api, gallery.id, other).json["photo"]["id"]
    second = plan(api, gallery.id, other)
    assert second.status_code == 201 and second.json["photo"]["id"] != first
    assert refresh_photo(first) is None
    assert api.post(f"/api/v1/galleries/{gallery.id}/uploads/{first}/complete", json={}).status_code == 404
    from gallery.extensions import db

    assert db.session.scalar(db.select(db.func.count(Photo.id))) == 2
