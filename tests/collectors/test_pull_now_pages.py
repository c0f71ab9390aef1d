""" "Pull now" on a partnership and on a campaign: every data source covering it is made
due and nudged; editors only (viewers 403, influencers never)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from collectors.models import Connection, Provider, State
from collectors.services import connection_create, connection_pause
from metrics.posts.services import post_add
from tests.factories import CampaignFactory, ChannelFactory, make_partnership


@pytest.fixture
def covered(marketer, fake_providers):
    """A partnership with an Instagram post, its channel's source, a site source of its
    campaign, and sources covering something else."""
    channel = ChannelFactory(platform="instagram", handle="ina.makan")
    campaign = CampaignFactory()
    partnership = make_partnership(by=marketer, campaign=campaign, channel=channel)
    post_add(
        partnership=partnership, by=marketer, channel=channel,
        url="https://www.instagram.com/p/Cabcde0001/", published_on=timezone.localdate(),
    )  # fmt: skip
    later = timezone.now() + timezone.timedelta(days=1)

    def source(name, **fields):
        connection = connection_create(
            by=marketer, credential="k-1234", name=name, base_url=fake_providers.url, **fields
        )
        Connection.objects.filter(pk=connection.pk).update(next_run_at=later)
        return connection

    ig = source("IG", provider=Provider.INSTAGRAM, channel=channel, account_id="1784")
    site = source("Site", provider=Provider.PLAUSIBLE, site_id="shop.example", campaign=campaign)
    every = source("All campaigns", provider=Provider.PLAUSIBLE, site_id="shop.example")
    other_site = source(
        "Other", provider=Provider.PLAUSIBLE, site_id="x.example", campaign=CampaignFactory()
    )
    other_channel = source(
        "Other IG", provider=Provider.INSTAGRAM, channel=ChannelFactory(platform="instagram"),
        account_id="1784",
    )  # fmt: skip
    paused = source("Paused", provider=Provider.PLAUSIBLE, site_id="p.example", campaign=campaign)
    connection_pause(connection=paused)
    return {
        "partnership": partnership, "campaign": campaign, "ig": ig, "site": site,
        "every": every, "other_site": other_site, "other_channel": other_channel,
        "paused": paused,
    }  # fmt: skip


def _made_due(covered) -> set[str]:
    now = timezone.now()
    return {
        name
        for name, value in covered.items()
        if isinstance(value, Connection) and Connection.objects.get(pk=value.pk).next_run_at <= now
    }


def test_pull_now_on_a_partnership_pulls_its_channels_and_campaign_sites(
    covered, marketer_client, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # queued, not pulled here
    url = reverse("collectors:partnership_pull", args=[covered["partnership"].pk])

    response = marketer_client.post(url)

    assert response.status_code == 302
    assert response.url == reverse("partnerships:detail", args=[covered["partnership"].pk])
    assert _made_due(covered) == {"ig", "site", "every"}
    assert Connection.objects.get(pk=covered["paused"].pk).state == State.PAUSED


def test_pull_now_on_a_campaign_pulls_its_sites_and_channels(covered, marketer_client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    url = reverse("collectors:campaign_pull", args=[covered["campaign"].pk])

    response = marketer_client.post(url)

    assert response.status_code == 302
    assert _made_due(covered) == {"ig", "site", "every"}


@pytest.mark.parametrize(("who", "shown"), [("marketer_client", True), ("viewer_client", False)])
def test_the_buttons_show_to_editors_only(covered, request, who, shown):
    client = request.getfixturevalue(who)
    pages = [
        reverse("partnerships:detail", args=[covered["partnership"].pk]),
        reverse("campaigns:detail", args=[covered["campaign"].pk]),
    ]
    for page in pages:
        assert ("data-pull-now" in client.get(page).content.decode()) is shown


def test_viewers_may_not_pull(covered, viewer_client):
    for name, pk in (
        ("collectors:partnership_pull", covered["partnership"].pk),
        ("collectors:campaign_pull", covered["campaign"].pk),
    ):
        assert viewer_client.post(reverse(name, args=[pk])).status_code == 403
    assert _made_due(covered) == set()


def test_pulls_are_posts_of_visible_things(covered, marketer_client):
    for name, pk in (
        ("collectors:partnership_pull", covered["partnership"].pk),
        ("collectors:campaign_pull", covered["campaign"].pk),
    ):
        assert marketer_client.get(reverse(name, args=[pk])).status_code == 405
    assert (
        marketer_client.post(reverse("collectors:campaign_pull", args=[999999])).status_code == 404
    )
    assert _made_due(covered) == set()


def test_influencers_may_not_pull(covered, influencer_client):
    url = reverse("collectors:partnership_pull", args=[covered["partnership"].pk])
    assert influencer_client.post(url).status_code in (403, 404)
    assert _made_due(covered) == set()
