"""The real camera and phone photos of the shared corpus, through the default pipeline."""
from __future__ import annotations

import io
from functools import lru_cache

import pytest
from PIL import Image, ImageChops, ImageStat

from gallery.imaging import DEFAULT_SPECS, ProcessedImage, process_image
from tests.conftest import CORPUS
from tests.imaging.conftest import decode

PHOTOS = sorted((CORPUS / "photos").glob("*.jpg"))
LONG_EDGES = {spec.name: spec.long_edge for spec in DEFAULT_SPECS}


@lru_cache(maxsize=None)
def processed(name: str) -> ProcessedImage:
    return process_image(CORPUS / "photos" / name)


def upright_size(path) -> tuple[int, int]:
    with Image.open(path) as source:
        turned = source.getexif().get(0x0112, 1) in (5, 6, 7, 8)
        return source.size[::-1] if turned else source.size


def test_corpus_is_there():
    assert len(PHOTOS) == 24, f"expected the 24 corpus photos under {CORPUS / 'photos'}"


@pytest.mark.parametrize("path", PHOTOS, ids=lambda p: p.name)
def test_every_corpus_photo_gets_its_renditions_at_the_right_sizes(path):
    result = processed(path.name)
    width, height = upright_size(path)
    assert (result.info.width, result.info.height) == (width, height)
    assert result.info.source_format == "jpeg"
    assert result.info.placeholder_color.startswith("#") and len(result.info.placeholder_color) == 7
    assert {(r.name, r.format) for r in result.renditions} >= {("large", "jpeg"), ("preview", "jpeg"),
                                                              ("thumb", "jpeg")}
    for rendition in result.renditions:
        long_edge = LONG_EDGES[rendition.name]
        scale = min(1.0, long_edge / max(width, height))  # never upscaled
        expected = (max(1, round(width * scale)), max(1, round(height * scale)))
        assert (rendition.width, rendition.height) == expected, rendition.name
        picture = decode(rendition.data)
        assert picture.size == expected
        assert picture.format == rendition.format.upper()
        assert picture.mode == "RGB"
    jpegs = {r.name: r for r in result.renditions if r.format == "jpeg"}
    for webp in (r for r in result.renditions if r.format == "webp"):
        assert len(webp.data) < len(jpegs[webp.name].data), "WebP kept only where it pays"


@pytest.mark.parametrize("path", PHOTOS, ids=lambda p: p.name)
def test_no_rendition_carries_metadata(path):
    with Image.open(path) as source:
        has_gps = bool(source.getexif().get_ifd(0x8825))
    for rendition in processed(path.name).renditions:
        picture = decode(rendition.data)
        assert not picture.getexif(), (rendition.name, rendition.format)
        assert not {"exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment", "photoshop"} & set(picture.info)
        assert b"Exif\x00\x00" not in rendition.data and b"http://ns.adobe.com/xap" not in rendition.data
        if rendition.format == "jpeg":  # progressive where the spec asks (large, preview), else baseline
            progressive = next(s.progressive for s in DEFAULT_SPECS if s.name == rendition.name)
            assert bool(picture.info.get("progressive")) == progressive, rendition.name
    if path.name.startswith("DSCN"):
        assert has_gps, "the GPS sample photos must carry GPS, or this test proves nothing"


@pytest.mark.parametrize("kind", ["landscape", "portrait"])
@pytest.mark.parametrize("orientation", range(1, 9))
def test_orientation_is_applied_by_pixels(kind, orientation):
    """`kind_N.jpg` shows the same scene stored for EXIF orientation N: upright, every
    rendition must look like the orientation-1 one (and clearly unlike it turned over)."""
    reference = decode(processed(f"{kind}_1.jpg").get("thumb").data).convert("L")
    for name in ("large", "preview", "thumb"):
        picture = decode(processed(f"{kind}_{orientation}.jpg").get(name).data).convert("L")
        if picture.size != reference.size:
            picture = picture.resize(reference.size, Image.Resampling.BILINEAR)
        assert (picture.width > picture.height) == (kind == "landscape")
        difference = ImageStat.Stat(ImageChops.difference(reference, picture)).mean[0]
        wrong_way = ImageStat.Stat(ImageChops.difference(reference, picture.transpose(Image.Transpose.ROTATE_180)))
        assert difference < 8, f"{kind}_{orientation} {name} differs from upright by {difference:.1f}"
        assert wrong_way.mean[0] > 5 * difference + 20


def test_the_generic_rgb_profile_is_converted_to_srgb():
    """landscape_2..8 carry Apple's "Generic RGB" (gamma 1.8) profile, landscape_1 holds the same
    scene already in sRGB: only a converted rendition matches its brightness."""
    def brightness(name):
        return ImageStat.Stat(decode(processed(name).get("thumb").data).convert("L")).mean[0]

    with Image.open(CORPUS / "photos" / "landscape_3.jpg") as raw:
        unconverted = ImageStat.Stat(raw.convert("L")).mean[0]
    assert abs(brightness("landscape_3.jpg") - brightness("landscape_1.jpg")) < 2
    assert abs(unconverted - brightness("landscape_1.jpg")) > 8


def test_taken_at_comes_from_exif_date_time_original():
    taken = processed("DSCN0010.jpg").info.taken_at
    assert taken is not None and taken.tzinfo is not None
    assert taken.isoformat() == "2008-10-22T16:28:39+00:00"
    assert processed("HMD_Nokia_8.3_5G.jpg").info.taken_at.isoformat() == "2022-08-14T14:12:31+03:00"


def test_the_shared_bad_sample_is_readable_and_processed():
    """`bad/image01088.jpg` (exif-samples' "invalid" file) has a 35 KB XMP packet in APP1 where
    EXIF readers expect EXIF; its image data is intact. Pillow decodes it, so it becomes
    renditions, and the XMP is dropped like all metadata."""
    result = process_image(CORPUS / "bad" / "image01088.jpg")
    assert (result.info.width, result.info.height) == (425, 120)
    thumb = result.get("thumb")
    assert (thumb.width, thumb.height) == (400, 113)
    for rendition in result.renditions:
        assert b"http://ns.adobe.com/xap" not in rendition.data
        assert not decode(rendition.data).getexif()


def test_a_file_object_works_like_a_path():
    path = CORPUS / "photos" / "Canon_40D.jpg"
    with open(path, "rb") as handle:
        handle.read(10)  # wherever the caller left it
        from_file = process_image(handle)
    from_bytes = process_image(io.BytesIO(path.read_bytes()))
    assert [r.data for r in from_file.renditions] == [r.data for r in processed("Canon_40D.jpg").renditions]
    assert [r.data for r in from_bytes.renditions] == [r.data for r in from_file.renditions]


def test_the_same_input_gives_the_same_bytes():
    """Jobs may run twice (retries, the reconciler): the result must not change."""
    again = process_image(CORPUS / "photos" / "portrait_6.jpg")
    assert again == processed("portrait_6.jpg")


def test_the_callers_file_stays_open():
    with open(CORPUS / "photos" / "Canon_40D.jpg", "rb") as handle:
        process_image(handle)
        assert not handle.closed
        handle.seek(0)
        assert handle.read(3) == b"\xff\xd8\xff"
