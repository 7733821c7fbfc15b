"""Uploads through the app (multipart, streamed), inline processing, listing, changes, deletion."""
import io

from PIL import Image

from gallery.extensions import db
from gallery.galleries.models import Photo, Rendition
from gallery.storage import get_storage
from tests.plugins.uploads import PHOTOS, refresh_photo, sha256_of, swapped_settings, upload

LANDSCAPE = PHOTOS / "landscape_1.jpg"


def test_upload_processes_inline_and_serves_renditions(make_photographer, make_gallery):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    data = LANDSCAPE.read_bytes()
    response = upload(api, gallery.id, LANDSCAPE, sha256=sha256_of(data))
    assert response.status_code == 201, response.json
    photo = response.json["photo"]
    assert response.json["duplicate"] is False
    assert photo["status"] == "ready" and photo["failure_reason"] is None
    assert photo["sha256"] == sha256_of(data) and photo["bytes"] == len(data)
    assert photo["original_filename"] == "landscape_1.jpg" and photo["content_type"] == "image/jpeg"
    assert photo["width"] > photo["height"] > 0
    renditions = {(r["name"], r["format"]): r for r in photo["renditions"]}
    assert {("large", "jpeg"), ("preview", "jpeg"), ("thumb", "jpeg")} <= set(renditions)
    for (name, fmt), rendition in renditions.items():
        assert max(rendition["width"], rendition["height"]) <= {"large": 2048, "preview": 1200, "thumb": 400}[name]
        fetched = api.raw.get(rendition["url"])
        assert fetched.status_code == 200, rendition["url"]
        image = Image.open(io.BytesIO(fetched.data))
        assert image.size == (rendition["width"], rendition["height"]) and image.format.lower() == fmt
        assert len(fetched.data) == rendition["bytes"]
    thumb = renditions[("thumb", "jpeg")]
    assert thumb["width"] == 400  # landscape: the long edge is the width
    # The original is stored under a key of ours, not the file name.
    stored = db.session.get(Photo, photo["id"])
    assert stored.storage_key == f"originals/{gallery.id}/{photo['id']}"
    assert get_storage().size(stored.storage_key) == len(data)


def test_same_file_twice_is_a_duplicate_not_a_second_copy(make_photographer, make_gallery):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    first = upload(api, gallery.id, LANDSCAPE)
    again = upload(api, gallery.id, LANDSCAPE, filename="renamed.jpg")
    assert again.status_code == 200 and again.json["duplicate"] is True
    assert again.json["photo"]["id"] == first.json["photo"]["id"]
    assert db.session.scalar(db.select(db.func.count(Photo.id))) == 1
    # Another gallery may hold the same file.
    other = make_gallery(photographer)
    assert upload(api, other.id, LANDSCAPE).status_code == 201


def test_a_wrong_sha256_is_refused_and_nothing_is_stored(make_photographer, make_gallery):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    response = upload(api, gallery.id, LANDSCAPE, sha256="0" * 64)
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert "sha256" in response.json["errors"]
    assert response.json["received_sha256"] == sha256_of(LANDSCAPE.read_bytes())
    assert db.session.scalar(db.select(db.func.count(Photo.id))) == 0
    assert upload(api, gallery.id, LANDSCAPE, sha256="not-hex").status_code == 422


def test_files_that_are_not_images_end_failed_with_a_reason(make_photographer, make_gallery):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    cases = {
        "empty.jpg": b"",
        "notes.jpg": b"these are not the pixels you are looking for\n" * 20,
        "animation.jpg": b"GIF89a" + b"\x00" * 200,  # a GIF dressed as a JPEG
    }
    for name, data in cases.items():
        response = upload(api, gallery.id, data, filename=name)
        assert response.status_code == 201, response.json
        photo = response.json["photo"]
        assert photo["status"] == "failed", name
        assert photo["failure_reason"] and "Traceback" not in photo["failure_reason"]
        assert not get_storage().exists(db.session.get(Photo, photo["id"]).storage_key)
    assert "empty" in upload(api, gallery.id, b"", filename="again.jpg").json["photo"]["failure_reason"]


def test_a_rejected_file_uploaded_again_is_the_same_photo(make_photographer, make_gallery):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    first = upload(api, gallery.id, b"nope", filename="x.jpg").json["photo"]
    second = upload(api, gallery.id, b"nope", filename="x.jpg")
    assert second.status_code == 200 and second.json["duplicate"] and second.json["photo"]["id"] == first["id"]


def test_a_file_that_failed_in_processing_uploaded_again_replaces_it(make_photographer, make_gallery):
    from gallery.galleries.processing import INTERNAL_FAILURE

    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    first = upload(api, gallery.id, PHOTOS / "landscape_2.jpg").json["photo"]
    db.session.execute(db.update(Photo).where(Photo.id == first["id"]).values(status="failed",
                                                                              failure_reason=INTERNAL_FAILURE))
    db.session.commit()
    second = upload(api, gallery.id, PHOTOS / "landscape_2.jpg")
    assert second.status_code == 201 and second.json["photo"]["id"] != first["id"]
    assert db.session.get(Photo, first["id"]) is None


def test_two_racing_uploads_of_one_rejected_file_share_one_photo(app, make_photographer, make_gallery):
    import threading

    photographer, api = make_photographer()
    gallery_id = make_gallery(photographer).id
    barrier = threading.Barrier(2)
    answers = []

    def send():
        barrier.wait()
        answers.append(upload(api, gallery_id, b"not a picture at all", filename="x.jpg"))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    ids = {answer.json["photo"]["id"] for answer in answers}
    assert len(ids) == 1 and all(answer.status_code in (200, 201) for answer in answers)
    assert api.get(f"/api/v1/galleries/{gallery_id}/photos").json["items"][0]["id"] in ids


def test_an_upload_whose_row_is_refused_leaves_nothing_in_storage(app, make_photographer, make_gallery):
    from sqlalchemy import text

    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("CREATE FUNCTION refuse_photo() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                                "RAISE EXCEPTION 'refused' USING ERRCODE = 'check_violation'; END $$"))
        db.session.execute(text("CREATE TRIGGER refuse_photo BEFORE INSERT ON photos FOR EACH ROW "
                                "EXECUTE FUNCTION refuse_photo()"))
    else:
        db.session.execute(text("CREATE TRIGGER refuse_photo BEFORE INSERT ON photos "
                                "BEGIN SELECT RAISE(ABORT, 'refused'); END"))
    db.session.commit()
    try:
        response = upload(api, gallery.id, PHOTOS / "landscape_2.jpg")
        assert 400 <= response.status_code < 500 and response.mimetype == "application/problem+json"
        originals = get_storage().path(f"originals/{gallery.id}")
        assert not originals.exists() or not any(originals.iterdir())
    finally:
        db.session.rollback()
        db.session.execute(text("DROP TRIGGER refuse_photo" + (" ON photos" if db.engine.dialect.name == "postgresql"
                                                                 else "")))
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("DROP FUNCTION refuse_photo()"))
        db.session.commit()


def test_bad_requests(make_photographer, make_gallery, app):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    url = f"/api/v1/galleries/{gallery.id}/photos"
    assert api.post(url, json={"file": "x"}).status_code == 415
    no_file = api.post(url, data={"sha256": "0" * 64}, content_type="multipart/form-data")
    assert no_file.status_code == 422 and "file" in no_file.json["errors"]
    foreign = make_gallery(make_photographer()[0])
    from gallery.galleries import services

    other_set = services.add_set(foreign.photographer_id, foreign.id, {"name": "Theirs"})
    db.session.commit()
    assert upload(api, gallery.id, LANDSCAPE, set_id=other_set.id).status_code == 422
    assert upload(api, "0" * 26, LANDSCAPE).status_code == 404
    with swapped_settings(app, max_upload_bytes=1000):
        app.config["MAX_CONTENT_LENGTH"], saved = 1000, app.config["MAX_CONTENT_LENGTH"]
        try:
            too_big = upload(api, gallery.id, LANDSCAPE)
        finally:
            app.config["MAX_CONTENT_LENGTH"] = saved
    assert too_big.status_code == 413 and too_big.mimetype == "application/problem+json"
    assert db.session.scalar(db.select(db.func.count(Photo.id))) == 0


def test_list_filter_paginate_update_and_delete(make_photographer, make_gallery):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    names = ["landscape_2.jpg", "portrait_3.jpg", "Canon_40D.jpg"]
    ids = [upload(api, gallery.id, PHOTOS / n).json["photo"]["id"] for n in names]
    upload(api, gallery.id, b"junk", filename="junk.jpg")
    base = f"/api/v1/galleries/{gallery.id}/photos"
    first = api.get(f"{base}?limit=2").json
    second = api.get(f"{base}?limit=2&cursor={first['next_cursor']}").json
    listed = [p["id"] for p in first["items"] + second["items"]]
    assert listed[:3] == ids and second["next_cursor"] is None
    assert [p["status"] for p in api.get(f"{base}?status=failed").json["items"]] == ["failed"]
    sha = sha256_of((PHOTOS / names[1]).read_bytes())
    assert [p["id"] for p in api.get(f"{base}?sha256={sha}").json["items"]] == [ids[1]]
    assert api.get(f"{base}?status=lost").status_code == 422
    check = api.post(f"/api/v1/galleries/{gallery.id}/uploads/check", json={"sha256": [sha, "f" * 64]})
    assert list(check.json["existing"]) == [sha] and check.json["existing"][sha]["id"] == ids[1]

    gallery_set = api.post(f"/api/v1/galleries/{gallery.id}/sets", json={"name": "Ceremony"}).json
    changed = api.patch(f"{base}/{ids[2]}", json={"position": 0, "set_id": gallery_set["id"],
                                                  "hidden_from_guests": True})
    assert changed.status_code == 200 and changed.json["hidden_from_guests"] is True
    assert api.get(base).json["items"][0]["id"] == ids[2]
    assert api.patch(f"{base}/{ids[2]}", json={"set_id": "x" * 26}).status_code == 422
    assert api.patch(f"{base}/{ids[2]}", json={"status": "ready"}).status_code == 422

    photo = db.session.get(Photo, ids[0])
    object_keys = [photo.storage_key, *(r.storage_key for r in photo.renditions)]
    assert all(get_storage().exists(k) for k in object_keys)
    assert api.delete(f"{base}/{ids[0]}").status_code == 204
    assert not any(get_storage().exists(k) for k in object_keys)
    assert db.session.scalar(db.select(db.func.count(Rendition.id)).where(Rendition.photo_id == ids[0])) == 0
    assert api.get(f"{base}/{ids[0]}").status_code == 404


def test_deleting_a_gallery_deletes_its_objects(make_photographer, make_gallery):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    photo_id = upload(api, gallery.id, LANDSCAPE).json["photo"]["id"]
    photo = refresh_photo(photo_id)
    object_keys = [photo.storage_key, *(r.storage_key for r in photo.renditions)]
    assert api.delete(f"/api/v1/galleries/{gallery.id}").status_code == 204
    assert not any(get_storage().exists(k) for k in object_keys)


def test_direct_upload_on_local_storage_points_to_the_form_upload(make_photographer, make_gallery):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    data = LANDSCAPE.read_bytes()
    response = api.post(f"/api/v1/galleries/{gallery.id}/uploads", json={
        "filename": "a.jpg", "bytes": len(data), "sha256": sha256_of(data), "content_type": "image/jpeg"})
    assert response.status_code == 200
    assert response.json["plan"] == {"strategy": "form", "method": "POST",
                                     "url": f"/api/v1/galleries/{gallery.id}/photos"}
    assert response.json["photo"] is None
    bad = api.post(f"/api/v1/galleries/{gallery.id}/uploads", json={"filename": "", "bytes": 0, "sha256": "x"})
    assert bad.status_code == 422 and {"filename", "bytes", "sha256"} <= set(bad.json["errors"])


def test_upload_settings_are_validated_with_the_variable_named():
    import pytest

    from gallery.config import ConfigError, Settings

    with pytest.raises(ConfigError, match="GALLERY_DIRECT_UPLOAD_PART_SIZE"):
        Settings.from_env({"GALLERY_DIRECT_UPLOAD_PART_SIZE": "1000"})
    with pytest.raises(ConfigError, match="GALLERY_DIRECT_UPLOAD_MULTIPART_THRESHOLD"):
        Settings.from_env({"GALLERY_DIRECT_UPLOAD_MULTIPART_THRESHOLD": "6000000",
                           "GALLERY_DIRECT_UPLOAD_PART_SIZE": "8000000"})
    with pytest.raises(ConfigError, match="GALLERY_PHOTO_JOB_TIMEOUT"):
        Settings.from_env({"GALLERY_PHOTO_JOB_TIMEOUT": "soon"})
