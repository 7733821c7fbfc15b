"""gallery-upload: a photographer's folder of photos into a gallery, over the platform's public API."""

__version__ = "1.0.0"
