from flask_smorest import Blueprint

from gallery.accounts.auth import current_photographer, photographer_required
from gallery.extensions import db
from gallery.galleries import schemas, services

blp = Blueprint("galleries", __name__, url_prefix="/api/v1/galleries", description="Galleries and sets")


@blp.get("")
@photographer_required
@blp.arguments(schemas.GalleryQuerySchema, location="query")
@blp.response(200, schemas.GalleryPageSchema)
def list_galleries(args):
    """Galleries, newest first; filter by status or client."""
    return services.list_galleries(current_photographer().id, **args)


@blp.post("")
@photographer_required
@blp.arguments(schemas.GallerySchema)
@blp.response(201, schemas.GalleryDumpSchema)
def create_gallery(payload):
    """Create a draft gallery."""
    gallery = services.create_gallery(current_photographer().id, payload)
    db.session.flush()
    return gallery


@blp.get("/<gallery_id>")
@photographer_required
@blp.response(200, schemas.GalleryDumpSchema)
def get_gallery(gallery_id):
    """One gallery with its sets."""
    return services.get_gallery(current_photographer().id, gallery_id)


@blp.patch("/<gallery_id>")
@photographer_required
@blp.arguments(schemas.GallerySchema(partial=True))
@blp.response(200, schemas.GalleryDumpSchema)
def update_gallery(changes, gallery_id):
    """Change a gallery."""
    gallery = services.update_gallery(current_photographer().id, gallery_id, changes)
    db.session.flush()
    return gallery


@blp.delete("/<gallery_id>")
@photographer_required
@blp.response(204)
def delete_gallery(gallery_id):
    """Delete a gallery with its photos."""
    services.delete_gallery(current_photographer().id, gallery_id)


@blp.post("/<gallery_id>/publish")
@photographer_required
@blp.arguments(schemas.PublishSchema)
@blp.response(200, schemas.GalleryDumpSchema)
def publish_gallery(payload, gallery_id):
    """Publish: share links start to work."""
    gallery = services.publish_gallery(current_photographer().id, gallery_id, payload.get("expires_at"))
    db.session.flush()
    return gallery


@blp.post("/<gallery_id>/sets")
@photographer_required
@blp.arguments(schemas.SetSchema)
@blp.response(201, schemas.SetSchema)
def add_set(payload, gallery_id):
    """Add a set (a named section); appended last unless a position is given."""
    gallery_set = services.add_set(current_photographer().id, gallery_id, payload)
    db.session.flush()
    return gallery_set


@blp.patch("/<gallery_id>/sets/<set_id>")
@photographer_required
@blp.arguments(schemas.SetSchema(partial=True))
@blp.response(200, schemas.SetSchema)
def update_set(changes, gallery_id, set_id):
    """Rename, reorder or hide a set from guests."""
    gallery_set = services.update_set(current_photographer().id, gallery_id, set_id, changes)
    db.session.flush()
    return gallery_set


@blp.delete("/<gallery_id>/sets/<set_id>")
@photographer_required
@blp.response(204)
def delete_set(gallery_id, set_id):
    """Delete a set; its photos stay in the gallery."""
    services.delete_set(current_photographer().id, gallery_id, set_id)
