"""The gallery as a share link sees it: the view, its photos page by page (with signed rendition URLs and the
visitor's picks), guests' hiding and the page's own events. What may be seen is asked of
`gallery.sharing.visibility`."""
from __future__ import annotations

from sqlalchemy import Integer, bindparam, func, select, tuple_

from gallery.accounts.branding import contact, public_branding
from gallery.core.pagination import Page, decode_cursor, page_of
from gallery.core.queries import prebuilt
from gallery.engagement.services import record_event
from gallery.extensions import db
from gallery.galleries.models import Photo, Rendition
from gallery.proofing.favourites import get_list, selection_state
from gallery.proofing.models import DEFAULT_LIST_NAME, Favourite, FavouriteList
from gallery.sharing.access import ShareAccess
from gallery.sharing.visibility import (get_visible_photo, permissions, sized_renditions, visible_in,
                                        visible_photos, visible_sets)


def renditions_by_photo(access: ShareAccess, photo_ids: list[str], purpose: str = "grid") -> dict[str, dict]:
    """{photo_id: {size: {width, height, url, webp}}} with one query for the whole page."""
    if not photo_ids:
        return {}
    rows = db.session.execute(select(*RENDITION_COLUMNS).where(Rendition.photo_id.in_(photo_ids))
                              .order_by(Rendition.format)).all()
    return renditions_of(access, photo_ids, rows, purpose)


RENDITION_COLUMNS = (Rendition.photo_id, Rendition.name, Rendition.format, Rendition.storage_key, Rendition.width,
                     Rendition.height)


def renditions_of(access: ShareAccess, photo_ids: list[str], rows, purpose: str = "grid") -> dict[str, dict]:
    """(photo_id, name, format, key, width, height) rows, JPEGs before WebPs, as the sizes this link may be shown
    for `purpose` (the rule is gallery.sharing.visibility's), with signed URLs."""
    picked = sized_renditions(access.sees_clean, purpose, rows, access.signed_url)
    return {photo_id: picked.get(photo_id, {}) for photo_id in photo_ids}


def share_view(access: ShareAccess) -> dict:
    """GET /share/{token}: the gallery as this link sees it; records gallery_viewed."""
    gallery = access.gallery
    photographer = gallery.photographer
    view = {"id": gallery.id, "title": gallery.title, "role": access.role, "locked": access.locked,
            "photographer": {**contact(photographer), "branding": public_branding(photographer)}}
    if access.locked:
        return view  # the title and the studio, nothing else until the password is given
    cover = None
    if gallery.cover_photo_id and db.session.scalar(visible_photos(access).where(Photo.id == gallery.cover_photo_id)
                                                    .with_only_columns(Photo.id)):
        cover = renditions_by_photo(access, [gallery.cover_photo_id], "cover").get(gallery.cover_photo_id) or None
    view.update({
        "description": gallery.description, "event_type": gallery.event_type, "shoot_date": gallery.shoot_date,
        "expires_at": gallery.expires_at, "cover": cover,
        "photo_count": db.session.scalar(select(func.count()).select_from(visible_photos(access).subquery())),
        "sets": visible_sets(access), "permissions": permissions(access), "visitor": access.visitor,
        "selection": selection_state(access),
    })
    record_event("gallery_viewed", photographer_id=gallery.photographer_id, gallery_id=gallery.id,
                 client_id=access.client_id, visitor_id=access.visitor_id,
                 payload={"role": access.role, "link": access.link.id})  # visits per link in the studio
    return view


PAGE_PHOTO_COLUMNS = (Photo.id, Photo.set_id, Photo.original_filename, Photo.width, Photo.height,
                      Photo.placeholder_color, Photo.position, Photo.taken_at, Photo.hidden_from_guests)


def _page_statement(is_client: bool, after: bool, by_set: bool, by_list: bool):
    """The page's photos, each with the visitor's lists and note, joined to their renditions: one statement,
    built once per shape and run with bind parameters (on this route building it would cost more than
    running it)."""
    def build():
        visitor = bindparam("visitor_id")
        in_lists = (select(func.aggregate_strings(Favourite.list_id, ","))
                    .join(FavouriteList, FavouriteList.id == Favourite.list_id)
                    .where(FavouriteList.visitor_id == visitor, Favourite.photo_id == Photo.id)
                    .scalar_subquery().label("in_lists"))
        note = (select(Favourite.note).join(FavouriteList, FavouriteList.id == Favourite.list_id)
                .where(FavouriteList.visitor_id == visitor, FavouriteList.name == DEFAULT_LIST_NAME,
                       Favourite.photo_id == Photo.id)
                .scalar_subquery().label("note"))
        stmt = visible_in(bindparam("gallery_id"), is_client, (*PAGE_PHOTO_COLUMNS, in_lists, note))
        if by_set:
            stmt = stmt.where(Photo.set_id == bindparam("set_id"))
        if by_list:
            stmt = stmt.where(Photo.id.in_(select(Favourite.photo_id).where(Favourite.list_id == bindparam("list_id"))))
        if after:
            stmt = stmt.where(tuple_(Photo.position, Photo.id) > tuple_(bindparam("after_position"),
                                                                        bindparam("after_id")))
        page = stmt.order_by(Photo.position, Photo.id).limit(bindparam("rows", type_=Integer)).subquery("page")
        return (select(page, *RENDITION_COLUMNS[1:]).outerjoin(Rendition, Rendition.photo_id == page.c.id)
                .order_by(page.c.position, page.c.id, Rendition.format))

    return prebuilt(("share-page", is_client, after, by_set, by_list), build)


def list_photos(access: ShareAccess, *, cursor=None, limit=100, set_id=None, list_id=None) -> Page:
    """One page of photos with signed rendition URLs and the visitor's favourites.

    The client page's hottest route: one query whatever the page size, plain rows rather than ORM objects.
    """
    params = {"gallery_id": access.gallery.id, "rows": limit + 1, "set_id": set_id, "visitor_id": access.visitor_id}
    if list_id:
        params["list_id"] = get_list(access, list_id).id
    if cursor:
        params["after_position"], params["after_id"] = decode_cursor(cursor, 2, (int, str))
    statement = _page_statement(access.is_client, bool(cursor), bool(set_id), bool(list_id))
    # Core rows straight from the connection: the ORM's result layer adds nothing to plain columns.
    rows = db.session.connection().execute(statement, params).all()
    width = len(PAGE_PHOTO_COLUMNS) + 2
    photos = list({row[0]: row for row in rows}.values())  # one per photo, in page order
    page = page_of(photos, limit, lambda last: [last.position, last.id])
    ids = [photo[0] for photo in page.items]
    renditions = renditions_of(access, ids, [(row[0], *row[width:]) for row in rows])
    items = [{
        "id": photo_id, "set_id": photo_set_id, "filename": filename, "width": photo_width, "height": height,
        "placeholder_color": color, "position": position, "taken_at": taken_at.isoformat() if taken_at else None,
        "hidden_from_guests": hidden, "renditions": renditions[photo_id],
        "favourite_lists": in_lists.split(",") if in_lists else [], "note": note,
    } for (photo_id, photo_set_id, filename, photo_width, height, color, position, taken_at, hidden, in_lists, note,
           *_) in page.items]
    return Page(items, page.next_cursor)


def set_hidden_from_guests(access: ShareAccess, photo_id: str, hidden: bool) -> Photo:
    """The client hides (or shows again) a photo from guest links."""
    access.require_client()
    photo = get_visible_photo(access, photo_id)
    photo.hidden_from_guests = hidden
    return photo


def record_client_event(access: ShareAccess, kind: str, photo_id: str | None, channel: str | None) -> None:
    if photo_id:
        get_visible_photo(access, photo_id)
    record_event(kind, photographer_id=access.gallery.photographer_id, gallery_id=access.gallery.id,
                 client_id=access.client_id, visitor_id=access.visitor_id, photo_id=photo_id,
                 payload={"channel": channel} if channel else {})
