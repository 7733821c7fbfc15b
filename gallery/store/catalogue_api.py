"""GET /api/v1/share/{token}/products: what a share link's visitor can buy (the page needs it before any cart).

Kept apart from store/api.py so the page could add it without touching the store engineer's files; the store
domain may fold it in."""
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from gallery.extensions import db
from gallery.sharing.access import share_access
from gallery.store.models import PriceSheet

blp = Blueprint("store_catalogue", __name__, url_prefix="/api/v1/share",
                description="Store for a share link's visitor: the products on sale")


class ShareProductSchema(Schema):
    id = fields.String()
    kind = fields.String()
    name = fields.String()
    description = fields.String(allow_none=True)
    price = fields.Integer(metadata={"description": "Minor units of `currency`."})


class ShareCatalogueSchema(Schema):
    currency = fields.String(allow_none=True, metadata={"description": "null when the gallery has no store."})
    products = fields.List(fields.Nested(ShareProductSchema))


@blp.get("/<token>/products")
@blp.response(200, ShareCatalogueSchema)
@share_access()
def list_products(access):
    """Active products of the gallery's price sheet, in the photographer's order; empty when there is no store."""
    gallery = access.gallery
    sheet = db.session.get(PriceSheet, gallery.price_sheet_id) if gallery.price_sheet_id else None
    if sheet is None or sheet.photographer_id != gallery.photographer_id:
        return {"currency": None, "products": []}
    products = sorted((p for p in sheet.products if p.active), key=lambda p: (p.position, p.id))
    return {"currency": sheet.currency, "products": products}
