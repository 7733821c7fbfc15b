"""The photographer's view of favourites: each visitor's lists with the photos and notes in them."""
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import select

from gallery.accounts.auth import current_photographer, photographer_required
from gallery.core.schemas import Timestamp
from gallery.extensions import db
from gallery.galleries.models import Photo
from gallery.galleries.services import get_gallery
from gallery.proofing.models import DEFAULT_LIST_NAME, Favourite, FavouriteList, Selection
from gallery.sharing.models import Visitor
from gallery.proofing.photographer_api import SelectionPhotoSchema, SelectionVisitorSchema

blp = Blueprint("favourite_lists", __name__, url_prefix="/api/v1/galleries", description="Client selections (proofing)")


class VisitorListSchema(Schema):
    id = fields.String()
    name = fields.String()
    is_default = fields.Boolean(metadata={"description": "The visitor's default list, stored under a fixed name: each face shows it in its own language."})
    visitor = fields.Nested(SelectionVisitorSchema)
    selection_status = fields.String(allow_none=True, metadata={"description": "submitted, reopened or null."})
    count = fields.Integer()
    updated_at = Timestamp()
    photos = fields.List(fields.Nested(SelectionPhotoSchema))


class VisitorListsSchema(Schema):
    items = fields.List(fields.Nested(VisitorListSchema))


def favourite_lists(photographer_id: str, gallery_id: str) -> list[dict]:
    gallery = get_gallery(photographer_id, gallery_id)
    lists = list(db.session.execute(
        select(FavouriteList, Visitor, Selection.status).join(Visitor, Visitor.id == FavouriteList.visitor_id)
        .outerjoin(Selection, Selection.list_id == FavouriteList.id)
        .where(FavouriteList.gallery_id == gallery.id).order_by(FavouriteList.updated_at.desc(), FavouriteList.id)))
    photos: dict[str, list[dict]] = {}
    if lists:
        for list_id, photo_id, filename, note in db.session.execute(
                select(Favourite.list_id, Photo.id, Photo.original_filename, Favourite.note)
                .join(Photo, Photo.id == Favourite.photo_id)
                .where(Favourite.list_id.in_([row[0].id for row in lists])).order_by(Photo.position, Photo.id)):
            photos.setdefault(list_id, []).append({"photo_id": photo_id, "filename": filename, "note": note})
    return [{"id": fav_list.id, "name": fav_list.name, "is_default": fav_list.name == DEFAULT_LIST_NAME,
             "visitor": visitor, "selection_status": status,
             "count": len(photos.get(fav_list.id, [])), "updated_at": fav_list.updated_at,
             "photos": photos.get(fav_list.id, [])} for fav_list, visitor, status in lists]


@blp.get("/<gallery_id>/favourite-lists")
@photographer_required
@blp.response(200, VisitorListsSchema)
def list_favourite_lists(gallery_id):
    """Every visitor's favourite lists with the photos (original file names) and their notes."""
    return {"items": favourite_lists(current_photographer().id, gallery_id)}
