"""Payment providers behind one interface.

- `manual` (the default): the buyer pays offline (bank transfer, cash); the
  photographer marks the order paid through the API.
- `stripe`: a hosted checkout shaped on Stripe's. Placing an order creates a
  checkout session and hands the buyer its URL; the provider later calls our
  webhook. Webhooks are signed with HMAC-SHA256 over "{timestamp}.{body}" in a
  `Stripe-Signature: t=<unix>,v1=<hex>` header and refused outside a timestamp
  tolerance; the store deduplicates them by event id, so a replay changes nothing.

The network call to the provider is the one part a test may replace
(`current_app.extensions["store_checkout_client"]`).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from flask import current_app

from gallery.core import clock
from gallery.errors import Problem

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "Stripe-Signature"
PAID_EVENT_TYPES = ("checkout.session.completed", "checkout.session.async_payment_succeeded")


@dataclass(frozen=True)
class CheckoutStart:
    reference: str | None  # the provider's id for this checkout
    url: str | None  # where the buyer pays; None when payment happens offline


@dataclass(frozen=True)
class WebhookEvent:
    id: str
    type: str
    order_id: str | None = None
    reference: str | None = None
    amount: int | None = None
    currency: str | None = None
    paid: bool = False


@dataclass(frozen=True)
class RefundResult:
    reference: str | None  # the provider's refund id; None when the photographer pays back offline
    amount: int


class PaymentProvider(Protocol):
    name: str
    has_webhooks: bool

    def start_checkout(self, order, *, return_url: str | None) -> CheckoutStart: ...

    def parse_webhook(self, body: bytes, headers) -> WebhookEvent: ...

    def can_refund(self, order) -> bool: ...

    def refund(self, order) -> RefundResult: ...


class ManualProvider:
    """Offline payment: nothing to start, no webhooks; the photographer marks paid."""

    name = "manual"
    has_webhooks = False

    def start_checkout(self, order, *, return_url: str | None) -> CheckoutStart:
        return CheckoutStart(reference=None, url=None)

    def parse_webhook(self, body: bytes, headers) -> WebhookEvent:
        raise Problem(404, "The manual payment provider receives no webhooks.")

    def can_refund(self, order) -> bool:
        return True  # the photographer pays back as they were paid; the store records it

    def refund(self, order) -> RefundResult:
        return RefundResult(reference=None, amount=order.total)


class CheckoutClient(Protocol):
    def create_session(self, params: dict[str, str]) -> dict: ...

    def refund_session(self, session_id: str, amount: int, idempotency_key: str) -> dict: ...


class StripeHttpClient:
    """Creates Checkout Sessions through Stripe's form-encoded REST API."""

    def __init__(self, api_base: str, secret_key: str):
        self.api_base = api_base.rstrip("/")
        self.secret_key = secret_key

    def create_session(self, params: dict[str, str]) -> dict:
        return self._call("POST", "/v1/checkout/sessions", params, params.get("client_reference_id", ""),
                          "The payment provider did not answer; nothing was charged. Try again shortly.")

    def refund_session(self, session_id: str, amount: int, idempotency_key: str) -> dict:
        """Refund the payment behind a checkout session (its payment intent)."""
        failed = "The payment provider did not answer; nothing was refunded. Try again shortly."
        session = self._call("GET", f"/v1/checkout/sessions/{urllib.parse.quote(session_id)}", None, "", failed)
        return self._call("POST", "/v1/refunds", {"payment_intent": str(session.get("payment_intent") or ""),
                                                  "amount": str(amount)}, idempotency_key, failed)

    def _call(self, method: str, path: str, params: dict[str, str] | None, idempotency_key: str, failed: str) -> dict:
        headers = {"Authorization": f"Bearer {self.secret_key}"}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        request = urllib.request.Request(f"{self.api_base}{path}", method=method, headers=headers,
                                         data=urllib.parse.urlencode(params).encode() if params is not None else None)
        try:
            with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 - fixed https base
                return json.loads(response.read())
        except (urllib.error.URLError, TimeoutError, ValueError) as error:
            log.warning("payment provider call %s %s failed: %s", method, path, error)
            raise Problem(502, failed) from None


def expected_signature(secret: str, timestamp: int | str, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def verify_signature(body: bytes, header: str | None, secret: str, tolerance: int) -> int:
    """Check a `t=...,v1=...` signature header; return its timestamp or raise a 400 problem."""
    timestamp, signatures = None, []
    for part in (header or "").split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1" and value:
            signatures.append(value)
    if timestamp is None or not signatures:
        raise Problem(400, f"The {SIGNATURE_HEADER} header is missing or malformed.")
    expected = expected_signature(secret, timestamp, body)
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise Problem(400, "The webhook signature does not match.")
    if abs(clock.now().timestamp() - timestamp) > tolerance:
        raise Problem(400, "The webhook timestamp is outside the tolerance; refusing a possible replay.")
    return timestamp


class HostedCheckoutProvider:
    """Stripe-shaped hosted checkout: one session per order, completion by signed webhook."""

    name = "stripe"
    has_webhooks = True

    def __init__(self, client: CheckoutClient, webhook_secret: str, tolerance: int):
        self.client = client
        self.webhook_secret = webhook_secret
        self.tolerance = tolerance

    def start_checkout(self, order, *, return_url: str | None) -> CheckoutStart:
        # One line with our own total: tax, shipping and discount are computed by the store.
        params = {
            "mode": "payment",
            "client_reference_id": order.id,
            "metadata[order_id]": order.id,
            "line_items[0][quantity]": "1",
            "line_items[0][price_data][currency]": order.currency.lower(),
            "line_items[0][price_data][unit_amount]": str(order.total),
            "line_items[0][price_data][product_data][name]": f"Order {order.id}",
            "success_url": return_url or current_app.config["GALLERY"].public_base_url,
            "cancel_url": return_url or current_app.config["GALLERY"].public_base_url,
        }
        if order.email:
            params["customer_email"] = order.email
        session = self.client.create_session(params)
        if not isinstance(session, dict) or not session.get("id") or not session.get("url"):
            raise Problem(502, "The payment provider answered without a checkout URL; nothing was charged.")
        return CheckoutStart(reference=str(session["id"]), url=str(session["url"]))

    def parse_webhook(self, body: bytes, headers) -> WebhookEvent:
        verify_signature(body, headers.get(SIGNATURE_HEADER), self.webhook_secret, self.tolerance)
        try:
            payload = json.loads(body)
            event_id, event_type = str(payload["id"]), str(payload["type"])
            data = payload.get("data", {}).get("object", {}) or {}
        except (ValueError, KeyError, TypeError, AttributeError):
            raise Problem(400, "The webhook body is not a provider event.") from None
        amount = data.get("amount_total")
        return WebhookEvent(
            id=event_id, type=event_type,
            order_id=data.get("client_reference_id") or (data.get("metadata") or {}).get("order_id"),
            reference=data.get("id"),
            amount=amount if isinstance(amount, int) else None,
            currency=str(data["currency"]).upper() if data.get("currency") else None,
            paid=event_type in PAID_EVENT_TYPES and data.get("payment_status") in ("paid", "no_payment_required"),
        )


    def can_refund(self, order) -> bool:
        return bool(order.payment_reference) and order.paid_at is not None

    def refund(self, order) -> RefundResult:
        answer = self.client.refund_session(order.payment_reference, order.total, f"refund-{order.id}")
        if not isinstance(answer, dict) or not answer.get("id") or answer.get("status") == "failed":
            raise Problem(502, "The payment provider refused the refund; nothing changed.")
        return RefundResult(reference=str(answer["id"]), amount=order.total)


def refund_possible(order) -> bool:
    """Whether the order's payment provider can give its money back (an unconfigured provider cannot)."""
    try:
        return get_provider(order.payment_provider).can_refund(order)
    except Problem:
        return False


def refund_payment(order) -> RefundResult:
    """Give the order's total back through its provider (a 409 problem where it cannot)."""
    if not refund_possible(order):
        raise Problem(409, f"The payment provider {order.payment_provider!r} cannot refund this order.",
                      errors={"status": ["No refund through this payment provider."]})
    return get_provider(order.payment_provider).refund(order)


def configured_providers() -> list[str]:
    settings = current_app.config["GALLERY"]
    return ["manual", "stripe"] if settings.stripe_secret_key else ["manual"]


def get_provider(name: str) -> PaymentProvider:
    settings = current_app.config["GALLERY"]
    if name == "manual":
        return ManualProvider()
    if name == "stripe" and settings.stripe_secret_key:
        client = current_app.extensions.get("store_checkout_client") or StripeHttpClient(
            settings.stripe_api_base, settings.stripe_secret_key)
        return HostedCheckoutProvider(client, settings.stripe_webhook_secret, settings.payment_webhook_tolerance)
    raise Problem(404, f"No payment provider named {name!r} is configured.")
