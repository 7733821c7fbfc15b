"""Share-side (client page) request and response shapes.

The client gallery page and the photographer's own website build on these:
`ShareGallerySchema` for `GET /api/v1/share/{token}` and `SharePhotoPageSchema`
for `GET /api/v1/share/{token}/photos`.
"""
from marshmallow import Schema, fields, validate

from gallery.core.pagination import MAX_LIMIT, PageArgsSchema
from gallery.core.schemas import Text, Timestamp, page_schema
from gallery.galleries.models import ROLES
from gallery.sharing.schemas import VisitorSchema

# gallery_viewed is recorded by GET /share/{token} itself.
CLIENT_EVENT_KINDS = ("photo_viewed", "shared")


# --- gallery -------------------------------------------------------------------------------------------------

class ShareSetSchema(Schema):
    id = fields.String()
    name = fields.String()
    position = fields.Integer()
    photo_count = fields.Integer(metadata={"description": "Photos of the set this link may see."})


class ContactSchema(Schema):
    studio_name = fields.String()
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    website = fields.String(allow_none=True)


class PhotographerBrandingSchema(ContactSchema):
    branding = fields.Dict(metadata={"description": "Logo, colours and the like, as the photographer set them."})


class PermissionsSchema(Schema):
    download = fields.String(validate=validate.OneOf(["none", "web", "full"]),
                             metadata={"description": "What this link may download: none, web size or full size."})
    download_pin_required = fields.Boolean()
    download_limit = fields.Integer(allow_none=True, metadata={"description": "Downloads allowed per visitor."})
    favourites = fields.Boolean()
    comments = fields.Boolean()
    selection = fields.Boolean(metadata={"description": "May submit a selection (client links)."})
    hide_photos = fields.Boolean(metadata={"description": "May hide photos from guests (client links)."})


class SelectionStateSchema(Schema):
    limit = fields.Integer(allow_none=True, metadata={"description": "How many photos to pick; null: no limit."})
    count = fields.Integer(metadata={"description": "Photos in the visitor's default list."})
    remaining = fields.Integer(allow_none=True)
    status = fields.String(allow_none=True, metadata={"description": "null (not submitted), submitted or reopened."})
    locked = fields.Boolean()


class ShareGallerySchema(Schema):
    id = fields.String()
    title = fields.String()
    description = fields.String(allow_none=True)
    event_type = fields.String()
    shoot_date = fields.Date(allow_none=True)
    expires_at = Timestamp(allow_none=True)
    cover = fields.Dict(allow_none=True, metadata={"description": "Rendition URLs of the cover photo, like a photo's "
                                                                  "renditions."})
    photo_count = fields.Integer()
    role = fields.String(validate=validate.OneOf(ROLES))
    locked = fields.Boolean(metadata={"description": "True: POST .../unlock with the password; nothing else is shown."})
    sets = fields.List(fields.Nested(ShareSetSchema))
    unsorted_count = fields.Integer(metadata={"description": "Photos in no set."})
    permissions = fields.Nested(PermissionsSchema)
    photographer = fields.Nested(PhotographerBrandingSchema)
    visitor = fields.Nested(VisitorSchema, allow_none=True)
    selection = fields.Nested(SelectionStateSchema, allow_none=True)


# --- photos --------------------------------------------------------------------------------------------------

class SharePhotoSchema(Schema):
    id = fields.String()
    set_id = fields.String(allow_none=True)
    filename = fields.String()
    width = fields.Integer(allow_none=True)
    height = fields.Integer(allow_none=True)
    placeholder_color = fields.String(allow_none=True)
    position = fields.Integer()
    taken_at = Timestamp(allow_none=True)
    hidden_from_guests = fields.Boolean(metadata={"description": "Only shown to client links."})
    # Passed through as built (no per-size nested dump: a page holds hundreds of them).
    renditions = fields.Dict(metadata={
        "description": "By size name (thumb, preview, large): {width, height, url, webp}; build a srcset."})
    favourite_lists = fields.List(fields.String(), metadata={"description": "Ids of the visitor's lists holding it."})
    note = fields.String(allow_none=True, metadata={"description": "The visitor's note on it (default list)."})


SharePhotoPageSchema = page_schema(SharePhotoSchema, "SharePhotoPage")


class SharePhotoQuerySchema(PageArgsSchema):
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=MAX_LIMIT))
    set_id = fields.String(validate=validate.Length(max=26))
    list_id = fields.String(validate=validate.Length(max=26),
                            metadata={"description": "Only photos in this favourite list of the visitor."})


# --- unlock and visitors --------------------------------------------------------------------------------------

class FavouriteListSchema(Schema):
    id = fields.String(dump_only=True)
    name = Text(120, required=True)
    count = fields.Integer(dump_only=True)
    locked = fields.Boolean(dump_only=True)
    created_at = Timestamp(dump_only=True)


class FavouriteListsSchema(Schema):
    items = fields.List(fields.Nested(FavouriteListSchema))


class ListAndNoteSchema(Schema):
    """Body of PUT .../favourites/{photo_id} (a note on the favourite) and of .../selection/submit (a note to
    the photographer)."""

    list_id = fields.String(validate=validate.Length(max=26),
                            metadata={"description": "The favourite list; the visitor's default list when absent."})
    note = fields.String(validate=validate.Length(max=2000), allow_none=True)


class FavouriteTargetSchema(Schema):
    list_id = fields.String(validate=validate.Length(max=26))


class FavouriteSchema(Schema):
    photo_id = fields.String()
    list_id = fields.String()
    note = fields.String(allow_none=True)
    created_at = Timestamp()
    selection = fields.Nested(SelectionStateSchema)


class CommentCreateSchema(Schema):
    body = Text(2000, required=True)


class CommentReplySchema(Schema):
    id = fields.String()
    body = fields.String()
    author = fields.String(metadata={"description": "The studio's name."})
    from_photographer = fields.Boolean()
    created_at = Timestamp()


class CommentSchema(Schema):
    id = fields.String()
    photo_id = fields.String()
    body = fields.String()
    author = fields.String(attribute="author_name")
    mine = fields.Boolean()
    created_at = Timestamp()
    replies = fields.List(fields.Nested(CommentReplySchema), dump_default=[],
                          metadata={"description": "The photographer's answers, oldest first."})


class CommentListSchema(Schema):
    items = fields.List(fields.Nested(CommentSchema))


class SubmittedSelectionSchema(Schema):
    id = fields.String()
    list_id = fields.String()
    status = fields.String()
    count = fields.Integer()
    submitted_at = Timestamp()


class ShareEventSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(CLIENT_EVENT_KINDS))
    photo_id = fields.String(validate=validate.Length(max=26), allow_none=True)
    channel = fields.String(validate=validate.Length(max=40), allow_none=True,
                            metadata={"description": "For shared: where to (facebook, whatsapp, copy...)."})


class HiddenSchema(Schema):
    hidden_from_guests = fields.Boolean(required=True)
