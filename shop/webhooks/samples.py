"""Sample webhook bodies shaped as Shopify and WooCommerce send them (the fields this app
reads, plus the customer fields it must never keep), for `fake_orders` and the tests."""

import datetime
import json
from decimal import Decimal

from django.utils import timezone

from ..models import Provider
from .signatures import HEADERS, TOPIC_HEADERS, sign

CUSTOMER = {
    "email": "siti.customer@example.net",
    "phone": "+60123456789",
    "customer": {
        "first_name": "Siti",
        "last_name": "Pelanggan",
        "email": "siti.customer@example.net",
    },
    "billing_address": {
        "name": "Siti Pelanggan",
        "address1": "12 Jalan Ampang",
        "city": "Kuala Lumpur",
    },
    "shipping_address": {
        "name": "Siti Pelanggan",
        "address1": "12 Jalan Ampang",
        "city": "Kuala Lumpur",
    },
}


def _iso(at: datetime.datetime | None) -> str:
    return (at or timezone.now()).isoformat()


def shopify_order(
    order_id: int,
    *,
    subtotal: Decimal | str = "100.00",
    currency: str = "MYR",
    codes: tuple[str, ...] = (),
    landing: str = "",
    at=None,
    cancelled_at=None,
) -> dict:
    return {
        "id": order_id,
        "name": f"#{order_id}",
        "created_at": _iso(at),
        "currency": currency,
        "subtotal_price": str(subtotal),
        "total_price": str(Decimal(subtotal) + Decimal("8.00")),
        "discount_codes": [{"code": c, "amount": "10.00", "type": "percentage"} for c in codes],
        "landing_site": landing,
        "cancelled_at": _iso(cancelled_at) if cancelled_at else None,
        "financial_status": "paid",
        "line_items": [{"title": "Kopi Kita 250 g", "quantity": 1, "price": str(subtotal)}],
        **CUSTOMER,
    }


def shopify_refund(order_id: int, refund_id: int, *, amount: Decimal | str, at=None) -> dict:
    return {
        "id": refund_id,
        "order_id": order_id,
        "created_at": _iso(at),
        "note": "Customer Siti asked",
        "refund_line_items": [{"quantity": 1, "subtotal": str(amount)}],
        "transactions": [{"kind": "refund", "status": "success", "amount": str(amount)}],
    }


def woo_order(
    order_id: int,
    *,
    total: Decimal | str = "100.00",
    currency: str = "MYR",
    codes: tuple[str, ...] = (),
    landing: str = "",
    status: str = "processing",
    at=None,
    modified=None,
    refunds: tuple[tuple[int, str], ...] = (),
) -> dict:
    utc = datetime.UTC
    created = (at or timezone.now()).astimezone(utc).replace(tzinfo=None)
    changed = (modified or at or timezone.now()).astimezone(utc).replace(tzinfo=None)
    return {
        "id": order_id,
        "status": status,
        "currency": currency,
        "date_created_gmt": created.isoformat(timespec="seconds"),
        "date_modified_gmt": changed.isoformat(timespec="seconds"),
        "total": str(Decimal(total) + Decimal("8.00")),
        "shipping_total": "8.00",
        "total_tax": "0.00",
        "coupon_lines": [{"id": i, "code": c, "discount": "5.00"} for i, c in enumerate(codes, 1)],
        "refunds": [{"id": rid, "total": f"-{amount}", "reason": ""} for rid, amount in refunds],
        "meta_data": [{"key": "_wc_order_attribution_session_entry", "value": landing}],
        "billing": {
            "first_name": "Siti",
            "last_name": "Pelanggan",
            "email": "siti.customer@example.net",
            "address_1": "12 Jalan Ampang",
        },
        "shipping": {
            "first_name": "Siti",
            "last_name": "Pelanggan",
            "address_1": "12 Jalan Ampang",
        },
        "customer_note": "Leave at the door",
    }


def signed(provider: str, topic: str, payload: dict, secret: str) -> tuple[bytes, dict[str, str]]:
    """The body and the headers the shop would send."""
    body = json.dumps(payload).encode()
    return body, {
        "Content-Type": "application/json",
        HEADERS[provider]: sign(secret, body),
        TOPIC_HEADERS[provider]: topic,
    }


ORDER_TOPIC = {Provider.SHOPIFY: "orders/create", Provider.WOOCOMMERCE: "order.created"}
