"""Insights pulled with the creator's own token: per post reach, views, saves, shares,
likes, comments and the caption; per account followers. Labelled measured."""

import datetime

import pytest
from django.utils import timezone

from collectors.fake.instagram import shortcode
from collectors.models import Connection, State
from collectors.pulling import Outcome, pull
from metrics.models import Metric, MetricRecord
from metrics.posts.services import post_add
from tests.creators.conftest import connect
from tests.factories import make_partnership


@pytest.fixture
def ig(influencer_client, ig_channel):
    connect(influencer_client, ig_channel)
    return Connection.objects.get(channel=ig_channel)


def add_post(ig, marketer, n, partnership=None):
    partnership = partnership or make_partnership(by=marketer, channel=ig.channel)
    return post_add(
        partnership=partnership, by=marketer, channel=ig.channel,
        url=f"https://www.instagram.com/p/{shortcode('demo.creator', n)}/",
        published_on=timezone.localdate() - datetime.timedelta(days=1),
    )  # fmt: skip


def test_followers_and_post_insights(ig, marketer, fake_providers):
    post = add_post(ig, marketer, 2)
    assert pull(ig.pk) == Outcome.PULLED
    assert MetricRecord.objects.get(channel=ig.channel, metric=Metric.FOLLOWERS).source == (
        "instagram_creator"
    )
    got = dict(MetricRecord.objects.filter(post=post).values_list("metric", "value"))
    assert set(got) == {
        Metric.REACH, Metric.VIEWS, Metric.SAVES, Metric.SHARES, Metric.LIKES, Metric.COMMENTS,
    }  # fmt: skip
    assert got[Metric.SAVES] == 5 + 2
    assert not MetricRecord.objects.filter(post=post, estimated=True).exists()
    post.refresh_from_db()
    assert post.caption == "Weekend vibes, new mug from @brand"
    # Never impressions, plays or engagement: they fail the whole request on v26.0.
    asked = [r for r in fake_providers.requests() if r["path"].endswith("/insights")]
    assert len(asked) == 3  # the post's, and the audience by country and by age
    assert all(not r["credential_in_url"] for r in asked)


def test_a_post_with_too_few_viewers_is_no_error(ig, marketer):
    post = add_post(ig, marketer, 39)  # the fake's "Not enough viewers" post
    assert pull(ig.pk) == Outcome.PULLED
    assert not MetricRecord.objects.filter(post=post).exists()
    ig.refresh_from_db()
    assert ig.state == State.OK


@pytest.mark.parametrize("mode", ["expired", "revoked", "scope"])
def test_a_refused_token_needs_reauthorisation(ig, fake_providers, mode):
    fake_providers.queue("instagram_creator", mode)
    assert pull(ig.pk) == Outcome.FAILED
    ig.refresh_from_db()
    assert ig.state == State.NEEDS_REAUTH


def test_rate_limited_waits(ig, fake_providers):
    fake_providers.queue("instagram_creator", "429")
    assert pull(ig.pk) == Outcome.FAILED
    ig.refresh_from_db()
    assert ig.state == State.OK and ig.next_run_at > timezone.now()


@pytest.fixture
def tiktok(influencer_client, ig_channel):
    from tests.factories import ChannelFactory

    channel = ChannelFactory(
        platform="tiktok", handle="demo.creator", influencer=ig_channel.influencer
    )
    connect(influencer_client, channel)
    return Connection.objects.get(channel=channel)


def test_tiktok_followers_and_video_counts(tiktok, marketer, ig_channel, fake_providers):
    partnership = make_partnership(by=marketer, channel=ig_channel)
    post = post_add(
        partnership=partnership, by=marketer, channel=tiktok.channel,
        url="https://www.tiktok.com/@demo.creator/video/7212345123451234502",
        published_on=timezone.localdate() - datetime.timedelta(days=1),
    )  # fmt: skip
    assert pull(tiktok.pk) == Outcome.PULLED
    assert MetricRecord.objects.filter(channel=tiktok.channel, metric=Metric.FOLLOWERS).exists()
    got = dict(MetricRecord.objects.filter(post=post).values_list("metric", "value"))
    assert set(got) == {Metric.VIEWS, Metric.LIKES, Metric.COMMENTS, Metric.SHARES}
    post.refresh_from_db()
    assert post.caption == "Weekend vibes, new mug from @brand"


@pytest.mark.parametrize("mode", ["expired", "scope"])
def test_tiktok_refused_token_needs_reauthorisation(tiktok, fake_providers, mode):
    fake_providers.queue("tiktok_creator", mode)
    assert pull(tiktok.pk) == Outcome.FAILED
    tiktok.refresh_from_db()
    assert tiktok.state == State.NEEDS_REAUTH


def test_audience_by_country_and_age_as_of_today(ig, marketer, fake_providers):
    from django.test import Client
    from django.urls import reverse

    from metrics.models import AudienceBucket

    assert pull(ig.pk) == Outcome.PULLED
    countries = dict(
        AudienceBucket.objects.filter(channel=ig.channel, dimension="country").values_list(
            "bucket", "size"
        )
    )
    assert countries == {"MY": 3100, "SG": 620, "ID": 410, "BN": 90}
    assert AudienceBucket.objects.filter(channel=ig.channel, dimension="age").count() == 5
    assert set(AudienceBucket.objects.values_list("as_of", flat=True)) == {timezone.localdate()}
    brand = Client()
    brand.force_login(marketer)
    page = brand.get(reverse("influencers:detail", args=[ig.channel.influencer_id]))
    html = page.content.decode()
    assert "data-audience" in html and "MY 73%" in html and "25-34 49%" in html
    assert "measured, as of" in html
