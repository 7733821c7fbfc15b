"""Client-side logic: the share view, photos with signed URLs, visitors, favourites, comments, selections.

Callers pass a `ShareAccess` (from `gallery.galleries.access`); every query
here is scoped by it: the link's gallery, the link's role (guests never see
what is hidden from them) and the identified visitor.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import Integer, bindparam, delete, func, or_, select, tuple_
from sqlalchemy.exc import IntegrityError

from gallery.core import clock
from gallery.core.pagination import Page, decode_cursor, keyset, page_of
from gallery.core.queries import prebuilt
from gallery.engagement.services import record_event
from gallery.errors import Problem
from gallery.extensions import db
from gallery.galleries.access import ShareAccess, contact_of, issue_visitor_token
from gallery.galleries.models import Gallery, GallerySet, Photo, Rendition
from gallery.proofing.models import DEFAULT_LIST_NAME, Comment, Favourite, FavouriteList, Selection, Visitor

log = logging.getLogger(__name__)

CODE_TTL = timedelta(minutes=15)
CODE_MAX_ATTEMPTS = 5
# Sizes offered to the page, in srcset order; "watermarked" stands in for preview when the gallery asks for it.
PAGE_SIZES = ("thumb", "preview", "large")


# --- what a link may see --------------------------------------------------------------------------------------

def visible_photos(access: ShareAccess, *columns):
    """Ready photos of the link's gallery (or those `columns` of them); for guests, without what the client
    or photographer hid."""
    return _visible_in(access.gallery.id, access.is_client, columns or (Photo,))


def _visible_in(gallery_id, is_client: bool, columns):
    """`gallery_id`: a value, or a bind parameter for statements built once."""
    stmt = select(*columns).where(Photo.gallery_id == gallery_id, Photo.status == "ready")
    if not is_client:
        hidden_sets = select(GallerySet.id).where(GallerySet.gallery_id == gallery_id,
                                                  GallerySet.hidden_from_guests.is_(True))
        stmt = stmt.where(Photo.hidden_from_guests.is_(False),
                          or_(Photo.set_id.is_(None), Photo.set_id.not_in(hidden_sets)))
    return stmt


def visible_sets(access: ShareAccess) -> list[GallerySet]:
    stmt = select(GallerySet).where(GallerySet.gallery_id == access.gallery.id).order_by(GallerySet.position,
                                                                                         GallerySet.id)
    if not access.is_client:
        stmt = stmt.where(GallerySet.hidden_from_guests.is_(False))
    return list(db.session.scalars(stmt))


def get_visible_photo(access: ShareAccess, photo_id: str) -> Photo:
    photo = db.session.scalar(visible_photos(access).where(Photo.id == photo_id))
    if photo is None:
        raise Problem(404, "No such photo in this gallery.")
    return photo


def get_visible_set(access: ShareAccess, set_id: str) -> GallerySet:
    gallery_set = next((s for s in visible_sets(access) if s.id == set_id), None)
    if gallery_set is None:
        raise Problem(404, "No such set in this gallery.")
    return gallery_set


def permissions(access: ShareAccess) -> dict:
    gallery = access.gallery
    return {"download": download_size(access), "download_pin_required": gallery.download_pin_hash is not None,
            "download_limit": gallery.download_limit, "favourites": True, "comments": True,
            "selection": access.is_client, "hide_photos": access.is_client}


def download_size(access: ShareAccess) -> str:
    policy = access.gallery.download_policy or {}
    return (access.link.permissions or {}).get("download") or policy.get(access.role, "none")


# --- the gallery and its photos --------------------------------------------------------------------------------

def renditions_by_photo(access: ShareAccess, photo_ids: list[str]) -> dict[str, dict]:
    """{photo_id: {size: {width, height, url, webp}}} with one query for the whole page."""
    if not photo_ids:
        return {}
    rows = db.session.execute(select(*RENDITION_COLUMNS).where(Rendition.photo_id.in_(photo_ids))
                              .order_by(Rendition.format)).all()
    return _renditions_of(access, photo_ids, rows)


RENDITION_COLUMNS = (Rendition.photo_id, Rendition.name, Rendition.format, Rendition.storage_key, Rendition.width,
                     Rendition.height)


def _renditions_of(access: ShareAccess, photo_ids: list[str], rows) -> dict[str, dict]:
    """Group (photo_id, name, format, key, width, height) rows, each photo's JPEGs before its WebPs (ordered by
    format), into the page's sizes with signed URLs."""
    watermark = access.gallery.watermark
    result: dict[str, dict] = {pid: {} for pid in photo_ids}
    for photo_id, name, fmt, key, width, height in rows:
        if name is None or photo_id not in result:
            continue
        if watermark:
            # A watermarked gallery never hands out clean preview or large images.
            if name in ("preview", "large"):
                continue
            if name == "watermarked":
                name = "preview"
        elif name not in PAGE_SIZES:
            continue
        sizes = result[photo_id]
        if fmt == "jpeg":
            sizes[name] = {"width": width, "height": height, "url": access.signed_url(key), "webp": None}
        elif fmt == "webp" and name in sizes:
            sizes[name]["webp"] = access.signed_url(key)
    return result


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


def share_view(access: ShareAccess) -> dict:
    """GET /share/{token}: the gallery as this link sees it; records gallery_viewed."""
    gallery = access.gallery
    contact = contact_of(gallery)
    view = {"id": gallery.id, "title": gallery.title, "role": access.role, "locked": access.locked,
            "photographer": {**contact, "branding": _public_branding(gallery)}}
    if access.locked:
        return view  # the title and the studio, nothing else until the password is given
    cover = None
    if gallery.cover_photo_id and db.session.scalar(visible_photos(access).where(Photo.id == gallery.cover_photo_id)
                                                    .with_only_columns(Photo.id)):
        cover = renditions_by_photo(access, [gallery.cover_photo_id]).get(gallery.cover_photo_id) or None
    view.update({
        "description": gallery.description, "event_type": gallery.event_type, "shoot_date": gallery.shoot_date,
        "expires_at": gallery.expires_at, "cover": cover,
        "photo_count": db.session.scalar(select(func.count()).select_from(visible_photos(access).subquery())),
        "sets": visible_sets(access), "permissions": permissions(access), "visitor": access.visitor,
        "selection": selection_state(access),
    })
    record_event("gallery_viewed", photographer_id=gallery.photographer_id, gallery_id=gallery.id,
                 client_id=access.client_id, visitor_id=access.visitor_id,
                 payload={"role": access.role, "link": access.link.id})
    return view


def _public_branding(gallery: Gallery) -> dict:
    from gallery.accounts.models import Photographer

    photographer = db.session.get(Photographer, gallery.photographer_id)
    return {k: v for k, v in (photographer.branding or {}).items() if k in
            {"logo_url", "primary_color", "accent_color", "font", "contact_email", "phone", "website", "instagram"}}


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
        stmt = _visible_in(bindparam("gallery_id"), is_client, (*PAGE_PHOTO_COLUMNS, in_lists, note))
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
        params["after_position"], params["after_id"] = decode_cursor(cursor, 2)
    statement = _page_statement(access.is_client, bool(cursor), bool(set_id), bool(list_id))
    # Core rows straight from the connection: the ORM's result layer adds nothing to plain columns.
    rows = db.session.connection().execute(statement, params).all()
    width = len(PAGE_PHOTO_COLUMNS) + 2
    photos = list({row[0]: row for row in rows}.values())  # one per photo, in page order
    page = page_of(photos, limit, lambda last: [last.position, last.id])
    ids = [photo[0] for photo in page.items]
    renditions = _renditions_of(access, ids, [(row[0], *row[width:]) for row in rows])
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


# --- visitors and one-time codes -------------------------------------------------------------------------------

def _code_hash(visitor_id: str, code: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"{visitor_id}:{code}".encode(), hashlib.sha256).hexdigest()


def _visitor_by_email(access: ShareAccess, email: str) -> Visitor | None:
    return db.session.scalar(select(Visitor).where(Visitor.share_link_id == access.link.id, Visitor.email == email))


def start_identification(access: ShareAccess, email: str, name: str | None) -> None:
    """Create (or find) the visitor for this email on this link and mail a fresh one-time code.

    The answer is the same whoever owns the email: nothing of a visitor is
    shown until their code is verified.
    """
    visitor = _visitor_by_email(access, email)
    if visitor is None:
        visitor = Visitor(gallery_id=access.gallery.id, share_link_id=access.link.id, email=email, name=name)
        try:
            with db.session.begin_nested():
                db.session.add(visitor)
        except IntegrityError:  # the same email on two phones at once
            visitor = _visitor_by_email(access, email)
    elif name and visitor.verified_at is None:
        visitor.name = name
    code = f"{secrets.randbelow(10 ** 6):06d}"
    visitor.code_hash = _code_hash(visitor.id, code)
    visitor.code_expires_at = clock.now() + CODE_TTL
    visitor.code_attempts = 0
    db.session.commit()
    _mail_code(access, email, code)


def _mail_code(access: ShareAccess, email: str, code: str) -> None:
    from flask import request
    from flask_babel import force_locale, gettext as _

    from gallery.mail.services import build_message, send
    from gallery.web_client.i18n import share_language

    contact = contact_of(access.gallery)
    minutes = int(CODE_TTL.total_seconds() // 60)
    # The language the gallery page shows this person (their switch, the client's locale, the browser's).
    language, _explicit = share_language(request, access.link, access.gallery)
    with force_locale(language):
        subject = _("Your code for %(gallery)s: %(code)s", gallery=access.gallery.title, code=code)
        text = (_('Your code to open "%(gallery)s" by %(studio)s is %(code)s.', gallery=access.gallery.title,
                  studio=contact["studio_name"], code=code) + "\n"
                + _("It works for %(minutes)d minutes. If you did not ask for it, ignore this message.",
                    minutes=minutes) + "\n")
    message = build_message(to=email, subject=subject, text=text, reply_to=contact["email"])
    message["Content-Language"] = language
    try:
        send(message)
    except OSError:  # SMTP refused or unreachable
        log.exception("could not send a one-time code")
        raise Problem(503, "We could not send the code just now. Try again in a minute.") from None


def verify_identification(access: ShareAccess, email: str, code: str) -> tuple[Visitor, str]:
    """Check the one-time code; on success the visitor is verified and gets a token for this link."""
    visitor = _visitor_by_email(access, email)
    wrong = Problem(401, "That code is wrong or has expired. Ask for a new one.", errors={"code": ["Wrong code."]})
    if visitor is None or visitor.code_hash is None:
        _code_hash("-", code)  # same work whether or not the visitor exists
        raise wrong
    if visitor.code_expires_at is None or visitor.code_expires_at <= clock.now():
        raise wrong
    if visitor.code_attempts >= CODE_MAX_ATTEMPTS:
        visitor.code_hash = None
        db.session.commit()
        raise Problem(429, "Too many wrong codes. Ask for a new one.")
    if not hmac.compare_digest(visitor.code_hash, _code_hash(visitor.id, code)):
        visitor.code_attempts += 1
        db.session.commit()
        raise wrong
    now = clock.now()
    first_time = visitor.verified_at is None
    visitor.code_hash = None
    visitor.code_expires_at = None
    visitor.verified_at = visitor.verified_at or now
    visitor.last_seen_at = now
    visitor.client_id = visitor.client_id or _matching_client_id(access.gallery, visitor.email)
    record_event("visitor_identified", photographer_id=access.gallery.photographer_id, gallery_id=access.gallery.id,
                 client_id=visitor.client_id, visitor_id=visitor.id,
                 payload={"role": access.role, "first_time": first_time})
    db.session.commit()
    return visitor, issue_visitor_token(access.link, visitor)


def _matching_client_id(gallery: Gallery, email: str) -> str | None:
    from gallery.clients.models import Client

    return db.session.scalar(select(Client.id).where(Client.photographer_id == gallery.photographer_id,
                                                     func.lower(Client.email) == email.lower()).limit(1))


# --- favourite lists and favourites ------------------------------------------------------------------------------

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
    db.session.commit()
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
    db.session.commit()


# --- comments -----------------------------------------------------------------------------------------------------

def add_comment(access: ShareAccess, photo_id: str, body: str) -> dict:
    photo = get_visible_photo(access, photo_id)
    comment = Comment(gallery_id=access.gallery.id, photo_id=photo.id, visitor_id=access.visitor.id, body=body)
    db.session.add(comment)
    db.session.flush()
    record_event("commented", photographer_id=access.gallery.photographer_id, gallery_id=access.gallery.id,
                 client_id=access.client_id, visitor_id=access.visitor_id, photo_id=photo.id)
    db.session.commit()
    return _comment_view(comment, access.visitor)


def _comment_view(comment: Comment, author: Visitor) -> dict:
    return {"id": comment.id, "photo_id": comment.photo_id, "body": comment.body, "created_at": comment.created_at,
            "author_name": author.name or author.email.split("@")[0], "mine": True}


def comments_on(access: ShareAccess, photo_id: str) -> list[dict]:
    """The visitor's own comments on a photo (comments are a private line to the photographer)."""
    photo = get_visible_photo(access, photo_id)
    comments = db.session.scalars(select(Comment).where(Comment.photo_id == photo.id,
                                                        Comment.visitor_id == access.visitor.id)
                                  .order_by(Comment.created_at, Comment.id))
    return [_comment_view(c, access.visitor) for c in comments]


def gallery_comments(photographer_id: str, gallery_id: str, *, photo_id=None, cursor=None, limit=50) -> Page:
    """The photographer's inbox of a gallery's comments, newest first, with who wrote them and on which file."""
    from gallery.galleries.services import get_gallery

    gallery = get_gallery(photographer_id, gallery_id)
    stmt = (select(Comment, Visitor, Photo.original_filename).join(Visitor, Visitor.id == Comment.visitor_id)
            .join(Photo, Photo.id == Comment.photo_id).where(Comment.gallery_id == gallery.id))
    if photo_id:
        stmt = stmt.where(Comment.photo_id == photo_id)
    rows = db.session.execute(keyset(stmt, keys=[Comment.id], cursor=cursor, limit=limit, descending=True)).all()
    page = page_of(rows, limit, lambda last: [last.Comment.id])
    return Page([{"id": comment.id, "photo_id": comment.photo_id, "filename": filename, "body": comment.body,
                  "created_at": comment.created_at, "visitor": visitor}
                 for comment, visitor, filename in page.items], page.next_cursor)


# --- selection ------------------------------------------------------------------------------------------------------

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
    db.session.commit()
    _mail_photographer_selection(access, selection)
    return selection


def _mail_photographer_selection(access: ShareAccess, selection: Selection) -> None:
    from gallery.accounts.models import Photographer
    from gallery.mail.services import build_message, send

    photographer = db.session.get(Photographer, access.gallery.photographer_id)
    visitor = access.visitor
    names = selection_filenames(selection.list_id)
    who = f"{visitor.name} <{visitor.email}>" if visitor.name else visitor.email
    text = (f"{who} submitted a selection of {len(names)} photos in \"{access.gallery.title}\".\n\n"
            + (f"Their note: {selection.note}\n\n" if selection.note else "")
            + "For a Lightroom or Capture One filter:\n" + lightroom_filter(names) + "\n\n"
            + "Files:\n" + "\n".join(names) + "\n")
    try:
        send(build_message(to=photographer.email, subject=f"Selection submitted: {access.gallery.title} "
                                                         f"({len(names)} photos)", text=text, reply_to=visitor.email))
    except OSError:  # the selection stands; the photographer also sees it in the API
        log.exception("could not mail the selection %s", selection.id)


def selection_filenames(list_id: str) -> list[str]:
    return list(db.session.scalars(
        select(Photo.original_filename).join(Favourite, Favourite.photo_id == Photo.id)
        .where(Favourite.list_id == list_id).order_by(Photo.position, Photo.id)))


def lightroom_filter(filenames: list[str]) -> str:
    """`DSC_0012, DSC_0040`: file stems, as Lightroom's and Capture One's text filters take them."""
    return ", ".join(name.rsplit(".", 1)[0] if "." in name else name for name in filenames)


# --- the photographer's side ------------------------------------------------------------------------------------

def list_selections(photographer_id: str, gallery_id: str, selection_id: str | None = None) -> list[dict]:
    """Each visitor's selection with the photos' original filenames (a constant number of queries)."""
    from gallery.galleries.services import get_gallery

    gallery = get_gallery(photographer_id, gallery_id)
    stmt = (select(Selection, Visitor, FavouriteList.name).join(Visitor, Visitor.id == Selection.visitor_id)
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
                .where(Favourite.list_id.in_([s.list_id for s, _, _ in rows])).order_by(Photo.position, Photo.id)):
            photos.setdefault(list_id, []).append({"photo_id": photo_id, "filename": filename, "note": note})
    result = []
    for selection, visitor, list_name in rows:
        items = photos.get(selection.list_id, [])
        result.append({
            "id": selection.id, "status": selection.status, "locked": selection.locked, "list_name": list_name,
            "note": selection.note, "submitted_at": selection.submitted_at, "reopened_at": selection.reopened_at,
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
        who = f"{visitor['name']} <{visitor['email']}>" if visitor["name"] else visitor["email"]
        blocks.append(f"# {who}, {selection['list_name']}, {selection['count']} photos\n{selection['filter_text']}\n")
    return "\n".join(blocks)


def reopen_selection(photographer_id: str, gallery_id: str, selection_id: str) -> dict:
    from gallery.galleries.services import get_gallery

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
        db.session.commit()  # the reopen stands whether or not the mail goes out
        _mail_visitor_reopened(gallery, visitor)
    return list_selections(photographer_id, gallery_id, selection.id)[0]


def _mail_visitor_reopened(gallery: Gallery, visitor: Visitor) -> None:
    """Tell the client their selection can be changed again, with the way back to it (in the client's
    language when the visitor is a known client)."""
    from flask_babel import force_locale, gettext as _

    from gallery.galleries.models import ShareLink
    from gallery.mail.services import build_message, send
    from gallery.retention.content import mail_locale
    from gallery.web_client.i18n import client_locale

    contact = contact_of(gallery)
    link = db.session.get(ShareLink, visitor.share_link_id)
    page = f"{current_app.config['GALLERY'].public_base_url.rstrip('/')}/g/{link.token}"
    with force_locale(mail_locale(client_locale(visitor.client_id))):
        subject = _("Your selection in %(gallery)s is open again", gallery=gallery.title)
        text = ((_("Hi %(name)s,", name=visitor.name) if visitor.name else _("Hi,")) + "\n\n"
                + _('%(studio)s opened your selection in "%(gallery)s" again: you can change your picks and '
                    'submit them once more.', studio=contact["studio_name"], gallery=gallery.title)
                + f"\n\n{page}\n")
    try:
        send(build_message(to=visitor.email, subject=subject, text=text, reply_to=contact["email"]))
    except OSError:  # the reopen stands; the client sees it on the gallery page too
        log.exception("could not mail the reopened selection to visitor %s", visitor.id)

