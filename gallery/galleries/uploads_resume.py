"""Resumable uploads: which parts of an interrupted upload arrived, and parts sent through the app.

A multipart upload (direct to S3, or through the app on local storage, which keeps parts the same
way: `gallery.storage.multipart`) survives an interrupted client: `upload_state` lists the parts the
storage holds (S3 ListParts) with fresh URLs for the rest, so a second run sends only what is missing,
then completes as usual (`uploads.complete_direct_upload`).
"""
from __future__ import annotations

import math

from flask import current_app
from werkzeug.exceptions import ClientDisconnected

from gallery.errors import Problem
from gallery.galleries import photos as photo_service
from gallery.galleries.models import Photo
from gallery.storage import get_storage
from gallery.storage.multipart import MultipartError, ShortPart

EXPIRED = "This upload expired or was abandoned; plan it again (POST .../uploads) and send the whole file."


def complete_url(photo: Photo) -> str:
    return f"/api/v1/galleries/{photo.gallery_id}/uploads/{photo.id}/complete"


def part_url(photo: Photo, part_number: int) -> str:
    return f"/api/v1/galleries/{photo.gallery_id}/uploads/{photo.id}/parts/{part_number}"


def _part_bytes(photo: Photo, part_size: int, part_number: int) -> int:
    return min(part_size, photo.bytes - (part_number - 1) * part_size)


def multipart_plan(storage, photo: Photo, part_size: int) -> dict:
    """Where to send each part: presigned bucket URLs, or the app's part route on local storage."""
    presigned = getattr(storage, "presigned_part", None)
    count = max(1, math.ceil(photo.bytes / part_size))
    return {"strategy": "multipart", "part_size": part_size, "complete_url": complete_url(photo), "parts": [
        {"part_number": n, "method": "PUT", "bytes": _part_bytes(photo, part_size, n),
         "url": presigned(photo.storage_key, photo.upload_id, n) if presigned else part_url(photo, n)}
        for n in range(1, count + 1)]}


def _stored_parts(storage, photo: Photo) -> list[dict]:
    try:
        return storage.list_parts(photo.storage_key, photo.upload_id)
    except MultipartError:
        raise Problem(410, EXPIRED) from None


def _part_size(photo: Photo, stored: list[dict]) -> int:
    """The part size the upload was planned with: part 1's size when it is stored and not the only part,
    else what the plan computes from the settings."""
    from gallery.galleries.uploads import _part_size as planned

    first = next((p for p in stored if p["part_number"] == 1), None)
    if first and first["bytes"] < photo.bytes:
        return first["bytes"]
    return planned(photo.bytes, current_app.config["GALLERY"].direct_upload_part_size)


def _multipart_photo(photographer_id: str, gallery_id: str, photo_id: str) -> Photo:
    photo = photo_service.get_photo(photographer_id, gallery_id, photo_id)
    if photo.status != "uploading" or not photo.upload_id:
        raise Problem(409, f"This photo is {photo.status}, not a multipart upload in progress.")
    return photo


def upload_state(photographer_id: str, gallery_id: str, photo_id: str) -> dict:
    """The photo, the parts that arrived, and (while it is uploading in parts) the plan for the rest."""
    photo = photo_service.get_photo(photographer_id, gallery_id, photo_id)
    if photo.status != "uploading" or not photo.upload_id:
        # Done, failed, or a single PUT (nothing to resume inside: plan the file again).
        return {"photo": photo, "plan": None, "uploaded_parts": [], "uploaded_bytes": 0}
    storage = get_storage()
    stored = _stored_parts(storage, photo)
    part_size = _part_size(photo, stored)
    plan = multipart_plan(storage, photo, part_size)
    expected = {p["part_number"]: p["bytes"] for p in plan["parts"]}
    # A part of another size (the plan changed) is not counted: the client sends it again.
    arrived = [p for p in stored if expected.get(p["part_number"]) == p["bytes"]]
    return {"photo": photo, "plan": plan, "uploaded_parts": arrived,
            "uploaded_bytes": sum(p["bytes"] for p in arrived)}


def receive_part(photographer_id: str, gallery_id: str, photo_id: str, part_number: int, request) -> dict:
    """One part of a resumable upload through the app (local storage), streamed to disk."""
    photo = _multipart_photo(photographer_id, gallery_id, photo_id)
    storage = get_storage()
    if not hasattr(storage, "upload_part"):
        raise Problem(409, "This server stores photos in a bucket: PUT each part to the URL in the plan.")
    part_size = _part_size(photo, _stored_parts(storage, photo))
    count = max(1, math.ceil(photo.bytes / part_size))
    if not 1 <= part_number <= count:
        raise Problem(422, f"This upload has parts 1 to {count}.", errors={"part_number": [f"1 to {count}."]})
    expected = _part_bytes(photo, part_size, part_number)
    if request.content_length is None:
        raise Problem(411, "Send the part with a Content-Length header.")
    if request.content_length != expected:
        raise Problem(422, f"Part {part_number} is {expected} bytes, not {request.content_length}.",
                      errors={"Content-Length": [f"Expected {expected}."]})
    try:
        return storage.upload_part(photo.upload_id, part_number, request.stream, expected)
    except (ShortPart, ClientDisconnected):
        raise Problem(400, f"The body ended before the {expected} bytes of part {part_number}; nothing was "
                           "kept, send the part again.") from None
    except MultipartError:
        raise Problem(410, EXPIRED) from None
