"""Object storage: one Storage interface, a local-filesystem and an S3 implementation."""
from gallery.storage.base import ObjectNotFound, Storage, get_storage

__all__ = ["ObjectNotFound", "Storage", "get_storage"]
