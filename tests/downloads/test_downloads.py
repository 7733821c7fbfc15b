"""Single downloads and zip archives: policy per role, PIN, per-visitor limits, exact length, Range resume."""
import io
import os
import subprocess
import zipfile

from gallery.engagement.models import Event
from gallery.extensions import db
from gallery.galleries.models import Photo
from tests.plugins.problems import problem


def events(kind):
    return list(db.session.scalars(db.select(Event).where(Event.kind == kind)))


def test_single_download_follows_the_policy_per_role(client, make_photographer, make_gallery, make_photo,
                                                     make_share_link):
    photographer, _ = make_photographer()
    gallery = make_gallery(photographer, publish=True, download_policy={"client": "full", "guest": "web"})
    photo = make_photo(gallery, filename="Bryllup på fjorden \"1\".jpg", data=b"original-bytes" * 100)
    client_link, guest_link = make_share_link(gallery), make_share_link(gallery, role="guest")

    original = client.get(f"/api/v1/share/{client_link.token}/photos/{photo.id}/download")
    assert original.status_code == 200 and original.data == b"original-bytes" * 100
    disposition = original.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''Bryllup%20p%C3%A5%20fjorden%20_1_.jpg" in disposition
    web = client.get(f"/api/v1/share/{client_link.token}/photos/{photo.id}/download?size=web")
    assert web.data.startswith(b"large.jpeg:") and web.mimetype == "image/jpeg"

    guest = client.get(f"/api/v1/share/{guest_link.token}/photos/{photo.id}/download")
    assert guest.data.startswith(b"large.jpeg:")
    problem(client.get(f"/api/v1/share/{guest_link.token}/photos/{photo.id}/download?size=original"), 403)
    problem(client.get(f"/api/v1/share/{guest_link.token}/photos/{photo.id}/download?size=huge"), 422)
    assert [e.payload["size"] for e in events("downloaded")] == ["original", "web", "web"]

    gallery.download_policy = {"client": "none", "guest": "none"}
    db.session.commit()
    problem(client.get(f"/api/v1/share/{client_link.token}/photos/{photo.id}/download"), 403)
    problem(client.get(f"/api/v1/share/{client_link.token}/download.zip"), 403)
    # a link may override the gallery's policy
    special = make_share_link(gallery, permissions={"download": "web"})
    assert client.get(f"/api/v1/share/{special.token}/photos/{photo.id}/download").status_code == 200


def test_download_pin(client, make_photographer, make_gallery, make_photo, make_share_link):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer, publish=True)
    assert api.patch(f"/api/v1/galleries/{gallery.id}", json={"download_pin": "4821"}).json["has_download_pin"]
    problem(api.patch(f"/api/v1/galleries/{gallery.id}", json={"download_pin": "48a1"}), 422)
    photo = make_photo(gallery)
    link = make_share_link(gallery)
    url = f"/api/v1/share/{link.token}/photos/{photo.id}/download"
    assert problem(client.get(url), 403)["pin_required"] is True
    problem(client.get(url + "?pin=1234"), 403)
    assert client.get(url + "?pin=4821").status_code == 200
    assert client.get(url, headers={"X-Download-Pin": "4821"}).status_code == 200
    assert client.get(f"/api/v1/share/{link.token}").json["permissions"]["download_pin_required"] is True
    # wrong PINs are rate limited (right ones are not counted)
    statuses = [client.get(url + "?pin=0000").status_code for _ in range(10)]
    assert statuses[-1] == 429 and statuses[0] == 403
    assert events("downloaded") and len(events("downloaded")) == 2


def test_per_visitor_download_limit(client, make_photographer, make_gallery, make_photo, make_share_link,
                                    identify_visitor):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer, publish=True, download_limit=2)
    photo = make_photo(gallery)
    link = make_share_link(gallery)
    url = f"/api/v1/share/{link.token}/photos/{photo.id}/download"
    assert problem(client.get(url), 401)["needs_visitor"] is True
    kari = {"Authorization": "Bearer " + identify_visitor(link, "kari@example.com")}
    assert client.get(url, headers=kari).status_code == 200
    assert client.get(f"/api/v1/share/{link.token}/download.zip", headers=kari).status_code == 200
    assert problem(client.get(url, headers=kari), 403)["download_limit"] == 2
    ola = {"Authorization": "Bearer " + identify_visitor(link, "ola@example.com")}
    assert client.get(url, headers=ola).status_code == 200  # the limit is per visitor


def test_a_ranged_zip_request_is_held_to_the_same_rules(client, make_photographer, make_gallery, make_photo,
                                                        make_share_link, identify_visitor):
    photographer, _ = make_photographer()
    gallery = make_gallery(photographer, publish=True, download_limit=1)
    make_photo(gallery)
    link = make_share_link(gallery)
    url = f"/api/v1/share/{link.token}/download.zip"
    assert problem(client.get(url), 401)["needs_visitor"] is True
    assert problem(client.get(url, headers={"Range": "bytes=1-"}), 401)["needs_visitor"] is True
    assert client.head(url).status_code == 401
    kari = {"Authorization": "Bearer " + identify_visitor(link, "kari@example.com")}
    assert client.get(url, headers={**kari, "Range": "bytes=1-"}).status_code == 206  # counts as the one download
    assert problem(client.get(url, headers={**kari, "Range": "bytes=0-"}), 403)["download_limit"] == 1
    assert problem(client.get(url, headers=kari), 403)


def test_zip_extracts_bit_identical_with_exact_length_and_resumes(client, tmp_path, make_photographer,
                                                                  make_gallery, make_photo, make_share_link):
    photographer, _ = make_photographer()
    gallery = make_gallery(photographer, publish=True, title="Ola & Kari: bryllup")
    originals = {}
    for i in range(60):
        data = os.urandom(1000 + i * 997)
        name = "IMG_0001.JPG" if i % 20 == 0 else f"ÆØÅ {i:03d}.jpg"  # three duplicates, non-ASCII names
        photo = make_photo(gallery, filename=name, data=data)
        originals[photo.id] = data
    link = make_share_link(gallery)
    url = f"/api/v1/share/{link.token}/download.zip"

    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    body = response.data
    assert int(response.headers["Content-Length"]) == len(body)
    assert response.headers["Accept-Ranges"] == "bytes"
    assert "Ola%20%26%20Kari_%20bryllup.zip" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert archive.testzip() is None
    names = archive.namelist()
    assert names.count("IMG_0001.JPG") == 1 and "IMG_0001 (2).JPG" in names and "IMG_0001 (3).JPG" in names
    assert all(info.compress_type == zipfile.ZIP_STORED for info in archive.infolist())
    photos = list(db.session.scalars(db.select(Photo).order_by(Photo.position)))
    for photo, name in zip(photos, names):
        assert archive.read(name) == originals[photo.id]
        assert photo.crc32 is not None  # computed once, kept for the next archive
    # Another tool agrees (Info-ZIP's unzip), extracting to files bit-identical to the originals.
    (tmp_path / "g.zip").write_bytes(body)
    subprocess.run(["unzip", "-q", "g.zip", "-d", "out"], cwd=tmp_path, check=True)
    assert (tmp_path / "out" / "ÆØÅ 001.jpg").read_bytes() == originals[photos[1].id]

    # Range: resume from the middle, an explicit slice, a suffix, a stale If-Range, a range past the end.
    middle = len(body) // 2
    resumed = client.get(url, headers={"Range": f"bytes={middle}-"})
    assert resumed.status_code == 206 and resumed.data == body[middle:]
    assert resumed.headers["Content-Range"] == f"bytes {middle}-{len(body) - 1}/{len(body)}"
    assert int(resumed.headers["Content-Length"]) == len(body) - middle
    part = client.get(url, headers={"Range": "bytes=100-20099"})
    assert part.status_code == 206 and part.data == body[100:20100]
    assert client.get(url, headers={"Range": "bytes=-22"}).data == body[-22:]
    etag = response.headers["ETag"]
    same = client.get(url, headers={"Range": f"bytes={middle}-", "If-Range": etag})
    assert same.status_code == 206
    stale = client.get(url, headers={"Range": f"bytes={middle}-", "If-Range": '"stale"'})
    assert stale.status_code == 200 and stale.data == body
    problem(client.get(url, headers={"Range": f"bytes={len(body) + 5}-"}), 416)
    head = client.head(url)
    assert head.status_code == 200 and int(head.headers["Content-Length"]) == len(body) and head.data == b""
    # a resumed range is the same download: one event per archive started from byte 0
    assert len(events("zip_downloaded")) == 2 and events("zip_downloaded")[0].payload["files"] == 60


def test_zip_of_favourites_and_of_a_set_at_web_size(client, make_photographer, make_gallery, make_photo,
                                                     make_share_link, identify_visitor):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer, publish=True, download_policy={"client": "web"})
    ceremony = api.post(f"/api/v1/galleries/{gallery.id}/sets", json={"name": "Ceremony"}).json
    in_set = [make_photo(gallery, set_id=ceremony["id"]) for _ in range(3)]
    others = [make_photo(gallery) for _ in range(3)]
    link = make_share_link(gallery)
    auth = {"Authorization": "Bearer " + identify_visitor(link)}
    base = f"/api/v1/share/{link.token}"
    problem(client.get(f"{base}/download.zip?scope=favourites", headers=auth), 404)  # nothing favourited yet
    for photo in (in_set[0], others[2]):
        client.put(f"{base}/favourites/{photo.id}", json={}, headers=auth)
    favourites = zipfile.ZipFile(io.BytesIO(client.get(f"{base}/download.zip?scope=favourites", headers=auth).data))
    assert favourites.namelist() == [in_set[0].original_filename, others[2].original_filename]
    assert favourites.read(in_set[0].original_filename).startswith(b"large.jpeg:")
    problem(client.get(f"{base}/download.zip?scope=favourites"), 401)
    by_set = client.get(f"{base}/download.zip?scope=set:{ceremony['id']}")
    assert len(zipfile.ZipFile(io.BytesIO(by_set.data)).namelist()) == 3
    whole = zipfile.ZipFile(io.BytesIO(client.get(f"{base}/download.zip").data)).namelist()
    assert sorted(whole) == sorted([f"Ceremony/{p.original_filename}" for p in in_set]
                                   + [p.original_filename for p in others])  # sets become folders
    assert "Ceremony" in by_set.headers["Content-Disposition"]
    problem(client.get(f"{base}/download.zip?scope=set:nope"), 404)
    problem(client.get(f"{base}/download.zip?scope=everything"), 422)
    problem(client.get(f"{base}/download.zip?size=original"), 403)
