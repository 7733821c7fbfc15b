"""Client-side routes under /api/v1/share/{token}: thin, parse - resolve the link - call the service.

Identity: after `visitors/verify`, send `Authorization: Bearer <visitor_token>`
(or rely on the `gallery_visitor_<link id>` cookie it sets). A password link
needs `POST .../unlock` first; send its `unlock_token` as `X-Share-Unlock` (or
rely on the `gallery_unlock_<link id>` cookie).
"""
import orjson
from flask import after_this_request, current_app, request
from flask_limiter.util import get_remote_address
from flask_smorest import Blueprint

from gallery.core.emails import normalize_email
from gallery.core.parsing import json_body_or_none
from gallery.core.passwords import verify_password
from gallery.core.request_guard import SMALL_BODY, body_limit
from gallery.errors import Problem
from gallery.extensions import db, limiter
from gallery.galleries.access import (
    UNLOCK_MAX_AGE,
    VISITOR_MAX_AGE,
    issue_unlock_token,
    resolve_share,
    share_access,
    unlock_cookie_name,
    visitor_cookie_name,
)
from gallery.proofing import schemas, services

blp = Blueprint("share", __name__, url_prefix="/api/v1/share",
                description="What a client or guest does through a share link. " + (__doc__ or "").split("\n\n", 1)[1])


def per_link_and_ip() -> str:
    return f"{request.view_args.get('token', '')}:{get_remote_address()}"


def per_link_and_email() -> str:
    body = json_body_or_none()
    email = body.get("email") if isinstance(body, dict) else None
    return f"{request.view_args.get('token', '')}:{normalize_email(str(email))[:254]}"


def _set_cookie(name: str, value: str, max_age: int) -> None:
    @after_this_request
    def set_cookie(response):
        response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="Lax", path="/",
                            secure=current_app.config["GALLERY"].cookies_secure)
        return response


@blp.get("/<token>")
@share_access(require_unlocked=False)
@blp.response(200, schemas.ShareGallerySchema)
def get_share(access):
    """The gallery as this link sees it: sets, permissions, branding, selection state (records gallery_viewed).

    A password link that is still locked answers `locked: true` with the title and studio only."""
    view = services.share_view(access)
    db.session.commit()
    return view


@blp.post("/<token>/unlock")
@limiter.limit("10 per minute", key_func=per_link_and_ip)
@blp.arguments(schemas.UnlockSchema)
@blp.response(200, schemas.UnlockResultSchema)
@body_limit(SMALL_BODY)
def unlock(payload, token):
    """Give the password; answers an unlock token (and sets a cookie). Rate limited per link and address."""
    access = resolve_share(token, require_unlocked=False)
    password_hash = access.link.password_hash or access.gallery.password_hash
    if password_hash is None:
        return {"unlock_token": issue_unlock_token(access.link, access.gallery)}
    if not verify_password(password_hash, payload["password"]):  # argon2 verify: constant time
        raise Problem(401, "That password is not right.", errors={"password": ["Wrong password."]})
    unlock_token = issue_unlock_token(access.link, access.gallery)
    _set_cookie(unlock_cookie_name(access.link), unlock_token, UNLOCK_MAX_AGE)
    return {"unlock_token": unlock_token}


@blp.post("/<token>/visitors")
@limiter.limit("20 per hour", key_func=per_link_and_ip)
@limiter.limit("5 per 15 minutes", key_func=per_link_and_email)
@share_access()
@blp.arguments(schemas.VisitorStartSchema)
@blp.response(202, schemas.VisitorStartResultSchema)
@body_limit(SMALL_BODY)
def start_visitor(payload, access):
    """Identify with an email: a 6-digit one-time code is mailed to it (valid 15 minutes)."""
    services.start_identification(access, payload["email"], payload.get("name"))
    return {"sent": True, "expires_in": int(services.CODE_TTL.total_seconds())}


def _wrong_code(response) -> bool:
    return response.status_code in (401, 429)


@blp.post("/<token>/visitors/verify")
@limiter.limit("10 per minute", key_func=per_link_and_ip)
# Wrong guesses per address across all its codes: asking for a new code does not buy new guesses.
@limiter.limit("10 per hour", key_func=per_link_and_email, deduct_when=_wrong_code)
@share_access()
@blp.arguments(schemas.VisitorVerifySchema)
@blp.response(200, schemas.VisitorTokenSchema)
@body_limit(SMALL_BODY)
def verify_visitor(payload, access):
    """Check the code; answers the visitor token (also set as a cookie). Five wrong codes kill the code."""
    visitor, visitor_token = services.verify_identification(access, payload["email"], payload["code"])
    _set_cookie(visitor_cookie_name(access.link), visitor_token, VISITOR_MAX_AGE)
    return {"visitor_token": visitor_token, "visitor": visitor}


@blp.get("/<token>/photos")
@share_access(read_only=True)
@blp.arguments(schemas.SharePhotoQuerySchema, location="query")
@blp.response(200, schemas.SharePhotoPageSchema)
def list_photos(args, access):
    """Photos in order, cursor-paginated, with signed rendition URLs per size and format (for srcset)."""
    page = services.list_photos(access, **args)
    # The items are built as plain JSON values already; skipping the per-field dump of hundreds of
    # nested values is most of this hot route's CPU. The schema above still documents the shape.
    return current_app.response_class(orjson.dumps({"items": page.items, "next_cursor": page.next_cursor}),
                                      mimetype="application/json")


@blp.put("/<token>/photos/<photo_id>/hidden")
@share_access(require_client=True)
@blp.arguments(schemas.HiddenSchema)
@blp.response(200, schemas.HiddenSchema)
def hide_photo(payload, photo_id, access):
    """Client links only: hide a photo from guest links (or show it again)."""
    photo = services.set_hidden_from_guests(access, photo_id, payload["hidden_from_guests"])
    db.session.commit()
    return photo


@blp.get("/<token>/favourite-lists")
@share_access(require_visitor=True)
@blp.response(200, schemas.FavouriteListsSchema)
def list_lists(access):
    """The visitor's own favourite lists with counts."""
    return {"items": services.lists_of(access)}


@blp.post("/<token>/favourite-lists")
@share_access(require_visitor=True)
@blp.arguments(schemas.FavouriteListSchema)
@blp.response(201, schemas.FavouriteListSchema)
def create_list(payload, access):
    """Create a named list ("Album", "Prints"); an existing name answers the existing list."""
    favourite_list = services.create_list(access, payload["name"])
    db.session.commit()
    return next(item for item in services.lists_of(access) if item["id"] == favourite_list.id)


@blp.put("/<token>/favourites/<photo_id>")
@share_access(require_visitor=True)
@blp.arguments(schemas.ListAndNoteSchema)
@blp.response(200, schemas.FavouriteSchema)
def put_favourite(payload, photo_id, access):
    """Favourite a photo (idempotent), in the default list or `list_id`, with an optional note.

    409 with `remaining: 0` when the gallery's selection limit is reached, or when the list is submitted."""
    return services.put_favourite(access, photo_id, list_id=payload.get("list_id"), note=payload.get("note"),
                                  note_given="note" in payload)


@blp.delete("/<token>/favourites/<photo_id>")
@share_access(require_visitor=True)
@blp.arguments(schemas.FavouriteTargetSchema, location="query")
@blp.response(204)
def delete_favourite(args, photo_id, access):
    """Un-favourite (idempotent)."""
    services.delete_favourite(access, photo_id, list_id=args.get("list_id"))


@blp.get("/<token>/photos/<photo_id>/comments")
@share_access(require_visitor=True)
@blp.response(200, schemas.CommentListSchema)
def list_comments(photo_id, access):
    """The visitor's comments on a photo (a private line to the photographer)."""
    return {"items": services.comments_on(access, photo_id)}


@blp.post("/<token>/photos/<photo_id>/comments")
@limiter.limit("60 per hour", key_func=per_link_and_ip)
@share_access(require_visitor=True)
@blp.arguments(schemas.CommentCreateSchema)
@blp.response(201, schemas.CommentSchema)
def add_comment(payload, photo_id, access):
    """Comment on a photo ("crop this one tighter")."""
    return services.add_comment(access, photo_id, payload["body"])


@blp.post("/<token>/selection/submit")
@share_access(require_visitor=True, require_client=True)
@blp.arguments(schemas.ListAndNoteSchema)
@blp.response(200, schemas.SubmittedSelectionSchema)
def submit_selection(payload, access):
    """Client links only: submit the picked photos; locks the list and mails the photographer."""
    selection = services.submit_selection(access, payload.get("list_id"), payload.get("note"))
    return {"id": selection.id, "list_id": selection.list_id, "status": selection.status,
            "submitted_at": selection.submitted_at,
            "count": services.selection_state(access, selection.list_id)["count"]}


@blp.post("/<token>/events")
@limiter.limit("600 per hour", key_func=per_link_and_ip)
@share_access()
@blp.arguments(schemas.ShareEventSchema)
@blp.response(204)
def post_event(payload, access):
    """Report what only the page sees: photo_viewed, shared."""
    services.record_client_event(access, payload["kind"], payload.get("photo_id"), payload.get("channel"))
    db.session.commit()
