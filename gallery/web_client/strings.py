"""Strings the page's script shows, translated on the server and handed over in the page's JSON block
(one catalogue, one translation workflow; the script ships no dictionaries)."""
from gallery.web_client.i18n import lazy_gettext as _l

SCRIPT_STRINGS = {
    "loading": _l("Loading…"),
    "loadMore": _l("Show more photos"),
    "error": _l("Something went wrong. Please try again."),
    "offline": _l("You seem to be offline. Check your connection and try again."),
    "photoAlt": _l("Photo %(n)s of %(total)s"),
    "photoOf": _l("%(n)s / %(total)s"),
    "favourite": _l("Add to favourites"),
    "unfavourite": _l("Remove from favourites"),
    "selectedCount": _l("%(count)s selected"),
    "selectedOfLimit": _l("%(count)s of %(limit)s selected"),
    "limitReached": _l("You have picked %(limit)s photos, the most this gallery allows. Remove one to pick another."),
    "submit": _l("Submit selection"),
    "submitConfirm": _l("Send your %(count)s photos to the photographer? You cannot change them afterwards."),
    "submitted": _l("Thank you! Your selection has been sent to the photographer."),
    "selectionLocked": _l("Your selection has been submitted."),
    "note": _l("Note for the photographer"),
    "noteSaved": _l("Note saved"),
    "download": _l("Download"),
    "downloadPin": _l("Enter the download PIN from your photographer"),
    "downloadPinWrong": _l("That PIN is not right."),
    "downloadStarted": _l("Your download has started."),
    "share": _l("Share"),
    "linkCopied": _l("Link copied"),
    "copyFailed": _l("Copy this link:"),
    "addToCart": _l("Add to cart"),
    "addedToCart": _l("Added to your cart"),
    "cart": _l("Cart"),
    "cartEmpty": _l("Your cart is empty."),
    "checkout": _l("Check out"),
    "orderPlaced": _l("Thank you! Your order has been placed."),
    "product": _l("Product"),
    "quantity": _l("Quantity"),
    "total": _l("Total"),
    "remove": _l("Remove"),
    "close": _l("Close"),
    "previous": _l("Previous photo"),
    "next": _l("Next photo"),
    "identifyTitle": _l("Who is picking?"),
    "identifyLead": _l("Enter your email and we will send you a code, so your favourites are kept for you."),
    "codeSent": _l("We sent a 6-digit code to %(email)s."),
    "wrongPassword": _l("That password is not right."),
    "expiresSoon": _l("This gallery expires on %(date)s. Download or order your photos before then."),
    "allPhotos": _l("All photos"),
    "favourites": _l("Favourites"),
}


def script_strings() -> dict[str, str]:
    return {key: str(value) for key, value in SCRIPT_STRINGS.items()}
