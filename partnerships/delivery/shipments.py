"""Writes for product seeding (shipments) and money paid out (payments).

The rules of a single shipment live in `Shipment.clean()` and its constraints, so the
service, the app's form and the admin refuse the same things.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction

from accounts.models import User

from ..models import Partnership, Payment, Shipment

SHIPMENT_FIELDS = (
    "item",
    "quantity",
    "value",
    "shipping_cost",
    "currency",
    "carrier",
    "tracking_number",
    "sent_on",
    "delivered_on",
    "status",
    "review_url",
)


def _validate(shipment: Shipment) -> None:
    # Shipment.clean() holds the cross-field rules; full_clean skips the database
    # constraints on a field that already has an error, so each mistake shows once.
    shipment.full_clean(exclude=["partnership"])


@transaction.atomic
def shipment_create(
    *,
    partnership: Partnership,
    by: User,
    item: str,
    quantity: int = 1,
    value: Decimal = Decimal("0"),
    shipping_cost: Decimal = Decimal("0"),
    currency: str = "",
    carrier: str = "",
    tracking_number: str = "",
    sent_on: date | None = None,
    delivered_on: date | None = None,
    status: str = Shipment.Status.PREPARING,
    review_url: str = "",
) -> Shipment:
    shipment = Shipment(
        partnership=partnership,
        item=item,
        quantity=quantity,
        value=value,
        shipping_cost=shipping_cost,
        currency=currency or partnership.campaign.currency,
        carrier=carrier,
        tracking_number=tracking_number,
        sent_on=sent_on,
        delivered_on=delivered_on,
        status=status,
        review_url=review_url,
    )
    _validate(shipment)
    shipment._history_user = by  # attributes the history row outside a request too
    shipment.save()
    return shipment


@transaction.atomic
def shipment_update(*, shipment: Shipment, by: User, **fields) -> Shipment:
    unknown = set(fields) - set(SHIPMENT_FIELDS)
    if unknown:
        raise ValueError(f"not shipment fields: {sorted(unknown)}")
    # Lock so two people editing the same parcel are applied one after the other.
    shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
    for name, value in fields.items():
        setattr(shipment, name, value)
    _validate(shipment)
    shipment._history_user = by
    shipment.save()
    return shipment


@transaction.atomic
def payment_record(
    *,
    partnership: Partnership,
    by: User,
    kind: str,
    amount: Decimal,
    currency: str = "",
    paid_on: date | None = None,
    note: str = "",
) -> Payment:
    payment = Payment(
        partnership=partnership,
        kind=kind,
        amount=amount,
        currency=currency or partnership.campaign.currency,
        note=note,
    )
    if paid_on is not None:
        payment.paid_on = paid_on
    payment.full_clean(exclude=["partnership"])
    payment._history_user = by
    payment.save()
    return payment
