"""GET /api/v1/share/{token}/downloads: what this link may download as a zip, and how big each zip is.

The page shows "Download all (240 photos, 1.2 GB)" before the client commits to a download on a phone plan.
Sizes are the exact Content-Length `download.zip` will send (a zip's length follows from names and file sizes).
"""
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from gallery.downloads import services
from gallery.downloads.zipstream import ZipPlan
from gallery.errors import Problem
from gallery.proofing.favourites import lists_of
from gallery.sharing.access import share_access
from gallery.sharing.visibility import visible_sets

blp = Blueprint("share_download_options", __name__, url_prefix="/api/v1/share",
                description="Downloads through a share link: the zips on offer and their sizes")


class ZipSizeSchema(Schema):
    size = fields.String(metadata={"description": "web or original (the `size` to ask download.zip for)."})
    files = fields.Integer()
    bytes = fields.Integer(metadata={"description": "Exact length of the zip."})


class ZipOptionSchema(Schema):
    scope = fields.String(metadata={"description": "all, favourites or set:{id} (download.zip's `scope`)."})
    list_id = fields.String(allow_none=True)
    name = fields.String(allow_none=True, metadata={"description": "The set's or list's name."})
    sizes = fields.List(fields.Nested(ZipSizeSchema))


class DownloadOptionsSchema(Schema):
    allowed = fields.String(metadata={"description": "none, web or full: the best size this link may download."})
    pin_required = fields.Boolean()
    zips = fields.List(fields.Nested(ZipOptionSchema))


def _sizes(access, scope: str, list_id: str | None, sizes: list[str]) -> list[dict]:
    photos = services.zip_photos(access, scope, list_id)
    result = []
    for served in sizes:
        entries = services.zip_entries(access, scope, served, photos, with_crc=False)
        if entries:
            result.append({"size": served, "files": len(entries), "bytes": ZipPlan(entries).length})
    return result


@blp.get("/<token>/downloads")
@share_access()
@blp.response(200, DownloadOptionsSchema)
def download_options(access):
    """The zips this link may download (whole gallery, each set, the visitor's lists) with exact sizes."""
    try:
        allowed = {"original": "full", "web": "web"}[services.check_policy(access, "default")]
    except Problem:
        return {"allowed": "none", "pin_required": False, "zips": []}
    sizes = ["web", "original"] if allowed == "full" else ["web"]
    zips = [{"scope": "all", "list_id": None, "name": None, "sizes": _sizes(access, "all", None, sizes)}]
    for gallery_set in visible_sets(access):
        scope = f"set:{gallery_set.id}"
        zips.append({"scope": scope, "list_id": None, "name": gallery_set.name,
                     "sizes": _sizes(access, scope, None, sizes)})
    if access.visitor is not None:
        for favourite_list in lists_of(access):
            if favourite_list["count"]:
                zips.append({"scope": "favourites", "list_id": favourite_list["id"], "name": favourite_list["name"],
                             "sizes": _sizes(access, "favourites", favourite_list["id"], sizes)})
    return {"allowed": allowed, "pin_required": access.gallery.download_pin_hash is not None,
            "zips": [z for z in zips if z["sizes"]]}
