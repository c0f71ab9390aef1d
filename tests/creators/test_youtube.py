"""YouTube through the creator's own Google login: the connection (PKCE, offline access,
a refresh token Google keeps), and the pull: followers, each video's views, likes and
comments (Data API), watch time, average view duration and shares (YouTube Analytics),
its caption and YouTube's paid-promotion label, which the disclosure check reads."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from collectors.creators import services as creator_services
from collectors.fake import creators as fake_creators
from collectors.fake.youtube import paid_label
from collectors.models import Connection, Provider, State
from collectors.pulling import Outcome, pull
from common import crypto
from metrics.models import Metric, MetricRecord
from metrics.posts.services import post_add
from tests.creators.conftest import connect, consent, start
from tests.creators.test_disclosure import accepted_with_rule
from tests.factories import ChannelFactory, make_partnership


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def yt_channel(influencer_user, marketer):
    return ChannelFactory(
        platform="youtube", handle="demo.creator",
        influencer__user=influencer_user, influencer__owner=marketer,
    )  # fmt: skip


@pytest.fixture
def yt(influencer_client, yt_channel):
    connect(influencer_client, yt_channel)
    return Connection.objects.get(channel=yt_channel)


def add_video(yt, marketer, video_id, partnership=None):
    partnership = partnership or make_partnership(by=marketer, influencer=yt.channel.influencer)
    return post_add(
        partnership=partnership, by=marketer, channel=yt.channel,
        url=f"https://www.youtube.com/watch?v={video_id}",
        published_on=timezone.localdate() - datetime.timedelta(days=3),
    )  # fmt: skip


def test_the_portal_offers_youtube_and_says_what_the_brand_will_see(influencer_client, yt_channel):
    listing = influencer_client.get(reverse("portal:accounts")).content.decode()
    assert f'data-channel="{yt_channel.pk}"' in listing and "Connect YouTube" in listing
    page = influencer_client.get(reverse("portal:account_connect", args=[yt_channel.pk]))
    assert "watch time and average view duration" in page.content.decode()


def test_connect_youtube_end_to_end(influencer_client, yt_channel, fake_providers):
    params, url = start(influencer_client, yt_channel)
    assert params["redirect_uri"] == "http://testserver/portal/accounts/callback/youtube/"
    assert params["scope"].split() == [
        "https://www.googleapis.com/auth/youtube.readonly",
        "https://www.googleapis.com/auth/yt-analytics.readonly",
    ]
    assert params["code_challenge_method"] == "S256"
    assert params["access_type"] == "offline" and params["prompt"] == "consent"
    response = influencer_client.get(consent(url), follow=True)
    assert any("Connected" in m for m in messages_of(response))
    connection = Connection.objects.get(channel=yt_channel)
    assert connection.provider == Provider.YOUTUBE_CREATOR
    assert connection.account_id.startswith("UC") and len(connection.account_id) == 24
    assert crypto.decrypt(connection.refresh_encrypted).reveal().startswith("1//rft")
    assert connection.token_expires_at - timezone.now() <= datetime.timedelta(hours=1)
    assert connection.refresh_expires_at is None  # Google's refresh token does not lapse
    token = crypto.decrypt(connection.credential_encrypted).reveal()
    assert token not in response.content.decode()


def test_another_google_account_is_refused_and_its_grant_revoked(
    influencer_client, yt_channel, fake_providers
):
    response = connect(influencer_client, yt_channel, username="wrong.person")
    assert any(
        "You signed in as someone.else, but your profile lists demo.creator" in m
        for m in messages_of(response)
    )
    assert not Connection.objects.filter(provider=Provider.YOUTUBE_CREATOR).exists()
    revoked = [r for r in fake_providers.requests() if r["path"].endswith("/revoke")]
    assert len(revoked) == 1 and not revoked[0]["credential_in_url"]


def test_a_permission_left_out_is_refused(influencer_client, yt_channel, fake_providers):
    _params, url = start(influencer_client, yt_channel)
    back = consent(url)
    fake_providers.queue("youtube_creator", "scope")
    response = influencer_client.get(back, follow=True)
    assert any("Some permissions were not granted" in m for m in messages_of(response))
    assert any("yt-analytics.readonly" in m for m in messages_of(response))
    assert not Connection.objects.filter(provider=Provider.YOUTUBE_CREATOR).exists()


def test_followers_video_numbers_watch_time_and_average_view_duration(yt, marketer, fake_providers):
    post = add_video(yt, marketer, "dQw4w9WgXcQ")
    assert pull(yt.pk) == Outcome.PULLED

    followers = MetricRecord.objects.get(channel=yt.channel, metric=Metric.FOLLOWERS)
    assert followers.source == "youtube_creator" and followers.value > 5000
    got = {r.metric: r for r in MetricRecord.objects.filter(post=post, source="youtube_creator")}
    assert set(got) == {
        Metric.VIEWS, Metric.LIKES, Metric.COMMENTS,  # the Data API, as they are now
        Metric.WATCH_MINUTES, Metric.AVG_VIEW_SECONDS, Metric.SHARES,  # YouTube Analytics
    }  # fmt: skip
    expected = fake_creators.analytics("dQw4w9WgXcQ", timezone.now().date())
    assert got[Metric.AVG_VIEW_SECONDS].value == expected["averageViewDuration"]
    assert got[Metric.WATCH_MINUTES].value == expected["estimatedMinutesWatched"]
    assert got[Metric.SHARES].value == expected["shares"]
    assert not any(r.estimated for r in got.values())  # measured
    post.refresh_from_db()
    assert post.caption.startswith("Demo video dQw4w9WgXcQ")
    assert post.caption.endswith("#ad")  # the description too: a disclosure may stand there
    assert post.paid_label is paid_label("dQw4w9WgXcQ")

    asked = fake_providers.requests()
    assert all(not r["credential_in_url"] for r in asked)
    reports = [r for r in asked if r["path"].endswith("/v2/reports")]
    assert len([r for r in reports if "filters" in r["params"]]) == 1  # one video: one report


def test_the_report_asks_for_the_videos_life_without_a_dimension(yt, marketer, fake_providers):
    """Read back from the fake's log (which answers 400 "The query is not supported." to
    a query YouTube would refuse)."""
    add_video(yt, marketer, "aBcDeFgHiJk")
    assert pull(yt.pk) == Outcome.PULLED
    reports = [
        r
        for r in fake_providers.requests()
        if r["path"].endswith("/v2/reports") and "filters" in r["params"]
    ]
    assert len(reports) == 1
    params = reports[0]["params"]
    assert params["ids"] == "channel==MINE" and params["filters"] == "video==aBcDeFgHiJk"
    assert "dimensions" not in params
    assert set(params["metrics"].split(",")) == {
        "estimatedMinutesWatched", "averageViewDuration", "shares",
    }  # fmt: skip
    start = datetime.date.fromisoformat(params["startDate"])
    end = datetime.date.fromisoformat(params["endDate"])
    assert start < end and abs((timezone.now().date() - end).days) <= 1
    videos = [r for r in fake_providers.requests() if r["path"].endswith("/youtube/v3/videos")]
    assert videos[0]["params"]["part"] == "snippet,statistics,paidProductPlacementDetails"


def test_a_video_with_no_analytics_yet_is_no_error(yt, marketer):
    post = add_video(yt, marketer, "newVideo001")  # the fake's report has no rows yet
    assert pull(yt.pk) == Outcome.PULLED
    got = set(MetricRecord.objects.filter(post=post).values_list("metric", flat=True))
    assert got == {Metric.VIEWS, Metric.LIKES, Metric.COMMENTS}
    yt.refresh_from_db()
    assert yt.state == State.OK and not yt.last_error


@pytest.mark.parametrize("mode", ["expired", "revoked", "scope"])
def test_a_refused_token_needs_reauthorisation(yt, fake_providers, mode):
    fake_providers.queue("youtube_creator", mode)
    assert pull(yt.pk) == Outcome.FAILED
    yt.refresh_from_db()
    assert yt.state == State.NEEDS_REAUTH
    assert "YouTube refused the creator's token" in yt.last_error


def test_rate_limited_waits(yt, fake_providers):
    fake_providers.queue("youtube_creator", "429")
    assert pull(yt.pk) == Outcome.FAILED
    yt.refresh_from_db()
    assert yt.state == State.OK and yt.next_run_at > timezone.now()


def test_the_google_token_is_renewed_and_its_refresh_token_kept(yt):
    refresh = crypto.decrypt(yt.refresh_encrypted).reveal()
    access = crypto.decrypt(yt.credential_encrypted).reveal()
    Connection.objects.filter(pk=yt.pk).update(
        token_expires_at=timezone.now() + datetime.timedelta(minutes=5)
    )
    assert creator_services.refresh_due()["refreshed"] == 1
    yt.refresh_from_db()
    assert crypto.decrypt(yt.credential_encrypted).reveal() != access
    assert crypto.decrypt(yt.refresh_encrypted).reveal() == refresh
    assert yt.token_expires_at - timezone.now() > datetime.timedelta(minutes=50)


def test_the_paid_promotion_label_stands_for_the_rule_that_accepts_it(
    influencer_client, influencer_user, marketer, fake_providers
):
    partnership = accepted_with_rule(marketer, influencer_user, "#ad or the paid-partnership label")
    channel = ChannelFactory(platform="youtube", handle="demo.creator",
                             influencer=partnership.influencer)  # fmt: skip
    connect(influencer_client, channel)
    yt = Connection.objects.get(channel=channel)
    labelled = "nodisclabel"  # no "#ad" in its description, but the label
    bare = next(f"nodisc{n:05d}" for n in range(100) if not paid_label(f"nodisc{n:05d}"))
    add_video(yt, marketer, labelled, partnership)
    flagged = add_video(yt, marketer, bare, partnership)
    assert pull(yt.pk) == Outcome.PULLED

    brand = Client()
    brand.force_login(marketer)
    page = brand.get(reverse("partnerships:detail", args=[partnership.pk])).content.decode()
    assert page.count("data-disclosure-missing") == 1
    assert page.count("data-paid-label") == 1
    assert "Watch time (minutes)" in page and "Average view duration" in page
    assert " min " in page  # the average view duration as minutes and seconds
    portal = influencer_client.get(reverse("portal:partnership", args=[partnership.pk]))
    assert portal.content.decode().count("data-disclosure-missing") == 1
    home = influencer_client.get(reverse("portal:home")).content.decode()
    assert f"Your post {flagged.platform_post_id} misses the disclosure" in home


def test_what_the_creator_and_the_brand_read_about_a_google_grant(influencer_client, yt, marketer):
    listing = influencer_client.get(reverse("portal:accounts")).content.decode()
    assert "Renewed automatically until you disconnect." in listing
    brand = Client()
    brand.force_login(marketer)
    page = brand.get(reverse("collectors:list")).content.decode()
    assert "Granted by the creator; renewed automatically" in page
    for secret in (yt.credential_encrypted, yt.refresh_encrypted):
        assert crypto.decrypt(secret).reveal() not in page


def test_who_watches_by_country_and_age(yt, marketer, fake_providers):
    from metrics.models import AudienceBucket

    assert pull(yt.pk) == Outcome.PULLED
    buckets = {
        (b.dimension, b.bucket): b.size
        for b in AudienceBucket.objects.filter(channel=yt.channel, source="youtube_creator")
    }
    assert buckets[("country", "MY")] == 18240  # views from Malaysia in the last 28 days
    assert buckets[("age", "25-34")] == 4270  # 42.7% of viewers, in hundredths
    assert buckets[("age", "65+")] == 50
    assert {b.as_of for b in AudienceBucket.objects.all()} == {timezone.localdate()}
    reports = [r["params"] for r in fake_providers.requests() if r["path"].endswith("/reports")]
    audience = [p for p in reports if "dimensions" in p]
    assert {p["dimensions"]: p["metrics"] for p in audience} == {
        "country": "views", "ageGroup": "viewerPercentage",
    }  # fmt: skip
    brand = Client()
    brand.force_login(marketer)
    page = brand.get(reverse("influencers:detail", args=[yt.channel.influencer_id]))
    html = page.content.decode()
    assert "MY 80%" in html and "25-34 42%" in html
    assert "share of views by country and of viewers by age" in html


def test_too_few_viewers_to_tell_stores_no_audience(yt, fake_providers):
    from metrics.models import AudienceBucket

    # The followers answer, then both audience reports come back without rows.
    fake_providers.queue("youtube_creator", "ok", "empty", "empty")
    assert pull(yt.pk) == Outcome.PULLED
    assert not AudienceBucket.objects.filter(channel=yt.channel).exists()
    assert MetricRecord.objects.filter(channel=yt.channel, metric=Metric.FOLLOWERS).exists()


def test_a_google_grant_revoked_in_the_google_account_needs_reconnecting(yt, fake_providers):
    """The creator removed the app in their Google account: the renewal is refused
    (`invalid_grant`), the connection waits for them, and both sides are told once."""
    from accounts.models import OutgoingEmail

    Connection.objects.filter(pk=yt.pk).update(
        token_expires_at=timezone.now() + datetime.timedelta(minutes=5)
    )
    fake_providers.queue("youtube_creator", "revoked")
    assert creator_services.refresh_due()["failed"] == 1
    yt.refresh_from_db()
    assert yt.state == State.NEEDS_REAUTH
    lapsed = OutgoingEmail.objects.filter(key__startswith=f"creators:lapsed:{yt.pk}:")
    assert lapsed.count() == 2 and all("YouTube" in e.subject for e in lapsed)
    assert creator_services.refresh_due()["failed"] == 0  # not tried again
    assert lapsed.count() == 2
