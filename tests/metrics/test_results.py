"""Campaign results and an influencer's track record: the rules behind each number,
Decimal arithmetic, a fixed number of queries, the CSV and who may read them."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from metrics.links.services import tracked_link_create
from metrics.models import Metric, Post, Source
from metrics.posts import services as post_services
from metrics.progress import Label, Reading, kpi_progress
from metrics.results.selectors import (
    campaign_results,
    combined,
    cost_per,
    partnership_numbers,
    track_record,
)
from metrics.services import Row, records_upsert
from partnerships.delivery import submissions as submission_services
from partnerships.delivery.shipments import shipment_create
from partnerships.relationships.selectors import influencer_relationship
from tests.factories import (
    CampaignFactory,
    ChannelFactory,
    make_accepted_partnership,
    make_partnership,
)

pytestmark = pytest.mark.django_db


def at(day: int, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, 12, day, hour))


def midnight(day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, 12, day))


def link_of(partnership, marketer, label="Bio link"):
    return tracked_link_create(
        partnership=partnership, destination="https://kopikita.example/", label=label, by=marketer
    )


@pytest.fixture
def mine(marketer, influencer_user):
    return make_accepted_partnership(marketer, influencer_user, "Ina Creator")


@pytest.fixture
def theirs(marketer, other_influencer_user, mine):
    """Another influencer's partnership in the same campaign."""
    partnership = make_accepted_partnership(marketer, other_influencer_user, "Omar Otherperson")
    partnership.campaign = mine.campaign
    partnership.save(update_fields=["campaign"])
    return partnership


def seed(partnership, marketer):
    """Records behind every number, plus noise no rule may count."""
    link = link_of(partnership, marketer)
    second = link_of(partnership, marketer, "Story link")
    p = partnership.pk
    records_upsert(
        [
            Row(Metric.LINK_CLICKS_HUMAN, midnight(1), 60, Source.OWN_CLICKS, link=link.pk),
            Row(Metric.LINK_CLICKS_HUMAN, midnight(2), 70, Source.OWN_CLICKS, link=link.pk),
            Row(Metric.LINK_CLICKS_HUMAN, midnight(2), 30, Source.OWN_CLICKS, link=second.pk),
            Row(Metric.LINK_CLICKS_BOT, midnight(2), 500, Source.OWN_CLICKS, link=link.pk),
            # Link clicks count from the links alone, not typed onto the partnership.
            Row(Metric.LINK_CLICKS_HUMAN, midnight(3), 1000, Source.CSV, partnership=p),
            Row(Metric.SESSIONS, midnight(1), 12, Source.MANUAL, partnership=p),
            Row(Metric.SESSIONS, midnight(2), 8, Source.MANUAL, partnership=p),
            Row(Metric.CONVERSIONS, midnight(2), 4, Source.SHOP, partnership=p),
            # Lifetime counters: the latest bucket, never the sum.
            Row(Metric.VIEWS, midnight(1), 400, "instagram", partnership=p),
            Row(Metric.VIEWS, midnight(3), 900, "instagram", partnership=p, estimated=True),
            Row(Metric.VIEWS, midnight(2), 700, "instagram", partnership=p),
            Row(Metric.ENGAGEMENTS, midnight(1), 30, "instagram", partnership=p),
            Row(Metric.ENGAGEMENTS, midnight(2), 50, "instagram", partnership=p),
        ]
    )


def test_the_numbers_follow_one_rule_each(mine, theirs, marketer):
    seed(mine, marketer)
    records_upsert([Row(Metric.SESSIONS, midnight(2), 99, Source.SHOP, partnership=theirs.pk)])

    numbers = partnership_numbers([mine.pk, theirs.pk])

    n = numbers[mine.pk]
    assert (n.clicks.value, n.clicks.label) == (Decimal("160"), Label.MEASURED)
    assert (n.sessions.value, n.sessions.label) == (Decimal("20"), Label.MANUAL)
    assert (n.conversions.value, n.conversions.label) == (Decimal("4"), Label.MEASURED)
    assert (n.views.value, n.views.label) == (Decimal("900"), Label.ESTIMATED)
    assert (n.engagements.value, n.engagements.label) == (Decimal("50"), Label.MEASURED)
    assert n.revenue == Reading()
    assert n.clicks.as_of is not None
    other = numbers[theirs.pk]
    assert other.sessions.value == Decimal("99")
    assert other.clicks == Reading()  # no data yet: 0, labelled so


def test_posts_and_winners_are_counted_per_partnership(mine, theirs, influencer_user):
    """Each post's latest number plus the partnership's own, and one winner per bucket
    (measured before typed), kept apart between partnerships read together."""
    deliverable = mine.versions.get().deliverables.get()
    for piece in (1, 2):
        post_services.post_hand_in(
            deliverable=deliverable,
            piece=piece,
            post_url=f"https://www.instagram.com/reel/Post{piece}xx/",
            by=influencer_user,
        )
    first, second = Post.objects.order_by("platform_post_id")
    records_upsert(
        [
            Row(Metric.VIEWS, midnight(1), 100, "instagram", post=first.pk),
            Row(Metric.VIEWS, midnight(3), 400, "instagram", post=first.pk),
            Row(Metric.VIEWS, midnight(2), 250, "instagram", post=second.pk),
            Row(Metric.VIEWS, midnight(2), 50, Source.MANUAL, partnership=mine.pk),
            Row(Metric.VIEWS, midnight(2), 9, "instagram", partnership=theirs.pk),
            Row(Metric.SESSIONS, midnight(1), 40, Source.CSV, partnership=mine.pk),
            Row(Metric.SESSIONS, midnight(1), 44, "plausible", partnership=mine.pk),
            Row(Metric.SESSIONS, midnight(1), 5, Source.CSV, partnership=theirs.pk),
        ]
    )
    numbers = partnership_numbers([mine.pk, theirs.pk])
    assert (numbers[mine.pk].views.value, numbers[mine.pk].views.label) == (
        Decimal("700"),
        Label.MANUAL,
    )
    assert (numbers[mine.pk].sessions.value, numbers[mine.pk].sessions.label) == (
        Decimal("44"),
        Label.MEASURED,
    )
    assert numbers[theirs.pk].views.value == Decimal("9")
    assert (numbers[theirs.pk].sessions.value, numbers[theirs.pk].sessions.label) == (
        Decimal("5"),
        Label.MANUAL,
    )


def test_the_numbers_match_kpi_progress(mine, marketer):
    seed(mine, marketer)
    results = campaign_results(mine.campaign)
    row = next(r for r in results.rows if r.partnership.pk == mine.pk)
    progress = kpi_progress(mine)
    reached = sum(1 for k in progress if k.percent >= 100)
    assert (row.kpis_reached, row.kpis_total) == (reached, len(progress))
    by_metric = {k.metric: k for k in progress}
    assert by_metric["link_clicks"].value == row.numbers.clicks.value
    assert by_metric["sessions"].value == row.numbers.sessions.value
    assert by_metric["views"].label == row.numbers.views.label


@pytest.mark.parametrize(
    ("cost", "count", "expected"),
    [
        ("1500.00", "160", "9.38"),  # 9.375 rounds half up
        ("1500.00", "3", "500.00"),
        ("100.00", "3", "33.33"),
        ("200.00", "3", "66.67"),
        ("0.00", "12", "0.00"),
        ("1500.00", "0", None),  # nothing to divide by: blank
        ("1500.00", "0.00", None),
        (None, "12", None),
        ("0.01", "1000000", "0.00"),
        ("999999.99", "0.5", "1999999.98"),
    ],
)
def test_cost_per_unit_is_decimal_to_the_cent(cost, count, expected):
    result = cost_per(None if cost is None else Decimal(cost), Decimal(count))
    assert result == (None if expected is None else Decimal(expected))
    if result is not None:
        assert isinstance(result, Decimal) and result.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        ([Label.MEASURED, Label.MEASURED], Label.MEASURED),
        ([Label.MEASURED, Label.ESTIMATED], Label.ESTIMATED),
        ([Label.ESTIMATED, Label.MANUAL, Label.MEASURED], Label.MANUAL),
        ([Label.NO_DATA, Label.MEASURED], Label.MEASURED),
        ([Label.NO_DATA, Label.NO_DATA], Label.NO_DATA),
    ],
)
def test_totals_are_labelled_like_one_number(labels, expected):
    moment = at(3)
    readings = [
        Reading() if label == Label.NO_DATA else Reading(Decimal("2"), label, moment)
        for label in labels
    ]
    total = combined(readings)
    assert total.label == expected
    assert total.value == Decimal(2 * sum(1 for lb in labels if lb != Label.NO_DATA))
    assert total.as_of == (None if expected == Label.NO_DATA else moment)


def test_campaign_results_rows_totals_and_costs(mine, theirs, marketer):
    seed(mine, marketer)
    results = campaign_results(mine.campaign, today=datetime.date(2026, 12, 5))
    rows = {r.partnership.pk: r for r in results.rows}
    row = rows[mine.pk]
    assert row.cost == Decimal("1500.00")  # the cash fee of the terms in force
    assert row.cost_per_click == Decimal("9.38")
    assert row.cost_per_session == Decimal("75.00")
    assert row.cost_per_engagement == Decimal("30.00")
    assert row.cost_per_conversion == Decimal("375.00")
    assert (row.pieces_done, row.pieces_due) == (0, 2)
    totals = results.totals
    assert totals.cost == Decimal("3000.00")
    assert totals.numbers.clicks.value == Decimal("160")
    assert totals.cost_per_click == Decimal("18.75")
    assert totals.numbers.sessions.label == Label.MANUAL
    # The chart: campaign days (1 Dec to today), clicks and sessions per day.
    assert results.chart["days"][:3] == ["2026-12-01", "2026-12-02", "2026-12-03"]
    assert results.chart["days"][-1] == "2026-12-05"
    clicks, sessions = (s["values"] for s in results.chart["series"])
    assert clicks[:4] == ["60", "100", "0", "0"]
    assert sessions[:3] == ["12", "8", "0"]


def test_the_chart_draws_the_campaigns_days_and_the_totals_count_all(mine, marketer):
    link = link_of(mine, marketer)
    before = timezone.make_aware(datetime.datetime(2026, 11, 20))
    records_upsert(
        [
            Row(Metric.LINK_CLICKS_HUMAN, before, 5, Source.OWN_CLICKS, link=link.pk),
            Row(Metric.LINK_CLICKS_HUMAN, midnight(2), 7, Source.OWN_CLICKS, link=link.pk),
        ]
    )
    results = campaign_results(mine.campaign, today=datetime.date(2026, 12, 3))
    assert results.totals.numbers.clicks.value == Decimal("12")
    assert results.chart["days"] == ["2026-12-01", "2026-12-02", "2026-12-03"]
    assert results.chart["series"][0]["values"] == ["0", "7", "0"]
    assert results.chart_rows[1] == ("2026-12-02", ["7", "0"])

    not_started = campaign_results(mine.campaign, today=datetime.date(2026, 11, 30))
    assert not_started.chart["days"] == []


def test_product_and_shipping_count_in_the_cost(mine, marketer):
    shipment_create(
        partnership=mine,
        by=marketer,
        item="Kopi Kita starter kit",
        quantity=1,
        value=Decimal("80.00"),
        shipping_cost=Decimal("12.50"),
        currency="MYR",
    )
    row = campaign_results(mine.campaign).rows[0]
    assert row.cost == Decimal("1592.50")


def hand_in(partnership, marketer, influencer_user, piece, *, submitted_at, approve=True):
    deliverable = partnership.versions.get().deliverables.get()
    submission = submission_services.submission_hand_in(
        deliverable=deliverable,
        piece=piece,
        post_url=f"https://www.instagram.com/reel/C0ffee{piece}/",
        by=influencer_user,
    )
    type(submission).objects.filter(pk=submission.pk).update(submitted_at=submitted_at)
    submission_services.submission_review(
        submission=submission, by=marketer, approve=approve, comment="" if approve else "Fix"
    )


def test_track_record_across_partnerships(marketer, influencer_user):
    first = make_accepted_partnership(marketer, influencer_user, "Ina Creator")
    channel = first.influencer.channels.get()
    second = make_partnership(by=marketer, channel=channel)  # a draft: no KPIs in force
    # Due 15 Dec: one piece on time, one late.
    hand_in(first, marketer, influencer_user, 1, submitted_at=at(14))
    hand_in(first, marketer, influencer_user, 2, submitted_at=at(20))
    records_upsert(
        [
            Row(Metric.ENGAGEMENTS, midnight(2), 300, "instagram", partnership=first.pk),
            Row(Metric.SESSIONS, midnight(2), 40, Source.MANUAL, partnership=first.pk),
            Row(Metric.SESSIONS, midnight(2), 10, Source.MANUAL, partnership=second.pk),
        ]
    )

    record = track_record(influencer_relationship(first.influencer, datetime.date(2026, 12, 20)))

    assert len(record.rows) == 2
    totals = record.totals
    # posts 2/2, sessions 40/40, engagements 300/50 reached; clicks, conversions, views not
    assert (totals.kpis_reached, totals.kpis_total) == (3, 6)
    assert totals.kpi_percent == 50
    assert (totals.on_time, totals.pieces_done, totals.on_time_percent) == (1, 2, 50)
    assert totals.cost is None  # never added across currencies
    [myr] = record.averages
    # Engagements: only the first recorded some (1500 / 300); sessions: both (3000 / 50).
    assert myr.currency == "MYR"
    assert myr.per_engagement == Decimal("5.00")
    assert myr.per_session == Decimal("60.00")
    assert record.repeats == 1


def results_url(campaign) -> str:
    return reverse("results:campaign", args=[campaign.pk])


def many_partnerships(marketer, campaign, count):
    for n in range(count):
        channel = ChannelFactory(influencer__name=f"Creator {n:02d}")
        partnership = make_partnership(by=marketer, campaign=campaign, channel=channel)
        link = link_of(partnership, marketer)
        records_upsert(
            [
                Row(Metric.LINK_CLICKS_HUMAN, midnight(d), d, Source.OWN_CLICKS, link=link.pk)
                for d in (1, 2)
            ]
            + [
                Row(Metric.ENGAGEMENTS, midnight(d), d, "instagram", partnership=partnership.pk)
                for d in (1, 2)
            ]
            + [Row(Metric.SESSIONS, midnight(1), 5, Source.CSV, partnership=partnership.pk)]
        )


def test_results_page_queries_do_not_grow_with_partnerships(marketer, marketer_client):
    campaign = CampaignFactory()
    many_partnerships(marketer, campaign, 3)
    marketer_client.get(results_url(campaign))  # the first visit also touches the session
    with CaptureQueriesContext(connection) as few:
        assert marketer_client.get(results_url(campaign)).status_code == 200
    many_partnerships(marketer, campaign, 27)
    with CaptureQueriesContext(connection) as many:
        response = marketer_client.get(results_url(campaign))
    assert response.content.decode().count("data-partnership=") == 30
    assert len(many) == len(few)


def test_track_record_queries_do_not_grow_with_partnerships(
    marketer, marketer_client, django_assert_num_queries
):
    channel = ChannelFactory(influencer__name="Ina Creator")
    influencer = channel.influencer

    def add(count):
        for _ in range(count):
            partnership = make_partnership(by=marketer, channel=channel)
            records_upsert(
                [Row(Metric.ENGAGEMENTS, midnight(1), 7, "instagram", partnership=partnership.pk)]
            )

    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert marketer_client.get(influencer.get_absolute_url()).status_code == 200
        csv_url = reverse("results:track_record_csv", args=[influencer.pk])
        with CaptureQueriesContext(connection) as csv_queries:
            assert marketer_client.get(csv_url).status_code == 200
        return len(queries), len(csv_queries)

    add(3)
    marketer_client.get(influencer.get_absolute_url())
    few = measure()
    add(27)
    assert measure() == few
    relationship = influencer_relationship(influencer, datetime.date(2026, 12, 20))
    # numbers (per-bucket, lifetime), approved hand-ins, KPIs in force
    with django_assert_num_queries(4):
        record = track_record(relationship)
    assert len(record.rows) == 30


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def test_campaign_csv_has_the_table_and_neutralises_formulas(mine, marketer, marketer_client):
    seed(mine, marketer)
    influencer = mine.influencer
    influencer.name = '=HYPERLINK("http://evil.example")'
    influencer.save(update_fields=["name"])

    response = marketer_client.get(reverse("results:campaign_csv", args=[mine.campaign.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    header, line, total = read_csv(response)
    values = dict(zip(header, line, strict=True))
    assert values["Influencer"] == '\'=HYPERLINK("http://evil.example")'
    assert values["Link clicks"] == "160.00"
    assert values["Link clicks label"] == "measured"
    assert values["Sessions label"] == "manual"
    assert values["Cost"] == "1500.00"
    assert values["Cost per click"] == "9.38"
    assert values["Cost per conversion"] == "375.00"
    assert values["Deliverables due"] == "2"
    assert values["Link clicks as of"].startswith(str(timezone.localdate().year))
    assert total[0] == "Total"


def test_track_record_csv_lists_each_partnership(mine, marketer, marketer_client):
    seed(mine, marketer)
    mine.campaign.name = "+Raya launch"
    mine.campaign.save(update_fields=["name"])
    url = reverse("results:track_record_csv", args=[mine.influencer.pk])
    header, line = read_csv(marketer_client.get(url))
    values = dict(zip(header, line, strict=True))
    assert values["Campaign"] == "'+Raya launch"
    assert values["Engagements"] == "50.00"
    assert values["Cost per engagement"] == "30.00"
    assert values["Engagements as of"]


def test_a_number_without_data_says_so_in_the_csv(mine, marketer_client):
    url = reverse("results:campaign_csv", args=[mine.campaign.pk])
    header, line, _total = read_csv(marketer_client.get(url))
    values = dict(zip(header, line, strict=True))
    assert (values["Sessions"], values["Sessions label"]) == ("0", "no data yet")
    assert values["Sessions as of"] == ""
    assert values["Cost per session"] == ""


def running(campaign) -> None:
    """Dates around today, so the page draws its chart."""
    today = timezone.localdate()
    type(campaign).objects.filter(pk=campaign.pk).update(
        starts_on=today - datetime.timedelta(days=5), ends_on=today + datetime.timedelta(days=30)
    )


def test_viewer_reads_results_and_track_record(mine, marketer, viewer_client):
    seed(mine, marketer)
    running(mine.campaign)
    page = viewer_client.get(results_url(mine.campaign))
    assert page.status_code == 200
    body = page.content.decode()
    assert "data-daily-chart" in body and "data-results-table" in body
    assert "measured" in body and "manual" in body and "as of" in body
    assert (
        viewer_client.get(reverse("results:campaign_csv", args=[mine.campaign.pk])).status_code
        == 200
    )
    profile = viewer_client.get(mine.influencer.get_absolute_url()).content.decode()
    assert "data-track-record" in profile
    url = reverse("results:track_record_csv", args=[mine.influencer.pk])
    assert viewer_client.get(url).status_code == 200


def test_the_campaign_page_links_to_its_results(mine, marketer_client):
    body = marketer_client.get(mine.campaign.get_absolute_url()).content.decode()
    assert results_url(mine.campaign) in body


@pytest.mark.parametrize("name", ["campaign", "campaign_csv"])
def test_influencers_reach_no_campaign_results(mine, influencer_client, name):
    response = influencer_client.get(reverse(f"results:{name}", args=[mine.campaign.pk]))
    assert response.status_code == 403


def test_influencers_reach_no_track_record(mine, influencer_client):
    url = reverse("results:track_record_csv", args=[mine.influencer.pk])
    assert influencer_client.get(url).status_code == 403


def test_a_missing_campaign_is_404(marketer_client):
    assert marketer_client.get(reverse("results:campaign", args=[999999])).status_code == 404
    url = reverse("results:track_record_csv", args=[999999])
    assert marketer_client.get(url).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(mine, client):
    response = client.get(results_url(mine.campaign))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
