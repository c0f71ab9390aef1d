import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from metrics.links.services import tracked_link_create
from metrics.models import Metric, Source
from metrics.services import Row, records_upsert
from tests.conftest import browser_login
from tests.factories import make_accepted_partnership

pytestmark = pytest.mark.browser


def test_marketer_opens_campaign_results_and_sees_the_chart(page, marketer, influencer_user):
    partnership = make_accepted_partnership(marketer, influencer_user, "Ina Creator")
    link = tracked_link_create(
        partnership=partnership, destination="https://kopikita.example/", by=marketer
    )
    campaign = partnership.campaign
    today = timezone.localdate()
    campaign.starts_on, campaign.ends_on = today - datetime.timedelta(days=6), today
    campaign.save(update_fields=["starts_on", "ends_on"])
    days = [
        timezone.make_aware(
            datetime.datetime.combine(
                campaign.starts_on + datetime.timedelta(days=n), datetime.time()
            )
        )
        for n in range(5)
    ]
    records_upsert(
        [
            Row(Metric.LINK_CLICKS_HUMAN, day, 10 + n, Source.OWN_CLICKS, link=link.pk)
            for n, day in enumerate(days)
        ]
        + [Row(Metric.SESSIONS, day, 3, Source.MANUAL, partnership=partnership.pk) for day in days]
    )

    browser_login(page, marketer.email)
    page.goto(campaign.get_absolute_url())
    page.get_by_role("link", name="Results").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Results")
    chart = page.locator("canvas#daily-chart")
    expect(chart).to_have_attribute("data-drawn", "true")
    box = chart.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 100
    row = page.locator(f"[data-partnership='{partnership.pk}']")
    expect(row.locator("[data-number='clicks'] [data-value]")).to_have_text("60")
    expect(row.locator("[data-number='sessions']")).to_contain_text("manual")
    # The chart's text alternative: the same numbers as a table.
    page.get_by_text("The chart as a table").click()
    expect(page.locator("[data-daily-table]")).to_contain_text(campaign.starts_on.isoformat())
