"""Strings the page's script shows, translated on the server and handed over in the page's JSON block
(one catalogue, one translation workflow; the script ships no dictionaries)."""
from babel import Locale
from flask_babel import get_locale

from gallery.web_client.i18n import domain
from gallery.web_client.i18n import lazy_gettext as _l

SCRIPT_STRINGS = {
    "loading": _l("Loading…"),
    "loadMore": _l("Show more photos"),
    "error": _l("Something went wrong. Please try again."),
    "offline": _l("You seem to be offline. Check your connection and try again."),
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
    "subtotal": _l("Subtotal"),
    "discount": _l("Discount"),
    "shipping": _l("Shipping"),
    "tax": _l("Tax"),
    "taxIncluded": _l("Tax included"),
    "finish": _l("Finish"),
    "finishLustre": _l("Lustre"),
    "finishGlossy": _l("Glossy"),
    "finishMatte": _l("Matte"),
    "border": _l("White border"),
    "borderNo": _l("No"),
    "borderYes": _l("Yes"),
    "wrap": _l("Canvas edge"),
    "wrapGallery": _l("Gallery wrap (photo continues round the edge)"),
    "wrapMirror": _l("Mirrored edge"),
    "wrapWhite": _l("White edge"),
    "wrapBlack": _l("Black edge"),
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
    "inFavourites": _l("in your favourites"),
    "otherPhotos": _l("Other photos"),
    "play": _l("Play"),
    "pause": _l("Pause"),
    "rename": _l("Rename"),
    "delete": _l("Delete"),
    "deleteListConfirm": _l("Delete the list “%(name)s”? The photos stay in the gallery."),
    "listCreated": _l("List “%(name)s” created"),
    "moved": _l("Moved"),
    "you": _l("You"),
    "noComments": _l("No comments yet. Ask for a crop, a retouch or black and white here."),
    "noDownloads": _l("Nothing to download here."),
    "fullSize": _l("Full size"),
    "webSize": _l("Web size"),
    "howToPay": _l("How to pay"),
    "tracking": _l("Tracking"),
    "noOrders": _l("You have no orders in this gallery yet."),
    "statusPendingPayment": _l("Awaiting payment"),
    "statusPaid": _l("Paid"),
    "statusInProduction": _l("In production"),
    "statusShipped": _l("Shipped"),
    "statusDelivered": _l("Delivered"),
    "statusCancelled": _l("Cancelled"),
    "statusRefunded": _l("Refunded"),
}


def _n(singular: str, plural: str) -> tuple[str, str]:
    """Marks a string with plural forms for extraction (`-k _n:1,2`); resolved per language below."""
    return singular, plural


# Strings whose words change with a number: handed over as one text per CLDR plural category of the
# page's language, which the script picks with Intl.PluralRules (same categories as Babel's).
PLURAL_STRINGS = {
    "photoCount": _n("%(count)s photo", "%(count)s photos"),
}


def script_strings() -> dict[str, str | dict[str, str]]:
    strings: dict[str, str | dict[str, str]] = {key: str(value) for key, value in SCRIPT_STRINGS.items()}
    locale = get_locale() or Locale("en")
    translations = domain.get_translations()
    for key, (singular, plural) in PLURAL_STRINGS.items():
        forms: dict[str, str] = {}
        for number in range(120):  # every category shows up among the first hundred-odd numbers
            forms.setdefault(locale.plural_form(number), translations.ngettext(singular, plural, number))
        strings[key] = forms
    return strings
