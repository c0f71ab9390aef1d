"""Deliveries become orders, events and numbers: exact whatever the duplicates and the
order of arrival, refunds and cancellations on their own day, other currencies apart."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from metrics.models import Metric, MetricRecord, Source
from metrics.progress import kpi_progress
from shop.models import Attribution, Delivery, Order
from shop.services import deliveries_process_all
from shop.totals import no_negative_days, sales_summary
from shop.webhooks import samples

from .support import commission_partnership, post, shopify, woo

pytestmark = pytest.mark.django_db

D1 = timezone.make_aware(datetime.datetime(2026, 11, 20, 10, 0))
D2 = D1 + datetime.timedelta(days=1)
D3 = D1 + datetime.timedelta(days=2)


def shop_numbers(**subject) -> dict:
    return {
        (r.metric, timezone.localdate(r.bucket_start)): r.value
        for r in MetricRecord.objects.filter(source=Source.SHOP, **subject)
    }


def totals(**subject) -> tuple[Decimal, Decimal]:
    values = shop_numbers(**subject)
    conversions = sum((v for (m, _), v in values.items() if m == Metric.CONVERSIONS), Decimal(0))
    revenue = sum((v for (m, _), v in values.items() if m == Metric.REVENUE), Decimal(0))
    return conversions, revenue


@pytest.fixture
def partnership(marketer, influencer_user):
    return commission_partnership(marketer, influencer_user, code="SITI10", percent="12.50")


def test_an_order_with_the_code_counts_once_for_partnership_and_campaign(client, partnership):
    connection = shopify()
    post(
        connection,
        "orders/create",
        samples.shopify_order(1, subtotal="120.00", codes=("siti10",), at=D1),
    )
    deliveries_process_all()
    attribution = Attribution.objects.get()
    assert (attribution.partnership, attribution.rule, attribution.matched) == (
        partnership,
        "code",
        "siti10",
    )
    assert shop_numbers(partnership=partnership) == {
        (Metric.CONVERSIONS, D1.date()): Decimal("1.00"),
        (Metric.REVENUE, D1.date()): Decimal("120.00"),
    }
    assert totals(campaign=partnership.campaign) == (Decimal(1), Decimal("120.00"))
    assert Delivery.objects.get().processed_at is not None


def test_the_same_webhook_three_times_counts_once(client, partnership):
    connection = shopify()
    payload = samples.shopify_order(2, subtotal="50.00", codes=("SITI10",), at=D1)
    for _ in range(3):
        assert post(connection, "orders/create", payload).status_code == 200
        deliveries_process_all()
    post(connection, "orders/paid", payload)  # the same order again, another topic
    deliveries_process_all()
    assert Delivery.objects.count() == 2
    assert Order.objects.count() == 1
    assert totals(partnership=partnership) == (Decimal(1), Decimal("50.00"))


def test_a_refund_before_its_order_is_applied_on_its_own_day(client, partnership):
    connection = shopify()
    post(connection, "refunds/create", samples.shopify_refund(3, 31, amount="30.00", at=D2))
    deliveries_process_all()
    assert totals(partnership=partnership) == (0, 0)
    post(
        connection,
        "orders/create",
        samples.shopify_order(3, subtotal="100.00", codes=("SITI10",), at=D1),
    )
    post(
        connection,
        "orders/create",
        samples.shopify_order(4, subtotal="40.00", codes=("SITI10",), at=D2),
    )
    deliveries_process_all()
    assert shop_numbers(partnership=partnership) == {
        (Metric.CONVERSIONS, D1.date()): Decimal(1),
        (Metric.REVENUE, D1.date()): Decimal("100.00"),
        (Metric.CONVERSIONS, D2.date()): Decimal(1),
        (Metric.REVENUE, D2.date()): Decimal("10.00"),  # 40 sold, 30 refunded that day
    }
    summary = sales_summary(partnership, "MYR")
    assert (summary.orders, summary.conversions) == (2, 2)
    assert summary.totals[0].net == Decimal("110.00")
    assert summary.totals[0].commission == Decimal("13.75")


def test_cancellation_takes_the_conversion_and_what_is_left_on_its_day(client, partnership):
    connection = shopify()
    order = samples.shopify_order(5, subtotal="80.00", codes=("SITI10",), at=D1)
    cancelled = samples.shopify_order(
        5, subtotal="80.00", codes=("SITI10",), at=D1, cancelled_at=D3
    )
    # Out of order: the cancellation first, then the refund, then the order itself.
    post(connection, "orders/cancelled", cancelled)
    post(connection, "refunds/create", samples.shopify_refund(5, 51, amount="20.00", at=D2))
    post(connection, "orders/create", order)
    deliveries_process_all()
    post(
        connection,
        "orders/create",
        samples.shopify_order(6, subtotal="90.00", codes=("SITI10",), at=D3),
    )
    deliveries_process_all()
    assert shop_numbers(partnership=partnership) == {
        (Metric.CONVERSIONS, D1.date()): Decimal(1),
        (Metric.REVENUE, D1.date()): Decimal("60.00"),  # 80, less day 2's refund
        (Metric.CONVERSIONS, D2.date()): Decimal(0),
        (Metric.REVENUE, D2.date()): Decimal(
            "0.00"
        ),  # 20 refunded: taken off day 1 (no sales that day)
        (Metric.CONVERSIONS, D3.date()): Decimal(0),  # one sale, one cancellation
        (Metric.REVENUE, D3.date()): Decimal("30.00"),  # 90 sold, 60 left of order 5 cancelled
    }
    assert totals(partnership=partnership) == (Decimal(1), Decimal("90.00"))


def test_a_day_cannot_go_negative_but_the_total_stays_exact():
    assert no_negative_days([Decimal(5), Decimal(3), Decimal(-6)]) == [
        Decimal(2),
        Decimal(0),
        Decimal(0),
    ]
    assert sum(no_negative_days([Decimal(10), Decimal(-4), Decimal(1)])) == Decimal(7)


def test_an_order_in_another_currency_keeps_it_and_writes_no_revenue_record(client, partnership):
    connection = shopify()
    post(
        connection,
        "orders/create",
        samples.shopify_order(7, subtotal="25.00", currency="USD", codes=("SITI10",), at=D1),
    )
    post(
        connection,
        "orders/create",
        samples.shopify_order(8, subtotal="100.00", codes=("SITI10",), at=D1),
    )
    deliveries_process_all()
    assert totals(partnership=partnership) == (Decimal(2), Decimal("100.00"))
    summary = sales_summary(partnership, "MYR")
    assert [(t.currency, t.net, t.commission) for t in summary.totals] == [
        ("MYR", Decimal("100.00"), Decimal("12.50")),
        ("USD", Decimal("25.00"), Decimal("3.13")),
    ]


def test_woocommerce_created_then_cancelled_update(client, partnership):
    connection = woo()
    post(
        connection,
        "order.created",
        samples.woo_order(9, total="60.00", codes=("Siti10",), at=D1),
    )
    post(
        connection,
        "order.updated",
        samples.woo_order(
            9, total="60.00", codes=("Siti10",), at=D1, modified=D2, refunds=((91, "15.00"),)
        ),
    )
    deliveries_process_all()
    assert totals(partnership=partnership) == (Decimal(1), Decimal("45.00"))
    post(
        connection,
        "order.updated",
        samples.woo_order(
            9,
            total="60.00",
            codes=("Siti10",),
            at=D1,
            status="cancelled",
            modified=D3,
            refunds=((91, "15.00"),),
        ),
    )
    deliveries_process_all()
    assert totals(partnership=partnership) == (0, 0)
    assert Order.objects.get().net_amount == Decimal("60.00")  # shipping not counted


def test_shop_conversions_feed_kpi_progress_as_measured(client, partnership):
    connection = shopify()
    for n in range(3):
        post(
            connection,
            "orders/create",
            samples.shopify_order(100 + n, codes=("SITI10",), at=D1),
        )
    deliveries_process_all()
    [row] = kpi_progress(partnership)
    assert (row.metric, row.value, row.label) == ("conversions", Decimal(3), "measured")


def test_an_unreadable_delivery_is_marked_and_does_not_block_the_rest(client, partnership):
    connection = shopify()
    Delivery.objects.create(
        connection=connection, order_external_id="x", event="bad", payload={"order": {"id": "x"}}
    )
    post(connection, "orders/create", samples.shopify_order(10, codes=("SITI10",), at=D1))
    deliveries_process_all()
    bad = Delivery.objects.get(event="bad")
    assert bad.processed_at is not None and bad.error
    assert totals(partnership=partnership)[0] == Decimal(1)
