"""Client-side routes under /api/v1/share/{token}: thin, parse - resolve the link - call the service.

Identity: after `visitors/verify`, send `Authorization: Bearer <visitor_token>`
(or rely on the `gallery_visitor_<link id>` cookie it sets). A password link
needs `POST .../unlock` first; send its `unlock_token` as `X-Share-Unlock` (or
rely on the `gallery_unlock_<link id>` cookie).
"""
import orjson
from flask import current_app
from flask_smorest import Blueprint

from gallery.extensions import limiter
from gallery.proofing import comments, favourites, schemas, selections, share_view
from gallery.sharing.access import share_access
from gallery.sharing import page_cache
from gallery.sharing.api import per_link_and_ip

blp = Blueprint("share", __name__, url_prefix="/api/v1/share",
                description="What a client or guest does through a share link. " + (__doc__ or "").split("\n\n", 1)[1])


@blp.get("/<token>")
@share_access(require_unlocked=False)
@blp.response(200, schemas.ShareGallerySchema)
def get_share(access):
    """The gallery as this link sees it: sets, permissions, branding, selection state (records gallery_viewed).

    A password link that is still locked answers `locked: true` with the title and studio only."""
    from gallery.proofing.set_counts import with_set_counts

    view = with_set_counts(access, share_view.share_view(access))
    return view


@blp.get("/<token>/photos")
@share_access(read_only=True)
@page_cache.cached("photos")  # 304 or the cached page while neither the gallery nor this visitor changed
@blp.arguments(schemas.SharePhotoQuerySchema(), location="query")  # an instance: not built per request
@blp.response(200, schemas.SharePhotoPageSchema)
@blp.alt_response(304, description="Not modified: the page named by If-None-Match is still current.")
def list_photos(args, access):
    """Photos in order, cursor-paginated, with signed rendition URLs per size and format (for srcset)."""
    page = share_view.list_photos(access, **args)
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
    photo = share_view.set_hidden_from_guests(access, photo_id, payload["hidden_from_guests"])
    return photo


@blp.get("/<token>/favourite-lists")
@share_access(require_visitor=True)
@blp.response(200, schemas.FavouriteListsSchema)
def list_lists(access):
    """The visitor's own favourite lists with counts."""
    return {"items": favourites.lists_of(access)}


@blp.post("/<token>/favourite-lists")
@share_access(require_visitor=True)
@blp.arguments(schemas.FavouriteListSchema)
@blp.response(201, schemas.FavouriteListSchema)
def create_list(payload, access):
    """Create a named list ("Album", "Prints"); an existing name answers the existing list."""
    favourite_list = favourites.create_list(access, payload["name"])
    return next(item for item in favourites.lists_of(access) if item["id"] == favourite_list.id)


@blp.put("/<token>/favourites/<photo_id>")
@share_access(require_visitor=True)
@blp.arguments(schemas.ListAndNoteSchema)
@blp.response(200, schemas.FavouriteSchema)
def put_favourite(payload, photo_id, access):
    """Favourite a photo (idempotent), in the default list or `list_id`, with an optional note.

    409 with `remaining: 0` when the gallery's selection limit is reached, or when the list is submitted."""
    return favourites.put_favourite(access, photo_id, list_id=payload.get("list_id"), note=payload.get("note"),
                                  note_given="note" in payload)


@blp.delete("/<token>/favourites/<photo_id>")
@share_access(require_visitor=True)
@blp.arguments(schemas.FavouriteTargetSchema, location="query")
@blp.response(204)
def delete_favourite(args, photo_id, access):
    """Un-favourite (idempotent)."""
    favourites.delete_favourite(access, photo_id, list_id=args.get("list_id"))


@blp.get("/<token>/photos/<photo_id>/comments")
@share_access(require_visitor=True)
@blp.response(200, schemas.CommentListSchema)
def list_comments(photo_id, access):
    """The visitor's comments on a photo (a private line to the photographer), each with the photographer's
    replies (`replies`, oldest first)."""
    from gallery.proofing.replies import with_replies

    return {"items": with_replies(access.gallery, comments.comments_on(access, photo_id))}


@blp.post("/<token>/photos/<photo_id>/comments")
@limiter.limit("60 per hour", key_func=per_link_and_ip)
@share_access(require_visitor=True)
@blp.arguments(schemas.CommentCreateSchema)
@blp.response(201, schemas.CommentSchema)
def add_comment(payload, photo_id, access):
    """Comment on a photo ("crop this one tighter")."""
    return comments.add_comment(access, photo_id, payload["body"])


@blp.post("/<token>/selection/submit")
@share_access(require_visitor=True, require_client=True)
@blp.arguments(schemas.ListAndNoteSchema)
@blp.response(200, schemas.SubmittedSelectionSchema)
def submit_selection(payload, access):
    """Client links only: submit the picked photos; locks the list and mails the photographer."""
    selection = selections.submit_selection(access, payload.get("list_id"), payload.get("note"))
    return {"id": selection.id, "list_id": selection.list_id, "status": selection.status,
            "submitted_at": selection.submitted_at,
            "count": favourites.selection_state(access, selection.list_id)["count"]}


@blp.post("/<token>/events")
@limiter.limit("600 per hour", key_func=per_link_and_ip)
@share_access()
@blp.arguments(schemas.ShareEventSchema)
@blp.response(204)
def post_event(payload, access):
    """Report what only the page sees: photo_viewed, shared."""
    share_view.record_client_event(access, payload["kind"], payload.get("photo_id"), payload.get("channel"))
