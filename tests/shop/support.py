"""Shared helpers for the shop tests: partnerships with a discount code in force,
connections, and posting signed webhooks through the test client."""

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from accounts.models import User
from shop.models import Provider
from shop.services import connection_create
from shop.webhooks import samples
from tests.factories import CampaignFactory, UserFactory, make_accepted_partnership

SECRET = "shpss_0123456789abcdef-test-secret"
WOO_SECRET = "woo-secret-0123456789abcdef"


def commission_partnership(marketer, user=None, *, code="SITI10", percent="10.00", campaign=None,
                           name="Siti Rahman", kpis=None):  # fmt: skip
    """A partnership whose accepted v1 has a commission line with this code and percent."""
    commission = {"kind": "commission", "commission_percent": Decimal(percent), "currency": "MYR"}
    if code:
        commission["discount_code"] = code
    return make_accepted_partnership(
        marketer, user or UserFactory(role=User.Role.INFLUENCER), name, campaign=campaign,
        quantity=1, compensation=[commission],
        kpis=kpis if kpis is not None else [
            {"metric": "conversions", "target": 10, "bonus_tiers": []}
        ],
    )  # fmt: skip


def shopify(name="Kopi Kita Shopify"):
    return connection_create(name=name, provider=Provider.SHOPIFY, secret=SECRET)


def woo(name="Kopi Kita Woo"):
    return connection_create(name=name, provider=Provider.WOOCOMMERCE, secret=WOO_SECRET)


def post(connection, topic, payload, *, secret=None):
    secret = secret or (SECRET if connection.provider == Provider.SHOPIFY else WOO_SECRET)
    body, headers = samples.signed(connection.provider, topic, payload, secret)
    headers.pop("Content-Type")
    url = reverse("shop:webhook", args=[connection.provider, connection.token])
    return Client().post(url, data=body, content_type="application/json", headers=headers)


__all__ = ["CampaignFactory", "commission_partnership", "post", "shopify", "woo"]
