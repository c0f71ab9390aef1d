"""Shopify and WooCommerce sign each webhook the same way: base64 of the HMAC-SHA256 of
the raw request body under the shared secret, in a header of their own."""

import base64
import hashlib
import hmac

from ..models import Provider

HEADERS = {
    Provider.SHOPIFY: "X-Shopify-Hmac-Sha256",
    Provider.WOOCOMMERCE: "X-WC-Webhook-Signature",
}
TOPIC_HEADERS = {
    Provider.SHOPIFY: "X-Shopify-Topic",
    Provider.WOOCOMMERCE: "X-WC-Webhook-Topic",
}


def sign(secret: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def is_valid(secret: str, body: bytes, signature: str | None) -> bool:
    """Constant-time comparison; a missing or empty signature is invalid."""
    if not signature or not secret:
        return False
    return hmac.compare_digest(sign(secret, body).encode(), signature.strip().encode())
