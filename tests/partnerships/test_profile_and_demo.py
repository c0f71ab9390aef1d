"""The partnerships panel on an influencer's profile, the demo data, and the admin."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from campaigns.models import Campaign
from influencers.models import Influencer
from partnerships import services
from partnerships.delivery import shipments as shipment_services
from partnerships.models import Acceptance, Partnership, Payment, Shipment, TermsVersion
from partnerships.relationships.selectors import (
    influencer_relationship,
    months_between,
)
from partnerships.terms import services as terms_services
from tests.factories import CampaignFactory, ChannelFactory, InfluencerFactory, make_partnership

Status = Partnership.Status
EMPTY = "No partnerships with this influencer yet."


def profile(client, influencer):
    return client.get(reverse("influencers:detail", args=[influencer.pk]))


def campaign(name: str, starts: str, ends: str) -> Campaign:
    return CampaignFactory(
        name=name,
        starts_on=datetime.date.fromisoformat(starts),
        ends_on=datetime.date.fromisoformat(ends),
    )


@pytest.fixture
def history(marketer):
    """Three campaigns over 14 months (Jan 2024 to Feb 2025), plus an offer they declined."""
    channel = ChannelFactory(influencer__name="Nadia Iskandar")
    first = make_partnership(
        by=marketer, channel=channel, campaign=campaign("Sahur Brew", "2024-01-01", "2024-02-29")
    )
    make_partnership(
        by=marketer, channel=channel, campaign=campaign("Cold Brew", "2024-06-01", "2024-08-31")
    )
    make_partnership(
        by=marketer, channel=channel, campaign=campaign("Year End", "2024-12-01", "2025-02-28")
    )
    declined = make_partnership(
        by=marketer, channel=channel, campaign=campaign("Way Later", "2025-09-01", "2025-12-31")
    )
    terms_services.terms_propose(version=declined.versions.get(), by=marketer)
    services.partnership_transition(partnership=declined, to_status=Status.DECLINED, by=marketer)
    shipment_services.shipment_create(
        partnership=first, by=marketer, item="Sampler", shipping_cost=Decimal("12.50")
    )
    shipment_services.payment_record(
        partnership=first, by=marketer, kind="commission", amount=Decimal("75.25")
    )
    return channel.influencer


# --- The profile panel ------------------------------------------------------------------


def test_profile_lists_every_partnership_with_length_repeats_and_cost(marketer_client, history):
    response = profile(marketer_client, history)

    assert response.status_code == 200
    html = response.content.decode()
    assert EMPTY not in html
    assert "Working together for 14 months" in html
    assert "4 partnerships, 2 repeat" in html
    for partnership in history.partnerships.select_related("campaign"):
        url = reverse("partnerships:detail", args=[partnership.pk])
        assert f'href="{url}">{partnership.campaign.name}</a>' in html
    assert "Declined" in html and "Draft" in html
    assert "1 Jan 2024 – 29 Feb 2024" in html
    # 1,500.00 fee + 12.50 shipping + 75.25 commission paid
    assert "MYR 1,587.75" in html
    assert f"{reverse('partnerships:create')}?influencer={history.pk}" in html


def test_relationship_counts_to_today_while_a_campaign_runs(marketer):
    channel = ChannelFactory()
    make_partnership(
        by=marketer, channel=channel, campaign=campaign("A", "2026-01-10", "2026-12-31")
    )

    relationship = influencer_relationship(channel.influencer, datetime.date(2026, 7, 9))

    assert (relationship.months, relationship.repeats, len(relationship.rows)) == (6, 0, 1)


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        ("2024-01-01", "2025-02-28", 14),
        ("2026-12-01", "2027-01-31", 2),
        ("2026-01-15", "2026-02-14", 1),
        ("2026-01-15", "2026-01-20", 1),
        ("2026-01-15", "2026-03-10", 1),
    ],
)
def test_months_between_counts_whole_months(start, end, months):
    start, end = datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    assert months_between(start, end) == months


def test_profile_without_partnerships_says_so_and_offers_a_campaign(marketer_client):
    influencer = InfluencerFactory()

    html = profile(marketer_client, influencer).content.decode()

    assert EMPTY in html
    assert "Working together" not in html
    assert f"{reverse('partnerships:create')}?influencer={influencer.pk}" in html


def test_viewer_sees_the_history_but_no_add_link(viewer_client, history):
    html = profile(viewer_client, history).content.decode()

    assert "Working together for 14 months" in html
    assert "Add to a campaign" not in html


def _rich_partnerships(marketer, influencer, count: int) -> None:
    """Partnerships with everything the panel reads: versions, acceptance, parcels, payouts."""
    channel = influencer.channels.get()
    for _n in range(count):
        partnership = make_partnership(by=marketer, channel=channel)
        version = terms_services.terms_propose(version=partnership.versions.get(), by=marketer)
        terms_services.terms_accept(version=version, by=influencer.user, ip="", user_agent="pytest")
        terms_services.terms_open_draft(partnership=partnership, by=marketer, based_on=1)
        shipment_services.shipment_create(partnership=partnership, by=marketer, item="Box")
        shipment_services.payment_record(
            partnership=partnership, by=marketer, kind="commission", amount=Decimal("10.00")
        )


def test_profile_query_count_is_the_same_for_one_or_five_partnerships(
    marketer_client, marketer, influencer_user
):
    counts = []
    for count, email in [(1, "one@inbox.test"), (5, "five@inbox.test")]:
        user = User.objects.create_user(email=email, password="x", role=User.Role.INFLUENCER)
        influencer = ChannelFactory(influencer__user=user).influencer
        _rich_partnerships(marketer, influencer, count)
        with CaptureQueriesContext(connection) as queries:
            response = profile(marketer_client, influencer)
        assert response.status_code == 200
        assert response.content.decode().count("MYR 1,510.00") == count
        counts.append(len(queries))

    assert counts[0] == counts[1]


# --- Demo data ---------------------------------------------------------------------------


def _seed() -> None:
    call_command("seed_demo", stdout=io.StringIO())


def _counts() -> dict:
    models = [Campaign, Partnership, TermsVersion, Acceptance, Shipment, Payment]
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def seeded(db):
    _seed()


def test_seed_demo_twice_creates_nothing_new(seeded):
    first = _counts()
    _seed()
    assert _counts() == first
    assert first["Campaign"] >= 5
    assert first["Partnership"] >= 15


def test_seed_demo_covers_every_status_and_campaign_status(seeded):
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
def test_each_portal_influencer_has_accepted_and_pending_partnerships(seeded, email):
    influencer = Influencer.objects.get(email=email)
    partnerships = Partnership.objects.filter(influencer=influencer)

    assert partnerships.values("campaign").distinct().count() >= 2
    assert partnerships.filter(
        status__in=[Status.ACCEPTED, Status.ACTIVE], acceptances__accepted_by=influencer.user
    ).exists()
    assert partnerships.filter(status=Status.PROPOSED).exists()


def test_seed_demo_has_revised_terms_parcels_and_commission(seeded):
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
def test_admin_changelists_and_pages_open(
    seeded, superuser_client, django_assert_max_num_queries, model
):
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


def test_admin_refuses_to_change_a_proposed_version(seeded, superuser_client):
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


def test_admin_lets_a_draft_version_be_edited(seeded, superuser_client):
    version = TermsVersion.objects.filter(proposed_at=None).first()
    page = superuser_client.get(
        reverse("admin:partnerships_termsversion_change", args=[version.pk])
    ).content.decode()
    assert 'name="creative_notes"' in page
    assert 'name="sha256"' not in page


def test_admin_acceptances_and_partnership_status_are_read_only(seeded, superuser_client):
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
    assert not Shipment.objects.exists()


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


def test_a_profile_whose_only_partnership_was_cancelled_still_renders(marketer_client, marketer):
    partnership = make_partnership(by=marketer)
    services.partnership_transition(partnership=partnership, to_status="cancelled", by=marketer)
    response = marketer_client.get(partnership.influencer.get_absolute_url())
    assert response.status_code == 200
    assert "Working together for" not in response.content.decode()
