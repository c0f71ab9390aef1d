"""The demo partnerships (statuses, terms versions, parcels, payouts) and the admin over them.

Every test here runs over the demo data, seeded once per session (the `demo` fixture);
seeding twice is checked once for every table in tests/accounts/test_demo_data.py.
"""

import pytest
from django.urls import reverse

from accounts.models import User
from campaigns.models import Campaign
from influencers.models import Influencer
from partnerships.models import Acceptance, Partnership, Payment, Shipment, TermsVersion
from tests.factories import CampaignFactory, ChannelFactory, make_partnership

pytestmark = pytest.mark.usefixtures("demo")

Status = Partnership.Status


# --- Demo data ---------------------------------------------------------------------------


def test_demo_has_at_least_5_campaigns_and_15_partnerships():
    assert Campaign.objects.count() >= 5
    assert Partnership.objects.count() >= 15


def test_seed_demo_covers_every_status_and_campaign_status():
    assert set(Partnership.objects.values_list("status", flat=True)) == set(Status.values)
    assert set(Campaign.objects.values_list("status", flat=True)) == set(Campaign.Status.values)
    # Accepted, active and completed all rest on a real acceptance of the latest version.
    for partnership in Partnership.objects.filter(
        status__in=[Status.ACCEPTED, Status.ACTIVE, Status.COMPLETED]
    ):
        latest = partnership.versions.exclude(proposed_at=None).latest("number")
        assert Acceptance.objects.filter(version=latest).exists(), partnership
    assert Partnership.objects.filter(renewed_from__isnull=False).exists()


@pytest.mark.parametrize("email", ["influencer@example.com", "influencer2@example.com"])
def test_each_portal_influencer_has_accepted_and_pending_partnerships(email):
    influencer = Influencer.objects.get(email=email)
    partnerships = Partnership.objects.filter(influencer=influencer)

    assert partnerships.values("campaign").distinct().count() >= 2
    assert partnerships.filter(
        status__in=[Status.ACCEPTED, Status.ACTIVE], acceptances__accepted_by=influencer.user
    ).exists()
    assert partnerships.filter(status=Status.PROPOSED).exists()


def test_seed_demo_has_revised_terms_parcels_and_commission():
    revised = [p for p in Partnership.objects.all() if p.versions.count() >= 2]
    assert revised
    statuses = set(Shipment.objects.values_list("status", flat=True))
    assert {"preparing", "sent", "delivered"} <= statuses
    assert Shipment.objects.filter(status="delivered").exclude(review_url="").exists()
    assert Payment.objects.filter(kind="commission").count() >= 2


# --- Admin --------------------------------------------------------------------------------


@pytest.fixture
def superuser_client(client, db):
    user = User.objects.create_superuser(email="root@brand.test", password="x-pass-123")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "model", ["partnership", "termsversion", "acceptance", "shipment", "payment"]
)
def test_admin_changelists_and_pages_open(superuser_client, django_assert_max_num_queries, model):
    with django_assert_max_num_queries(15):
        response = superuser_client.get(reverse(f"admin:partnerships_{model}_changelist"))
    assert response.status_code == 200

    obj = Partnership.objects.first() if model == "partnership" else None
    obj = obj or {
        "termsversion": TermsVersion.objects.first(),
        "acceptance": Acceptance.objects.first(),
        "shipment": Shipment.objects.first(),
        "payment": Payment.objects.first(),
    }.get(model)
    change = superuser_client.get(reverse(f"admin:partnerships_{model}_change", args=[obj.pk]))
    assert change.status_code == 200
    history = superuser_client.get(reverse(f"admin:partnerships_{model}_history", args=[obj.pk]))
    assert history.status_code == 200


def test_admin_refuses_to_change_a_proposed_version(superuser_client):
    version = TermsVersion.objects.exclude(proposed_at=None).first()
    url = reverse("admin:partnerships_termsversion_change", args=[version.pk])

    page = superuser_client.get(url).content.decode()
    response = superuser_client.post(
        url, {"creative_notes": "Changed after the fact", "disclosure_rule": "none"}
    )

    assert 'name="creative_notes"' not in page
    assert 'name="disclosure_rule"' not in page
    assert response.status_code == 403
    refreshed = TermsVersion.objects.get(pk=version.pk)
    assert (refreshed.creative_notes, refreshed.disclosure_rule, refreshed.sha256) == (
        version.creative_notes,
        version.disclosure_rule,
        version.sha256,
    )
    delete = reverse("admin:partnerships_termsversion_delete", args=[version.pk])
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 403
    assert TermsVersion.objects.filter(pk=version.pk).exists()


def test_admin_lets_a_draft_version_be_edited(superuser_client):
    version = TermsVersion.objects.filter(proposed_at=None).first()
    page = superuser_client.get(
        reverse("admin:partnerships_termsversion_change", args=[version.pk])
    ).content.decode()
    assert 'name="creative_notes"' in page
    assert 'name="sha256"' not in page


def test_admin_acceptances_and_partnership_status_are_read_only(superuser_client):
    acceptance = Acceptance.objects.first()
    partnership = Partnership.objects.get(pk=acceptance.partnership_id)
    change = reverse("admin:partnerships_acceptance_change", args=[acceptance.pk])

    assert superuser_client.get(reverse("admin:partnerships_acceptance_add")).status_code == 403
    assert superuser_client.post(change, {"ip_address": "198.51.100.1"}).status_code == 403
    page = superuser_client.get(
        reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    ).content.decode()
    assert 'name="status"' not in page
    # Reverting to an old history row would move the status past the services.
    old = partnership.history.order_by("history_id").first()
    revert = reverse(
        "admin:partnerships_partnership_simple_history", args=[partnership.pk, old.history_id]
    )
    assert superuser_client.post(revert, {"owner": ""}).status_code == 403
    assert Partnership.objects.get(pk=partnership.pk).status == partnership.status


def test_admin_shipment_form_keeps_the_shipment_rules(superuser_client, marketer):
    partnership = make_partnership(by=marketer)
    shipments_before = Shipment.objects.count()

    response = superuser_client.post(
        reverse("admin:partnerships_shipment_add"),
        {
            "partnership": partnership.pk,
            "item": "Sampler",
            "quantity": "1",
            "value": "0",
            "shipping_cost": "0",
            "currency": "MYR",
            "status": "delivered",
            "sent_on": "2026-12-05",
            "delivered_on": "2026-12-01",
            "review_url": "javascript:alert(1)",
        },
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert {"delivered_on", "review_url"} <= set(errors)
    assert Shipment.objects.count() == shipments_before


def test_adding_a_partnership_in_admin_goes_through_the_service(superuser_client, marketer):
    channel = ChannelFactory()
    target = CampaignFactory()
    assert superuser_client.get(reverse("admin:partnerships_partnership_add")).status_code == 200

    response = superuser_client.post(
        reverse("admin:partnerships_partnership_add"),
        {
            "campaign": target.pk,
            "influencer": channel.influencer.pk,
            "owner": marketer.pk,
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    partnership = Partnership.objects.get(campaign=target, influencer=channel.influencer)
    assert (partnership.status, partnership.owner) == (Status.DRAFT, marketer)
    assert list(partnership.versions.values_list("number", flat=True)) == [1]
