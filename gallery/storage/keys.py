"""Object keys: built only from our own ids, so no user input ever reaches a path."""


def original_key(gallery_id: str, photo_id: str) -> str:
    return f"originals/{gallery_id}/{photo_id}"


def rendition_key(gallery_id: str, photo_id: str, name: str, fmt: str) -> str:
    extension = {"jpeg": "jpg"}.get(fmt, fmt)
    return f"renditions/{gallery_id}/{photo_id}/{name}.{extension}"


def gallery_prefixes(gallery_id: str) -> list[str]:
    return [f"originals/{gallery_id}/", f"renditions/{gallery_id}/"]


def logo_key(photographer_id: str, version: str) -> str:
    """A studio's uploaded logo (re-encoded as PNG by us; `version` is a digest of those bytes)."""
    return f"brand/{photographer_id}/logo-{version}.png"
