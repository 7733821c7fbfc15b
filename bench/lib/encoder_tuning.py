"""The measurements behind the encoder settings in gallery/imaging/specs.py (bench/renditions.py --tune).

For each default size, on the bench photos resized as the pipeline resizes them:
- JPEG at the spec's quality, progressive vs baseline (both with optimised Huffman tables): the decoded pixels
  are identical, so only bytes and encode time differ;
- WebP (for the sizes whose spec offers it) at qualities 60-95 and methods 0-6: bytes, encode time and SSIM against the full-resolution reference,
  and for each method the lowest quality whose SSIM is at least the JPEG's on every photo (matched quality),
  with its bytes against the JPEG's: WebP pays only where it is then smaller.
"""
from __future__ import annotations

import io
import statistics
import time

from PIL import Image

from bench.lib.quality import Reference, pixels, ssim

WEBP_QUALITIES = (60, 65, 70, 75, 80, 85, 90, 95)
WEBP_METHODS = (0, 2, 4, 6)


def _encode(picture: Image.Image, fmt: str, repeat: int = 1, **options) -> tuple[bytes, float]:
    best, data = float("inf"), b""
    for _ in range(repeat):
        out = io.BytesIO()
        started = time.process_time()
        picture.save(out, fmt, **options)
        best = min(best, time.process_time() - started)
        data = out.getvalue()
    return data, best * 1000


def tune(photos: list[bytes]) -> None:
    from gallery.imaging import DEFAULT_SPECS
    from gallery.imaging.pipeline import _fit, decode_for

    specs = sorted(DEFAULT_SPECS, key=lambda s: -s.long_edge)
    # per size: {"jpeg-prog": [(bytes, ms, ssim)], "jpeg-base": [...], ("webp", q, m): [...]}
    table: dict[str, dict] = {spec.name: {} for spec in specs}
    for data in photos:
        reference = Reference(data)
        picture = decode_for(Image.open(io.BytesIO(data)), "jpeg", specs[0].long_edge)
        upright = picture.size
        for spec in specs:
            size = _fit(upright, spec.long_edge)
            if picture.size != size:
                picture = picture.resize(size, Image.Resampling.LANCZOS)
            ideal = reference.at(size)
            rows = table[spec.name]
            for label, progressive in (("jpeg progressive", True), ("jpeg baseline", False)):
                encoded, ms = _encode(picture, "JPEG", quality=spec.quality, progressive=progressive, optimize=True,
                                      repeat=3)
                rows.setdefault(label, []).append((len(encoded), ms, ssim(ideal, pixels(encoded))))
            for method in WEBP_METHODS if "webp" in spec.formats else ():
                for webp_quality in WEBP_QUALITIES:
                    encoded, ms = _encode(picture, "WEBP", quality=webp_quality, method=method)
                    rows.setdefault(("webp", webp_quality, method), []).append(
                        (len(encoded), ms, ssim(ideal, pixels(encoded))))
    for spec in specs:
        rows = table[spec.name]
        print(f"# {spec.name} ({spec.long_edge} px), mean over {len(photos)} photos: bytes, encode ms, SSIM")
        for label, values in rows.items():
            if isinstance(label, str):
                print(f"#   {label:<22} {_mean(values, 0):>8.0f} B {_mean(values, 1):7.1f} ms  SSIM {_mean(values, 2):.4f}")
        jpeg = rows["jpeg progressive"]
        for method in WEBP_METHODS if "webp" in spec.formats else ():
            matched = next((q for q in WEBP_QUALITIES
                            if all(w[2] >= j[2] for w, j in zip(rows[("webp", q, method)], jpeg))), None)
            cells = "  ".join(f"q{q}:{_mean(rows[('webp', q, method)], 0) / 1000:.0f}K/{_mean(rows[('webp', q, method)], 2):.4f}"
                              f"/{_mean(rows[('webp', q, method)], 1):.0f}ms" for q in WEBP_QUALITIES)
            print(f"#   webp method {method}: {cells}")
            if matched is None:
                print(f"#   webp method {method}: no quality up to {WEBP_QUALITIES[-1]} matches the JPEG's SSIM on "
                      "every photo")
            else:
                webp = rows[("webp", matched, method)]
                smaller = sum(w[0] < j[0] for w, j in zip(webp, jpeg))
                print(f"#   webp method {method}: matched quality {matched}: {_mean(webp, 0):.0f} B vs JPEG "
                      f"{_mean(jpeg, 0):.0f} B ({_mean(webp, 0) / _mean(jpeg, 0):.2f}), smaller on {smaller}/"
                      f"{len(webp)} photos, {_mean(webp, 1):.1f} ms")


def _mean(values: list[tuple], index: int) -> float:
    return statistics.fmean(value[index] for value in values)
