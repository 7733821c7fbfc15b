#!/usr/bin/env python3
"""Renditions: the set the app really produces against a like-for-like libvips pipeline, same process, one core.

Builds (and caches under bench/out/) 24-megapixel camera JPEGs with ../shared/bench/make_pro_photos.py, reads
them into memory and pins itself to one CPU. Each round alternates, over every photo:
- ours: gallery.imaging.process_image with DEFAULT_SPECS (large 2048, preview 1200, thumb 400: JPEG, and WebP
  where the spec asks and it is smaller), then the same with a text watermark (+ the watermarked 1200 variant);
- pyvips: the same set made by libvips (bench/lib/vips_reference.py: one decode with shrink-on-load, lanczos3,
  the same sizes and encoder settings, the same WebP rule, the same mark composited);
- the floor: the JPEG decode alone at the DCT scale both pipelines decode at (Pillow/libjpeg-turbo and vips).
Times are CPU seconds per photo (user + system of this process; wall time printed beside), min and median of the
rounds. The ceiling table splits each side into decode, resizes and encodes, measured the same way.
Then quality: bytes and SSIM of each rendition against a full-resolution reference (bench/lib/quality.py), ours
beside pyvips's. `--tune` instead prints the measurements behind the encoder settings of gallery/imaging/specs.py:
JPEG progressive vs baseline (optimised Huffman tables), and WebP quality and method matched to the JPEG's SSIM.

usage: .venv/bin/python bench/renditions.py [--count N] [--rounds R] [--quality-photos Q] [--tune]
"""
from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.lib import vips_reference as vips  # noqa: E402  (sets VIPS_CONCURRENCY before libvips starts)
from bench.lib.report import Runs, load_footer, machine_header  # noqa: E402

SHARED = REPO.parent / "shared"
MAKE_PRO_PHOTOS = SHARED / "bench" / "make_pro_photos.py"
OUT = REPO / "bench" / "out" / "pro_photos"
MARK_TEXT = "© Studio Nordlys"


def build_photo_set(count: int) -> list[Path]:
    if not MAKE_PRO_PHOTOS.exists():
        sys.exit(f"FATAL: {MAKE_PRO_PHOTOS} not found (the shared directory sits beside the repository)")
    subprocess.run([sys.executable, str(MAKE_PRO_PHOTOS), str(OUT), str(count)], check=True,
                   stdout=subprocess.DEVNULL)
    return [OUT / f"pro_{i:03d}.jpg" for i in range(count)]


def pin_to_one_core() -> int:
    core = max(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return core


# --- the two pipelines and the floor ----------------------------------------------------------------------------

def ours(data: bytes, watermark=None) -> list[tuple]:
    from gallery.imaging import DEFAULT_SPECS, process_image

    result = process_image(io.BytesIO(data), DEFAULT_SPECS, watermark=watermark)
    return [(r.name, r.format, r.data, r.width, r.height) for r in result.renditions]


def theirs(data: bytes, mark=None) -> list[tuple]:
    from gallery.imaging import DEFAULT_SPECS, WATERMARKED_SPEC

    specs = [*DEFAULT_SPECS, WATERMARKED_SPEC] if mark is not None else list(DEFAULT_SPECS)
    return vips.render_set(data, specs, mark, opacity=0.35)


def decode_ours(data: bytes):
    """Our pipeline's decode: the JPEG at the DCT scale that still covers the largest rendition."""
    from PIL import Image

    from gallery.imaging import DEFAULT_SPECS
    from gallery.imaging.pipeline import decode_for

    image = Image.open(io.BytesIO(data))
    return decode_for(image, "jpeg", max(spec.long_edge for spec in DEFAULT_SPECS))


def decode_theirs(data: bytes):
    from gallery.imaging import DEFAULT_SPECS

    return vips.decode(data, max(spec.long_edge for spec in DEFAULT_SPECS))[0]


def timed(work, photos: list[bytes]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) per photo."""
    wall, cpu = time.perf_counter(), time.process_time()
    for data in photos:
        work(data)
    return (time.process_time() - cpu) / len(photos), (time.perf_counter() - wall) / len(photos)


# --- the ceiling: decode, resize, encode side by side ------------------------------------------------------------

def stages(photos: list[bytes], rounds: int) -> dict[str, dict[str, Runs]]:
    from PIL import Image

    from gallery.imaging import DEFAULT_SPECS
    from gallery.imaging.pipeline import _encode, _fit

    specs = sorted(DEFAULT_SPECS, key=lambda s: -s.long_edge)
    result = {side: {stage: Runs() for stage in ("decode", "resize", "encode")} for side in ("ours", "pyvips")}

    def run(side, decode, resize, encode):
        totals = {"decode": 0.0, "resize": 0.0, "encode": 0.0}
        for data in photos:
            started = time.process_time()
            picture, upright = decode(data)
            totals["decode"] += time.process_time() - started
            sized = []
            started = time.process_time()
            for spec in specs:
                picture = resize(picture, _fit(upright, spec.long_edge))
                sized.append((spec, picture))
            totals["resize"] += time.process_time() - started
            started = time.process_time()
            for spec, picture in sized:
                encode(spec, picture)
            totals["encode"] += time.process_time() - started
        for stage, seconds in totals.items():
            result[side][stage].add(seconds / len(photos) * 1000)

    def our_decode(data):
        image = decode_ours(data)
        return image, image.size  # the bench photos are upright and sRGB: no turn, no profile

    def our_resize(picture, size):
        return picture if picture.size == size else picture.resize(size, Image.Resampling.LANCZOS)

    def their_encode(spec, picture):
        jpeg = vips.encode_jpeg(picture, spec.quality, spec.progressive)
        if "webp" in spec.formats:
            vips.encode_webp(picture, spec.webp_quality, spec.webp_method)
        return jpeg

    for _ in range(rounds):
        run("ours", our_decode, our_resize, _encode)
        run("pyvips", lambda data: vips.decode(data, specs[0].long_edge), vips.resize_to, their_encode)
    return result


# --- quality -------------------------------------------------------------------------------------------------------

def quality(photos: list[bytes], mark_text: str) -> None:
    from bench.lib.quality import Reference, pixels, ssim
    from gallery.imaging import Watermark
    from gallery.imaging.watermark import _draw_text

    mark = vips.from_pillow(_draw_text(mark_text))
    rows: dict[tuple[str, str], dict[str, list]] = {}
    worse = []
    for index, data in enumerate(photos):
        reference = Reference(data)
        ours_set = {(n, f): (b, w, h) for n, f, b, w, h in ours(data, Watermark(text=mark_text))}
        their_set = {(n, f): (b, w, h) for n, f, b, w, h in theirs(data, mark)}
        for key in sorted(set(ours_set) | set(their_set)):
            row = rows.setdefault(key, {"ours_bytes": [], "ours_ssim": [], "vips_bytes": [], "vips_ssim": []})
            scores = {}
            for side, renditions in (("ours", ours_set), ("vips", their_set)):
                if key in renditions:
                    encoded, width, height = renditions[key]
                    scores[side] = ssim(reference.at((width, height)), pixels(encoded))
                    row[f"{side}_bytes"].append(len(encoded))
                    row[f"{side}_ssim"].append(scores[side])
            if len(scores) == 2 and round(scores["ours"], 3) < round(scores["vips"], 3):
                worse.append(f"photo {index} {key[0]} {key[1]}: {scores['ours']:.4f} < {scores['vips']:.4f}")
        del reference
    print(f"# quality over {len(photos)} photos: mean bytes and SSIM against the full-resolution reference "
          "(watermarked: against the clean reference, both sides carry the same mark)")
    print(f"# {'rendition':<20} {'ours bytes':>11} {'ours SSIM':>10} {'pyvips bytes':>13} {'pyvips SSIM':>12}")
    total_ours = total_vips = 0.0
    for (name, fmt), row in rows.items():
        def mean(values, digits):
            return f"{statistics.fmean(values):.{digits}f}" if values else "-"
        print(f"# {name + ' ' + fmt:<20} {mean(row['ours_bytes'], 0):>11} {mean(row['ours_ssim'], 4):>10} "
              f"{mean(row['vips_bytes'], 0):>13} {mean(row['vips_ssim'], 4):>12}")
        if name != "watermarked":
            total_ours += statistics.fmean(row["ours_bytes"]) if row["ours_bytes"] else 0
            total_vips += statistics.fmean(row["vips_bytes"]) if row["vips_bytes"] else 0
    from bench.lib.report import bench_line

    bench_line("renditions_set_bytes", total_ours / 1024, "KiB/photo", "pyvips", total_vips / 1024, "KiB/photo",
               digits=1)
    if worse:
        print("# renditions worse in SSIM than pyvips's at the same size (3 decimals):")
        for line in worse:
            print(f"#   {line}")
    print(f"BENCH renditions_worse_ssim_than_pyvips {len(worse)} renditions vs target 0 renditions", flush=True)


# --- main ----------------------------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=8, help="photos in the set (default 8)")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds (default 5)")
    parser.add_argument("--quality-photos", type=int, default=4, help="photos scored for SSIM (default 4)")
    parser.add_argument("--tune", action="store_true", help="print the encoder-setting measurements instead")
    args = parser.parse_args()

    photos = [path.read_bytes() for path in build_photo_set(args.count)]
    core = pin_to_one_core()
    import PIL

    from gallery.imaging import Watermark
    from gallery.imaging.watermark import _draw_text

    machine_header("renditions", pinned_to_CPU=core, Pillow=PIL.__version__, reference=vips.version())
    if args.tune:
        from bench.lib.encoder_tuning import tune

        tune(photos[:args.quality_photos])
        load_footer()
        return
    print(f"# {len(photos)} photos of 24 MP from {MAKE_PRO_PHOTOS.name}, {args.rounds} rounds, CPU time per photo")
    watermark = Watermark(text=MARK_TEXT)
    mark = vips.from_pillow(_draw_text(MARK_TEXT))
    sides = {
        "ours": lambda data: ours(data), "pyvips": lambda data: theirs(data),
        "ours_watermarked": lambda data: ours(data, watermark), "pyvips_watermarked": lambda data: theirs(data, mark),
        "decode_ours": decode_ours, "decode_pyvips": decode_theirs,
    }
    for work in sides.values():  # warm-up: imports, the mark, libvips' start
        work(photos[0])
    cpu = {name: Runs() for name in sides}
    wall = {name: Runs() for name in sides}
    for _ in range(args.rounds):
        for name, work in sides.items():
            seconds, elapsed = timed(work, photos)
            cpu[name].add(seconds)
            wall[name].add(elapsed)
    cpu["ours"].report("renditions", "s/photo", cpu["pyvips"], "pyvips", digits=3)
    cpu["ours_watermarked"].report("renditions_watermarked", "s/photo", cpu["pyvips_watermarked"],
                                   "pyvips_watermarked", digits=3)
    wall["ours"].report("renditions_wall", "s/photo", wall["pyvips"], "pyvips_wall", digits=3)
    cpu["decode_ours"].report("renditions_decode_floor", "s/photo", cpu["ours"], "renditions", digits=3)
    cpu["decode_pyvips"].report("pyvips_decode_floor", "s/photo", cpu["pyvips"], "pyvips", digits=3)
    floor = cpu["decode_ours"].median
    best_possible = floor / cpu["pyvips"].median
    print(f"# the decode alone is {best_possible:.2f} of pyvips' whole set: no pipeline that decodes the JPEG "
          "can reach a lower ratio", flush=True)

    print("# ceiling, ms per photo (median of the rounds): decode | resizes | encodes", flush=True)
    parts_of = stages(photos, max(2, args.rounds // 2))
    for side, parts in parts_of.items():
        print(f"#   {side:<7} " + " | ".join(f"{stage} {runs.median:6.1f}" for stage, runs in parts.items())
              + f" | sum {sum(runs.median for runs in parts.values()):6.1f}", flush=True)
    ours_parts, set_ms = parts_of["ours"], cpu["pyvips"].median * 1000
    floor_ms = ours_parts["decode"].median + ours_parts["encode"].median
    print(f"BENCH renditions_ceiling_decode_encode {floor_ms / set_ms:.2f} ratio_to_pyvips (our decode + our encodes of "
          f"the same files alone: {floor_ms:.0f} ms of pyvips' {set_ms:.0f} ms)", flush=True)
    print(f"BENCH renditions_ceiling_with_resize {(floor_ms + ours_parts['resize'].median) / set_ms:.2f} "
          "ratio_to_pyvips (decode + our resizes + encodes: what any pipeline with these decoder, resampler and "
          "encoder settings costs at least)", flush=True)
    quality(photos[:args.quality_photos], MARK_TEXT)
    load_footer()


if __name__ == "__main__":
    main()
