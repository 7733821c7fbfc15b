from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate

from gallery.core.pagination import PageArgsSchema
from gallery.core.schemas import Text, Timestamp, page_schema
from gallery.store import money
from gallery.store.models import ORDER_STATUSES, PRODUCT_KINDS

MAX_AMOUNT = 100_000_000  # minor units; far above any real order, far below integer overflow

def Amount(minimum: int = 0, **kwargs) -> fields.Integer:  # noqa: N802 - reads like a field class
    """Minor units: a whole number (strict: 12.5 cents is refused, never truncated)."""
    return fields.Integer(strict=True, validate=validate.Range(min=minimum, max=MAX_AMOUNT), **kwargs)


class Currency(fields.String):
    """An ISO 4217 code such as EUR, NOK or JPY."""

    def _deserialize(self, value, attr, data, **kwargs):
        code = super()._deserialize(value, attr, data, **kwargs).strip().upper()
        if not money.is_currency(code):
            raise ValidationError("Not an ISO 4217 currency code such as EUR, NOK or JPY.")
        return code


class ProductSchema(Schema):
    id = fields.String(validate=validate.Length(max=26),
                       metadata={"description": "Give the id to update a product; omit it to add one."})
    kind = fields.String(required=True, validate=validate.OneOf(PRODUCT_KINDS))
    name = Text(200, required=True)
    description = fields.String(allow_none=True, validate=validate.Length(max=2000))
    price = Amount(required=True, metadata={"description": "Minor units of the sheet's currency."})
    active = fields.Boolean()


class ProductDumpSchema(ProductSchema):
    active = fields.Boolean()
    position = fields.Integer()


def _percent(value: Decimal) -> None:
    if not 0 <= value <= 100:
        raise ValidationError("Must be between 0 and 100 percent.")


class PriceSheetSchema(Schema):
    id = fields.String(dump_only=True)
    name = Text(120, required=True)
    currency = Currency(metadata={"description": "Default on create: the studio's currency by its time zone "
                                                  "and language (NOK for a Norwegian studio), else EUR."})
    tax_rate = fields.Decimal(places=2, validate=_percent,
                              metadata={"description": "Percent, 0 to 100, e.g. \"25.00\"; default 0."})
    tax_included = fields.Boolean(load_default=True, metadata={"description": "Prices include tax (EU style)."})
    shipping_flat = Amount(load_default=0)
    free_shipping_over = Amount(allow_none=True)
    payment_provider = fields.String(load_default="manual", validate=validate.OneOf(["manual", "stripe"]))
    payment_instructions = fields.String(allow_none=True, validate=validate.Length(max=2000), metadata={
        "description": "How to pay when payment is manual (bank account, reference); shown to the buyer. "
                       "Required with manual payment (422 otherwise)."})
    products = fields.List(fields.Nested(ProductSchema), load_default=list, validate=validate.Length(max=500),
                           metadata={"description": "On PATCH the list replaces the products; products left out "
                                                    "stay inactive so past carts and orders keep their names."})
    created_at = Timestamp(dump_only=True)
    updated_at = Timestamp(dump_only=True)


class PriceSheetDumpSchema(PriceSheetSchema):
    products = fields.List(fields.Nested(ProductDumpSchema))
    tax_rate = fields.Method("_tax_rate")

    def _tax_rate(self, sheet):
        return f"{Decimal(sheet.tax_rate_bp) / 100:.2f}"


def price_sheet_fields(data: dict) -> dict:
    """API fields -> model fields (tax rate in basis points)."""
    data = dict(data)
    if "tax_rate" in data:
        data["tax_rate_bp"] = int(data.pop("tax_rate") * 100)
    return data


class CouponSchema(Schema):
    id = fields.String(dump_only=True)
    code = fields.String(validate=validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$",
                                                  error="3-64 letters, digits, dashes or underscores."),
                         metadata={"description": "Generated when not given; matched case-insensitively."})
    description = fields.String(allow_none=True, validate=validate.Length(max=500))
    percent_off = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=100))
    amount_off = Amount(1, allow_none=True)
    currency = Currency(allow_none=True)
    free_shipping = fields.Boolean(load_default=False)
    minimum_order = Amount(1, allow_none=True)
    valid_from = Timestamp(default_timezone=None, allow_none=True)
    valid_until = Timestamp(default_timezone=None, allow_none=True)
    max_uses = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=1_000_000))
    max_uses_per_client = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=1_000_000))
    client_id = fields.String(allow_none=True, validate=validate.Length(max=26))
    gallery_id = fields.String(allow_none=True, validate=validate.Length(max=26))
    uses = fields.Integer(dump_only=True)
    source = fields.String(dump_only=True)
    disabled = fields.Method("_disabled", dump_only=True)
    created_at = Timestamp(dump_only=True)

    def _disabled(self, coupon):
        return coupon.disabled_at is not None


class CouponPatchSchema(Schema):
    disabled = fields.Boolean()
    description = fields.String(allow_none=True, validate=validate.Length(max=500))
    valid_from = Timestamp(default_timezone=None, allow_none=True)
    valid_until = Timestamp(default_timezone=None, allow_none=True)
    max_uses = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=1_000_000))
    max_uses_per_client = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=1_000_000))


class CouponQuerySchema(PageArgsSchema):
    client_id = fields.String(validate=validate.Length(max=26))
    gallery_id = fields.String(validate=validate.Length(max=26))
    source = fields.String(validate=validate.Length(max=128))


# --- options per product kind (crop fractions are geometry, not money) -------------------------------------

class CropSchema(Schema):
    x = fields.Float(required=True, validate=validate.Range(min=0, max=1))
    y = fields.Float(required=True, validate=validate.Range(min=0, max=1))
    width = fields.Float(required=True, validate=validate.Range(min=0.01, max=1))
    height = fields.Float(required=True, validate=validate.Range(min=0.01, max=1))


class _Options(Schema):
    def validate_options(self, options):
        if not isinstance(options, dict):
            return {}, {"_schema": ["Options must be an object."]}
        try:
            return self.load(options), {}
        except ValidationError as error:
            flat = {}
            for key, value in error.messages.items():
                if isinstance(value, dict):
                    for sub, messages in value.items():
                        flat[f"{key}.{sub}"] = messages
                else:
                    flat[key] = value
            return {}, flat


class PrintOptions(_Options):
    crop = fields.Nested(CropSchema)
    finish = fields.String(validate=validate.OneOf(["glossy", "matte", "lustre"]), load_default="lustre")
    border = fields.Boolean(load_default=False)


class CanvasOptions(_Options):
    crop = fields.Nested(CropSchema)
    wrap = fields.String(validate=validate.OneOf(["gallery", "mirror", "white", "black"]), load_default="gallery")


class AlbumOptions(_Options):
    cover_text = fields.String(validate=validate.Length(max=100))
    photo_ids = fields.List(fields.String(validate=validate.Length(max=26)), validate=validate.Length(max=500))


class NoOptions(_Options):
    pass


_OPTIONS = {"print": PrintOptions(), "canvas": CanvasOptions(), "album": AlbumOptions(),
            "digital_photo": NoOptions(), "digital_gallery": NoOptions()}


def options_schema_for(kind: str) -> _Options:
    return _OPTIONS[kind]


# --- carts and orders --------------------------------------------------------------------------------------

class CartItemSchema(Schema):
    product_id = fields.String(required=True, validate=validate.Length(max=26))
    photo_id = fields.String(allow_none=True, validate=validate.Length(max=26))
    quantity = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100))
    options = fields.Dict(load_default=dict, metadata={"description": "Per product kind: print {crop, finish, "
                                                                      "border}, canvas {crop, wrap}, album "
                                                                      "{cover_text, photo_ids}."})


class CartPutSchema(Schema):
    items = fields.List(fields.Nested(CartItemSchema), required=True, validate=validate.Length(max=200))


class LineSchema(Schema):
    """A line of a cart or an order: a product, maybe a photo, a quantity and the price."""

    id = fields.String()
    product_id = fields.String(allow_none=True)
    product_kind = fields.String()
    product_name = fields.String()
    photo_id = fields.String(allow_none=True)
    quantity = fields.Integer()
    options = fields.Dict()
    unit_price = fields.Integer()
    line_total = fields.Integer()


class CartLineSchema(LineSchema):
    available = fields.Boolean(metadata={"description": "False when the product is no longer sold."})
    thumb = fields.Dict(allow_none=True, metadata={"description": "The photo's thumbnail (url, webp, width, height) "
                                                                  "as this link may see it."})


class CartSchema(Schema):
    gallery_id = fields.String()
    currency = fields.String()
    items = fields.List(fields.Nested(CartLineSchema))
    subtotal = fields.Integer()
    updated_at = Timestamp(allow_none=True)


class AddressSchema(Schema):
    name = Text(200, required=True)
    line1 = Text(200, required=True)
    line2 = fields.String(validate=validate.Length(max=200))
    postal_code = Text(20, required=True)
    city = Text(100, required=True)
    region = fields.String(validate=validate.Length(max=100))
    country = fields.String(required=True, validate=validate.Regexp(r"^[A-Z]{2}$", error="ISO 3166 code, e.g. NO."))
    phone = fields.String(validate=validate.Length(max=40))


class CheckoutSchema(Schema):
    coupon_code = fields.String(allow_none=True, validate=validate.Length(min=1, max=64))
    shipping_address = fields.Nested(AddressSchema, allow_none=True)
    note = fields.String(allow_none=True, validate=validate.Length(max=2000))


class OrderItemSchema(LineSchema):
    photo_filename = fields.String(allow_none=True)


class OrderSchema(Schema):
    """Amounts in minor units of `currency`."""

    id = fields.String()
    gallery_id = fields.String(allow_none=True)
    client_id = fields.String(allow_none=True)
    visitor_id = fields.String()
    email = fields.String(allow_none=True)
    name = fields.String(allow_none=True)
    status = fields.String()
    currency = fields.String()
    subtotal = fields.Integer()
    discount = fields.Integer()
    shipping = fields.Integer()
    tax = fields.Integer()
    tax_included = fields.Boolean()
    total = fields.Integer()
    coupon_code = fields.String(allow_none=True)
    shipping_address = fields.Dict(allow_none=True)
    note = fields.String(allow_none=True)
    payment_provider = fields.String()
    checkout_url = fields.String(allow_none=True)
    tracking = fields.String(allow_none=True)
    tracking_url = fields.String(allow_none=True)
    placed_at = Timestamp()
    paid_at = Timestamp(allow_none=True)
    status_changed_at = Timestamp(allow_none=True)
    items = fields.List(fields.Nested(OrderItemSchema))


class StudioOrderSchema(OrderSchema):
    gallery_title = fields.String(allow_none=True)
    client_name = fields.String(allow_none=True)


class OrderEventSchema(Schema):
    at = Timestamp()
    kind = fields.String(metadata={"description": "placed, status, tracking or refund"})
    from_status = fields.String(allow_none=True)
    to_status = fields.String(allow_none=True)
    actor = fields.String(metadata={"description": "buyer, photographer, provider or system"})
    detail = fields.String(allow_none=True)


class StudioOrderItemSchema(OrderItemSchema):
    thumb_url = fields.String(allow_none=True, metadata={"description": "The photo's signed thumbnail URL."})


class OrderDetailSchema(StudioOrderSchema):
    items = fields.List(fields.Nested(StudioOrderItemSchema))
    allowed_next = fields.List(fields.String(), metadata={
        "description": "The statuses the order may move to now (PATCH status); `refunded` only where the payment "
                       "provider can refund."})
    payment_instructions = fields.String(allow_none=True)
    history = fields.List(fields.Nested(OrderEventSchema), metadata={"description": "Oldest first."})


class BuyerOrderSchema(OrderSchema):
    class Meta:
        exclude = ("visitor_id", "client_id")


class OrderPatchSchema(Schema):
    status = fields.String(validate=validate.OneOf(ORDER_STATUSES), metadata={
        "description": "One of the order's `allowed_next`; `refunded` refunds through the payment provider."})
    tracking = fields.String(allow_none=True, validate=validate.Length(max=500))
    tracking_url = fields.Url(allow_none=True, schemes={"http", "https"}, validate=validate.Length(max=2000),
                              metadata={"description": "The carrier's page for this parcel."})
    note = fields.String(allow_none=True, validate=validate.Length(max=500),
                         metadata={"description": "Kept in the order's history with the status change."})


class OrderQuerySchema(PageArgsSchema):
    status = fields.String(validate=validate.OneOf(ORDER_STATUSES))
    gallery_id = fields.String(validate=validate.Length(max=26))
    client_id = fields.String(validate=validate.Length(max=26))
    placed_after = Timestamp(default_timezone=None)
    placed_before = Timestamp(default_timezone=None)
    q = fields.String(validate=validate.Length(max=200),
                      metadata={"description": "Buyer's name or email, order id or coupon code, in part."})


class WebhookAnswerSchema(Schema):
    received = fields.Boolean()
    outcome = fields.String()


PriceSheetPageSchema = page_schema(PriceSheetDumpSchema, "PriceSheetPage")
CouponPageSchema = page_schema(CouponSchema, "CouponPage")
OrderPageSchema = page_schema(StudioOrderSchema, "OrderPage")
