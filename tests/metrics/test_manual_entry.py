"""A marketer types in a number for what no collector measures; it shows in KPI
progress labelled manual. Viewers read only; a missing partnership is 404."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from metrics.manual.services import metric_enter_manual
from metrics.models import MetricRecord, Source
from metrics.progress import Label, kpi_progress
from tests.factories import make_accepted_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(marketer, influencer_user):
    return make_accepted_partnership(marketer, influencer_user, "Ina Creator")


def url(partnership) -> str:
    return reverse("metrics:metric_add", args=[partnership.pk])


def progress(partnership, metric):
    return next(row for row in kpi_progress(partnership) if row.metric == metric)


def test_a_typed_in_number_counts_as_manual_and_typing_again_replaces_it(marketer_client, mine):
    today = timezone.localdate()
    for value in ("120", "150.5"):
        response = marketer_client.post(
            url(mine), {"metric": "sessions", "day": today.isoformat(), "value": value}
        )
        assert response.status_code == 302
    record = MetricRecord.objects.get(partnership=mine)
    assert (record.value, record.source) == (Decimal("150.50"), Source.MANUAL)
    row = progress(mine, "sessions")
    assert (row.value, row.label) == (Decimal("150.50"), Label.MANUAL)
    page = marketer_client.get(mine.get_absolute_url()).content.decode()
    assert "150 / 40" in page and "manual" in page and "data-metric-add" in page


def test_a_future_day_or_a_negative_value_is_refused(marketer_client, mine):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for data in (
        {"metric": "views", "day": tomorrow.isoformat(), "value": "10"},
        {"metric": "views", "day": "2026-11-01", "value": "-1"},
        {"metric": "link_clicks_human", "day": "2026-11-01", "value": "10"},
    ):
        response = marketer_client.post(url(mine), data)
        assert response.status_code == 200
        assert response.context["form"].errors
    assert not MetricRecord.objects.exists()


def test_the_viewer_reads_but_cannot_type_in(viewer_client, viewer, mine):
    page = viewer_client.get(mine.get_absolute_url()).content.decode()
    assert "data-kpi-progress" in page and "data-metric-add" not in page
    assert viewer_client.get(url(mine)).status_code == 403
    assert (
        viewer_client.post(
            url(mine), {"metric": "views", "day": "2026-11-01", "value": "5"}
        ).status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        metric_enter_manual(
            partnership=mine,
            metric="views",
            day=datetime.date(2026, 11, 1),
            value=Decimal("5"),
            by=viewer,
        )
    assert not MetricRecord.objects.exists()


def test_the_influencer_sees_the_manual_label_but_no_entry_button(
    marketer, influencer_user, client, mine
):
    metric_enter_manual(
        partnership=mine,
        metric="views",
        day=datetime.date(2026, 11, 1),
        value=Decimal("700"),
        by=marketer,
    )
    client.force_login(influencer_user)
    page = client.get(reverse("portal:partnership", args=[mine.pk])).content.decode()
    assert "700 / 1,000" in page and "manual" in page
    assert "data-metric-add" not in page
    assert client.get(url(mine)).status_code in (403, 404)


def test_a_missing_partnership_is_404(marketer_client):
    assert marketer_client.get(reverse("metrics:metric_add", args=[999999])).status_code == 404
