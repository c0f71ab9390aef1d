"""Admin adds and changes of campaigns go through campaigns.services, default terms and
all, in one transaction."""

import pytest
from django.urls import reverse

from accounts.models import User
from campaigns.models import Campaign
from tests.factories import CampaignFactory


@pytest.fixture
def superuser_client(client, db):
    user = User.objects.create_superuser(email="root@brand.test", password="x-pass-123")
    client.force_login(user)
    return client


def campaign_post(**terms) -> dict:
    data = {
        "name": "Raya 2026",
        "brand": "Kopi Kita",
        "starts_on": "2026-03-01",
        "ends_on": "2026-04-15",
        "budget": "1000.00",
        "currency": "MYR",
        "utm_campaign": "raya_2026",
        "status": "planning",
        "default_terms-TOTAL_FORMS": "1",
        "default_terms-INITIAL_FORMS": "0",
        "default_terms-0-brief_must_haves": "Say it is Kopi Kita\n#ad",
        "default_terms-0-disclosure_rule": "#iklan",
        "default_terms-0-payment_net_days": "14",
        "default_terms-0-usage_days": "",
        "default_terms-0-exclusivity_days": "",
    }
    return data | {f"default_terms-0-{k}": v for k, v in terms.items()}


def test_adding_a_campaign_saves_its_default_terms_through_the_service(superuser_client):
    response = superuser_client.post(reverse("admin:campaigns_campaign_add"), campaign_post())

    assert response.status_code == 302, response.content.decode()[:3000]
    terms = Campaign.objects.get().default_terms
    assert terms.brief_must_haves == ["Say it is Kopi Kita", "#ad"]
    assert (terms.disclosure_rule, terms.payment_net_days, terms.usage_days) == ("#iklan", 14, 0)


def test_a_bad_default_term_is_refused_and_nothing_is_written(superuser_client):
    response = superuser_client.post(
        reverse("admin:campaigns_campaign_add"), campaign_post(payment_net_days="400")
    )

    assert response.status_code == 200
    assert not Campaign.objects.exists()


def test_changing_default_terms_in_the_admin_updates_the_row(superuser_client):
    campaign = CampaignFactory(utm_campaign="raya_2026", default_terms={"payment_net_days": 60})
    data = campaign_post(payment_net_days="21") | {
        "default_terms-INITIAL_FORMS": "1",
        "default_terms-0-campaign": campaign.pk,
    }

    response = superuser_client.post(
        reverse("admin:campaigns_campaign_change", args=[campaign.pk]), data
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert Campaign.objects.get().default_terms.payment_net_days == 21
