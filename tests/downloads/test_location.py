"""Downloaded originals leave without the camera's GPS position (unless the gallery keeps it): same bytes
otherwise, same length, zip CRCs and Range still exact."""
import io
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image

from gallery.downloads.location import crc32_after_head_change, crc32_combine, strip_gps
from gallery.extensions import db

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "photos"
WITH_GPS = ["DSCN0010.jpg", "Canon_40D.jpg", "iphone_hdr_NO.jpg", "HMD_Nokia_8.3_5G.jpg"]
GPS_IFD = 0x8825


def gps_of(data: bytes) -> dict:
    return dict(Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD))


def scan_offset(data: bytes) -> int:
    """Where the entropy-coded image data starts (after the SOS header)."""
    at = data.index(b"\xff\xda")
    return at + 2 + int.from_bytes(data[at + 2:at + 4], "big")


@pytest.mark.parametrize("name", WITH_GPS)
def test_the_position_goes_and_nothing_else_changes(name):
    original = (CORPUS / name).read_bytes()
    assert gps_of(original), "the corpus photo should carry a GPS position"
    stripped = strip_gps(original[:65536])
    assert stripped
    result = stripped.data + original[len(stripped.data):]
    assert len(result) == len(original)
    assert gps_of(result) == {}
    # the image data and everything after the metadata are byte-identical; the pixels decode the same
    assert result[scan_offset(original):] == original[scan_offset(original):]
    assert Image.open(io.BytesIO(result)).tobytes() == Image.open(io.BytesIO(original)).tobytes()
    # the rest of the EXIF survives (camera, date, orientation)
    before, after = Image.open(io.BytesIO(original)).getexif(), Image.open(io.BytesIO(result)).getexif()
    assert {k: v for k, v in before.items() if k != GPS_IFD} == dict(after.items())
    # the CRC follows from the original's and the changed head alone
    assert crc32_after_head_change(zlib.crc32(original), original[:len(stripped.data)], stripped.data,
                                   len(original)) == zlib.crc32(result)


def test_files_without_a_position_or_not_jpeg_pass_untouched():
    assert strip_gps((CORPUS / "landscape_1.jpg").read_bytes()[:65536]) is None
    assert strip_gps(b"not an image at all" * 100) is None
    assert strip_gps(b"\xff\xd8\xff\xe1\x00") is False  # too short to tell: read more


def test_xmp_gps_is_blanked_too():
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description exif:GPSLatitude="59,54.9N" '
           b'exif:GPSLongitude="10,45.1E" dc:format="image/jpeg"><exif:GPSAltitude>12/1</exif:GPSAltitude>'
           b'</rdf:Description></rdf:RDF></x:xmpmeta>')
    payload = b"http://ns.adobe.com/xap/1.0/\x00" + xmp
    segment = b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload
    jpeg = b"\xff\xd8" + segment + b"\xff\xda\x00\x02" + b"\x00" * 10
    stripped = strip_gps(jpeg)
    result = stripped.data + jpeg[len(stripped.data):]
    assert len(result) == len(jpeg) and b"GPS" not in result and b"59,54.9N" not in result
    assert b'dc:format="image/jpeg"' in result


def test_crc32_combine_matches_zlib():
    a, b = b"first part " * 1000, b"second part" * 3000
    assert crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)


@pytest.fixture
def gps_gallery(make_photographer, make_gallery, make_photo, make_share_link):
    photographer, api = make_photographer()
    gallery = make_gallery(photographer, publish=True, download_policy={"client": "full", "guest": "web"})
    photos = [make_photo(gallery, filename=name, data=(CORPUS / name).read_bytes()) for name in WITH_GPS[:2]]
    photos.append(make_photo(gallery, filename="landscape_1.jpg", data=(CORPUS / "landscape_1.jpg").read_bytes()))
    return gallery, api, photos, make_share_link(gallery)


def test_single_original_has_no_position_unless_the_gallery_keeps_it(client, gps_gallery):
    gallery, api, photos, link = gps_gallery
    url = f"/api/v1/share/{link.token}/photos/{photos[0].id}/download?size=original"
    original = (CORPUS / WITH_GPS[0]).read_bytes()
    response = client.get(url)
    assert response.status_code == 200 and int(response.headers["Content-Length"]) == len(original)
    assert len(response.data) == len(original) and gps_of(response.data) == {}
    assert response.data[scan_offset(original):] == original[scan_offset(original):]
    assert "filename*=UTF-8''DSCN0010.jpg" in response.headers["Content-Disposition"]

    assert api.patch(f"/api/v1/galleries/{gallery.id}", json={"keep_location": True}).json["keep_location"] is True
    assert client.get(url).data == original


def test_zip_of_originals_is_exact_without_positions_and_resumes(client, gps_gallery):
    gallery, _, photos, link = gps_gallery
    url = f"/api/v1/share/{link.token}/download.zip?size=original"
    whole = client.get(url)
    assert whole.status_code == 200 and int(whole.headers["Content-Length"]) == len(whole.data)
    archive = zipfile.ZipFile(io.BytesIO(whole.data))
    assert archive.testzip() is None  # every CRC matches the bytes sent
    for info, photo in zip(archive.infolist(), photos):
        data = archive.read(info)
        assert len(data) == photo.bytes and gps_of(data) == {}
    # the length is the same as with positions kept; a range from the middle is the same bytes as the whole
    size = len(whole.data)
    middle = client.get(url, headers={"Range": f"bytes={size // 3}-{size // 3 + 200000}"})
    assert middle.status_code == 206 and middle.data == whole.data[size // 3:size // 3 + 200001]
    tail = client.get(url, headers={"Range": f"bytes={size - 5000}-"})
    assert tail.data == whole.data[-5000:]
    gallery.keep_location = True
    db.session.commit()
    kept = client.get(url)
    assert len(kept.data) == size and kept.data != whole.data
    assert gps_of(zipfile.ZipFile(io.BytesIO(kept.data)).read(WITH_GPS[0]))
