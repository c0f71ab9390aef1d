"""The partnerships panel on an influencer's profile: length, repeats, cost, queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from campaigns.models import Campaign
from partnerships import services
from partnerships.delivery import shipments as shipment_services
from partnerships.models import Partnership
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
    services.partnership_transition(
        partnership=declined, to_status=Status.DECLINED, by=marketer, reason="No fit"
    )
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
    marketer_client.get("/")  # the first view after login saves the session once
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

    assert counts[0] == counts[1] == PROFILE_QUERIES


# Session and user, the influencer, the research checklist (once), the login's
# invitations, channels, the influencer's partnerships (once, for the partnerships panel
# and both contact forms) with their versions and acceptances, compensation, shipments and
# payments, the contacts panel (last contact, open follow-ups, recent contacts,
# assignees), stage history, and the track record card (metrics: per-bucket and lifetime
# numbers, approved hand-ins, KPIs in force), and the channels' audience.
PROFILE_QUERIES = 21


def test_profile_reads_the_partnerships_once_for_the_panel_and_the_contact_forms(
    marketer_client, history
):
    with CaptureQueriesContext(connection) as queries:
        response = profile(marketer_client, history)
    # The track record's lifetime numbers walk the partnership ids to reach each one's
    # latest record: a read of metric records, not of the partnerships again.
    partnership_reads = [
        q["sql"]
        for q in queries
        if q["sql"].startswith('SELECT "partnerships_partnership"."id"')
        and "metrics_metricrecord" not in q["sql"]
    ]
    assert len(partnership_reads) == 1, partnership_reads
    # Both forms still offer every partnership, the most recent campaign first.
    for form in ("contact_form", "follow_up_form"):
        choices = [label for _, label in response.context[form].fields["partnership"].choices]
        assert choices == ["---------", "Way Later", "Year End", "Cold Brew", "Sahur Brew"]


def test_a_profile_whose_only_partnership_was_cancelled_still_renders(marketer_client, marketer):
    partnership = make_partnership(by=marketer)
    services.partnership_transition(
        partnership=partnership, to_status="cancelled", by=marketer, reason="Budget cut"
    )
    response = marketer_client.get(partnership.influencer.get_absolute_url())
    assert response.status_code == 200
    assert "Working together for" not in response.content.decode()
