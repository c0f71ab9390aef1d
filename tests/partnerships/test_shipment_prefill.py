"""A new shipment starts from the product line of the terms."""

import datetime
from decimal import Decimal

import pytest

from partnerships.terms import services as terms_services
from tests.factories import CampaignFactory, make_partnership
from tests.partnerships.test_shipments import add_url


def _with_products(partnership, marketer, *products):
    version = partnership.versions.get()
    terms_services.terms_save(
        version=version,
        by=marketer,
        data=terms_services.TermsInput(
            fields={},
            deliverables=[
                {
                    "channel": version.deliverables.get().channel,
                    "format": "reel",
                    "quantity": 1,
                    "due_on": datetime.date(2026, 12, 15),
                }
            ],
            compensation=[
                {"kind": "cash", "amount": Decimal("500.00"), "currency": "MYR"},
                *(
                    {"kind": "product", "currency": "MYR", "retail_value": None, **product}
                    for product in products
                ),
            ],
            kpis=[],
        ),
    )
    return partnership


SAMPLER = {"description": "Sampler box", "quantity": 3, "cost_of_goods": Decimal("40.00")}
GRINDER = {"description": "Hand grinder", "quantity": 1, "cost_of_goods": Decimal("95.50")}


def test_item_quantity_and_cost_come_from_the_product_line(marketer_client, partnership, marketer):
    _with_products(partnership, marketer, SAMPLER)
    response = marketer_client.get(add_url(partnership))
    form = response.context["form"]
    assert form["item"].value() == "Sampler box"
    assert form["quantity"].value() == 3
    assert form["value"].value() == Decimal("120.00")
    assert form["currency"].value() == "MYR"
    assert "Filled in from the product line" in response.content.decode()


def test_with_several_lines_the_first_is_used_and_the_others_offered(
    marketer_client, partnership, marketer
):
    _with_products(partnership, marketer, SAMPLER, GRINDER)
    body = marketer_client.get(add_url(partnership)).content.decode()
    assert 'href="?line=1">Hand grinder</a>' in body
    form = marketer_client.get(add_url(partnership), {"line": "1"}).context["form"]
    assert (form["item"].value(), form["quantity"].value()) == ("Hand grinder", 1)
    assert form["value"].value() == Decimal("95.50")
    assert marketer_client.get(add_url(partnership), {"line": "x"}).status_code == 200


def test_a_line_without_a_cost_leaves_the_value_empty(marketer_client, partnership, marketer):
    _with_products(partnership, marketer, {**SAMPLER, "cost_of_goods": None})
    form = marketer_client.get(add_url(partnership)).context["form"]
    assert form["item"].value() == "Sampler box"
    assert form["value"].value() in (None, "")


@pytest.mark.parametrize("currency", ["SGD"])
def test_without_a_product_line_only_the_currency_is_filled(marketer_client, marketer, currency):
    partnership = make_partnership(by=marketer, campaign=CampaignFactory(currency=currency))
    response = marketer_client.get(add_url(partnership))
    form = response.context["form"]
    assert form["currency"].value() == currency
    assert not form["item"].value()
    assert "Filled in from the product line" not in response.content.decode()


def test_the_prefilled_form_saves_as_is(marketer_client, partnership, marketer):
    _with_products(partnership, marketer, SAMPLER)
    form = marketer_client.get(add_url(partnership)).context["form"]
    values = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in values.items()}
    data["status"] = "preparing"
    assert marketer_client.post(add_url(partnership), data).status_code == 302
    shipment = partnership.shipments.get()
    assert (shipment.item, shipment.quantity, shipment.value) == ("Sampler box", 3, Decimal("120"))
