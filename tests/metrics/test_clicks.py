"""Clicks: people apart from bots, previews and HEAD; a salted daily visitor hash; an
idempotent rollup into metric records."""

import datetime

import pytest
from django.utils import timezone

from metrics.links.clicks import click_kind, clicks_rollup, visitor_hash
from metrics.links.services import tracked_link_create
from metrics.models import Click, Metric, MetricRecord, Source
from tests.factories import make_partnership

KL = datetime.timezone(datetime.timedelta(hours=8))

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
ANDROID_CUBOT = (
    "Mozilla/5.0 (Linux; Android 12; CUBOT KINGKONG 7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36"
)
INSTAGRAM_APP = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Mobile/15E148 Instagram 330.0.0.0 (iPhone14,5; iOS 17_5; en_MY)"
)


@pytest.mark.parametrize(
    ("method", "agent", "kind"),
    [
        ("GET", IPHONE, "human"),
        ("GET", ANDROID_CUBOT, "human"),
        ("GET", INSTAGRAM_APP, "human"),
        ("GET", "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Firefox/133.0", "human"),
        ("HEAD", IPHONE, "head"),
        ("HEAD", "WhatsApp/2.23.20.0", "head"),
        ("GET", "WhatsApp/2.23.20.0 A", "bot"),
        ("GET", "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "bot"),
        ("GET", "Twitterbot/1.0", "bot"),
        ("GET", "TelegramBot (like TwitterBot)", "bot"),
        ("GET", "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "bot"),
        ("GET", "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)", "bot"),
        (
            "GET",
            "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
            "bot",
        ),
        ("GET", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "bot"),
        ("GET", "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "bot"),
        ("GET", "Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 (Applebot/0.1)", "bot"),
        ("GET", "Mozilla/5.0 (compatible; SomeNewCrawler; crawler)", "bot"),
        ("GET", "curl/8.5.0", "bot"),
        ("GET", "python-requests/2.32.3", "bot"),
        ("GET", "", "bot"),
        ("GET", "   ", "bot"),
    ],
)
def test_people_bots_previews_and_head_are_told_apart(method, agent, kind):
    assert click_kind(method, agent) == kind


def test_the_visitor_hash_is_stable_within_a_day_and_changes_across_days():
    day = datetime.date(2026, 11, 28)
    same = visitor_hash("203.0.113.7", IPHONE, day)
    assert same == visitor_hash("203.0.113.7", IPHONE, day)
    assert same != visitor_hash("203.0.113.8", IPHONE, day)
    assert same != visitor_hash("203.0.113.7", IPHONE, day + datetime.timedelta(days=1))
    assert "203.0.113.7" not in same and len(same) == 32


@pytest.fixture
def link(marketer):
    partnership = make_partnership(by=marketer)
    return tracked_link_create(
        partnership=partnership, destination="https://kopikita.example/", by=marketer
    )


@pytest.mark.django_db
def test_a_click_stores_no_address(client, link):
    client.get(f"/r/{link.code}", REMOTE_ADDR="198.51.100.23", HTTP_USER_AGENT=IPHONE)
    click = Click.objects.get()
    stored = " ".join(str(v) for v in Click.objects.values_list().get())
    assert "198.51.100.23" not in stored
    assert click.visitor == visitor_hash("198.51.100.23", IPHONE, timezone.localdate(click.at))


def _click(link, at, kind="human", visitor="a"):
    return Click(link=link, at=at, kind=kind, visitor=visitor)


def _records(link):
    return {
        (timezone.localtime(r.bucket_start).date().day, r.metric): int(r.value)
        for r in MetricRecord.objects.filter(link=link, source=Source.OWN_CLICKS)
    }


@pytest.mark.django_db
def test_the_rollup_counts_per_local_day_and_running_it_again_changes_nothing(link):
    late_on_the_26th = datetime.datetime(2026, 11, 26, 23, 30, tzinfo=KL)
    early_on_the_27th = datetime.datetime(2026, 11, 27, 0, 30, tzinfo=KL)  # 26th in UTC
    Click.objects.bulk_create(
        [
            _click(link, late_on_the_26th, visitor="a"),
            _click(link, early_on_the_27th, visitor="a"),
            _click(link, early_on_the_27th, visitor="a"),
            _click(link, early_on_the_27th, visitor="b"),
            _click(link, early_on_the_27th, kind="bot", visitor="c"),
            _click(link, early_on_the_27th, kind="head", visitor="a"),
        ]
    )
    expected = {
        (26, Metric.LINK_CLICKS_HUMAN): 1,
        (26, Metric.LINK_CLICKS_BOT): 0,
        (26, Metric.LINK_VISITORS): 1,
        (27, Metric.LINK_CLICKS_HUMAN): 3,
        (27, Metric.LINK_CLICKS_BOT): 2,
        (27, Metric.LINK_VISITORS): 2,
    }
    clicks_rollup()
    assert _records(link) == expected
    clicks_rollup()
    clicks_rollup(since=datetime.datetime(2026, 11, 1, tzinfo=KL))
    assert _records(link) == expected
    assert MetricRecord.objects.count() == 6


@pytest.mark.django_db
def test_a_later_run_adds_new_clicks_to_the_same_day(link):
    now = timezone.now()
    Click.objects.bulk_create([_click(link, now, visitor="a")])
    clicks_rollup()
    Click.objects.bulk_create([_click(link, now, visitor="b"), _click(link, now, kind="bot")])
    clicks_rollup()
    today = timezone.localdate(now).day
    assert _records(link)[(today, Metric.LINK_CLICKS_HUMAN)] == 2
    assert _records(link)[(today, Metric.LINK_CLICKS_BOT)] == 1
    assert _records(link)[(today, Metric.LINK_VISITORS)] == 2


@pytest.mark.django_db
def test_the_rollup_runs_as_a_task_and_is_scheduled(link, settings):
    from metrics import tasks

    Click.objects.bulk_create([_click(link, timezone.now())])
    tasks.rollup_clicks.delay()
    assert MetricRecord.objects.filter(link=link, metric=Metric.LINK_CLICKS_HUMAN).get().value == 1
    assert ("metrics.rollup_clicks", 5, "minutes") in settings.PERIODIC_TASKS.values()


@pytest.mark.django_db
def test_a_recorded_click_cannot_be_changed(link):
    from django.db import IntegrityError, transaction

    click = Click.objects.create(link=link, kind=Click.Kind.BOT, visitor="x")
    with pytest.raises(IntegrityError, match="can never change"), transaction.atomic():
        Click.objects.filter(pk=click.pk).update(kind=Click.Kind.HUMAN)
    click.refresh_from_db()
    assert click.kind == Click.Kind.BOT
