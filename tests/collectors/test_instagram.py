"""Instagram Business Discovery against the fake: followers, per-post counts, paging,
and errors told apart by their Graph `code`."""

import datetime

import pytest
from django.utils import timezone

from collectors.fake.instagram import shortcode
from collectors.models import Connection, Provider, State
from collectors.providers import instagram
from collectors.pulling import Outcome, pull
from collectors.services import connection_create
from metrics.models import Metric, MetricRecord
from metrics.posts.services import post_add
from tests.factories import ChannelFactory, make_partnership

TOKEN = "IGQVJ-brand-token-secret-9191"


@pytest.fixture
def ig(marketer, fake_providers):
    channel = ChannelFactory(platform="instagram", handle="ina.makan")
    return connection_create(
        by=marketer, provider=Provider.INSTAGRAM, credential=TOKEN, name="Ina on Instagram",
        channel=channel, account_id="17841405309211844", base_url=fake_providers.url,
    )  # fmt: skip


def add_post(ig, marketer, n):
    partnership = getattr(ig, "_partnership", None) or make_partnership(
        by=marketer, channel=ig.channel
    )
    ig._partnership = partnership
    return post_add(
        partnership=partnership, by=marketer, channel=ig.channel,
        url=f"https://www.instagram.com/p/{shortcode('ina.makan', n)}/",
        published_on=timezone.localdate() - datetime.timedelta(days=1),
    )  # fmt: skip


def test_followers_and_post_counts(ig, marketer, fake_providers):
    shown, hidden = add_post(ig, marketer, 0), add_post(ig, marketer, 3)
    assert pull(ig.pk) == Outcome.PULLED
    assert MetricRecord.objects.filter(channel=ig.channel, metric=Metric.FOLLOWERS).count() == 1
    assert set(MetricRecord.objects.filter(post=shown).values_list("metric", flat=True)) == {
        Metric.LIKES, Metric.COMMENTS,
    }  # fmt: skip
    # Likes hidden: left out, not zero.
    assert set(MetricRecord.objects.filter(post=hidden).values_list("metric", flat=True)) == {
        Metric.COMMENTS
    }
    assert len(fake_providers.requests()) == 1  # both on the first page


def test_paging_stops_after_its_last_page(ig, marketer, fake_providers, monkeypatch):
    monkeypatch.setattr(instagram, "PAGE", 20)
    too_old = add_post(ig, marketer, 100)  # beyond 4 pages of 20
    assert pull(ig.pk) == Outcome.PULLED
    assert MetricRecord.objects.filter(post=too_old).exists() is False
    assert len(fake_providers.requests()) == instagram.MAX_PAGES


def test_paging_reads_only_what_it_needs(ig, marketer, fake_providers, monkeypatch):
    monkeypatch.setattr(instagram, "PAGE", 20)
    post = add_post(ig, marketer, 45)
    assert pull(ig.pk) == Outcome.PULLED
    assert MetricRecord.objects.filter(post=post, metric=Metric.COMMENTS).exists()
    assert len(fake_providers.requests()) == 3


def test_expired_token_code_190_needs_new_credentials(ig, fake_providers):
    fake_providers.queue("instagram", "expired")
    assert pull(ig.pk) == Outcome.FAILED
    ig.refresh_from_db()
    assert ig.state == State.NEEDS_REAUTH


def test_throttling_waits_for_the_regain_time(ig, fake_providers):
    fake_providers.queue("instagram", "429")
    before = timezone.now()
    assert pull(ig.pk) == Outcome.FAILED
    ig.refresh_from_db()
    assert ig.state == State.OK
    assert ig.next_run_at >= before + datetime.timedelta(minutes=1)


def test_transient_error_backs_off(ig, fake_providers):
    fake_providers.queue("instagram", "500")
    assert pull(ig.pk) == Outcome.FAILED
    ig.refresh_from_db()
    assert (ig.state, ig.failures) == (State.OK, 1)
    assert ig.last_error == "Instagram had a temporary error."


def test_an_unknown_account_is_failing(ig):
    ig.channel.handle = "someone_unknown"
    ig.channel.save()
    assert pull(ig.pk) == Outcome.FAILED
    ig.refresh_from_db()
    assert ig.state == State.FAILING


def test_token_stays_out_of_urls(ig, fake_providers):
    Connection.objects.filter(pk=ig.pk).update(next_run_at=timezone.now())
    pull(ig.pk)
    assert not any(r["credential_in_url"] for r in fake_providers.requests())
