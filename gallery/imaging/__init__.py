"""The rendition pipeline: pure functions from an uploaded file to web renditions.

No Flask, no storage, no database: callers (the upload worker, the demo seeder,
the benchmark) hand in a path or a binary file object and get bytes back.
"""
from gallery.imaging.errors import ImageRejected
from gallery.imaging.pipeline import ImageInfo, ProcessedImage, RenderedImage, process_image
from gallery.imaging.sniff import ACCEPTED_TYPES, sniff_image_type
from gallery.imaging.specs import DEFAULT_SPECS, WATERMARKED_SPEC, RenditionSpec, Watermark

__all__ = [
    "ACCEPTED_TYPES",
    "DEFAULT_SPECS",
    "WATERMARKED_SPEC",
    "ImageInfo",
    "ImageRejected",
    "ProcessedImage",
    "RenderedImage",
    "RenditionSpec",
    "Watermark",
    "process_image",
    "sniff_image_type",
]
