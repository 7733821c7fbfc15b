"""Resuming a direct upload after a reload or a lost connection: a fresh plan for a photo still
`uploading`, with the multipart parts that already arrived, so nothing is sent twice."""
from __future__ import annotations

import math

from flask import current_app
from flask_smorest import Blueprint
from marshmallow import fields

from gallery.accounts.auth import current_photographer, photographer_required
from gallery.errors import Problem
from gallery.galleries import photo_schemas
from gallery.galleries.photos import get_photo
from gallery.storage import get_storage

blp = Blueprint("upload_resume", __name__, url_prefix="/api/v1/galleries", description="Photos and uploads")


class UploadedPartSchema(photo_schemas.PartUrlSchema):
    etag = fields.String()


class ResumePlanSchema(photo_schemas.DirectUploadResultSchema):
    uploaded_parts = fields.List(fields.Nested(UploadedPartSchema(only=("part_number", "etag", "bytes"))),
                                 metadata={"description": "Multipart: parts already stored; send only the others."})


def resume_plan(photographer_id: str, gallery_id: str, photo_id: str) -> dict:
    photo = get_photo(photographer_id, gallery_id, photo_id)
    if photo.status != "uploading":
        raise Problem(409, f"This upload is {photo.status}; there is nothing to resume.")
    storage = get_storage()
    complete_url = f"/api/v1/galleries/{photo.gallery_id}/uploads/{photo.id}/complete"
    if not photo.upload_id:
        plan = {"strategy": "put", **storage.presigned_put(photo.storage_key, content_type=photo.content_type),
                "complete_url": complete_url}
        return {"duplicate": False, "photo": photo, "plan": plan, "uploaded_parts": []}
    settings = current_app.config["GALLERY"]
    part_size = max(settings.direct_upload_part_size, math.ceil(photo.bytes / 10_000))
    count = math.ceil(photo.bytes / part_size)
    uploaded = storage.uploaded_parts(photo.storage_key, photo.upload_id)
    plan = {"strategy": "multipart", "part_size": part_size, "complete_url": complete_url, "parts": [
        {"part_number": n, "method": "PUT", "url": storage.presigned_part(photo.storage_key, photo.upload_id, n),
         "bytes": min(part_size, photo.bytes - (n - 1) * part_size)} for n in range(1, count + 1)]}
    return {"duplicate": False, "photo": photo, "plan": plan, "uploaded_parts": uploaded}


@blp.get("/<gallery_id>/uploads/<photo_id>")
@photographer_required
@blp.response(200, ResumePlanSchema)
def resume_upload(gallery_id, photo_id):
    """A fresh plan for an unfinished direct upload (presigned URLs expire), with the parts already stored.

    Find unfinished uploads with POST .../uploads/check (status `uploading`)."""
    return resume_plan(current_photographer().id, gallery_id, photo_id)
