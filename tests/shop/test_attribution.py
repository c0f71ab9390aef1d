"""Which partnership an order belongs to: table-driven."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from metrics.links.services import tracked_link_create
from shop.attribution import codes_in_force, links_for, match, utms_of
from shop.models import Attribution, Order
from shop.services import deliveries_process_all
from shop.webhooks import samples

from .support import commission_partnership, post, shopify

pytestmark = pytest.mark.django_db
AT = timezone.make_aware(datetime.datetime(2026, 11, 20, 10, 0))


@pytest.fixture
def cast(marketer):
    siti = commission_partnership(marketer, code="SITI10", name="Siti")
    amir = commission_partnership(marketer, code="AmirRaya", name="Amir", campaign=siti.campaign)
    nora = commission_partnership(marketer, code="", name="Nora", campaign=siti.campaign)
    link = tracked_link_create(
        partnership=nora, by=marketer, destination="https://kopikita.test/shop"
    )
    return {"siti": siti, "amir": amir, "nora": nora, "link": link}


def _landing(link) -> str:
    return "/shop?" + link.target_url.split("?", 1)[1]


CASES = [
    # (codes on the order, landing: utm of nora's link?, expected partnership, rule)
    pytest.param(("SITI10",), False, "siti", "code", id="code-exact"),
    pytest.param(("siti10",), False, "siti", "code", id="code-lower-case"),
    pytest.param((" Siti10 ",), False, "siti", "code", id="code-mixed-case-and-spaces"),
    pytest.param(
        ("amirraya", "SITI10"), False, "amir", "code", id="two-partnerships-codes-first-wins"
    ),
    pytest.param(
        ("SITI10", "AMIRRAYA"), False, "siti", "code", id="two-partnerships-codes-other-order"
    ),
    pytest.param(("SITI10",), True, "siti", "code", id="code-beats-utm"),
    pytest.param((), True, "nora", "utm", id="utm-only"),
    pytest.param(("UNKNOWN",), True, "nora", "utm", id="unknown-code-then-utm"),
    pytest.param((), False, None, None, id="neither"),
    pytest.param(("SITI1",), False, None, None, id="near-miss-code"),
]


@pytest.mark.parametrize(("codes", "with_utm", "expected", "rule"), CASES)
def test_attribution(client, cast, codes, with_utm, expected, rule):
    connection = shopify()
    landing = _landing(cast["link"]) if with_utm else "/shop?utm_source=newsletter"
    post(
        connection,
        "orders/create",
        samples.shopify_order(1, codes=codes, landing=landing, at=AT),
    )
    deliveries_process_all()
    found = Attribution.objects.filter(order__external_id="1").first()
    if expected is None:
        assert found is None
        assert Order.objects.count() == 1  # stored all the same
    else:
        assert (found.partnership, found.rule) == (cast[expected], rule)


def test_an_order_is_attributed_once_even_when_delivered_again(client, cast):
    connection = shopify()
    payload = samples.shopify_order(1, codes=("AMIRRAYA",), at=AT)
    post(connection, "orders/create", payload)
    deliveries_process_all()
    post(connection, "orders/paid", samples.shopify_order(1, codes=("SITI10",), at=AT))
    deliveries_process_all()
    assert Attribution.objects.get().partnership == cast["amir"]


def test_utm_needs_every_utm_the_link_sets(cast):
    link = cast["link"]
    order = Order(discount_codes=[], landing_url="/?utm_campaign=" + link.utm_campaign)
    assert match(order, {}, links_for({link.utm_campaign})) is None
    order.landing_url = "/shop?" + "&".join(
        f"{name}={getattr(link, name).upper()}"
        for name in ("utm_source", "utm_medium", "utm_campaign", "utm_content")
    )
    assert (
        match(order, {}, links_for({link.utm_campaign.upper()})).partnership_id == cast["nora"].pk
    )


def test_only_the_terms_in_force_count(marketer, cast):
    assert set(codes_in_force()) == {"siti10", "amirraya"}


def test_utms_of_reads_only_utm_parameters():
    assert utms_of("/p?utm_source=IG&x=1&utm_content=") == {"utm_source": "ig"}
    assert utms_of("") == {}


def test_commission_without_percent_is_none(marketer, cast):
    from shop.totals import commission_of, commission_percent

    assert commission_percent(cast["siti"]) == Decimal("10.00")
    assert commission_of(Decimal("0.05"), Decimal("10")) == Decimal("0.01")  # half up
