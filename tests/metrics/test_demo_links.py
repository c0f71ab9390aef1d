"""The demo: every partnership that reached accepted has a tracked link with clicks, and
the demo influencer sees theirs on the portal."""

import pytest
from django.db.models import Sum
from django.urls import reverse

from accounts.models import User
from metrics.models import Click, Metric, MetricRecord, TrackedLink
from partnerships.models import Partnership

pytestmark = pytest.mark.usefixtures("demo")


def test_every_partnership_that_reached_accepted_has_a_live_link():
    accepted = Partnership.objects.filter(acceptances__isnull=False).distinct()
    assert accepted.exists()
    for partnership in accepted:
        assert partnership.tracked_links.filter(is_active=True).exists(), partnership
    never_accepted = Partnership.objects.filter(acceptances__isnull=True)
    assert not TrackedLink.objects.filter(partnership__in=never_accepted).exists()


def test_the_clicks_of_the_demo_are_rolled_up():
    humans = Click.objects.filter(kind=Click.Kind.HUMAN).count()
    assert humans > 0
    rolled = MetricRecord.objects.filter(metric=Metric.LINK_CLICKS_HUMAN).aggregate(
        total=Sum("value")
    )["total"]
    assert rolled == humans


def test_the_demo_influencer_sees_their_link_on_the_portal(client):
    user = User.objects.get(email="influencer@example.com")
    link = TrackedLink.objects.filter(partnership__influencer__user=user).first()
    client.force_login(user)
    page = client.get(reverse("portal:links", args=[link.partnership_id]))
    assert f"/r/{link.code}" in page.content.decode()
