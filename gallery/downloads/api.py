"""Download routes of a share link: one photo, or a streamed zip (exact Content-Length, resumable with Range)."""
from flask import Response, request
from flask_limiter.util import get_remote_address
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from gallery.downloads import services
from gallery.core.filenames import content_disposition
from gallery.errors import Problem
from gallery.extensions import limiter
from gallery.sharing.access import share_access
from gallery.storage import ObjectNotFound, get_storage

blp = Blueprint("share_downloads", __name__, url_prefix="/api/v1/share",
                description="Downloads through a share link, under the gallery's policy, PIN and limits")

PIN_DESCRIPTION = "The gallery's 4-digit download PIN, when it has one (or the X-Download-Pin header)."


def _per_link_and_ip() -> str:
    return f"{request.view_args.get('token', '')}:{get_remote_address()}"


def _pin(args) -> str | None:
    return request.headers.get(services.PIN_HEADER) or args.get("pin")


def _wrong_pin(response) -> bool:
    # Only failed PINs use up the budget, so 10,000 PINs cannot be tried at speed.
    return response.status_code == 403 and b"pin_required" in response.get_data()


class SingleDownloadQuerySchema(Schema):
    size = fields.String(load_default="default", validate=validate.OneOf(["default", "original", "web"]),
                         metadata={"description": "original (full size) or web; default: the best allowed."})
    pin = fields.String(validate=validate.Regexp(r"^\d{4}$"), metadata={"description": PIN_DESCRIPTION})


class ZipQuerySchema(SingleDownloadQuerySchema):
    scope = fields.String(load_default="all", validate=validate.Regexp(r"^(all|favourites|set:[0-9a-z]{1,26})$"),
                          metadata={"description": "all, favourites or set:{set id}."})
    list_id = fields.String(validate=validate.Length(max=26),
                            metadata={"description": "With scope=favourites: which list (default list otherwise)."})


@blp.get("/<token>/photos/<photo_id>/download")
@limiter.limit("10 per minute", key_func=_per_link_and_ip, deduct_when=_wrong_pin)
@share_access()
@blp.arguments(SingleDownloadQuerySchema, location="query")
@blp.response(200, description="The file, with a safe UTF-8 Content-Disposition file name.")
def download_photo(args, photo_id, access):
    """Download one photo: the original (full-size policy) or the web-size rendition (records downloaded)."""
    file = services.single_download(access, photo_id, args["size"], _pin(args))
    if file.location_free is not None and file.location_free.head:
        return _location_free_response(file)
    try:
        return get_storage().serve(file.key, content_type=file.content_type, download_name=file.name)
    except ObjectNotFound:
        raise Problem(404, "The file is missing from storage; the photographer has been told.") from None


@blp.get("/<token>/download.zip")
@limiter.limit("10 per minute", key_func=_per_link_and_ip, deduct_when=_wrong_pin)
@share_access()
@blp.arguments(ZipQuerySchema, location="query")
@blp.response(200, description="A store-only zip, streamed; 206 for a Range request (resume).")
def download_zip(args, access):
    """The whole gallery, a set or the favourites as one zip: exact Content-Length, resumable with Range."""
    download = services.plan_zip(access, args["scope"], args["size"], _pin(args), args.get("list_id"))
    reader, writes_to_socket = services.zip_reader(request.environ)
    plan = download.plan.bind(reader)
    headers = {"Accept-Ranges": "bytes", "ETag": f'"{download.etag}"',
               "Content-Disposition": content_disposition(download.filename), "Cache-Control": "private, no-store"}
    byte_range = request.range
    if byte_range is not None and (len(byte_range.ranges) != 1 or (
            request.headers.get("If-Range") and request.if_range.etag != download.etag)):
        byte_range = None  # several ranges, or the archive changed since: send it whole
    start, end, status = 0, plan.length, 200
    if byte_range is not None:
        bounds = byte_range.range_for_length(plan.length)
        if bounds is None:
            raise Problem(416, "The requested range is outside the archive.",
                          headers={"Content-Range": f"bytes */{plan.length}"})
        (start, end), status = bounds, 206
        headers["Content-Range"] = f"bytes {start}-{end - 1}/{plan.length}"
    # A ranged request is held to the same rules and counts like a whole one: otherwise `Range: bytes=1-`
    # would fetch everything but one byte past the identity check and the download limit. A HEAD (a size
    # check) sends no data: it is checked, not counted.
    if request.method == "HEAD":
        services.check_download_identity(access)
    else:
        services.record_zip_download(access, download, started=start == 0)
    headers["Content-Length"] = str(end - start)
    body = plan.iter_bytes(start, end)
    if writes_to_socket:
        body = _headers_first(body)
    return Response(body, status=status, mimetype="application/zip", headers=headers,
                    direct_passthrough=True)


def _headers_first(body):
    # An empty first chunk makes the server send the status line and headers before any
    # file data goes straight to the socket.
    yield b""
    yield from body


def _location_free_response(file: services.DownloadFile) -> Response:
    """The original with its GPS position removed: streamed (the stripped head from memory, the rest as stored)."""
    storage = get_storage()
    body = file.location_free.iter_bytes(0, file.size, lambda start, end: storage.iter_range(file.key, start, end))
    return Response(body, mimetype=file.content_type, direct_passthrough=True,
                    headers={"Content-Length": str(file.size), "Content-Disposition": content_disposition(file.name),
                             "Cache-Control": "private, no-store"})
