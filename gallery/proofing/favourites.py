"""A visitor's favourite lists and favourites (idempotent, the selection limit held under races)."""
from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from gallery.engagement.services import record_event
from gallery.errors import Problem
from gallery.extensions import db
from gallery.proofing.models import DEFAULT_LIST_NAME, Favourite, FavouriteList, Selection
from gallery.sharing.access import ShareAccess
from gallery.sharing.models import Visitor
from gallery.sharing.visibility import get_visible_photo


def _default_list_id(access: ShareAccess) -> str | None:
    if access.visitor is None:
        return None
    return db.session.scalar(select(FavouriteList.id).where(FavouriteList.visitor_id == access.visitor.id,
                                                            FavouriteList.name == DEFAULT_LIST_NAME))


def selection_state(access: ShareAccess, list_id: str | None = None) -> dict | None:
    if access.visitor is None:
        return None
    list_id = list_id or _default_list_id(access)
    count, status = 0, None
    if list_id:
        count = db.session.scalar(select(func.count()).select_from(Favourite).where(Favourite.list_id == list_id))
        status = db.session.scalar(select(Selection.status).where(Selection.list_id == list_id))
    limit = access.gallery.selection_limit if access.is_client else None
    return {"limit": limit, "count": count, "remaining": None if limit is None else max(limit - count, 0),
            "status": status, "locked": status == "submitted"}


def _list_by_name(visitor: Visitor, name: str) -> FavouriteList | None:
    return db.session.scalar(select(FavouriteList).where(FavouriteList.visitor_id == visitor.id,
                                                         FavouriteList.name == name))


def create_list(access: ShareAccess, name: str) -> FavouriteList:
    """Get or create the visitor's list of that name (two phones creating it at once get the same one)."""
    existing = _list_by_name(access.visitor, name)
    if existing is not None:
        return existing
    favourite_list = FavouriteList(visitor_id=access.visitor.id, gallery_id=access.gallery.id, name=name)
    try:
        with db.session.begin_nested():
            db.session.add(favourite_list)
    except IntegrityError:
        favourite_list = _list_by_name(access.visitor, name)
    return favourite_list


def get_list(access: ShareAccess, list_id: str | None, *, lock: bool = False) -> FavouriteList:
    """The visitor's own list (default list when list_id is None); `lock` serialises changes to it."""
    if list_id is None:
        favourite_list = create_list(access, DEFAULT_LIST_NAME)
        if not lock:
            return favourite_list
        list_id = favourite_list.id
    if access.visitor is None:
        raise Problem(404, "No such favourite list.")
    stmt = select(FavouriteList).where(FavouriteList.id == list_id, FavouriteList.visitor_id == access.visitor.id)
    if lock:
        stmt = stmt.with_for_update()
    favourite_list = db.session.scalar(stmt)
    if favourite_list is None:
        raise Problem(404, "No such favourite list.")
    return favourite_list


def lists_of(access: ShareAccess) -> list[dict]:
    counts = dict(db.session.execute(
        select(Favourite.list_id, func.count()).join(FavouriteList, FavouriteList.id == Favourite.list_id)
        .where(FavouriteList.visitor_id == access.visitor.id).group_by(Favourite.list_id)).all())
    statuses = dict(db.session.execute(
        select(Selection.list_id, Selection.status).where(Selection.visitor_id == access.visitor.id)).all())
    lists = db.session.scalars(select(FavouriteList).where(FavouriteList.visitor_id == access.visitor.id)
                               .order_by(FavouriteList.created_at, FavouriteList.id))
    return [{"id": fl.id, "name": fl.name, "created_at": fl.created_at, "count": counts.get(fl.id, 0),
             "locked": statuses.get(fl.id) == "submitted"} for fl in lists]


def _ensure_unlocked(favourite_list: FavouriteList) -> None:
    status = db.session.scalar(select(Selection.status).where(Selection.list_id == favourite_list.id))
    if status == "submitted":
        raise Problem(409, "This selection was submitted and is locked. Ask the photographer to reopen it.",
                      locked=True)


def put_favourite(access: ShareAccess, photo_id: str, *, list_id: str | None = None,
                  note: str | None = None, note_given: bool = False) -> dict:
    """Idempotent: favouriting twice keeps one favourite (and one event); the selection limit holds under races."""
    photo = get_visible_photo(access, photo_id)
    favourite_list = get_list(access, list_id, lock=True)  # row lock: concurrent adds to one list take turns
    _ensure_unlocked(favourite_list)
    favourite = db.session.scalar(select(Favourite).where(Favourite.list_id == favourite_list.id,
                                                          Favourite.photo_id == photo.id))
    if favourite is None:
        state = selection_state(access, favourite_list.id)
        if state["limit"] is not None and state["count"] >= state["limit"]:
            raise Problem(409, f"You can pick {state['limit']} photos and have picked {state['count']}. "
                               "Remove one to add another.", limit=state["limit"], count=state["count"], remaining=0)
        favourite = Favourite(list_id=favourite_list.id, photo_id=photo.id, note=note)
        try:
            with db.session.begin_nested():
                db.session.add(favourite)
            record_event("favourited", photographer_id=access.gallery.photographer_id, gallery_id=access.gallery.id,
                         client_id=access.client_id, visitor_id=access.visitor_id, photo_id=photo.id,
                         payload={"list": favourite_list.name})
        except IntegrityError:  # the other phone won the race: same outcome, one favourite
            favourite = db.session.scalar(select(Favourite).where(Favourite.list_id == favourite_list.id,
                                                                  Favourite.photo_id == photo.id))
    if note_given:
        favourite.note = note
    db.session.flush()
    return {"photo_id": photo.id, "list_id": favourite_list.id, "note": favourite.note,
            "created_at": favourite.created_at, "selection": selection_state(access, favourite_list.id)}


def delete_favourite(access: ShareAccess, photo_id: str, *, list_id: str | None = None) -> None:
    """Idempotent: removing what is not there is fine."""
    photo = get_visible_photo(access, photo_id)
    favourite_list = get_list(access, list_id, lock=True)
    _ensure_unlocked(favourite_list)
    removed = db.session.execute(delete(Favourite).where(Favourite.list_id == favourite_list.id,
                                                         Favourite.photo_id == photo.id)).rowcount
    if removed:
        record_event("unfavourited", photographer_id=access.gallery.photographer_id, gallery_id=access.gallery.id,
                     client_id=access.client_id, visitor_id=access.visitor_id, photo_id=photo.id,
                     payload={"list": favourite_list.name})
