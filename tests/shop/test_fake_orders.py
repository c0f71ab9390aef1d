"""`manage.py fake_orders` posts signed sample webhooks to a running app."""

import pytest
from django.core.management import CommandError, call_command

from shop.models import Attribution, Delivery, Order, Provider
from shop.services import connection_create, deliveries_process_all

from .support import commission_partnership, shopify, woo

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("make", [shopify, woo])
def test_fake_orders_are_accepted_and_attributed(live_server, marketer, make, capsys):
    commission_partnership(marketer, code="DEMO10")
    connection = make()
    call_command(
        "fake_orders", url=live_server.url, connection=connection.pk, count=8, seed=1, start_id=500
    )
    assert f"accepted by {live_server.url}" in capsys.readouterr().out
    deliveries_process_all()
    assert Order.objects.count() == 8
    assert Delivery.objects.filter(error="").count() == Delivery.objects.count()
    assert Attribution.objects.filter(rule="code").exists()
    stored = str(list(Delivery.objects.values_list("payload", flat=True)))
    assert "siti.customer" not in stored and "Jalan" not in stored
    # Sending the same orders again changes nothing.
    call_command(
        "fake_orders", url=live_server.url, connection=connection.pk, count=8, seed=1, start_id=500
    )
    deliveries_process_all()
    assert Order.objects.count() == 8


def test_fake_orders_needs_a_webhook_connection(live_server, db):
    csv = connection_create(name="Export", provider=Provider.CSV)
    with pytest.raises(CommandError):
        call_command("fake_orders", url=live_server.url, connection=csv.pk)
