"""Favourite lists of a share link's visitor beyond create and list: rename, delete, move a photo between lists.

The default list ("Favourites", the one a selection is submitted from) keeps its name and cannot be deleted;
a submitted (locked) list cannot change until the photographer reopens it.
"""
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import delete, select

from gallery.core.schemas import Text
from gallery.errors import Problem
from gallery.extensions import db
from gallery.proofing import favourites, schemas
from gallery.sharing.access import share_access
from gallery.proofing.models import DEFAULT_LIST_NAME, Favourite, FavouriteList

blp = Blueprint("share_lists", __name__, url_prefix="/api/v1/share",
                description="A visitor's favourite lists: rename, delete, move photos between them")


class ListRenameSchema(Schema):
    name = Text(120, required=True)


class MoveSchema(Schema):
    from_list_id = fields.String(required=True, validate=validate.Length(max=26))
    to_list_id = fields.String(required=True, validate=validate.Length(max=26))


def _changeable(access, list_id: str) -> FavouriteList:
    favourite_list = favourites.get_list(access, list_id, lock=True)
    if favourite_list.name == DEFAULT_LIST_NAME:
        raise Problem(409, "The default favourites list keeps its name and cannot be deleted.")
    favourites._ensure_unlocked(favourite_list)
    return favourite_list


@blp.patch("/<token>/favourite-lists/<list_id>")
@share_access(require_visitor=True)
@blp.arguments(ListRenameSchema)
@blp.response(200, schemas.FavouriteListSchema)
def rename_list(payload, list_id, access):
    """Rename one of the visitor's lists (409 for the default list or a name already used)."""
    favourite_list = _changeable(access, list_id)
    name = payload["name"].strip()
    if not name:
        raise Problem(422, "Give the list a name.", errors={"name": ["Empty."]})
    if name != favourite_list.name and (name == DEFAULT_LIST_NAME or db.session.scalar(
            select(FavouriteList.id).where(FavouriteList.visitor_id == access.visitor.id,
                                           FavouriteList.name == name))):
        raise Problem(409, "You already have a list of that name.", errors={"name": ["Already used."]})
    favourite_list.name = name
    return next(item for item in favourites.lists_of(access) if item["id"] == favourite_list.id)


@blp.delete("/<token>/favourite-lists/<list_id>")
@share_access(require_visitor=True)
@blp.response(204)
def delete_list(list_id, access):
    """Delete one of the visitor's own lists (not the default one); the photos stay in the gallery."""
    favourite_list = _changeable(access, list_id)
    db.session.execute(delete(Favourite).where(Favourite.list_id == favourite_list.id))
    db.session.delete(favourite_list)
    db.session.flush()


@blp.post("/<token>/favourites/<photo_id>/move")
@share_access(require_visitor=True)
@blp.arguments(MoveSchema)
@blp.response(200, schemas.FavouriteSchema)
def move_favourite(payload, photo_id, access):
    """Move a photo from one of the visitor's lists to another (keeps its note); the limit applies to the target."""
    if payload["from_list_id"] == payload["to_list_id"]:
        raise Problem(422, "Pick a different list.", errors={"to_list_id": ["Same as from_list_id."]})
    source = favourites.get_list(access, payload["from_list_id"])
    favourites.get_list(access, payload["to_list_id"])
    note = db.session.scalar(select(Favourite.note).where(Favourite.list_id == source.id,
                                                          Favourite.photo_id == photo_id))
    moved = favourites.put_favourite(access, photo_id, list_id=payload["to_list_id"], note=note,
                                   note_given=note is not None)
    favourites.delete_favourite(access, photo_id, list_id=source.id)
    return moved
