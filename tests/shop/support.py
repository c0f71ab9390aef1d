"""Shared helpers for the shop tests: partnerships with a discount code in force,
connections, and posting signed webhooks through the test client."""

import datetime
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from accounts.models import User
from shop.models import Provider
from shop.services import connection_create
from shop.webhooks import samples
from tests.factories import CampaignFactory, ChannelFactory, UserFactory, make_partnership

SECRET = "shpss_0123456789abcdef-test-secret"
WOO_SECRET = "woo-secret-0123456789abcdef"


def commission_partnership(marketer, user=None, *, code="SITI10", percent="10.00", campaign=None,
                           name="Siti Rahman", kpis=None):  # fmt: skip
    """A partnership whose accepted v1 has a commission line with this code and percent."""
    from partnerships.terms import services as terms_services

    channel = ChannelFactory(influencer__name=name, influencer__user=user)
    partnership = make_partnership(by=marketer, channel=channel, campaign=campaign)
    version = partnership.versions.get()
    compensation = [
        {"kind": "commission", "commission_percent": Decimal(percent), "currency": "MYR"}
    ]
    if code:
        compensation[0]["discount_code"] = code
    terms_services.terms_save(
        version=version,
        by=marketer,
        data=terms_services.TermsInput(
            fields={},
            deliverables=[
                {
                    "channel": channel,
                    "format": "reel",
                    "quantity": 1,
                    "due_on": datetime.date(2026, 12, 15),
                    "requirements": "Show the cup",
                }
            ],  # fmt: skip
            compensation=compensation,
            kpis=kpis
            if kpis is not None
            else [{"metric": "conversions", "target": 10, "bonus_tiers": []}],
        ),
    )
    if user is None:
        user = UserFactory(role=User.Role.INFLUENCER)
        channel.influencer.user = user
        channel.influencer.save(update_fields=["user"])
    terms_services.terms_propose(version=version, by=marketer)
    terms_services.terms_accept(version=version, by=user, ip=None, user_agent="")
    partnership.refresh_from_db()
    return partnership


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
