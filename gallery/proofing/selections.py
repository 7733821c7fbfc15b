"""Selections: a client submits a favourite list as their pick (limit checked, then locked); the photographer
reads them with filenames (and a Lightroom / Capture One filter) and may reopen one."""
from __future__ import annotations

import logging

from sqlalchemy import and_, or_, select

from gallery import mail
from gallery.accounts.branding import mail_brand
from gallery.core import clock
from gallery.core.exports import one_line
from gallery.engagement.services import record_event
from gallery.errors import Problem
from gallery.extensions import db
from gallery.galleries.models import Gallery, Photo
from gallery.galleries.services import get_gallery
from gallery.proofing.favourites import get_list, selection_state
from gallery.proofing.models import DEFAULT_LIST_NAME, Favourite, FavouriteList, Selection
from gallery.sharing.access import ShareAccess
from gallery.sharing.language import client_locale
from gallery.sharing.links import page_url
from gallery.sharing.models import ShareLink, Visitor

log = logging.getLogger(__name__)


def submit_selection(access: ShareAccess, list_id: str | None, note: str | None) -> Selection:
    """Submit a list as the visitor's selection: checks the limit, locks it, mails the photographer."""
    access.require_client()
    favourite_list = get_list(access, list_id, lock=True)
    state = selection_state(access, favourite_list.id)
    if state["count"] == 0:
        raise Problem(422, "Pick at least one photo before you submit.", count=0, limit=state["limit"])
    if state["limit"] is not None and state["count"] > state["limit"]:
        over = state["count"] - state["limit"]
        raise Problem(422, f"You picked {state['count']} photos but the limit is {state['limit']}: "
                           f"remove {over} before you submit.", limit=state["limit"], count=state["count"], remaining=0)
    selection = db.session.scalar(select(Selection).where(Selection.list_id == favourite_list.id))
    if selection is not None and selection.locked:
        raise Problem(409, "This selection is already submitted.", locked=True)
    now = clock.now()
    if selection is None:
        selection = Selection(gallery_id=access.gallery.id, visitor_id=access.visitor.id, list_id=favourite_list.id)
        db.session.add(selection)
    selection.status, selection.submitted_at, selection.note = "submitted", now, note
    db.session.flush()
    record_event("selection_submitted", photographer_id=access.gallery.photographer_id,
                 gallery_id=access.gallery.id, client_id=access.client_id, visitor_id=access.visitor_id,
                 payload={"selection_id": selection.id, "count": state["count"], "list": favourite_list.name})
    _mail_photographer_selection(access, selection)  # queued: it leaves after the commit
    return selection


def _mail_photographer_selection(access: ShareAccess, selection: Selection) -> None:
    """The photographer's copy of the selection (in their language), with a filter for Lightroom; replies
    go to the client."""
    photographer = access.gallery.photographer
    visitor = access.visitor
    names = [one_line(name) for name in selection_filenames(selection.list_id)]
    mail.queue("selection_submitted", to=photographer.email, language=photographer.locale, reply_to=visitor.email,
               photographer_id=photographer.id,
               context={"gallery_title": access.gallery.title, "note": one_line(selection.note) if selection.note else None, "filenames": names,
                        "who": f"{one_line(visitor.name)} <{visitor.email}>" if visitor.name else visitor.email,
                        "lightroom_filter": lightroom_filter(names)})


def selection_filenames(list_id: str) -> list[str]:
    return list(db.session.scalars(
        select(Photo.original_filename).join(Favourite, Favourite.photo_id == Photo.id)
        .where(Favourite.list_id == list_id).order_by(Photo.position, Photo.id)))


def lightroom_filter(filenames: list[str]) -> str:
    """`DSC_0012, DSC_0040`: file stems, as Lightroom's and Capture One's text filters take them."""
    return ", ".join(one_line(name.rsplit(".", 1)[0] if "." in name else name) for name in filenames)


# --- the photographer's side ------------------------------------------------------------------------------------

def list_selections(photographer_id: str, gallery_id: str, selection_id: str | None = None) -> list[dict]:
    """Each visitor's selection with the photos' original filenames (a constant number of queries)."""
    gallery = get_gallery(photographer_id, gallery_id)
    stmt = (select(Selection, Visitor, FavouriteList.name, awaiting_photographer().label("awaiting"))
            .join(Visitor, Visitor.id == Selection.visitor_id)
            .join(FavouriteList, FavouriteList.id == Selection.list_id)
            .where(Selection.gallery_id == gallery.id).order_by(Selection.submitted_at, Selection.id))
    if selection_id:
        stmt = stmt.where(Selection.id == selection_id)
    rows = db.session.execute(stmt).all()
    if selection_id and not rows:
        raise Problem(404, "No such selection in this gallery.")
    photos: dict[str, list[dict]] = {}
    if rows:
        for list_id, photo_id, filename, note in db.session.execute(
                select(Favourite.list_id, Photo.id, Photo.original_filename, Favourite.note)
                .join(Photo, Photo.id == Favourite.photo_id)
                .where(Favourite.list_id.in_([s.list_id for s, *_ in rows])).order_by(Photo.position, Photo.id)):
            photos.setdefault(list_id, []).append({"photo_id": photo_id, "filename": filename, "note": note})
    result = []
    for selection, visitor, list_name, awaiting in rows:
        items = photos.get(selection.list_id, [])
        result.append({
            "id": selection.id, "status": selection.status, "locked": selection.locked, "list_name": list_name,
            "list_is_default": list_name == DEFAULT_LIST_NAME,
            "note": selection.note, "submitted_at": selection.submitted_at, "reopened_at": selection.reopened_at,
            "acknowledged_at": selection.acknowledged_at, "awaiting_photographer": bool(awaiting),
            "visitor": {"id": visitor.id, "email": visitor.email, "name": visitor.name,
                        "client_id": visitor.client_id},
            "count": len(items), "photos": items,
            "filter_text": lightroom_filter([p["filename"] for p in items]),
        })
    return result


def selections_as_text(selections: list[dict]) -> str:
    """Plain-text export: one line per selection, ready to paste into a Lightroom / Capture One text filter.

    With several selections each line follows a `# name <email>` comment line.
    """
    if len(selections) == 1:
        return selections[0]["filter_text"] + "\n"
    blocks = []
    for selection in selections:
        visitor = selection["visitor"]
        who = f"{one_line(visitor['name'])} <{visitor['email']}>" if visitor["name"] else visitor["email"]
        blocks.append(f"# {who}, {one_line(selection['list_name'])}, {selection['count']} photos\n"
                      f"{selection['filter_text']}\n")
    return "\n".join(blocks)


def awaiting_photographer():
    """The one rule for a selection that waits on the photographer: submitted (locked) and not marked handled
    since its last submission. Reopening it, or acknowledging it, hands it back (a SQL condition)."""
    return and_(Selection.status == "submitted",
                or_(Selection.acknowledged_at.is_(None), Selection.acknowledged_at < Selection.submitted_at))


def acknowledge_selection(photographer_id: str, gallery_id: str, selection_id: str) -> dict:
    """The photographer marks a submitted selection handled (seen, exported, worked on); a new submission
    after a reopen makes it new again."""
    gallery = get_gallery(photographer_id, gallery_id)
    selection = db.session.scalar(select(Selection).where(Selection.id == selection_id,
                                                          Selection.gallery_id == gallery.id))
    if selection is None:
        raise Problem(404, "No such selection in this gallery.")
    selection.acknowledged_at = clock.now()
    db.session.flush()
    return list_selections(photographer_id, gallery_id, selection.id)[0]


def reopen_selection(photographer_id: str, gallery_id: str, selection_id: str) -> dict:
    gallery = get_gallery(photographer_id, gallery_id)
    selection = db.session.scalar(select(Selection).where(Selection.id == selection_id,
                                                          Selection.gallery_id == gallery.id))
    if selection is None:
        raise Problem(404, "No such selection in this gallery.")
    if selection.locked:
        selection.status, selection.reopened_at = "reopened", clock.now()
        visitor = db.session.get(Visitor, selection.visitor_id)
        record_event("selection_reopened", photographer_id=photographer_id, gallery_id=gallery.id,
                     client_id=visitor.client_id, visitor_id=visitor.id, payload={"selection_id": selection.id})
        db.session.flush()
        _mail_visitor_reopened(gallery, visitor)  # queued with the reopen: it leaves after the commit
    return list_selections(photographer_id, gallery_id, selection.id)[0]


def _mail_visitor_reopened(gallery: Gallery, visitor: Visitor) -> None:
    """Tell the client their selection can be changed again, with the way back to it (in the client's
    language when the visitor is a known client)."""
    link = db.session.get(ShareLink, visitor.share_link_id)
    mail.queue("selection_reopened", to=visitor.email, to_name=visitor.name, language=client_locale(visitor.client_id),
               brand=mail_brand(gallery.photographer), photographer_id=gallery.photographer_id,
               context={"gallery_title": gallery.title, "name": visitor.name, "page_url": page_url(link.token)})
