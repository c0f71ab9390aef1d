"""A burst of 1,000 signed webhooks, read by a real Celery worker: every order counted
once. Each delivery nudges the worker (routed to this test's own queue); duplicates of
a tenth of them are sent too, and the worker runs while the burst is still arriving."""

import uuid
import warnings
from decimal import Decimal

import pytest
from celery.exceptions import AlwaysEagerIgnored
from django.db import transaction
from django.db.models import Sum

from config.celery import app
from metrics.models import Metric, MetricRecord, Source
from metrics.selectors import last_scheduler_tick
from shop import services
from shop.models import Attribution, Delivery, Order
from shop.webhooks import samples
from tests.reliability._outbox_support import Worker, wait_for

from .support import commission_partnership, post, shopify

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ORDERS = 1000
PARTNERSHIPS = 10


def _send(queue: str, name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AlwaysEagerIgnored)
        app.send_task(name, queue=queue)


def test_a_burst_of_1000_webhooks_counts_every_order_once(marketer, monkeypatch):
    queue = f"test-shop-{uuid.uuid4().hex[:8]}"
    partnerships = [
        commission_partnership(marketer, code=f"BURST{n}", name=f"Creator {n}")
        for n in range(PARTNERSHIPS)
    ]
    connection = shopify()
    # The same nudge the view sends, published for real to this test's queue.
    monkeypatch.setattr(
        services,
        "nudge_on_commit",
        lambda task: transaction.on_commit(lambda: _send(queue, task.name)),
    )
    worker = Worker(queue=queue, smtp_port=1).start()
    try:
        for n in range(ORDERS):
            payload = samples.shopify_order(
                10_000 + n, subtotal="10.05", codes=(f"burst{n % PARTNERSHIPS}",)
            )
            assert post(connection, "orders/create", payload).status_code == 200
            if n % 10 == 0:
                assert post(connection, "orders/create", payload).status_code == 200  # a duplicate
        _send(queue, "shop.process_deliveries")  # what the sweeper does every minute
        wait_for(
            lambda: not Delivery.objects.filter(processed_at=None).exists(),
            timeout=600,
            message="the worker to read every delivery",
        )
        # Every recompute after the last read has finished once a task queued now has run.
        _send(queue, "shop.process_deliveries")
        _send(queue, "metrics.heartbeat")
        wait_for(
            lambda: last_scheduler_tick() is not None, timeout=300, message="the queue to drain"
        )
    finally:
        log = worker.stop()

    assert Delivery.objects.count() == ORDERS, log[-2000:]
    assert Order.objects.count() == ORDERS
    assert Attribution.objects.count() == ORDERS
    records = MetricRecord.objects.filter(source=Source.SHOP, partnership__in=partnerships)
    conversions = records.filter(metric=Metric.CONVERSIONS).aggregate(t=Sum("value"))["t"]
    revenue = records.filter(metric=Metric.REVENUE).aggregate(t=Sum("value"))["t"]
    assert conversions == ORDERS
    assert revenue == Decimal("10.05") * ORDERS
    campaigns = MetricRecord.objects.filter(source=Source.SHOP, campaign__isnull=False)
    assert campaigns.filter(metric=Metric.CONVERSIONS).aggregate(t=Sum("value"))["t"] == ORDERS
    for partnership in partnerships:
        mine = records.filter(partnership=partnership, metric=Metric.CONVERSIONS).aggregate(
            t=Sum("value")
        )
        assert mine["t"] == ORDERS // PARTNERSHIPS
