"""Writes for product seeding (shipments) and money paid out (payments).

The rules that span several fields of a shipment live in `shipment_errors`, so the
service, the app's form and the admin's form all refuse the same things. (Their natural
home is a `Shipment.clean()`; they sit here while models.py is someone else's file.)
"""

from datetime import date
from decimal import Decimal
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

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


def shipment_errors(
    *, status: str | None, sent_on: date | None, delivered_on: date | None, review_url: str | None
) -> dict[str, list[str]]:
    """Cross-field rules that field validators cannot check on their own, by field."""
    errors: dict[str, list[str]] = {}
    if sent_on and delivered_on and delivered_on < sent_on:
        errors["delivered_on"] = [_("It cannot arrive before it was sent.")]
    elif status == Shipment.Status.DELIVERED and not delivered_on:
        errors["delivered_on"] = [_("Enter the date it arrived.")]
    if status in (Shipment.Status.SENT, Shipment.Status.DELIVERED) and not sent_on:
        errors["sent_on"] = [_("Enter the date it was sent.")]
    if review_url and urlsplit(review_url).scheme.lower() not in ("http", "https"):
        errors["review_url"] = [_("Use a web link starting with http:// or https://.")]
    return errors


def _validate(shipment: Shipment) -> None:
    errors = shipment_errors(
        status=shipment.status,
        sent_on=shipment.sent_on,
        delivered_on=shipment.delivered_on,
        review_url=shipment.review_url,
    )
    try:
        # The database constraints say the same as the rules above, less clearly: check
        # them only once the rules pass, so each mistake is reported once, on its field.
        shipment.full_clean(exclude=["partnership"], validate_constraints=not errors)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


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
