"""Getting originals in: multipart through the app (streamed, constant memory) and
direct uploads to S3 (presigned PUT or multipart with presigned part URLs).

Duplicates: a file whose sha256 is already in the gallery is not stored twice;
the API answers 200 with `duplicate: true` and the existing photo (a failed
photo with the same content is replaced instead, so a retry can succeed).
Type is judged by content (magic bytes), never by name or declared type.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import math
import os
import tempfile
import zlib
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy.exc import IntegrityError
from werkzeug.formparser import FormDataParser

from gallery.core.ids import new_id
from gallery.core.transaction import commit, keep_on_error
from gallery.errors import Problem
from gallery.core.queues import is_inline
from gallery.extensions import db
from gallery.galleries.processing import TransientStorageError
from gallery.galleries.rendition_jobs import enqueue_process_photo
from gallery.galleries import photos as photo_service
from gallery.galleries.models import Photo
from gallery.galleries.services import get_gallery
from gallery.imaging import sniff_image_type
from gallery.imaging.sniff import SNIFF_BYTES
from gallery.storage import get_storage, keys

log = logging.getLogger(__name__)

CONTENT_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "tiff": "image/tiff", "webp": "image/webp",
                 "heic": "image/heic"}
NOT_ACCEPTED = "The file is not an image we accept (JPEG, PNG, TIFF, WebP or HEIC), whatever its name says."
EMPTY = "The file is empty (0 bytes)."
REJECTED_ON_ARRIVAL = (NOT_ACCEPTED, EMPTY)


@dataclass
class UploadResult:
    photo: Photo | None
    duplicate: bool = False
    plan: dict = field(default_factory=dict)


class HashingSpool:
    """Where werkzeug's form parser writes an uploaded file: a temporary file on
    disk, hashed while it is written (constant memory, one pass): the sha256 names the
    content, the CRC-32 is what a zip of the original needs (kept, so no zip reads it again)."""

    def __init__(self):
        self.file = tempfile.TemporaryFile(prefix="gallery-upload-")
        self.digest = hashlib.sha256()
        self.crc32 = 0
        self.head = b""
        self.size = 0

    def write(self, data: bytes) -> int:
        if len(self.head) < SNIFF_BYTES:
            self.head += data[:SNIFF_BYTES - len(self.head)]
        self.digest.update(data)
        self.crc32 = zlib.crc32(data, self.crc32)
        self.size += len(data)
        return self.file.write(data)

    def __getattr__(self, name):  # seek, read, tell, close ... of the file
        return getattr(self.file, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.file.close()


def parse_streamed_upload(request) -> tuple[dict, HashingSpool | None, str | None]:
    """(form fields, spooled file, its client file name) of a multipart request, never
    holding the file in memory."""
    spools: list[HashingSpool] = []

    def stream_factory(total_content_length, content_type, filename, content_length=None):
        spool = HashingSpool()
        spools.append(spool)
        return spool

    if request.mimetype != "multipart/form-data":
        raise Problem(415, "Send the photo as multipart/form-data with a `file` field.")
    settings = current_app.config["GALLERY"]
    parser = FormDataParser(stream_factory=stream_factory, max_content_length=settings.max_upload_bytes + 1024 * 1024,
                            max_form_memory_size=1024 * 1024)
    _, form, files = parser.parse(request.stream, request.mimetype, request.content_length, request.mimetype_params)
    upload = files.get("file")
    for extra in spools:  # only one file per request is kept
        if upload is None or extra is not upload.stream:
            extra.close()
    if upload is None:
        raise Problem(422, "No file in the upload.", errors={"file": ["Missing file field."]})
    return {k: form.get(k) for k in form.keys()}, upload.stream, upload.filename


def _clean_filename(name: str | None) -> str:
    # Only ever displayed and offered as a download name; keys never come from it.
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    return (base or "photo")[:255]


def _check_sha256(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    value = value.strip().lower()
    if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
        raise Problem(422, "sha256 must be 64 hexadecimal characters.", errors={"sha256": ["Not a sha256 hex digest."]})
    return value


def _duplicate_or_clear(gallery_id: str, sha256: str) -> Photo | None:
    """The existing photo with this content, unless it failed or its upload never completed: then it is
    removed, so this upload replaces it (a retry after a failure or an interrupted run)."""
    existing = db.session.scalar(db.select(Photo).where(Photo.gallery_id == gallery_id, Photo.sha256 == sha256))
    if existing is None or existing.status not in {"failed", "uploading"}:
        return existing
    if existing.status == "failed" and existing.failure_reason in REJECTED_ON_ARRIVAL:
        # The same bytes get the same verdict: answer the existing row (two racing uploads of one rejected
        # file share one id instead of the second deleting the first's).
        return existing
    storage = get_storage()
    if existing.upload_id:
        storage.abort_multipart(existing.storage_key, existing.upload_id)
    for key in photo_service.photo_object_keys(existing):
        storage.delete(key)
    db.session.delete(existing)
    db.session.flush()
    return None


def _new_photo(gallery_id: str, *, filename: str, sha256: str, size: int, set_id: str | None,
               content_type: str | None, status: str) -> Photo:
    photo_id = new_id()
    photo = Photo(id=photo_id, gallery_id=gallery_id, set_id=set_id, original_filename=_clean_filename(filename),
                  storage_key=keys.original_key(gallery_id, photo_id), sha256=sha256, bytes=size,
                  content_type=content_type, status=status, position=photo_service.next_position(gallery_id))
    db.session.add(photo)
    return photo


def _commit_or_duplicate(photo: Photo) -> Photo | None:
    """Commit the new row; on a concurrent upload of the same file, the photo that won."""
    try:
        commit()  # the row is saved before its processing job is queued (a worker is another process)
        return None
    except IntegrityError:
        db.session.rollback()
        winner = db.session.scalar(db.select(Photo).where(Photo.gallery_id == photo.gallery_id,
                                                          Photo.sha256 == photo.sha256))
        if winner is None:
            raise
        return winner


def upload_through_app(photographer_id: str, gallery_id: str, request) -> UploadResult:
    """Multipart upload: stream to a temp file (hashing), check, store, enqueue processing."""
    gallery = get_gallery(photographer_id, gallery_id)
    form, spool, filename = parse_streamed_upload(request)
    with spool:
        limit = current_app.config["GALLERY"].max_upload_bytes
        if spool.size > limit:
            raise Problem(413, f"The file is larger than the {limit} bytes allowed.", max_bytes=limit)
        return ingest(gallery.id, spool, filename, claimed_sha256=_check_sha256(form.get("sha256")),
                      set_id=form.get("set_id") or None)


def ingest_file(photographer_id: str, gallery_id: str, path, *, set_id: str | None = None) -> UploadResult:
    """A file on this machine into a gallery (the demo seed, operators' imports)."""
    gallery = get_gallery(photographer_id, gallery_id)
    with HashingSpool() as spool, open(path, "rb") as source:
        while block := source.read(1024 * 1024):
            spool.write(block)
        return ingest(gallery.id, spool, os.path.basename(path), set_id=set_id)


def ingest(gallery_id: str, spool: "HashingSpool", filename: str | None, *, claimed_sha256: str | None = None,
           set_id: str | None = None) -> UploadResult:
    """Check a spooled upload, store it and start processing (or report the duplicate / the rejection)."""
    actual = spool.digest.hexdigest()
    if claimed_sha256 and not hmac.compare_digest(claimed_sha256, actual):
        raise Problem(422, "The file's sha256 does not match the one sent; it was damaged on the way. "
                           "Upload it again.", errors={"sha256": [f"Received content hashes to {actual}."]},
                      received_sha256=actual)
    photo_service.check_set(gallery_id, set_id)
    existing = _duplicate_or_clear(gallery_id, actual)
    if existing is not None:
        return UploadResult(existing, duplicate=True)
    kind = sniff_image_type(spool.head)
    reason = EMPTY if spool.size == 0 else None if kind else NOT_ACCEPTED
    # A rejected file still gets a row (status failed, reason), so the photographer sees which file
    # failed and why; its bytes are not kept.
    photo = _new_photo(gallery_id, filename=filename, sha256=actual, size=spool.size, set_id=set_id,
                       content_type=CONTENT_TYPES.get(kind), status="failed" if reason else "processing")
    photo.failure_reason = reason
    if not reason:
        photo.crc32 = spool.crc32
        spool.seek(0)
        get_storage().save(photo.storage_key, spool, content_type=photo.content_type)
    try:
        winner = _commit_or_duplicate(photo)
    except BaseException:
        # The row was not saved (the database refused or went away): leave no original without its row.
        if not reason:
            _delete_quietly(photo.storage_key)
        raise
    if winner is not None:
        if not reason:
            get_storage().delete(photo.storage_key)
        return UploadResult(winner, duplicate=True)
    if not reason:
        start_processing(photo)
    return UploadResult(photo)


def _delete_quietly(key: str) -> None:
    try:
        get_storage().delete(key)
    except Exception:  # noqa: BLE001 - the original error is the one to report; this one is logged
        log.exception("could not remove %s after its row failed to save", key)


def start_processing(photo: Photo) -> None:
    """Queue the rendition job (runs inline without Redis)."""
    from redis.exceptions import RedisError

    try:
        enqueue_process_photo(photo.id)
    except RedisError as error:
        # The photo row and its original are saved: the upload succeeded. The reconciler queues every photo
        # left in `processing` once Redis answers again.
        log.warning("could not queue processing of %s (%s); left for the reconciler", photo.id, error)
    except TransientStorageError:
        if not is_inline():
            raise
        # Inline mode: the photo stays `processing` and the reconciler retries it.
        log.warning("storage unavailable while processing %s inline; left for the reconciler", photo.id)
    db.session.refresh(photo)


# -- direct upload ------------------------------------------------------------------------------

def _part_size(total: int, minimum: int) -> int:
    # S3 allows at most 10,000 parts.
    return max(minimum, math.ceil(total / 10_000))


def plan_direct_upload(photographer_id: str, gallery_id: str, data: dict) -> UploadResult:
    """A photo row in `uploading` and where to PUT the bytes; the app never sees them."""
    gallery = get_gallery(photographer_id, gallery_id)
    settings = current_app.config["GALLERY"]
    if data["bytes"] > settings.max_upload_bytes:
        raise Problem(413, f"The file is larger than the {settings.max_upload_bytes} bytes allowed.",
                      errors={"bytes": [f"At most {settings.max_upload_bytes}."]})
    photo_service.check_set(gallery.id, data.get("set_id"))
    sha256 = data["sha256"].lower()
    existing = _duplicate_or_clear(gallery.id, sha256)
    if existing is not None:
        return UploadResult(existing, duplicate=True)
    storage = get_storage()
    direct = hasattr(storage, "presigned_put")
    if not direct and not data.get("resumable"):
        # Local storage has no direct upload: the client sends the file through the app instead
        # (or, when it asks for a resumable upload, in parts through the app: uploads_resume).
        db.session.rollback()
        return UploadResult(None, plan={"strategy": "form", "method": "POST",
                                        "url": f"/api/v1/galleries/{gallery.id}/photos"})
    content_type = data.get("content_type")
    photo = _new_photo(gallery.id, filename=data["filename"], sha256=sha256, size=data["bytes"],
                       set_id=data.get("set_id"), content_type=content_type, status="uploading")
    if direct and data["bytes"] <= settings.direct_upload_multipart_threshold:
        plan = {"strategy": "put", **storage.presigned_put(photo.storage_key, content_type=content_type)}
    else:
        from gallery.galleries.uploads_resume import multipart_plan

        part_size = _part_size(data["bytes"], settings.direct_upload_part_size)
        photo.upload_id = storage.start_multipart(photo.storage_key, content_type=content_type)
        plan = multipart_plan(storage, photo, part_size)
    winner = _commit_or_duplicate(photo)
    if winner is not None:
        if photo.upload_id:
            storage.abort_multipart(photo.storage_key, photo.upload_id)
        return UploadResult(winner, duplicate=True)
    plan["complete_url"] = f"/api/v1/galleries/{gallery.id}/uploads/{photo.id}/complete"
    return UploadResult(photo, plan=plan)


def complete_direct_upload(photographer_id: str, gallery_id: str, photo_id: str, parts: list[dict] | None) -> Photo:
    """Check the object is there with the announced size, then queue processing.

    The sha256 is verified by the rendition job, which reads the whole object anyway.
    """
    from botocore.exceptions import ClientError

    from gallery.storage import ObjectNotFound
    from gallery.storage.multipart import MultipartError

    photo = photo_service.get_photo(photographer_id, gallery_id, photo_id)
    if photo.status != "uploading":
        if photo.status in {"processing", "ready"}:
            return photo  # a retried complete call: already done
        raise Problem(409, f"This upload is {photo.status}; start a new one.")
    storage = get_storage()
    if photo.upload_id:
        if not parts:
            raise Problem(422, "A multipart upload needs the ETag of every part.",
                          errors={"parts": ["Send [{part_number, etag}] for every part."]})
        try:
            storage.complete_multipart(photo.storage_key, photo.upload_id, parts)
        except (ClientError, MultipartError) as error:
            code = error.code if isinstance(error, MultipartError) else error.response.get("Error", {}).get("Code", "")
            raise Problem(422, f"The storage refused to assemble the parts ({code}); check every part was "
                               "uploaded and its ETag.", errors={"parts": [code or "Refused."]}) from None
        photo.upload_id = None
    try:
        size = storage.size(photo.storage_key)
    except ObjectNotFound:
        raise Problem(409, "Nothing has been uploaded yet: PUT the file to the upload URL first.") from None
    if size != photo.bytes:
        storage.delete(photo.storage_key)
        photo.status, photo.failure_reason = "failed", (
            f"The upload was {size} bytes but {photo.bytes} were announced; upload the file again.")
        keep_on_error()  # the photographer sees the failed upload and why
        raise Problem(422, photo.failure_reason, errors={"bytes": [f"Stored {size} bytes."]})
    photo.status = "processing"
    commit()  # complete before its processing job is queued (a worker is another process)
    start_processing(photo)
    return photo
