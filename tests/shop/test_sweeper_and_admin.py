"""The Postgres row is the queue: a webhook answers 200 with Redis refused, and the
sweeper (the same task, from beat every minute) reads what no nudge announced. The
admin only reads."""

import pytest
from django.conf import settings
from django.urls import reverse

from shop import tasks
from shop.models import Attribution, Delivery
from shop.webhooks import samples
from tests.reliability._outbox_support import broker_at, refused_address

from .support import commission_partnership, post, shopify

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_webhook_is_kept_when_redis_is_down_and_the_sweeper_reads_it(marketer):
    commission_partnership(marketer, code="SITI10")
    connection = shopify()
    with broker_at(refused_address()):
        response = post(connection, "orders/create", samples.shopify_order(1, codes=("SITI10",)))
    assert response.status_code == 200
    assert Delivery.objects.get().processed_at is None
    tasks.process_deliveries()  # what beat runs every minute
    assert Delivery.objects.get().processed_at is not None
    assert Attribution.objects.count() == 1
    tasks.process_deliveries()  # again: nothing to do, nothing doubled
    assert Attribution.objects.count() == 1


def test_the_sweeper_is_scheduled():
    assert ("shop.process_deliveries", 1, "minutes") in settings.PERIODIC_TASKS.values()


@pytest.mark.parametrize(
    "model", ["shopconnection", "delivery", "order", "orderevent", "attribution"]
)
def test_the_admin_reads_and_never_writes(admin_client, model):
    shopify()
    assert admin_client.get(reverse(f"admin:shop_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:shop_{model}_add")).status_code == 403


def test_the_admin_never_shows_the_secret(admin_client):
    connection = shopify()
    page = admin_client.get(reverse("admin:shop_shopconnection_change", args=[connection.pk]))
    assert connection.secret_encrypted not in page.content.decode()
