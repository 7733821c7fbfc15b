#!/usr/bin/env bash
# Replace Pillow's compiled core in the venv by Pillow-SIMD, the same Pillow API with
# SIMD (SSE4/AVX2) resampling, about 7x faster resizes on our renditions (see bench/renditions.py).
# Built from source against Debian's libjpeg-turbo, lcms2, libwebp, libtiff, zlib and FreeType
# (scripts/system-packages.sh); pip caches the built wheel, so later runs take seconds.
# Installed over the Pillow wheel with --no-deps so that pillow-heif's dependency on
# "pillow" stays satisfied; its version must match the Pillow pin in pyproject.toml.
# usage: install-pillow-simd.sh PYTHON     (GALLERY_PILLOW_SIMD=0 keeps plain Pillow)
set -euo pipefail
PY=${1:?usage: install-pillow-simd.sh PYTHON}
SIMD_VERSION=12.1.1.post0
[ "${GALLERY_PILLOW_SIMD:-1}" = 0 ] && { echo "GALLERY_PILLOW_SIMD=0: keeping plain Pillow"; exit 0; }

pillow_pin=$(sed -nE 's/^ *"Pillow==([^"]+)".*/\1/p' pyproject.toml)
if [ "${SIMD_VERSION%.post*}" != "$pillow_pin" ]; then
  echo "FATAL: pillow-simd $SIMD_VERSION does not match Pillow==$pillow_pin in pyproject.toml;" \
       "pin the matching pillow-simd in scripts/install-pillow-simd.sh" >&2
  exit 1
fi

if [ "$("$PY" -c 'import PIL; print(PIL.__version__)')" != "$SIMD_VERSION" ]; then
  cflags=""
  grep -qw avx2 /proc/cpuinfo && cflags="-mavx2"  # without AVX2, Pillow-SIMD still uses SSE4
  echo "building pillow-simd $SIMD_VERSION ${cflags:+with $cflags }(a few minutes the first time)"
  CC="cc $cflags" "$PY" -m pip install --quiet --no-deps --force-reinstall --no-binary :all: \
    "pillow-simd==$SIMD_VERSION"
fi

# Whatever was built must read and write everything the pipeline needs.
"$PY" - "$SIMD_VERSION" <<'PYCHECK'
import sys
import PIL
from PIL import features
missing = [name for name in ("jpg", "webp", "littlecms2", "zlib", "libtiff", "freetype2") if not features.check(name)]
if PIL.__version__ != sys.argv[1] or missing:
    sys.exit(f"FATAL: Pillow-SIMD check failed: PIL {PIL.__version__}, missing features: {missing or 'none'}")
print(f"Pillow-SIMD {PIL.__version__} with JPEG, WebP, LCMS, zlib, TIFF, FreeType")
PYCHECK
