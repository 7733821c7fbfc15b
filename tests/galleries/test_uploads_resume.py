"""Resumable uploads through the API: parts through the app on local storage, the state of an upload
(the parts that arrived, from the storage), completing, hostile and foreign requests; bulk ordering."""
import httpx

from tests.plugins.uploads import PHOTOS, sha256_of, swapped_settings

MiB = 1024 * 1024


def _plan(api, gallery_id, data, **extra):
    return api.post(f"/api/v1/galleries/{gallery_id}/uploads", json={
        "filename": "big.jpg", "bytes": len(data), "sha256": sha256_of(data), "content_type": "image/jpeg",
        "resumable": True, **extra})


def _big():
    return (PHOTOS / "landscape_3.jpg").read_bytes() + b"\x07" * (11 * MiB)


def _put(api, url, body, **headers):
    return api.put(url, data=body, headers={"Content-Type": "application/octet-stream", **headers})


def test_parts_through_the_app_survive_an_interrupted_client(app, make_photographer, make_gallery):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    data = _big()
    with swapped_settings(app, direct_upload_part_size=5 * MiB):
        answer = _plan(api, gallery.id, data)
        assert answer.status_code == 201, answer.json
        plan, photo = answer.json["plan"], answer.json["photo"]
        assert plan["strategy"] == "multipart" and [p["bytes"] for p in plan["parts"]] == [
            5 * MiB, 5 * MiB, len(data) - 10 * MiB]
        assert all(p["url"].startswith(f"/api/v1/galleries/{gallery.id}/uploads/{photo['id']}/parts/")
                   for p in plan["parts"])
        first = _put(api, plan["parts"][0]["url"], data[:5 * MiB])
        assert first.status_code == 200 and first.headers["ETag"] == first.json["etag"]

        # The client went away; a new run asks where the upload stands.
        state = api.get(f"/api/v1/galleries/{gallery.id}/uploads/{photo['id']}")
        assert state.status_code == 200
        assert state.json["uploaded_parts"] == [{"part_number": 1, "etag": first.json["etag"], "bytes": 5 * MiB}]
        assert state.json["uploaded_bytes"] == 5 * MiB and state.json["photo"]["status"] == "uploading"
        parts = [{"part_number": 1, "etag": first.json["etag"]}]
        for part in state.json["plan"]["parts"][1:]:
            start = (part["part_number"] - 1) * state.json["plan"]["part_size"]
            sent = _put(api, part["url"], data[start:start + part["bytes"]])
            parts.append({"part_number": part["part_number"], "etag": sent.json["etag"]})
        done = api.post(plan["complete_url"], json={"parts": parts})
        assert done.status_code == 200 and done.json["status"] in {"processing", "ready"}
    finished = api.get(f"/api/v1/galleries/{gallery.id}/uploads/{photo['id']}").json
    assert finished["plan"] is None and finished["photo"]["status"] == "ready"
    assert finished["photo"]["bytes"] == len(data) and finished["photo"]["sha256"] == sha256_of(data)


def test_hostile_parts_are_refused_and_keep_nothing(app, make_photographer, make_gallery):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    data = _big()
    with swapped_settings(app, direct_upload_part_size=5 * MiB):
        plan = _plan(api, gallery.id, data).json["plan"]
        url = plan["parts"][0]["url"]
        state_url = url.rsplit("/parts/", 1)[0]
        wrong_size = _put(api, url, b"x" * 100)
        assert wrong_size.status_code == 422 and wrong_size.content_type == "application/problem+json"
        out_of_range = _put(api, url.replace("/parts/1", "/parts/9"), b"x")
        assert out_of_range.status_code == 422 and "1 to 3" in out_of_range.json["detail"]
        assert _put(api, url.replace("/parts/1", "/parts/0"), b"x").status_code == 422
        assert api.get(state_url).json["uploaded_parts"] == []
        wrong_etag = api.post(plan["complete_url"], json={"parts": [{"part_number": 1, "etag": '"0"'}]})
        assert wrong_etag.status_code == 422 and wrong_etag.json["errors"]["parts"] == ["InvalidPart"]

        # Another photographer sees nothing of it, and cannot add to it.
        _, stranger = make_photographer()
        assert stranger.get(state_url).status_code == 404
        assert _put(stranger, url, data[:5 * MiB]).status_code == 404
        assert api.get(f"/api/v1/galleries/{gallery.id}/uploads/{'0' * 26}").status_code == 404

        # Planning the same file again starts over: the old upload's parts are dropped, its state is gone.
        _put(api, url, data[:5 * MiB])
        again = _plan(api, gallery.id, data)
        assert again.status_code == 201 and api.get(state_url).status_code == 404


def test_state_of_a_multipart_upload_to_s3_comes_from_the_bucket(app, s3, make_photographer, make_gallery):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    data = _big()
    with swapped_settings(app, direct_upload_multipart_threshold=5 * MiB, direct_upload_part_size=5 * MiB):
        from gallery.storage import get_storage

        answer = _plan(api, gallery.id, data, resumable=False)
        plan, photo = answer.json["plan"], answer.json["photo"]
        assert plan["strategy"] == "multipart" and plan["parts"][0]["url"].startswith("http")
        sent = httpx.put(plan["parts"][1]["url"], content=data[5 * MiB:10 * MiB])
        state_url = f"/api/v1/galleries/{gallery.id}/uploads/{photo['id']}"
        state = api.get(state_url).json
        assert state["uploaded_parts"] == [{"part_number": 2, "etag": sent.headers["ETag"], "bytes": 5 * MiB}]
        assert [p["part_number"] for p in state["plan"]["parts"]] == [1, 2, 3]
        # The bucket forgot the upload (aborted, expired by a lifecycle rule): start again.
        storage = get_storage()
        from gallery.galleries.models import Photo
        from gallery.extensions import db

        row = db.session.get(Photo, photo["id"])
        storage.abort_multipart(row.storage_key, row.upload_id)
        gone = api.get(state_url)
        assert gone.status_code == 410 and gone.content_type == "application/problem+json"
        assert "plan it again" in gone.json["detail"]
        # Parts go to the bucket on S3: the app's part route refuses them.
        assert _put(api, f"{state_url}/parts/1", b"x").status_code == 409


def test_state_of_a_single_put_or_a_finished_photo_has_no_plan(app, s3, make_photographer, make_gallery):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    data = (PHOTOS / "portrait_6.jpg").read_bytes()
    answer = _plan(api, gallery.id, data)
    state = api.get(f"/api/v1/galleries/{gallery.id}/uploads/{answer.json['photo']['id']}").json
    assert answer.json["plan"]["strategy"] == "put" and state["plan"] is None and state["uploaded_parts"] == []


def test_arrange_orders_many_photos_in_one_call(app, make_photographer, make_gallery):
    from tests.plugins.uploads import upload

    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    ids = [upload(api, gallery.id, PHOTOS / f"landscape_{n}.jpg").json["photo"]["id"] for n in range(1, 6)]
    listed = lambda: [p["id"] for p in api.get(f"/api/v1/galleries/{gallery.id}/photos").json["items"]]  # noqa: E731
    wanted = [ids[3], ids[1], ids[4]]
    answer = api.post(f"/api/v1/galleries/{gallery.id}/photos/arrange", json={"photo_ids": wanted})
    assert answer.status_code == 200 and answer.json == {"arranged": 3}
    # The three take the places they held between them (2, 4, 5) in the new order; the others stay put.
    assert listed() == [ids[0], ids[3], ids[2], ids[1], ids[4]]

    other_gallery = make_gallery(photographer)
    foreign = upload(api, other_gallery.id, PHOTOS / "portrait_1.jpg").json["photo"]["id"]
    refused = api.post(f"/api/v1/galleries/{gallery.id}/photos/arrange", json={"photo_ids": [ids[0], foreign]})
    assert refused.status_code == 422 and foreign in refused.json["errors"]["photo_ids"][0]
    assert api.post(f"/api/v1/galleries/{gallery.id}/photos/arrange", json={"photo_ids": []}).status_code == 422
    assert api.post(f"/api/v1/galleries/{gallery.id}/photos/arrange", json={"photo_ids": "x"}).status_code == 422
    _, stranger = make_photographer()
    assert stranger.post(f"/api/v1/galleries/{gallery.id}/photos/arrange",
                         json={"photo_ids": [ids[0]]}).status_code == 404
    assert listed() == [ids[0], ids[3], ids[2], ids[1], ids[4]]
