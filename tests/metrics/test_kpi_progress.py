"""KPI progress: one rule per metric, Decimal arithmetic, the same numbers on the
marketer's partnership page and on the influencer's portal."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from metrics.links.clicks import clicks_rollup
from metrics.links.services import tracked_link_create
from metrics.models import Metric, Source
from metrics.progress import Label, Tier, kpi_progress, percent_of, tiers_reached
from metrics.services import Row, records_upsert
from partnerships.delivery import submissions as submission_services
from tests.factories import (
    EVERY_KPI,
    KPI_TIERS,
    ChannelFactory,
    make_accepted_partnership,
    make_partnership,
)

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


@pytest.mark.parametrize(
    ("value", "target", "percent"),
    [
        ("0", 100, "0"),
        ("50", 100, "50"),
        ("99.99", 100, "99"),  # not there yet: rounded down
        ("100", 100, "100"),
        ("1", 3, "33"),
        ("2", 3, "66"),
        ("450", 200, "225"),
        ("0.5", 1000000000, "0"),
    ],
)
def test_percent_is_whole_and_rounded_down(value, target, percent):
    assert percent_of(Decimal(value), target) == Decimal(percent)


@pytest.mark.parametrize(
    ("value", "reached", "upcoming"),
    [
        ("0", None, Tier(150, Decimal("100.00"))),
        ("149.99", None, Tier(150, Decimal("100.00"))),
        ("150", Tier(150, Decimal("100.00")), Tier(300, Decimal("250.50"))),
        ("299", Tier(150, Decimal("100.00")), Tier(300, Decimal("250.50"))),
        ("300", Tier(300, Decimal("250.50")), None),
        ("100000", Tier(300, Decimal("250.50")), None),
    ],
)
def test_the_highest_tier_reached_and_the_next_one(value, reached, upcoming):
    assert tiers_reached(Decimal(value), KPI_TIERS) == (reached, upcoming)


def test_no_tiers_means_no_bonus():
    assert tiers_reached(Decimal("5000"), []) == (None, None)


@pytest.fixture
def mine(marketer, influencer_user):
    return make_accepted_partnership(marketer, influencer_user, "Ina Creator")


@pytest.fixture
def theirs(marketer, other_influencer_user):
    return make_accepted_partnership(marketer, other_influencer_user, "Omar Otherperson")


def at(day: int, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, 11, day, hour))


def link_of(partnership, marketer, label="Bio link"):
    return tracked_link_create(
        partnership=partnership, destination="https://kopikita.example/", label=label, by=marketer
    )


def seed(partnership, marketer, influencer_user):
    """Records behind every KPI, plus noise no rule may count."""
    link = link_of(partnership, marketer)
    second = link_of(partnership, marketer, "Story link")
    p = partnership.pk
    records_upsert(
        [
            Row(Metric.LINK_CLICKS_HUMAN, at(1), 60, Source.OWN_CLICKS, link=link.pk),
            Row(Metric.LINK_CLICKS_HUMAN, at(2), 70, Source.OWN_CLICKS, link=link.pk),
            Row(Metric.LINK_CLICKS_HUMAN, at(2), 30, Source.OWN_CLICKS, link=second.pk),
            Row(Metric.LINK_CLICKS_BOT, at(2), 500, Source.OWN_CLICKS, link=link.pk),
            # Link clicks count from the links alone, not typed onto the partnership.
            Row(Metric.LINK_CLICKS_HUMAN, at(3), 1000, Source.CSV, partnership=p),
            Row(Metric.SESSIONS, at(1), 12, Source.MANUAL, partnership=p),
            Row(Metric.SESSIONS, at(2), "8.5", Source.MANUAL, partnership=p),
            # A lifetime counter: the latest bucket, never the sum.
            Row(Metric.VIEWS, at(1), 400, "instagram", partnership=p),
            Row(Metric.VIEWS, at(3), 900, "instagram", partnership=p, estimated=True),
            Row(Metric.VIEWS, at(2), 700, "instagram", partnership=p),
        ]
    )
    deliverable = partnership.versions.get().deliverables.get()
    for piece, approve in ((1, True), (2, False)):
        submission = submission_services.submission_hand_in(
            deliverable=deliverable,
            piece=piece,
            post_url=f"https://www.instagram.com/reel/C0ffee{piece}/",
            by=influencer_user,
        )
        submission_services.submission_review(
            submission=submission, by=marketer, approve=approve, comment="" if approve else "Fix"
        )


EXPECTED = {
    # metric: (value, percent, label, tier threshold reached)
    "posts_published": (Decimal("1"), Decimal("50"), Label.MEASURED, None),
    "link_clicks": (Decimal("160"), Decimal("160"), Label.MEASURED, 150),
    "sessions": (Decimal("20.5"), Decimal("51"), Label.MANUAL, None),
    "conversions": (Decimal("0"), Decimal("0"), Label.NO_DATA, None),
    "views": (Decimal("900"), Decimal("90"), Label.ESTIMATED, None),
    "engagements": (Decimal("0"), Decimal("0"), Label.NO_DATA, None),
}


@pytest.mark.django_db
def test_one_rule_per_metric(mine, theirs, marketer, influencer_user, other_influencer_user):
    seed(mine, marketer, influencer_user)
    # Another partnership's numbers never leak in.
    records_upsert([Row(Metric.CONVERSIONS, at(2), 99, Source.SHOP, partnership=theirs.pk)])
    link_other = link_of(theirs, marketer)
    records_upsert(
        [Row(Metric.LINK_CLICKS_HUMAN, at(2), 999, Source.OWN_CLICKS, link=link_other.pk)]
    )

    rows = {row.metric: row for row in kpi_progress(mine)}

    assert list(rows) == [k["metric"] for k in EVERY_KPI]
    for metric, (value, percent, label, threshold) in EXPECTED.items():
        row = rows[metric]
        assert (row.value, row.percent, row.label) == (value, percent, label), metric
        assert (row.tier.threshold if row.tier else None) == threshold, metric
        assert (row.as_of is None) == (label == Label.NO_DATA), metric
    assert rows["link_clicks"].next_tier == Tier(300, Decimal("250.50"))


@pytest.mark.django_db
def test_only_the_terms_in_force_count(marketer, influencer_user):
    draft_only = make_partnership(
        by=marketer, channel=ChannelFactory(influencer__user=influencer_user)
    )
    assert kpi_progress(draft_only) == []


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_records(mine, marketer, influencer_user):
    with CaptureQueriesContext(connection) as empty:
        kpi_progress(mine)
    seed(mine, marketer, influencer_user)
    link = link_of(mine, marketer, "Third")
    records_upsert(
        Row(Metric.LINK_CLICKS_HUMAN, at(day), day, Source.OWN_CLICKS, link=link.pk)
        for day in range(1, 29)
    )
    with CaptureQueriesContext(connection) as full:
        kpi_progress(mine)
    assert len(full) == len(empty) == 4


def kpi_block(html: str) -> str:
    match = re.search(
        r"<ul class=\"list-group list-group-flush\" data-kpi-progress>.*?</ul>", html, re.S
    )
    assert match, "no KPI progress on the page"
    return match.group(0)


@pytest.mark.django_db
def test_both_pages_show_the_same_numbers(mine, marketer, influencer_user, marketer_client, client):
    seed(mine, marketer, influencer_user)
    marketer_page = marketer_client.get(reverse("partnerships:detail", args=[mine.pk]))
    client.force_login(influencer_user)
    portal_page = client.get(reverse("portal:partnership", args=[mine.pk]))

    shown = kpi_block(marketer_page.content.decode())
    assert shown == kpi_block(portal_page.content.decode())
    assert "160 / 100" in shown and "160%" in shown
    assert "MYR 100.00" in shown and "MYR 250.50" in shown
    for label in ("measured", "manual", "estimated", "no data yet", "as of"):
        assert label in shown


@pytest.mark.django_db
def test_pages_ask_a_constant_number_of_queries(mine, marketer, influencer_user, marketer_client):
    influencer = Client()
    influencer.force_login(influencer_user)
    seed(mine, marketer, influencer_user)
    urls = [
        (marketer_client, reverse("partnerships:detail", args=[mine.pk])),
        (influencer, reverse("portal:partnership", args=[mine.pk])),
    ]

    def counts():
        measured = []
        for c, url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert c.get(url).status_code == 200
            measured.append(len(queries))
        return measured

    counts()  # the first visit after logging in also writes the session
    before = counts()
    link = mine.tracked_links.first()
    records_upsert(
        [
            Row(Metric.LINK_CLICKS_HUMAN, at(d), d, Source.OWN_CLICKS, link=link.pk)
            for d in range(3, 29)
        ]
        + [Row(Metric.SESSIONS, at(d), d, Source.CSV, partnership=mine.pk) for d in range(3, 29)]
        + [
            Row(Metric.ENGAGEMENTS, at(d), d, "instagram", partnership=mine.pk)
            for d in range(1, 29)
        ]
    )
    assert counts() == before


@pytest.mark.django_db
def test_another_influencers_progress_is_404(influencer_client, theirs):
    response = influencer_client.get(reverse("portal:partnership", args=[theirs.pk]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_clicks_on_the_influencers_link_move_their_portal_progress(
    mine, marketer, influencer_user, client
):
    link = link_of(mine, marketer)
    client.force_login(influencer_user)
    url = reverse("portal:partnership", args=[mine.pk])
    assert "<span data-kpi-value>0 / 100</span>" in client.get(url).content.decode()

    visitor = Client()
    for n in range(3):
        visitor.get(f"/r/{link.code}", HTTP_USER_AGENT=IPHONE, REMOTE_ADDR=f"198.51.100.{n}")
    visitor.get(f"/r/{link.code}", HTTP_USER_AGENT="WhatsApp/2.23.20.0")
    clicks_rollup()

    body = client.get(url).content.decode()
    assert "<span data-kpi-value>3 / 100</span>" in body
    assert "<span data-kpi-percent>3%</span>" in body
