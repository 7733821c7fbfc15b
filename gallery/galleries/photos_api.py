"""Photo routes of a gallery: uploads (through the app or direct to S3), list, change, delete."""
from flask import current_app, request
from flask_smorest import Blueprint

from gallery.accounts.auth import current_photographer, photographer_required
from gallery.core.request_guard import body_limit
from gallery.extensions import db
from gallery.galleries import photo_schemas as schemas
from gallery.galleries import photos, uploads

blp = Blueprint("photos", __name__, url_prefix="/api/v1/galleries", description="Photos and uploads")


def _result(result, status_new: int):
    body = {"duplicate": result.duplicate, "photo": result.photo, "plan": result.plan or None}
    return body, (200 if result.duplicate or result.photo is None else status_new)


@blp.post("/<gallery_id>/photos")
@photographer_required
@blp.doc(requestBody={"required": True, "content": {"multipart/form-data": {"schema": schemas.UploadFormSchema}}})
@blp.response(201, schemas.UploadResultSchema, description="Stored; processing started (or failed: see reason).")
@blp.alt_response(200, schema=schemas.UploadResultSchema, description="Duplicate: the gallery has this file.")
@body_limit(lambda: current_app.config["GALLERY"].max_upload_bytes + 64 * 1024)  # the file and its form fields
def upload_photo(gallery_id):
    """Upload one photo as multipart/form-data (`file`, optional `sha256`, `set_id`).

    Streamed to disk and storage in constant memory. A file whose content is not a
    JPEG, PNG, TIFF, WebP or HEIC image gets a `failed` photo with the reason.
    """
    result = uploads.upload_through_app(current_photographer().id, gallery_id, request)
    return _result(result, 201)


@blp.get("/<gallery_id>/photos")
@photographer_required
@blp.arguments(schemas.PhotoQuerySchema, location="query")
@blp.response(200, schemas.PhotoPageSchema)
def list_photos(args, gallery_id):
    """Photos in gallery order, with status, reason, dimensions and signed rendition URLs."""
    return photos.list_photos(current_photographer().id, gallery_id, **args)


@blp.post("/<gallery_id>/uploads")
@photographer_required
@blp.arguments(schemas.DirectUploadSchema)
@blp.response(201, schemas.DirectUploadResultSchema, description="A photo in `uploading` and its upload plan.")
@blp.alt_response(200, schema=schemas.DirectUploadResultSchema,
                  description="Duplicate, or local storage: the plan says POST the file to .../photos.")
def plan_upload(payload, gallery_id):
    """Direct upload: a presigned PUT (or multipart part URLs for large files) to the bucket."""
    return _result(uploads.plan_direct_upload(current_photographer().id, gallery_id, payload), 201)


@blp.post("/<gallery_id>/uploads/check")
@photographer_required
@blp.arguments(schemas.HashCheckSchema)
@blp.response(200, schemas.HashCheckResultSchema)
@body_limit(1024 * 1024)  # up to 5,000 digests
def check_hashes(payload, gallery_id):
    """Which of these sha256 the gallery already has (lets an uploader resume)."""
    return {"existing": photos.existing_hashes(current_photographer().id, gallery_id, payload["sha256"])}


@blp.post("/<gallery_id>/uploads/<photo_id>/complete")
@photographer_required
@blp.arguments(schemas.CompleteUploadSchema)
@blp.response(200, schemas.PhotoSchema)
def complete_upload(payload, gallery_id, photo_id):
    """Finish a direct upload (with every part's ETag for multipart); processing starts."""
    return uploads.complete_direct_upload(current_photographer().id, gallery_id, photo_id, payload.get("parts"))


@blp.get("/<gallery_id>/photos/<photo_id>")
@photographer_required
@blp.response(200, schemas.PhotoSchema)
def get_photo(gallery_id, photo_id):
    """One photo."""
    return photos.get_photo(current_photographer().id, gallery_id, photo_id)


@blp.patch("/<gallery_id>/photos/<photo_id>")
@photographer_required
@blp.arguments(schemas.PhotoUpdateSchema)
@blp.response(200, schemas.PhotoSchema)
def update_photo(changes, gallery_id, photo_id):
    """Move to a set, reorder, or hide from guests."""
    photo = photos.update_photo(current_photographer().id, gallery_id, photo_id, changes)
    db.session.flush()
    return photo


@blp.delete("/<gallery_id>/photos/<photo_id>")
@photographer_required
@blp.response(204)
def delete_photo(gallery_id, photo_id):
    """Delete a photo with its original and renditions."""
    photos.delete_photo(current_photographer().id, gallery_id, photo_id)
