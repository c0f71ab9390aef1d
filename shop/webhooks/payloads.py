"""Provider payloads read into one neutral shape, keeping only what attribution needs.

    {"order": {"id", "placed_at", "currency", "net", "codes", "landing_url"} | None,
     "events": [{"key", "kind", "at", "amount"}]}

Customer names, emails, addresses, phone numbers, line items and notes are never read,
so they are never stored: the stripped shape is what the delivery row keeps.
"""

from decimal import Decimal, InvalidOperation

from ..models import OrderEvent, Provider

WOO_LANDING_META = "_wc_order_attribution_session_entry"
WOO_CANCELLED = {"cancelled", "failed"}
ZERO = Decimal("0")


class PayloadError(ValueError):
    pass


def money(value) -> Decimal:
    try:
        amount = abs(Decimal(str(value if value not in (None, "") else "0")))
    except InvalidOperation:
        raise PayloadError("not an amount") from None
    if not amount.is_finite():
        raise PayloadError("not an amount")
    return amount.quantize(Decimal("0.01"))


def _text(value, limit: int) -> str:
    return str(value or "").strip()[:limit]


def read(provider: str, topic: str, data: dict) -> tuple[str, str, dict]:
    """(order id, event, stripped payload) of one delivery; PayloadError if unreadable."""
    if not isinstance(data, dict):
        raise PayloadError("not an object")
    if provider == Provider.SHOPIFY:
        return _shopify(topic, data)
    if provider == Provider.WOOCOMMERCE:
        return _woo(topic, data)
    raise PayloadError("unknown provider")


def _shopify(topic: str, data: dict) -> tuple[str, str, dict]:
    if topic == "refunds/create":
        order_id, refund_id = _text(data.get("order_id"), 64), _text(data.get("id"), 40)
        if not order_id or not refund_id:
            raise PayloadError("refund without ids")
        items = data.get("refund_line_items") or []
        if items:
            amount = sum((money(i.get("subtotal")) for i in items), ZERO)
        else:
            amount = sum(
                (
                    money(t.get("amount"))
                    for t in data.get("transactions") or []
                    if t.get("kind") == "refund" and t.get("status") in ("success", None)
                ),
                ZERO,
            )
        event = {
            "key": f"refund:{refund_id}",
            "kind": OrderEvent.Kind.REFUND,
            "at": data.get("created_at"),
            "amount": str(amount),
        }
        return order_id, f"{topic}:{refund_id}", {"order": None, "events": [event]}
    if topic not in ("orders/create", "orders/paid", "orders/cancelled"):
        raise PayloadError("topic not subscribed")
    order_id = _text(data.get("id"), 64)
    if not order_id:
        raise PayloadError("order without id")
    order = {
        "id": order_id,
        "placed_at": data.get("created_at"),
        "currency": _text(data.get("currency"), 3).upper(),
        "net": str(money(data.get("subtotal_price"))),
        "codes": [
            _text(c.get("code"), 60) for c in data.get("discount_codes") or [] if c.get("code")
        ],
        "landing_url": _text(data.get("landing_site"), 2000),
    }
    events = []
    if data.get("cancelled_at"):
        events.append(
            {
                "key": "cancel",
                "kind": OrderEvent.Kind.CANCEL,
                "at": data["cancelled_at"],
                "amount": "0",
            }
        )
    return order_id, topic, {"order": order, "events": events}


def _woo(topic: str, data: dict) -> tuple[str, str, dict]:
    if topic not in ("order.created", "order.updated"):
        raise PayloadError("topic not subscribed")
    order_id = _text(data.get("id"), 64)
    if not order_id:
        raise PayloadError("order without id")
    net = (
        money(data.get("total")) - money(data.get("shipping_total")) - money(data.get("total_tax"))
    )
    landing = next(
        (m.get("value") for m in data.get("meta_data") or [] if m.get("key") == WOO_LANDING_META),
        "",
    )
    placed = _utc(data.get("date_created_gmt"))
    modified = _utc(data.get("date_modified_gmt")) or placed
    order = {
        "id": order_id,
        "placed_at": placed,
        "currency": _text(data.get("currency"), 3).upper(),
        "net": str(max(net, ZERO)),
        "codes": [
            _text(c.get("code"), 60) for c in data.get("coupon_lines") or [] if c.get("code")
        ],
        "landing_url": _text(landing, 2000),
    }
    events = [
        {
            "key": f"refund:{_text(r.get('id'), 40)}",
            "kind": OrderEvent.Kind.REFUND,
            "at": modified,
            "amount": str(money(r.get("total"))),
        }
        for r in data.get("refunds") or []
        if r.get("id")
    ]
    if data.get("status") in WOO_CANCELLED:
        events.append(
            {"key": "cancel", "kind": OrderEvent.Kind.CANCEL, "at": modified, "amount": "0"}
        )
    return order_id, f"{topic}:{modified}", {"order": order, "events": events}


def _utc(value) -> str | None:
    """WooCommerce's *_gmt times come without an offset."""
    if not value:
        return None
    text = str(value)
    return text if text.endswith("Z") or "+" in text[10:] else f"{text}Z"
