"""Post capture: caption, permalink, publish time and a thumbnail copied into the media
storage with each pulled post; the channel's picture and follower count on the profile."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from collectors.fake import growth
from collectors.fake.instagram import shortcode
from collectors.models import Connection, Provider
from collectors.pulling import Outcome, pull
from collectors.services import connection_create
from common.images import fetch_image
from influencers.models import Channel
from metrics.models import MetricRecord, Post
from metrics.posts.services import post_add
from tests.factories import ChannelFactory, make_partnership


def _youtube(marketer, fake_providers):
    channel = ChannelFactory(
        platform="youtube", handle="kopikita", account_id="UC_kopikita", followers=10
    )
    connection = connection_create(
        by=marketer, provider=Provider.YOUTUBE, credential="AIzaSy-capture-key-1", name="YT",
        channel=channel, base_url=f"{fake_providers.url}/youtube/v3",
    )  # fmt: skip
    partnership = make_partnership(by=marketer, influencer=channel.influencer)
    post = post_add(
        partnership=partnership, by=marketer, channel=channel,
        url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        published_on=timezone.localdate() - datetime.timedelta(days=2),
    )  # fmt: skip
    return connection, partnership, post


def test_a_youtube_pull_captures_the_post_and_the_channel(marketer, fake_providers):
    connection, _partnership, post = _youtube(marketer, fake_providers)
    published = post.published_at

    assert pull(connection.pk) == Outcome.PULLED

    post.refresh_from_db()
    assert post.caption.startswith("Demo video dQw4w9WgXcQ")
    assert post.permalink == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert post.published_at == published  # a date already given is kept
    assert post.thumbnail.name.startswith("posts/") and post.thumbnail.name.endswith(".png")
    assert post.thumbnail.read(8) == b"\x89PNG\r\n\x1a\n"
    channel = Channel.objects.get(pk=connection.channel_id)
    assert channel.picture.name.startswith("channels/")
    assert channel.followers > 5000
    assert channel.followers_source == Channel.FollowerSource.COLLECTOR
    assert channel.followers_as_of == timezone.localdate()


def test_the_thumbnail_is_copied_once(marketer, fake_providers):
    connection, _partnership, post = _youtube(marketer, fake_providers)
    assert pull(connection.pk) == Outcome.PULLED
    first = Post.objects.get(pk=post.pk).thumbnail.name

    Connection.objects.filter(pk=connection.pk).update(next_run_at=timezone.now())
    MetricRecord.objects.filter(post=post).delete()  # make the post due again
    assert pull(connection.pk) == Outcome.PULLED

    assert Post.objects.get(pk=post.pk).thumbnail.name == first


def test_a_publish_time_is_filled_when_missing(marketer, fake_providers):
    connection, _partnership, post = _youtube(marketer, fake_providers)
    Post.objects.filter(pk=post.pk).update(published_at=None)

    pull(connection.pk)

    days = growth.seed("dQw4w9WgXcQ") % 300
    assert Post.objects.get(pk=post.pk).published_at == datetime.datetime(
        2026, 1, 1, 10, tzinfo=datetime.UTC
    ) + datetime.timedelta(days=days)


def test_an_instagram_pull_captures_caption_thumbnail_and_picture(marketer, fake_providers):
    channel = ChannelFactory(platform="instagram", handle="ina.makan")
    connection = connection_create(
        by=marketer, provider=Provider.INSTAGRAM, credential="IGQVJ-capture-9", name="IG",
        channel=channel, account_id="17841405309211844", base_url=fake_providers.url,
    )  # fmt: skip
    code = shortcode("ina.makan", 1)
    post = post_add(
        partnership=make_partnership(by=marketer, channel=channel), by=marketer,
        channel=channel, url=f"https://www.instagram.com/p/{code}/",
        published_on=timezone.localdate(),
    )  # fmt: skip

    assert pull(connection.pk) == Outcome.PULLED

    post.refresh_from_db()
    assert post.caption.startswith("Post 1 of @ina.makan")
    assert post.permalink == f"https://www.instagram.com/p/{code}/"
    assert post.thumbnail
    assert Channel.objects.get(pk=channel.pk).picture


def test_only_pictures_are_copied(fake_providers):
    assert fetch_image(f"{fake_providers.url}/_fake/images/a.png", name="a") is not None
    # Not an image (JSON), too big, unreachable, not http: nothing, and no exception.
    assert fetch_image(f"{fake_providers.url}/_fake/requests", name="b") is None
    assert fetch_image(f"{fake_providers.url}/_fake/images/a.png", name="c", max_bytes=100) is None
    assert fetch_image("http://127.0.0.1:9/nothing.png", name="d") is None
    assert fetch_image("file:///etc/passwd", name="e") is None


@pytest.mark.parametrize("who", ["marketer_client", "viewer_client"])
def test_the_partnership_shows_a_gallery_and_the_profile_the_picture(
    who, request, marketer, fake_providers
):
    connection, partnership, post = _youtube(marketer, fake_providers)
    pull(connection.pk)
    post.refresh_from_db()
    client = request.getfixturevalue(who)

    page = client.get(reverse("partnerships:detail", args=[partnership.pk])).content.decode()

    assert "data-post-gallery" in page
    assert f'src="{post.thumbnail.url}"' in page
    assert 'alt="Demo video dQw4w9WgXcQ' in page
    profile = client.get(
        reverse("influencers:detail", args=[partnership.influencer_id])
    ).content.decode()
    assert f'src="{Channel.objects.get(pk=connection.channel_id).picture.url}"' in profile
