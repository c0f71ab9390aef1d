"""What happens after the terms: product shipped, money paid, posts handed in."""

import datetime
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns.models import currency_validator, default_currency
from common.fields import LimitedTextField, MoneyField, PositiveIntegerField
from common.validators import (
    MAX_PIECES,
    MAX_QUANTITY,
    MONEY_NOT_NEGATIVE,
    MONEY_POSITIVE,
    check_date,
    today,
    up_to,
    validate_single_line,
    validate_text,
)

from .agreements import Deliverable, Partnership

# Parcels and payments are recorded as they happen, or planned at most a year ahead.
DAYS_AHEAD = datetime.timedelta(days=366)


class Shipment(models.Model):
    class Status(models.TextChoices):
        PREPARING = "preparing", _("Preparing")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        RETURNED = "returned", _("Returned")
        LOST = "lost", _("Lost")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="shipments")
    item = models.CharField(_("item"), max_length=200, validators=[validate_single_line])
    quantity = PositiveIntegerField(
        _("quantity"), default=1, validators=up_to(MAX_QUANTITY, minimum=1)
    )
    value = MoneyField(
        _("cost of goods (total)"), default=Decimal("0"), validators=MONEY_NOT_NEGATIVE
    )
    shipping_cost = MoneyField(
        _("shipping cost"), default=Decimal("0"), validators=MONEY_NOT_NEGATIVE
    )
    currency = models.CharField(
        _("currency"), max_length=3, default=default_currency, validators=[currency_validator]
    )
    carrier = models.CharField(
        _("carrier"), max_length=80, blank=True, validators=[validate_single_line]
    )
    tracking_number = models.CharField(
        _("tracking number"), max_length=80, blank=True, validators=[validate_single_line]
    )
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PREPARING
    )
    review_url = models.URLField(_("review post"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=0) & Q(shipping_cost__gte=0), name="ship_money_ok"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=MAX_QUANTITY),
                name="ship_quantity_bounded",
            ),
            models.CheckConstraint(
                condition=Q(delivered_on__isnull=True)
                | Q(sent_on__isnull=True)
                | Q(delivered_on__gte=models.F("sent_on")),
                name="ship_dates_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["sent", "delivered"]) | Q(sent_on__isnull=False),
                name="ship_sent_dated",
            ),
            models.CheckConstraint(
                condition=~Q(status="delivered") | Q(delivered_on__isnull=False),
                name="ship_delivered_dated",
            ),
            models.CheckConstraint(
                condition=Q(review_url="") | Q(review_url__iregex=r"^https?://"),
                name="ship_review_url_web",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.item}"

    def clean(self) -> None:
        errors: dict = {}
        sent_on, delivered_on = self.sent_on, self.delivered_on
        check_date(errors, "sent_on", sent_on, latest=today() + DAYS_AHEAD)
        check_date(errors, "delivered_on", delivered_on, latest=today() + DAYS_AHEAD)
        if "delivered_on" in errors or "sent_on" in errors:
            pass
        elif sent_on and delivered_on and delivered_on < sent_on:
            errors["delivered_on"] = _("It cannot arrive before it was sent.")
        elif self.status == self.Status.DELIVERED and not delivered_on:
            errors["delivered_on"] = _("Enter the date it arrived.")
        if self.status in (self.Status.SENT, self.Status.DELIVERED) and not sent_on:
            errors["sent_on"] = _("Enter the date it was sent.")
        if self.review_url and urlsplit(self.review_url).scheme.lower() not in ("http", "https"):
            errors["review_url"] = _("Use a web link starting with http:// or https://.")
        if errors:
            raise ValidationError(errors)


class Payment(models.Model):
    """Money actually paid out (cash fee, commission, bonus), for cost and settlement."""

    class Kind(models.TextChoices):
        CASH = "cash", _("Cash fee")
        COMMISSION = "commission", _("Commission")
        BONUS = "bonus", _("Bonus")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="payments")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # A payment of nothing is not a payment.
    amount = MoneyField(_("amount"), validators=MONEY_POSITIVE)
    currency = models.CharField(
        _("currency"), max_length=3, default=default_currency, validators=[currency_validator]
    )
    paid_on = models.DateField(_("paid on"), default=timezone.localdate)
    note = models.CharField(
        _("note"), max_length=300, blank=True, validators=[validate_single_line]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-paid_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_positive")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} {self.currency}"

    def clean(self) -> None:
        errors: dict = {}
        check_date(errors, "paid_on", self.paid_on, latest=today() + DAYS_AHEAD)
        if errors:
            raise ValidationError(errors)


class Submission(models.Model):
    """A published post the influencer hands in for one piece of a deliverable."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        NEEDS_FIX = "needs_fix", _("Needs a fix")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="submissions"
    )
    deliverable = models.ForeignKey(
        Deliverable, on_delete=models.PROTECT, related_name="submissions"
    )
    # Which of the deliverable's `quantity` pieces this is: 1..quantity.
    piece = models.PositiveSmallIntegerField(
        _("piece"), default=1, validators=up_to(MAX_PIECES, minimum=1)
    )
    post_url = models.URLField(_("post link"), max_length=500)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("handed in"), default=timezone.now)
    review_comment = LimitedTextField(
        _("comment"), max_length=2000, blank=True, validators=[validate_text]
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["deliverable", "piece"]
        constraints = [
            models.UniqueConstraint(
                fields=["deliverable", "piece"], name="submission_one_per_piece"
            ),
            models.CheckConstraint(condition=Q(piece__gte=1), name="submission_piece_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.deliverable} #{self.piece}: {self.post_url}"
