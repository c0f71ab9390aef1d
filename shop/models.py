"""Shop sales: connections to a brand's shop, the webhook deliveries they send, the
orders and order events read from them, and which partnership each order belongs to.

Only what attribution needs is stored: order id, times, amounts, currency, discount
codes and the landing URL. Customer names, emails and addresses never reach a table:
the webhook view strips the payload to the fields below before the delivery is saved.
"""

import secrets

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import currency_validator
from common.validators import validate_single_line
from partnerships.models import Partnership


def new_token() -> str:
    return secrets.token_urlsafe(18)


class Provider(models.TextChoices):
    SHOPIFY = "shopify", _("Shopify")
    WOOCOMMERCE = "woocommerce", _("WooCommerce")
    CSV = "csv", _("CSV import (marketplaces, other shops)")


class ShopConnection(models.Model):
    name = models.CharField(_("name"), max_length=100, validators=[validate_single_line])
    provider = models.CharField(_("provider"), max_length=20, choices=Provider.choices)
    # Part of the webhook URL: says which connection's secret checks the signature.
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    # The webhook signing secret as a Fernet token (common.crypto); never in clear.
    secret_encrypted = models.TextField(blank=True, editable=False)
    secret_hint = models.CharField(max_length=4, blank=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("shop connection")
        verbose_name_plural = _("shop connections")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(provider="csv") | ~Q(secret_encrypted=""),
                name="shop_webhooks_have_secret",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_provider_display()})"


class Delivery(models.Model):
    """One webhook delivery or CSV row, stripped, as received: the queue of work.

    Unique per connection, order and event, so a replayed or duplicated delivery is
    stored once; `processed_at` is empty until a worker has read it into orders."""

    connection = models.ForeignKey(
        ShopConnection, on_delete=models.CASCADE, related_name="deliveries"
    )
    order_external_id = models.CharField(max_length=64)
    event = models.CharField(max_length=120)
    payload = models.JSONField(default=dict)
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("shop delivery")
        verbose_name_plural = _("shop deliveries")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "order_external_id", "event"], name="shop_delivery_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["received_at"],
                condition=Q(processed_at=None),
                name="shop_delivery_unprocessed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} #{self.order_external_id}"


class Order(models.Model):
    connection = models.ForeignKey(ShopConnection, on_delete=models.CASCADE, related_name="orders")
    external_id = models.CharField(_("order id"), max_length=64)
    placed_at = models.DateTimeField(_("placed"))
    currency = models.CharField(_("currency"), max_length=3, validators=[currency_validator])
    # What the sale brought before shipping and taxes, after discounts.
    net_amount = models.DecimalField(_("net amount"), max_digits=14, decimal_places=2)
    discount_codes = ArrayField(
        models.CharField(max_length=60), default=list, blank=True, verbose_name=_("codes")
    )
    landing_url = models.CharField(_("landing URL"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-placed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["connection", "external_id"], name="shop_order_once"),
            models.CheckConstraint(condition=Q(net_amount__gte=0), name="shop_order_net_positive"),
        ]

    def __str__(self) -> str:
        return f"#{self.external_id}"


class OrderEvent(models.Model):
    """A cancellation or a refund, kept apart from its order: it may arrive first."""

    class Kind(models.TextChoices):
        CANCEL = "cancel", _("Cancelled")
        REFUND = "refund", _("Refund")

    connection = models.ForeignKey(
        ShopConnection, on_delete=models.CASCADE, related_name="order_events"
    )
    order_external_id = models.CharField(max_length=64)
    key = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    happened_at = models.DateTimeField()
    amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        ordering = ["happened_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "order_external_id", "key"], name="shop_event_once"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="shop_event_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.order_external_id}"


class Attribution(models.Model):
    class Rule(models.TextChoices):
        CODE = "code", _("Discount code")
        UTM = "utm", _("Tracked-link UTMs")

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="attribution")
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="shop_attributions"
    )
    rule = models.CharField(_("rule"), max_length=10, choices=Rule.choices)
    matched = models.CharField(_("matched"), max_length=300)
    attributed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attribution")
        verbose_name_plural = _("attributions")

    def __str__(self) -> str:
        return f"{self.order_id} → {self.partnership_id} ({self.rule})"
