from flask import request
from flask_smorest import Blueprint

from gallery.errors import Problem
from gallery.storage import ObjectNotFound, get_storage
from gallery.storage.signing import SignatureError, verify

blp = Blueprint("files", __name__, description="Signed, expiring object URLs")


@blp.get("/files/<path:key>")
@blp.response(200, description="The object's bytes (or a redirect to the object store).")
def serve_file(key):
    """Serve an object named by a signed URL; 403 for a bad signature, 410 once expired or revoked."""
    try:
        verify(key, request.args.get("e"), request.args.get("s"), request.args.get("d"), request.args.get("c"))
    except SignatureError as error:
        raise Problem(error.status, error.detail) from None
    try:
        return get_storage().serve(key, download_name=request.args.get("d"))
    except (ObjectNotFound, ValueError):
        raise Problem(404, "No such file.") from None
