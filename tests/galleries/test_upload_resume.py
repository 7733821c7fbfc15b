"""Resuming a direct upload: a fresh plan for a photo still uploading, with the parts the bucket already has."""
import httpx

from tests.plugins.uploads import PHOTOS, run_worker_burst, sha256_of, swapped_settings

FIVE_MIB = 5 * 1024 * 1024


def test_multipart_resumes_with_the_parts_that_arrived(app, s3, rq_redis, make_photographer, make_gallery):
    photographer, api = make_photographer()
    other, other_api = make_photographer()
    gallery = make_gallery(photographer)
    data = (PHOTOS / "landscape_3.jpg").read_bytes() + b"\0" * (11 * 1024 * 1024)
    with swapped_settings(app, direct_upload_multipart_threshold=FIVE_MIB, direct_upload_part_size=FIVE_MIB):
        planned = api.post(f"/api/v1/galleries/{gallery.id}/uploads", json={
            "filename": "big.jpg", "bytes": len(data), "sha256": sha256_of(data), "content_type": "image/jpeg"}).json
        photo_id, plan = planned["photo"]["id"], planned["plan"]
        assert len(plan["parts"]) == 3
        first = plan["parts"][0]
        etag = httpx.put(first["url"], content=data[:first["bytes"]]).headers["ETag"]
        # The page reloads: the studio asks what the gallery has, then for a fresh plan of the unfinished upload.
        check = api.post(f"/api/v1/galleries/{gallery.id}/uploads/check", json={"sha256": [sha256_of(data)]}).json
        assert check["existing"][sha256_of(data)]["status"] == "uploading"
        resumed = api.get(f"/api/v1/galleries/{gallery.id}/uploads/{photo_id}")
        assert resumed.status_code == 200, resumed.json
        assert resumed.json["uploaded_parts"] == [{"part_number": 1, "etag": etag, "bytes": first["bytes"]}]
        fresh = resumed.json["plan"]
        assert fresh["strategy"] == "multipart" and [p["bytes"] for p in fresh["parts"]] == [p["bytes"] for p in plan["parts"]]
        assert other_api.get(f"/api/v1/galleries/{gallery.id}/uploads/{photo_id}").status_code == 404
        parts = [{"part_number": 1, "etag": etag}]
        for part in fresh["parts"][1:]:
            start = (part["part_number"] - 1) * fresh["part_size"]
            response = httpx.put(part["url"], content=data[start:start + part["bytes"]])
            parts.append({"part_number": part["part_number"], "etag": response.headers["ETag"]})
        done = api.post(fresh["complete_url"], json={"parts": parts})
        assert done.status_code == 200, done.json
    run_worker_burst(rq_redis)
    assert api.get(f"/api/v1/galleries/{gallery.id}/photos/{photo_id}").json["status"] == "ready"
    again = api.get(f"/api/v1/galleries/{gallery.id}/uploads/{photo_id}")
    assert again.status_code == 200 and again.json["plan"] is None  # done: nothing left to resume


def test_single_put_resume_plans_the_file_again(app, s3, make_photographer, make_gallery):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer)
    data = (PHOTOS / "portrait_6.jpg").read_bytes()
    planned = api.post(f"/api/v1/galleries/{gallery.id}/uploads", json={
        "filename": "p.jpg", "bytes": len(data), "sha256": sha256_of(data), "content_type": "image/jpeg"}).json
    resumed = api.get(f"/api/v1/galleries/{gallery.id}/uploads/{planned['photo']['id']}").json
    assert resumed["plan"] is None and resumed["uploaded_parts"] == []  # nothing inside the file to resume
    again = api.post(f"/api/v1/galleries/{gallery.id}/uploads", json={
        "filename": "p.jpg", "bytes": len(data), "sha256": sha256_of(data), "content_type": "image/jpeg"}).json
    plan = again["plan"]
    assert plan["strategy"] == "put"
    assert httpx.put(plan["url"], content=data, headers=plan["headers"]).status_code == 200
    assert api.post(plan["complete_url"], json={}).status_code == 200
