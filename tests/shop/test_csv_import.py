"""Orders uploaded as CSV: mapped columns, every problem by row, all or nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from metrics.models import Metric, MetricRecord, Source
from shop.imports.services import CsvRejected, Mapping, orders_import_csv
from shop.models import Delivery, Order, Provider
from shop.services import connection_create, deliveries_process_all

from .support import commission_partnership

pytestmark = pytest.mark.django_db

SHOPEE = Mapping(order_id="Order ID", placed_at="Order Creation Date", amount="Order Subtotal",
                 currency="Currency", codes="Voucher Code", landing_url="", status="Order Status",
                 status_at="Update Time")  # fmt: skip
GOOD = (
    "Order ID,Order Creation Date,Order Subtotal,Currency,Voucher Code,Order Status,Update Time,"
    "Buyer Username,Receiver Name,Phone Number\n"
    "2611200001,2026-11-20 10:00,120.00,MYR,siti10,Completed,,buyer_a,Ali Pembeli,60123\n"
    '2611200002,2026-11-20 11:00,"1,050.50",MYR,SITI10,Cancelled,2026-11-21 09:00,'
    "buyer_b,Bee,60124\n"
    "2611200003,2026-11-21,30.00,MYR,Siti10,Completed,,buyer_c,Chin,60125\n"
)


@pytest.fixture
def connection(db):
    return connection_create(name="Shopee export", provider=Provider.CSV)


def test_a_marketplace_export_becomes_orders_and_numbers(marketer, connection):
    partnership = commission_partnership(marketer, code="SITI10")
    assert orders_import_csv(connection=connection, data=GOOD.encode(), mapping=SHOPEE) == 3
    deliveries_process_all()
    assert Order.objects.count() == 3
    values = {
        (r.metric, timezone.localdate(r.bucket_start).isoformat()): r.value
        for r in MetricRecord.objects.filter(partnership=partnership, source=Source.SHOP)
    }
    assert values[(Metric.CONVERSIONS, "2026-11-20")] == 2
    assert values[(Metric.CONVERSIONS, "2026-11-21")] == 0  # the cancellation, on its day
    assert sum(v for (m, _), v in values.items() if m == Metric.REVENUE) == Decimal("150.00")
    stored = str(list(Delivery.objects.values_list("payload", flat=True)))
    assert "buyer_a" not in stored and "Pembeli" not in stored and "60123" not in stored


def test_uploading_the_same_file_again_adds_nothing(marketer, connection):
    orders_import_csv(connection=connection, data=GOOD.encode(), mapping=SHOPEE)
    orders_import_csv(connection=connection, data=GOOD.encode(), mapping=SHOPEE)
    assert Delivery.objects.count() == 3


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("X1,yesterday,10.00,MYR,,Completed,", "placed_at"),
        ("X1,2026-11-20,ten,MYR,,Completed,", "amount: not a number"),
        ("X1,2026-11-20,-10.00,MYR,,Completed,", "formula"),
        ("X1,2026-11-20,10.00,RM,,Completed,", "currency"),
        (",2026-11-20,10.00,MYR,,Completed,", "order_id"),
        ("X1,2026-11-20,=1+1,MYR,,Completed,", "formula"),
        ("X1,2026-11-20,10.00,MYR,,Cancelled,31/11/2026", "status_at"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_stored(connection, line, message):
    data = GOOD + line + "\n"
    with pytest.raises(CsvRejected) as caught:
        orders_import_csv(connection=connection, data=data.encode(), mapping=SHOPEE)
    [error] = caught.value.errors
    assert error.row == 5
    assert message in error.message
    assert Delivery.objects.count() == 0


def test_missing_mapped_column_is_a_file_error(connection):
    with pytest.raises(CsvRejected) as caught:
        orders_import_csv(connection=connection, data=b"id,amount\n1,2\n", mapping=SHOPEE)
    assert caught.value.errors[0].row == 0
    assert "Order ID" in caught.value.errors[0].message


def test_not_utf8_is_refused(connection):
    with pytest.raises(CsvRejected):
        orders_import_csv(
            connection=connection, data="Order ID\n\xe9".encode("latin-1"), mapping=SHOPEE
        )


def _form(data: str) -> dict:
    fields = {f: getattr(SHOPEE, f) for f in Mapping.__dataclass_fields__}
    return {"file": SimpleUploadedFile("orders.csv", data.encode(), "text/csv"), **fields}


def test_the_upload_page_stores_and_redirects(marketer_client, connection):
    url = reverse("shop:import", args=[connection.pk])
    assert marketer_client.get(url).status_code == 200
    response = marketer_client.post(url, _form(GOOD))
    assert response.status_code == 302
    assert Delivery.objects.count() == 3


def test_the_upload_page_lists_row_errors(marketer_client, connection):
    response = marketer_client.post(
        reverse("shop:import", args=[connection.pk]), _form(GOOD + "X,2026-11-20,abc,MYR,,,\n")
    )
    assert response.status_code == 400
    assert "Row 5" in response.content.decode()
    assert Delivery.objects.count() == 0


def test_a_viewer_cannot_upload_or_add_a_shop(viewer_client, connection):
    assert (
        viewer_client.post(reverse("shop:import", args=[connection.pk]), _form(GOOD)).status_code
        == 403
    )
    response = viewer_client.post(reverse("shop:connections"), {"name": "X", "provider": "csv"})
    assert response.status_code == 403
    assert viewer_client.get(reverse("shop:connections")).status_code == 200


def test_an_influencer_cannot_see_shops(influencer_client, connection):
    assert influencer_client.get(reverse("shop:connections")).status_code == 403
    assert influencer_client.get(reverse("shop:import", args=[connection.pk])).status_code == 403


def test_a_marketer_adds_a_shopify_shop_and_sees_its_webhook_url(marketer_client):
    url = reverse("shop:connections")
    response = marketer_client.post(url, {"name": "Kopi Kita", "provider": "shopify", "secret": ""})
    assert response.status_code == 400  # a webhook shop needs its secret
    response = marketer_client.post(
        url, {"name": "Kopi Kita", "provider": "shopify", "secret": "abc-123-secret-xyz"}
    )
    assert response.status_code == 302
    page = marketer_client.get(url).content.decode()
    assert "/shop/webhooks/shopify/" in page
    assert "abc-123-secret-xyz" not in page


def test_unknown_connection_is_404(marketer_client):
    assert marketer_client.get(reverse("shop:import", args=[999999])).status_code == 404


def test_dates_without_time_count_on_that_day(connection):
    from shop.imports.services import parse_orders

    [(order_id, event, payload)] = parse_orders(
        data=b"Order ID,Order Creation Date,Order Subtotal,Currency\nA,2026-11-20,5,MYR\n",
        mapping=SHOPEE,
    )
    assert (order_id, event) == ("A", "csv:placed")
    assert payload["order"]["placed_at"].startswith(datetime.date(2026, 11, 20).isoformat())
