"""Picture quality of renditions for bench/renditions.py: SSIM against a full-resolution reference.

The reference of a photo is its full-resolution decode (no DCT scaling), upright, in sRGB, reduced to the
rendition's exact size in one Lanczos step from full resolution: what a rendition would be with unlimited time.
SSIM is scikit-image's `structural_similarity` over the three RGB channels (Gaussian-weighted, as in Wang et
al. 2004), 1.0 meaning identical.
"""
from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageOps
from skimage.metrics import structural_similarity


class Reference:
    """One photo at full resolution; `at(size)` the ideal rendition of that size (cached)."""

    def __init__(self, data: bytes):
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
        self.full = upright.convert("RGB")
        self._sizes: dict[tuple[int, int], np.ndarray] = {}

    def at(self, size: tuple[int, int]) -> np.ndarray:
        if size not in self._sizes:
            self._sizes[size] = np.asarray(self.full.resize(size, Image.Resampling.LANCZOS))
        return self._sizes[size]


def pixels(encoded: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(encoded)) as image:
        return np.asarray(image.convert("RGB"))


def ssim(reference: np.ndarray, candidate: np.ndarray) -> float:
    if reference.shape != candidate.shape:
        raise ValueError(f"sizes differ: {reference.shape} vs {candidate.shape}")
    return float(structural_similarity(reference, candidate, channel_axis=2, data_range=255, gaussian_weights=True,
                                       sigma=1.5, use_sample_covariance=False))
