"""Factories for images made in the test: every odd case the pipeline must survive."""
from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image


def encode(image: Image.Image, format: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format, **params)
    return buffer.getvalue()


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def raw_png(width: int, height: int, bit_depth: int, colour_type: int, rows: list[bytes]) -> bytes:
    """A PNG written by hand (Pillow cannot write 16-bit RGB), rows given unfiltered."""
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    idat = zlib.compress(b"".join(b"\x00" + row for row in rows))
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width x height (a decompression bomb's header)."""
    return raw_png(width, height, 8, 0, [b"\x00"])  # one row of data: the header is what matters


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small real JPEG with its SOF dimensions rewritten."""
    data = bytearray(encode(Image.new("RGB", (16, 16), "gray"), "JPEG"))
    sof = data.find(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


@pytest.fixture
def make_photo():
    """make_photo(size=(w, h), format="JPEG", mode="RGB", **save_params) -> bytes of a
    gradient picture (so resampling and orientation leave visible traces)."""

    def make(size=(800, 600), format="JPEG", mode="RGB", colour=None, **params) -> bytes:
        if colour is not None:
            picture = Image.new(mode, size, colour)
        else:
            picture = Image.linear_gradient("L").resize(size).convert("RGB")
            red = Image.linear_gradient("L").rotate(90).resize(size)
            picture = Image.merge("RGB", (red, picture.getchannel("G"), Image.new("L", size, 90)))
            if mode != "RGB":
                picture = picture.convert(mode)
        return encode(picture, format, **params)

    return make
