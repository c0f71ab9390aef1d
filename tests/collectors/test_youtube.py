"""YouTube against the fake: followers, every error class, and the states they lead to."""

import datetime
import logging

import pytest
from django.utils import timezone

from accounts.models import OutgoingEmail
from collectors.models import Connection, Provider, PullAttempt, State
from collectors.providers.youtube import quota_resets_at
from collectors.pulling import Outcome, pull
from collectors.services import connection_create
from metrics.models import Metric, MetricRecord
from tests.factories import ChannelFactory

KEY = "AIzaSyFAKE-youtube-key-7731"


@pytest.fixture
def youtube(marketer, fake_providers):
    channel = ChannelFactory(platform="youtube", handle="kopikita", account_id="UC_kopikita")
    return connection_create(
        by=marketer, provider=Provider.YOUTUBE, credential=KEY, name="Kopi Kita",
        channel=channel, base_url=f"{fake_providers.url}/youtube/v3",
    )  # fmt: skip


def followers(connection):
    return list(
        MetricRecord.objects.filter(
            channel=connection.channel, metric=Metric.FOLLOWERS
        ).values_list("source", "value")
    )


def test_followers_land_on_the_channel_as_a_daily_lifetime_record(youtube, fake_providers):
    assert pull(youtube.pk) == Outcome.PULLED
    [(source, value)] = followers(youtube)
    assert source == "youtube" and value > 5000
    youtube.refresh_from_db()
    assert youtube.state == State.OK and youtube.last_success_at and youtube.records_written == 1
    assert youtube.next_run_at > timezone.now() + datetime.timedelta(hours=23)
    [request] = fake_providers.requests()
    assert request["credential_in_url"] is False


def test_pulling_twice_writes_the_number_once(youtube):
    pull(youtube.pk)
    Connection.objects.filter(pk=youtube.pk).update(next_run_at=timezone.now())
    assert pull(youtube.pk) == Outcome.PULLED
    assert len(followers(youtube)) == 1


def test_a_pull_that_is_not_due_does_nothing(youtube, fake_providers):
    pull(youtube.pk)
    assert pull(youtube.pk) == Outcome.NOT_DUE
    assert len(fake_providers.requests()) == 1


def test_hidden_subscribers_are_no_error_and_no_number(youtube):
    youtube.channel.account_id = "UC_hidden"
    youtube.channel.save()
    assert pull(youtube.pk) == Outcome.PULLED
    assert followers(youtube) == []


def test_a_handle_is_looked_up_when_there_is_no_channel_id(youtube, fake_providers):
    youtube.channel.account_id = ""
    youtube.channel.save()
    assert pull(youtube.pk) == Outcome.PULLED
    assert len(followers(youtube)) == 1


def test_an_unknown_channel_marks_the_connection_failing(youtube):
    youtube.channel.account_id = "UC_unknown"
    youtube.channel.save()
    assert pull(youtube.pk) == Outcome.FAILED
    youtube.refresh_from_db()
    assert youtube.state == State.FAILING
    assert youtube.last_error == "YouTube knows no channel with this id or handle."


def test_an_expired_key_needs_reauthorisation_tells_the_owner_and_stops(youtube, fake_providers):
    fake_providers.queue("youtube", "expired")
    assert pull(youtube.pk) == Outcome.FAILED
    youtube.refresh_from_db()
    assert youtube.state == State.NEEDS_REAUTH
    assert "refused the API key" in youtube.last_error
    [email] = OutgoingEmail.objects.filter(key__startswith=f"collectors:reauth:{youtube.pk}:")
    assert email.recipients == [youtube.owner.email]
    assert KEY not in email.body and KEY not in email.subject
    # No retry: the next pull is refused by the state, whatever the time.
    Connection.objects.filter(pk=youtube.pk).update(next_run_at=timezone.now())
    assert pull(youtube.pk) == Outcome.SKIPPED
    assert len(fake_providers.requests()) == 1


def test_quota_exceeded_pauses_until_midnight_pacific(youtube, fake_providers):
    fake_providers.queue("youtube", "quota")
    assert pull(youtube.pk) == Outcome.FAILED
    youtube.refresh_from_db()
    assert youtube.state == State.QUOTA_EXHAUSTED
    assert youtube.state_until == youtube.next_run_at == quota_resets_at(youtube.last_error_at)
    assert pull(youtube.pk) == Outcome.SKIPPED


def test_quota_reset_time_is_the_next_pacific_midnight():
    at = datetime.datetime(2026, 11, 28, 7, 59, tzinfo=datetime.UTC)  # 23:59 in Los Angeles
    assert quota_resets_at(at) == datetime.datetime(2026, 11, 28, 8, 0, tzinfo=datetime.UTC)


def test_429_honours_retry_after(youtube, fake_providers):
    fake_providers.queue("youtube", "429", retry_after=120)
    before = timezone.now()
    assert pull(youtube.pk) == Outcome.FAILED
    youtube.refresh_from_db()
    assert youtube.state == State.OK and youtube.failures == 0
    assert before + datetime.timedelta(seconds=120) <= youtube.next_run_at
    assert youtube.next_run_at <= timezone.now() + datetime.timedelta(seconds=120)


def test_server_errors_back_off_then_mark_failing(youtube, fake_providers, settings):
    settings.COLLECTORS_MAX_FAILURES = 3
    for attempt in range(1, 4):
        fake_providers.queue("youtube", "500")
        Connection.objects.filter(pk=youtube.pk).update(next_run_at=timezone.now())
        assert pull(youtube.pk) == Outcome.FAILED
        youtube.refresh_from_db()
        assert youtube.failures == attempt
        assert youtube.state == (State.FAILING if attempt == 3 else State.OK)
    assert youtube.last_error == "YouTube had a server error (HTTP 500)."
    assert PullAttempt.objects.filter(connection=youtube, outcome="failed").count() == 3
    # A success clears it.
    Connection.objects.filter(pk=youtube.pk).update(next_run_at=timezone.now())
    assert pull(youtube.pk) == Outcome.PULLED
    youtube.refresh_from_db()
    assert (youtube.state, youtube.failures) == (State.OK, 0)


@pytest.mark.parametrize("mode", ["garbage", "wrongshape"])
def test_a_malformed_answer_writes_nothing_and_is_logged(youtube, fake_providers, mode, caplog):
    fake_providers.queue("youtube", mode)
    with caplog.at_level(logging.INFO):
        assert pull(youtube.pk) == Outcome.PULLED  # the pull itself went through
    youtube.refresh_from_db()
    assert followers(youtube) == [] and youtube.records_written == 0
    assert youtube.last_error
    assert "malformed answer" in caplog.text


def test_a_hanging_provider_hits_the_timeout(youtube, fake_providers, settings):
    settings.COLLECTORS_HTTP_TIMEOUT = 0.5
    fake_providers.queue("youtube", "hang", hang=5)
    assert pull(youtube.pk) == Outcome.FAILED
    youtube.refresh_from_db()
    assert youtube.last_error == "The provider did not answer in time."
    assert youtube.failures == 1 and youtube.state == State.OK


def test_the_key_never_reaches_logs_errors_or_attempts(youtube, fake_providers, caplog):
    for mode in ("expired", "429", "500", "garbage", "ok"):
        fake_providers.queue("youtube", mode)
    with caplog.at_level(logging.DEBUG):
        for _ in range(5):
            Connection.objects.filter(pk=youtube.pk).update(
                next_run_at=timezone.now(), state=State.OK
            )
            pull(youtube.pk)
    texts = [caplog.text, *PullAttempt.objects.values_list("error", flat=True)]
    texts += list(Connection.objects.values_list("last_error", flat=True))
    texts += list(OutgoingEmail.objects.values_list("body", flat=True))
    assert not any(KEY in text or KEY[-8:] in text for text in texts)
    assert not any(r["credential_in_url"] for r in fake_providers.requests())


@pytest.fixture
def video_posts(youtube, marketer):
    from metrics.posts.services import post_add
    from tests.factories import make_partnership

    partnership = make_partnership(by=marketer, influencer=youtube.channel.influencer)
    today = timezone.localdate()
    fresh = post_add(
        partnership=partnership, url="https://www.youtube.com/watch?v=1zagQpB_c0M", by=marketer,
        channel=youtube.channel, published_on=today - datetime.timedelta(days=2),
    )  # fmt: skip
    hidden = post_add(
        partnership=partnership, url="https://youtu.be/abcd_hidden", by=marketer,
        channel=youtube.channel, published_on=today - datetime.timedelta(days=30),
    )  # fmt: skip
    return fresh, hidden


def test_video_numbers_land_on_the_posts(youtube, video_posts):
    fresh, hidden = video_posts
    assert (fresh.platform_post_id, hidden.platform_post_id) == ("1zagQpB_c0M", "abcd_hidden")
    assert pull(youtube.pk) == Outcome.PULLED
    on_fresh = dict(MetricRecord.objects.filter(post=fresh).values_list("metric", "value"))
    on_hidden = dict(MetricRecord.objects.filter(post=hidden).values_list("metric", "value"))
    assert set(on_fresh) == {Metric.VIEWS, Metric.LIKES, Metric.COMMENTS}
    assert set(on_hidden) == {Metric.VIEWS}  # likes and comments hidden: left out, not zero
    youtube.refresh_from_db()
    # A post under 10 days old is pulled again in 4 h.
    assert youtube.next_run_at <= timezone.now() + datetime.timedelta(hours=4)


def test_a_later_run_for_posts_skips_followers_pulled_today(youtube, video_posts, fake_providers):
    pull(youtube.pk)
    MetricRecord.objects.filter(post__isnull=False).update(
        recorded_at=timezone.now() - datetime.timedelta(hours=5)
    )
    Connection.objects.filter(pk=youtube.pk).update(next_run_at=timezone.now())
    fake_providers.reset()
    assert pull(youtube.pk) == Outcome.PULLED
    # Only the fresh post is due again (the 30-day-old one waits a day); no channels call.
    [request] = fake_providers.requests()
    assert request["path"].endswith("/videos")


def test_post_cadence():
    from collectors.schedule import post_interval

    day = datetime.timedelta(days=1)
    assert post_interval(2 * day) == datetime.timedelta(hours=4)
    assert post_interval(30 * day) == day
    assert post_interval(90 * day) == 7 * day


def test_an_unexpected_error_is_recorded_and_retried_not_lost(youtube, monkeypatch, caplog):
    from collectors.providers import youtube as adapter

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(adapter, "channel_followers", broken)
    assert pull(youtube.pk) == Outcome.FAILED
    youtube.refresh_from_db()
    assert youtube.last_error == "An unexpected error happened while pulling."
    assert youtube.failures == 1 and youtube.next_run_at > timezone.now()
    assert "unexpected error while pulling" in caplog.text


def test_a_number_out_of_bounds_skips_that_answer(youtube, monkeypatch):
    from collectors.providers import youtube as adapter

    real = adapter.number
    monkeypatch.setattr(adapter, "number", lambda value, what: real(value, what) * 10**12)
    assert pull(youtube.pk) == Outcome.PULLED
    youtube.refresh_from_db()
    assert "out of bounds" in youtube.last_error and youtube.records_written == 0
