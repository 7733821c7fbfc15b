"""Export one client's data (a zip of JSON and CSV) and erase a client, with a report of what was removed,
what was kept and why. Services flush; the route commits."""
from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from typing import IO

from sqlalchemy import delete, select, update

from gallery.clients.services import get_client
from gallery.core import clock
from gallery.engagement.models import Event
from gallery.extensions import db
from gallery.privacy.records import ClientRecords, as_dict, records_of
from gallery.galleries.models import Gallery
from gallery.proofing.models import Comment, Favourite, FavouriteList, Selection, Visitor
from gallery.retention.models import Feedback, Message, Referral, ReferredClient
from gallery.store.models import Cart, CartItem, Coupon, CouponRedemption, Order

ERASED = "erased"  # stands in for a visitor id on kept, anonymised rows

# section (a ClientRecords method, and the file names in the archive) -> what it holds
SECTIONS = {
    "visitors": "Identities the client used on share links (email, name, verification, downloads).",
    "galleries": "Galleries the photographer assigned to the client.",
    "favourite_lists": "Favourite lists.",
    "favourites": "Favourited photos, with notes.",
    "comments": "Comments on photos.",
    "selections": "Submitted selections.",
    "events": "What the client did on galleries (views, favourites, downloads, orders...).",
    "messages": "Mails planned or sent to the client (retention, reminders), with opens and clicks.",
    "orders": "Orders.",
    "order_items": "Lines of those orders.",
    "carts": "Carts.",
    "cart_items": "Lines of those carts.",
    "coupon_redemptions": "Coupons used.",
    "feedback": "Survey answers (NPS score and comment).",
    "referrals": "The client's referral code.",
    "referred": "How the client was referred.",
    "unsubscribes": "Unsubscribes from the studio's marketing mail.",
}


def _client_document(records: ClientRecords) -> dict:
    client = records.client
    document = as_dict(client)
    document["important_dates"] = [as_dict(d) for d in client.important_dates]
    return document


def export_archive(photographer_id: str, client_id: str) -> tuple[str, IO[bytes]]:
    """(file name, a spooled zip): client.json, every section as JSON and CSV, and a README."""
    client = get_client(photographer_id, client_id)
    records = records_of(client)
    spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # returned open, to be streamed
    counts = {}
    with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("client.json", _json(_client_document(records)))
        for name in SECTIONS:
            rows = [as_dict(row) for row in getattr(records, name)()]
            counts[name] = len(rows)
            archive.writestr(f"{name}.json", _json(rows))
            archive.writestr(f"{name}.csv", _csv(rows))
        archive.writestr("README.txt", _readme(client, counts))
    spool.seek(0)
    stamp = clock.now().strftime("%Y%m%d")
    return f"client-data-{client.id}-{stamp}.zip", spool


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    columns = list(rows[0]) if rows else []
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v
                         for k, v in row.items()})
    return out.getvalue()


def _readme(client, counts: dict) -> str:
    lines = [f"Everything {client.name}'s photographer holds about them, exported {clock.now().isoformat()}.",
             "Each section is in JSON and in CSV (the same rows).", "", "client.json: the client record, consent "
             "(when and how given or withdrawn) and important dates."]
    lines += [f"{name}.json / {name}.csv ({counts[name]} rows): {text}" for name, text in SECTIONS.items()]
    lines += ["", "Photos are the photographer's work and are not part of this export."]
    return "\n".join(lines) + "\n"


def erase_client(photographer_id: str, client_id: str) -> dict:
    """Remove the client and everything about them; keep orders (bookkeeping law) with the personal details
    taken out, and the unsubscribe of their address (so it is never mailed again). Returns the report."""
    client = get_client(photographer_id, client_id)
    records = records_of(client)
    visitors = records.visitor_ids
    removed: dict[str, int] = {}
    kept: list[dict] = []

    def count(name: str, result) -> None:
        removed[name] = removed.get(name, 0) + _rowcount(result)

    removed["favourites"] = len(records.favourites())
    removed["favourite_lists"] = len(records.favourite_lists())
    removed["comments"] = len(records.comments())
    removed["selections"] = len(records.selections())
    removed["carts"] = len(records.carts())
    order_ids = [order.id for order in records.orders()]
    anonymised_orders = _rowcount(db.session.execute(
        update(Order).where(Order.id.in_(order_ids)).values(
            client_id=None, visitor_id=ERASED, email=None, name=None, shipping_address=None, note=None,
            tracking=None))) if order_ids else 0
    if order_ids:
        db.session.execute(update(CouponRedemption).where(CouponRedemption.order_id.in_(order_ids))
                           .values(client_id=None, visitor_id=ERASED))
    cart_filter = (Cart.photographer_id == photographer_id) & ((Cart.client_id == client.id) | Cart.visitor_id.in_(visitors))
    db.session.execute(delete(CartItem).where(CartItem.cart_id.in_(select(Cart.id).where(cart_filter))))
    db.session.execute(delete(Cart).where(cart_filter))
    # Offers made to this client alone go with the client (an order that used one keeps its code as text).
    coupon_ids = list(db.session.scalars(select(Coupon.id).where(Coupon.client_id == client.id)))
    if coupon_ids:
        db.session.execute(update(Order).where(Order.coupon_id.in_(coupon_ids)).values(coupon_id=None))
        db.session.execute(delete(CouponRedemption).where(CouponRedemption.coupon_id.in_(coupon_ids)))
        count("personal_coupons", db.session.execute(delete(Coupon).where(Coupon.id.in_(coupon_ids))))
    anonymised_events = _rowcount(db.session.execute(
        update(Event).where(Event.photographer_id == photographer_id, records.events_filter())
        .values(client_id=None, visitor_id=None)))
    count("messages", db.session.execute(delete(Message).where(records.messages_filter())))
    count("feedback", db.session.execute(delete(Feedback).where(Feedback.photographer_id == photographer_id,
                                                                 Feedback.client_id == client.id)))
    referral_ids = [referral.id for referral in records.referrals()]
    count("referred", db.session.execute(delete(ReferredClient).where(
        (ReferredClient.client_id == client.id) | ReferredClient.referral_id.in_(referral_ids))))
    count("referrals", db.session.execute(delete(Referral).where(Referral.referrer_client_id == client.id)))
    # Explicitly, child rows first: the result must not depend on the database enforcing its cascades.
    list_ids = [favourite_list.id for favourite_list in records.favourite_lists()]
    db.session.execute(delete(Selection).where(Selection.visitor_id.in_(visitors)))
    db.session.execute(delete(Comment).where(Comment.visitor_id.in_(visitors)))
    db.session.execute(delete(Favourite).where(Favourite.list_id.in_(list_ids)))
    db.session.execute(delete(FavouriteList).where(FavouriteList.id.in_(list_ids)))
    count("visitors", db.session.execute(delete(Visitor).where(Visitor.id.in_(visitors))))
    unlinked_galleries = _rowcount(db.session.execute(update(Gallery).where(Gallery.client_id == client.id)
                                                      .values(client_id=None)))
    unsubscribes = len(records.unsubscribes())
    removed["important_dates"] = len(client.important_dates)
    db.session.delete(client)
    removed["client"] = 1
    db.session.flush()
    if anonymised_orders:
        kept.append({"what": "orders", "count": anonymised_orders,
                     "why": "Bookkeeping law requires sales records to be kept (typically 5 to 10 years). Name, "
                            "email, address, note and tracking were removed; amounts, products and dates remain."})
    if anonymised_events:
        kept.append({"what": "events", "count": anonymised_events,
                     "why": "Kept for the studio's totals (views, downloads), no longer linked to anyone."})
    if unsubscribes:
        kept.append({"what": "unsubscribes", "count": unsubscribes,
                     "why": "The address stays on the studio's do-not-mail list so it is never mailed again."})
    if unlinked_galleries:
        kept.append({"what": "galleries", "count": unlinked_galleries,
                     "why": "The photographer's work; no longer linked to the client. A title that names the "
                            "client should be renamed, or the gallery deleted, if that is asked too."})
    return {"client_id": client.id, "erased_at": clock.now().isoformat(),
            "removed": {name: n for name, n in removed.items() if n}, "kept": kept}


def _rowcount(result) -> int:
    return getattr(result, "rowcount", 0) or 0
