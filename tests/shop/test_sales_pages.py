"""Sales on the partnership page and on the portal: the same numbers, counts and totals
only, each influencer their own."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from shop.services import deliveries_process_all
from shop.webhooks import samples

from .support import commission_partnership, post, shopify, woo

pytestmark = pytest.mark.django_db
AT = timezone.make_aware(datetime.datetime(2026, 11, 20, 10, 0))
CUSTOMER_BITS = ("Siti Pelanggan", "Pelanggan", "siti.customer", "Jalan Ampang", "+60123456789",
                 "Leave at the door", "Kopi Kita 250")  # fmt: skip


@pytest.fixture
def sales(client, marketer, influencer_user, other_influencer_user):
    mine = commission_partnership(marketer, influencer_user, code="INA15", percent="15", name="Ina")
    theirs = commission_partnership(
        marketer, other_influencer_user, code="OMAR5", percent="5", name="Omar"
    )
    shop, shop2 = shopify(), woo()
    post(
        shop,
        "orders/create",
        samples.shopify_order(1, subtotal="200.00", codes=("ina15",), at=AT),
    )
    post(
        shop,
        "orders/create",
        samples.shopify_order(2, subtotal="20.00", currency="USD", codes=("INA15",), at=AT),
    )
    post(
        shop2,
        "order.created",
        samples.woo_order(3, total="999.00", codes=("OMAR5",), at=AT),
    )
    deliveries_process_all()
    return mine, theirs


def test_the_influencer_sees_their_own_sales_and_commission(influencer_client, sales):
    mine, _ = sales
    html = influencer_client.get(reverse("portal:partnership", args=[mine.pk])).content.decode()
    assert "data-shop-sales" in html
    assert "200.00" in html and "30.00" in html  # 15% of MYR 200.00
    assert "20.00" in html and "3.00" in html  # USD shown apart, never converted
    assert "999" not in html and "49.95" not in html  # the other influencer's sale
    for bit in CUSTOMER_BITS:
        assert bit not in html


def test_another_influencers_partnership_is_404(influencer_client, sales):
    _, theirs = sales
    assert influencer_client.get(reverse("portal:partnership", args=[theirs.pk])).status_code == 404


def test_the_marketer_sees_the_same_numbers_and_no_customer_data(
    marketer_client, sales, django_assert_max_num_queries
):
    mine, _ = sales
    url = reverse("partnerships:detail", args=[mine.pk])
    html = marketer_client.get(url).content.decode()
    assert "data-shop-sales" in html and "200.00" in html and "30.00" in html
    for bit in CUSTOMER_BITS:
        assert bit not in html
    for path in ("shop:connections",):
        page = marketer_client.get(reverse(path)).content.decode()
        for bit in CUSTOMER_BITS:
            assert bit not in page


def test_the_sales_panel_costs_a_fixed_number_of_queries(
    marketer_client, client, sales, django_assert_max_num_queries
):
    mine, _ = sales
    url = reverse("partnerships:detail", args=[mine.pk])
    marketer_client.get(url)
    with django_assert_max_num_queries(1000) as before:
        marketer_client.get(url)
    few = len(before)  # now: the next request resets the connection's query log
    shop = shopify("Second shop")
    for n in range(20):
        post(shop, "orders/create", samples.shopify_order(100 + n, codes=("INA15",), at=AT))
    deliveries_process_all()
    with django_assert_max_num_queries(few):
        marketer_client.get(url)


def test_no_sales_yet_says_so(influencer_client, marketer, influencer_user):
    mine = commission_partnership(marketer, influencer_user, code="NEW1", name="Ina")
    html = influencer_client.get(reverse("portal:partnership", args=[mine.pk])).content.decode()
    assert "No shop orders attributed yet." in html


def test_the_shops_list_query_count_is_constant(marketer_client, django_assert_max_num_queries):
    for n in range(5):
        shopify(f"Shop {n}")
    with django_assert_max_num_queries(12):
        assert marketer_client.get(reverse("shop:connections")).status_code == 200
