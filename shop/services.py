"""Writes of the shop app: connections, stored deliveries, and reading deliveries into
orders, events, attributions and the numbers.

The delivery row in Postgres is the queue: the webhook view stores it and only nudges
a worker; `deliveries_process` (the nudged task and the sweeper alike) claims what is
unprocessed with SKIP LOCKED, so two workers never read the same row, and a worker
killed half way leaves its rows unprocessed for the next run.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from common.crypto import decrypt, encrypt, hint_of
from common.queue import nudge_on_commit

from .attribution import orders_attribute
from .models import Attribution, Delivery, Order, OrderEvent, Provider, ShopConnection
from .totals import totals_recompute
from .webhooks.payloads import PayloadError, money

log = logging.getLogger(__name__)
BATCH = 500


@transaction.atomic
def connection_create(*, name: str, provider: str, secret: str = "") -> ShopConnection:
    if provider != Provider.CSV and not secret.strip():
        raise ValidationError(_("A shop that sends webhooks needs its signing secret."))
    connection = ShopConnection(name=name, provider=provider)
    if secret.strip():
        connection.secret_encrypted = encrypt(secret.strip())
        connection.secret_hint = hint_of(secret.strip())
    connection.full_clean()
    connection.save()
    return connection


def connection_secret(connection: ShopConnection) -> str:
    return decrypt(connection.secret_encrypted).reveal() if connection.secret_encrypted else ""


def deliveries_store(*, connection: ShopConnection, items: list[tuple[str, str, dict]]) -> None:
    """Store (order id, event, stripped payload) rows; a repeat of one is ignored (the
    unique key), then nudge a worker once the transaction commits."""
    rows = [
        Delivery(connection=connection, order_external_id=order_id, event=event, payload=payload)
        for order_id, event, payload in items
    ]
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    from .tasks import process_deliveries

    nudge_on_commit(process_deliveries)


def _time(value):
    at = parse_datetime(str(value)) if value else None
    if at is None:
        raise PayloadError("no time")
    return at if timezone.is_aware(at) else timezone.make_aware(at)


def _read(delivery: Delivery) -> tuple[Order | None, list[OrderEvent]]:
    data = delivery.payload
    order = None
    if data.get("order"):
        o = data["order"]
        order = Order(
            connection_id=delivery.connection_id,
            external_id=o["id"],
            placed_at=_time(o["placed_at"]),
            currency=o["currency"],
            net_amount=money(o["net"]),
            discount_codes=o.get("codes") or [],
            landing_url=o.get("landing_url") or "",
        )
        order.full_clean(exclude=["connection"], validate_unique=False, validate_constraints=False)
    events = [
        OrderEvent(
            connection_id=delivery.connection_id,
            order_external_id=delivery.order_external_id,
            key=e["key"][:120],
            kind=e["kind"],
            happened_at=_time(e["at"]),
            amount=money(e["amount"]),
        )
        for e in data.get("events") or []
    ]
    return order, events


def deliveries_process(*, limit: int = BATCH) -> int:
    """Read up to `limit` unprocessed deliveries; recompute the numbers they touch.
    The number of deliveries read (0: nothing was waiting)."""
    with transaction.atomic():
        claimed = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(processed_at=None)
            .order_by("pk")[:limit]
        )
        if not claimed:
            return 0
        orders, events, errors = {}, {}, {}
        for delivery in claimed:
            try:
                order, order_events = _read(delivery)
            except (PayloadError, ValidationError, KeyError, TypeError, ValueError) as exc:
                log.warning("shop: delivery %s unreadable: %s", delivery.pk, type(exc).__name__)
                errors[delivery.pk] = _("Unreadable: %(e)s") % {"e": type(exc).__name__}
                continue
            if order is not None:
                orders[(order.connection_id, order.external_id)] = order
            for event in order_events:
                events[(event.connection_id, event.order_external_id, event.key)] = event
        touched = _save(list(orders.values()), list(events.values()))
        now = timezone.now()
        Delivery.objects.filter(pk__in=[d.pk for d in claimed]).exclude(pk__in=list(errors)).update(
            processed_at=now
        )
        for pk, error in errors.items():
            Delivery.objects.filter(pk=pk).update(processed_at=now, error=error[:300])
        # In the same transaction as the claim: a worker killed before the commit leaves
        # the deliveries unprocessed, so the numbers are never left behind the orders.
        # Each subject's lock is held to the commit, taken in one order (no deadlock):
        # whichever worker recomputes a subject last sees every other's orders.
        totals_recompute(partnership_ids=touched)
    return len(claimed)


def _save(orders: list[Order], events: list[OrderEvent]) -> set[int]:
    """Upsert orders and events; attribute new orders. The partnership ids touched."""
    Order.objects.bulk_create(
        orders,
        update_conflicts=True,
        unique_fields=["connection", "external_id"],
        update_fields=["placed_at", "currency", "net_amount", "discount_codes", "landing_url"],
    )
    OrderEvent.objects.bulk_create(events, ignore_conflicts=True)
    saved = list(
        Order.objects.filter(
            connection_id__in={o.connection_id for o in orders},
            external_id__in={o.external_id for o in orders},
        )
    )
    touched = orders_attribute(saved)
    keys = {(o.connection_id, o.external_id) for o in orders}
    keys |= {(e.connection_id, e.order_external_id) for e in events}
    if keys:
        for attribution in Attribution.objects.filter(
            order__connection_id__in={k[0] for k in keys},
            order__external_id__in={k[1] for k in keys},
        ).select_related("order"):
            if (attribution.order.connection_id, attribution.order.external_id) in keys:
                touched.add(attribution.partnership_id)
    return touched


def deliveries_process_all(*, limit: int = BATCH) -> int:
    total = 0
    while (done := deliveries_process(limit=limit)) > 0:
        total += done
    return total
