"""The demo: a campaign whose partnerships have tracked links shows non-empty results."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from metrics.models import TrackedLink
from metrics.results.selectors import campaign_results

pytestmark = pytest.mark.usefixtures("demo")


def test_a_demo_campaign_has_results_to_show(client):
    today = timezone.localdate()
    link = (
        TrackedLink.objects.filter(
            partnership__campaign__starts_on__lte=today, partnership__campaign__ends_on__gte=today
        )
        .select_related("partnership__campaign")
        .first()
    )
    campaign = link.partnership.campaign
    results = campaign_results(campaign)
    assert results.totals.numbers.clicks.value > 0
    assert results.totals.cost > 0
    clicks = results.chart["series"][0]["values"]
    assert any(value != "0" for value in clicks)

    client.force_login(User.objects.get(email="viewer@example.com"))
    body = client.get(reverse("results:campaign", args=[campaign.pk])).content.decode()
    assert "data-daily-chart" in body and "measured" in body
