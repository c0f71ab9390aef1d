"""Published posts: hand-ins and hand-added posts become post subjects with the
platform's post id, and their numbers feed KPI progress by the lifetime rule."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from influencers.handles import post_id_from_url
from metrics.models import Metric, MetricRecord, Post, Source
from metrics.posts import services as post_services
from metrics.posts.selectors import posts_of
from metrics.progress import Label, kpi_progress
from metrics.services import Row, records_upsert
from partnerships.delivery import submissions as submission_services
from tests.factories import make_accepted_partnership


@pytest.mark.parametrize(
    ("platform", "url", "post_id"),
    [
        ("instagram", "https://www.instagram.com/p/C0ffeeAbc12/", "C0ffeeAbc12"),
        ("instagram", "https://instagram.com/reel/C0ffee_-x9/?igsh=abc", "C0ffee_-x9"),
        ("instagram", "https://www.instagram.com/ina.creator/p/DAbc123xyz/", "DAbc123xyz"),
        ("instagram", "https://www.instagram.com/tv/B1234567/", "B1234567"),
        ("instagram", "https://www.instagram.com/ina.creator/", ""),
        ("instagram", "https://www.instagram.com/p/", ""),
        ("tiktok", "https://www.tiktok.com/@ina/video/7301234567890123456", "7301234567890123456"),
        ("tiktok", "https://vm.tiktok.com/ZMabc123/", ""),
        ("tiktok", "https://www.tiktok.com/@ina/video/notanumber", ""),
        ("youtube", "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10s", "dQw4w9WgXcQ"),
        ("youtube", "https://youtu.be/dQw4w9WgXcQ", "dQw4w9WgXcQ"),
        ("youtube", "https://www.youtube.com/shorts/dQw4w9WgXcQ", "dQw4w9WgXcQ"),
        ("youtube", "https://www.youtube.com/watch?v=tooshort", ""),
        ("x", "https://x.com/ina/status/1790000000000000000", "1790000000000000000"),
        ("blog", "https://ina.example/2026/11/kopi-review/", ""),
        # Another platform's host never yields an id.
        ("instagram", "https://evil.example/p/C0ffeeAbc12/", ""),
        ("youtube", "javascript:alert(1)", ""),
        ("youtube", "", ""),
    ],
)
def test_the_post_id_is_read_from_the_link(platform, url, post_id):
    assert post_id_from_url(platform, url) == post_id


@pytest.fixture
def mine(marketer, influencer_user):
    return make_accepted_partnership(marketer, influencer_user, "Ina Creator")


@pytest.fixture
def theirs(marketer, other_influencer_user):
    return make_accepted_partnership(marketer, other_influencer_user, "Omar Otherperson")


def hand_in(partnership, user, piece=1, code="C0ffee1"):
    deliverable = partnership.versions.get().deliverables.get()
    return post_services.post_hand_in(
        deliverable=deliverable,
        piece=piece,
        post_url=f"https://www.instagram.com/reel/{code}/",
        by=user,
    )


def at(day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, 11, day, 12))


@pytest.mark.django_db
def test_a_hand_in_on_the_portal_becomes_a_post(mine, influencer_user, client):
    deliverable = mine.versions.get().deliverables.get()
    client.force_login(influencer_user)
    response = client.post(
        reverse("portal:hand_in", args=[mine.pk, deliverable.pk]),
        {"piece": 1, "post_url": "https://www.instagram.com/reel/C0ffeeAbc12/"},
    )
    assert response.status_code in (200, 302)
    post = Post.objects.get(partnership=mine)
    assert (post.platform, post.platform_post_id, post.origin) == (
        "instagram",
        "C0ffeeAbc12",
        Post.Origin.HAND_IN,
    )
    assert post.submission.piece == 1
    assert post.channel == deliverable.channel


@pytest.mark.django_db
def test_a_replaced_link_replaces_the_post_unless_it_has_numbers(mine, marketer, influencer_user):
    submission = hand_in(mine, influencer_user, code="First11")
    submission_services.submission_review(
        submission=submission, by=marketer, approve=False, comment="Wrong one"
    )
    hand_in(mine, influencer_user, code="Second22")
    assert list(Post.objects.values_list("platform_post_id", flat=True)) == ["Second22"]

    post = Post.objects.get()
    records_upsert([Row(Metric.VIEWS, at(1), 500, "instagram", post=post.pk)])
    submission_services.submission_review(
        submission=post.submission, by=marketer, approve=False, comment="Still wrong"
    )
    hand_in(mine, influencer_user, code="Third333")
    kept = Post.objects.get(platform_post_id="Second22")
    assert kept.submission is None  # its numbers happened: kept, detached
    assert Post.objects.get(platform_post_id="Third333").submission is not None


@pytest.mark.django_db
def test_a_failed_hand_in_leaves_no_post(mine, other_influencer_user):
    with pytest.raises(PermissionDenied):
        hand_in(mine, other_influencer_user)
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_a_marketer_adds_a_post_by_hand(mine, marketer, marketer_client):
    url = reverse("metrics:post_add", args=[mine.pk])
    assert marketer_client.get(url).status_code == 200
    response = marketer_client.post(
        url, {"url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "published_on": "2026-11-02"}
    )
    assert response.status_code == 302
    post = Post.objects.get(partnership=mine)
    assert (post.platform, post.platform_post_id, post.origin) == (
        "youtube",
        "dQw4w9WgXcQ",
        Post.Origin.MARKETER,
    )
    assert post.added_by == marketer and timezone.localdate(post.published_at) == datetime.date(
        2026, 11, 2
    )

    again = marketer_client.post(url, {"url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ"})
    assert again.status_code == 200
    assert "already recorded" in again.content.decode()
    assert Post.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"url": "ftp://files.example/post"}, "Only http and https links are allowed"),
        (
            {"url": "https://ina.example/review/", "published_on": "2099-01-01"},
            "cannot be in the future",
        ),
        ({"url": "https://ina.example/"}, "not to the site"),
        ({"url": ""}, "This field is required"),
    ],
)
@pytest.mark.django_db
def test_a_bad_post_is_refused_with_a_reason(mine, marketer_client, data, error):
    response = marketer_client.post(reverse("metrics:post_add", args=[mine.pk]), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_a_post_on_another_influencers_channel_is_refused(mine, theirs, marketer):
    with pytest.raises(ValidationError):
        post_services.post_add(
            partnership=mine,
            url="https://www.instagram.com/p/C0ffeeAbc12/",
            channel=theirs.influencer.channels.get(),
            by=marketer,
        )


@pytest.mark.django_db
def test_who_may_add_and_remove_posts(mine, marketer, viewer_client, influencer_client):
    post = post_services.post_add(partnership=mine, url="https://ina.example/review/", by=marketer)
    add = reverse("metrics:post_add", args=[mine.pk])
    remove = reverse("metrics:post_remove", args=[post.pk])
    assert viewer_client.get(add).status_code == 403
    assert viewer_client.post(remove).status_code == 403
    assert influencer_client.get(add).status_code in (403, 404)
    assert influencer_client.post(remove).status_code in (403, 404)
    assert Post.objects.filter(pk=post.pk).exists()


@pytest.mark.django_db
def test_only_hand_added_posts_can_be_removed(mine, marketer, influencer_user, marketer_client):
    hand_in(mine, influencer_user)
    handed = Post.objects.get()
    response = marketer_client.post(reverse("metrics:post_remove", args=[handed.pk]))
    assert response.status_code == 302
    assert Post.objects.filter(pk=handed.pk).exists()
    added = post_services.post_add(partnership=mine, url="https://ina.example/r/", by=marketer)
    marketer_client.post(reverse("metrics:post_remove", args=[added.pk]))
    assert not Post.objects.filter(pk=added.pk).exists()


@pytest.mark.django_db
def test_views_add_up_each_posts_latest_number(mine, marketer, influencer_user):
    hand_in(mine, influencer_user, piece=1, code="Post1aa")
    hand_in(mine, influencer_user, piece=2, code="Post2bb")
    first, second = Post.objects.order_by("platform_post_id")
    records_upsert(
        [
            # Lifetime counters: each post's latest bucket, never the sum of its buckets.
            Row(Metric.VIEWS, at(1), 100, "instagram", post=first.pk),
            Row(Metric.VIEWS, at(3), 400, "instagram", post=first.pk),
            Row(Metric.VIEWS, at(2), 250, "instagram", post=second.pk),
            # Stories typed in on the partnership itself add to the posts.
            Row(Metric.VIEWS, at(2), 50, Source.MANUAL, partnership=mine.pk),
            Row(Metric.ENGAGEMENTS, at(2), 30, "instagram", post=second.pk, estimated=True),
        ]
    )
    rows = {row.metric: row for row in kpi_progress(mine)}
    assert rows["views"].value == Decimal("700")
    assert rows["views"].label == Label.MANUAL
    assert rows["engagements"].value == Decimal("30")
    assert rows["engagements"].label == Label.ESTIMATED


@pytest.mark.django_db
def test_a_measured_number_wins_over_a_typed_one_for_the_same_day(mine):
    p = mine.pk
    records_upsert(
        [
            Row(Metric.CONVERSIONS, at(1), 5, Source.MANUAL, partnership=p),
            Row(Metric.CONVERSIONS, at(1), 7, Source.SHOP, partnership=p),
            Row(Metric.CONVERSIONS, at(2), 3, Source.CSV, partnership=p),  # nothing measured
            Row(Metric.SESSIONS, at(1), 40, Source.CSV, partnership=p),
            Row(Metric.SESSIONS, at(1), 44, "plausible", partnership=p),
        ]
    )
    rows = {row.metric: row for row in kpi_progress(mine)}
    assert rows["conversions"].value == Decimal("10")  # 7 measured + 3 typed
    assert rows["conversions"].label == Label.MANUAL
    assert rows["sessions"].value == Decimal("44")
    assert rows["sessions"].label == Label.MEASURED


@pytest.mark.django_db
def test_the_posts_panel_shows_each_posts_numbers(mine, marketer, influencer_user, marketer_client):
    hand_in(mine, influencer_user, code="C0ffeeAbc12")
    post = Post.objects.get()
    records_upsert(
        [
            Row(Metric.LIKES, at(1), 10, "instagram", post=post.pk),
            Row(Metric.LIKES, at(2), 1234, "instagram", post=post.pk),
            Row(Metric.COMMENTS, at(2), 56, "instagram", post=post.pk),
        ]
    )
    body = marketer_client.get(mine.get_absolute_url()).content.decode()
    assert "C0ffeeAbc12" in body
    assert "1,234" in body and ">56<" in body
    assert MetricRecord.objects.filter(post=post).count() == 3


@pytest.mark.django_db
def test_the_posts_panel_asks_two_queries_however_many_posts(mine, marketer):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            posts_of(mine)
        return len(captured)

    post_services.post_add(partnership=mine, url="https://ina.example/a/", by=marketer)
    one = queries()
    for n in range(6):
        post = post_services.post_add(
            partnership=mine, url=f"https://ina.example/{n}/", by=marketer
        )
        records_upsert([Row(Metric.VIEWS, at(1), n, Source.MANUAL, post=post.pk)])
    assert queries() == one == 2


@pytest.mark.django_db
def test_the_influencer_sees_their_posts_numbers_on_the_portal_only(
    mine, theirs, influencer_user, other_influencer_user, client
):
    hand_in(mine, influencer_user, code="MinePost1")
    hand_in(theirs, other_influencer_user, code="TheirPost")
    mine_post, their_post = Post.objects.get(partnership=mine), Post.objects.get(partnership=theirs)
    records_upsert(
        [
            Row(Metric.LIKES, at(2), 4321, "instagram", post=mine_post.pk),
            Row(Metric.LIKES, at(2), 8765, "instagram", post=their_post.pk),
        ]
    )
    client.force_login(influencer_user)
    body = client.get(reverse("portal:partnership", args=[mine.pk])).content.decode()
    assert "MinePost1" in body and "4,321" in body
    assert "TheirPost" not in body and "8,765" not in body
    assert "Add a post" not in body and "Remove" not in body
    assert client.get(reverse("portal:partnership", args=[theirs.pk])).status_code == 404
