"""Product shipments and payments: forms, rules, access, and the cost they add up to."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from partnerships import costs, selectors
from partnerships.delivery import shipments as shipment_services
from partnerships.models import Payment, Shipment
from partnerships.terms import services as terms_services
from tests.factories import CampaignFactory, ChannelFactory, make_partnership

SENT = datetime.date(2026, 12, 2)
DELIVERED = datetime.date(2026, 12, 4)


def shipment_data(**overrides) -> dict:
    data = {
        "item": "Kopi Kita sampler box",
        "quantity": "3",
        "value": "120.00",
        "shipping_cost": "12.50",
        "currency": "MYR",
        "carrier": "Pos Laju",
        "tracking_number": "EP123456789MY",
        "sent_on": SENT.isoformat(),
        "delivered_on": "",
        "status": "sent",
        "review_url": "",
    }
    return data | overrides


def detail_url(partnership) -> str:
    return reverse("partnerships:detail", args=[partnership.pk])


def add_url(partnership) -> str:
    return reverse("partnerships:shipment_add", args=[partnership.pk])


def edit_url(partnership, shipment) -> str:
    return reverse("partnerships:shipment_edit", args=[partnership.pk, shipment.pk])


def payment_url(partnership) -> str:
    return reverse("partnerships:payment_add", args=[partnership.pk])


@pytest.fixture
def shipment(partnership, marketer) -> Shipment:
    return shipment_services.shipment_create(
        partnership=partnership,
        by=marketer,
        item="Kopi Kita sampler box",
        quantity=3,
        value=Decimal("120.00"),
        shipping_cost=Decimal("12.50"),
        status="preparing",
    )


# --- Happy paths ---------------------------------------------------------------------


def test_marketer_adds_a_shipment_and_goes_back_to_the_partnership(marketer_client, partnership):
    response = marketer_client.post(add_url(partnership), shipment_data())

    assert response.status_code == 302
    assert response["Location"] == detail_url(partnership)
    shipment = partnership.shipments.get()
    assert (shipment.item, shipment.quantity, shipment.status) == (
        "Kopi Kita sampler box",
        3,
        "sent",
    )
    assert (shipment.value, shipment.shipping_cost) == (Decimal("120.00"), Decimal("12.50"))
    assert (shipment.sent_on, shipment.carrier) == (SENT, "Pos Laju")
    assert shipment.history.get().history_user.email == "admin@brand.test"


def test_add_form_defaults_the_currency_to_the_campaigns(marketer_client, marketer):
    partnership = make_partnership(by=marketer, campaign=CampaignFactory(currency="SGD"))

    response = marketer_client.get(add_url(partnership))

    assert response.status_code == 200
    assert response.context["form"]["currency"].value() == "SGD"
    shipment = shipment_services.shipment_create(
        partnership=partnership, by=marketer, item="Sampler", status="preparing"
    )
    assert shipment.currency == "SGD"


def test_marketer_marks_a_shipment_delivered_with_the_review_post(
    marketer_client, partnership, shipment
):
    response = marketer_client.post(
        edit_url(partnership, shipment),
        shipment_data(
            status="delivered",
            delivered_on=DELIVERED.isoformat(),
            review_url="https://www.instagram.com/p/kopi-review/",
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == detail_url(partnership)
    shipment.refresh_from_db()
    assert (shipment.status, shipment.sent_on, shipment.delivered_on) == (
        "delivered",
        SENT,
        DELIVERED,
    )
    assert shipment.review_url == "https://www.instagram.com/p/kopi-review/"


def test_edit_form_shows_the_shipment(marketer_client, partnership, shipment):
    response = marketer_client.get(edit_url(partnership, shipment))

    assert response.status_code == 200
    assert response.context["form"].instance == shipment
    assert "Kopi Kita sampler box" in response.content.decode()


def test_marketer_records_a_commission_payment(marketer_client, partnership):
    response = marketer_client.post(
        payment_url(partnership),
        {"kind": "commission", "amount": "75.25", "currency": "MYR", "paid_on": "2027-01-05"},
    )

    assert response.status_code == 302
    assert response["Location"] == detail_url(partnership)
    payment = partnership.payments.get()
    assert (payment.kind, payment.amount, payment.paid_on) == (
        "commission",
        Decimal("75.25"),
        datetime.date(2027, 1, 5),
    )


# --- Validation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        pytest.param(
            {"status": "delivered", "sent_on": "2026-12-05", "delivered_on": "2026-12-03"},
            "delivered_on",
            id="delivered-before-sent",
        ),
        pytest.param({"status": "delivered", "delivered_on": ""}, "delivered_on", id="no-arrival"),
        pytest.param({"status": "sent", "sent_on": ""}, "sent_on", id="sent-without-date"),
        pytest.param(
            {"status": "delivered", "sent_on": "", "delivered_on": "2026-12-03"},
            "sent_on",
            id="delivered-without-sent-date",
        ),
        pytest.param({"value": "-1.00"}, "value", id="negative-value"),
        pytest.param({"shipping_cost": "-0.01"}, "shipping_cost", id="negative-shipping"),
        pytest.param({"quantity": "0"}, "quantity", id="zero-quantity"),
        pytest.param({"review_url": "javascript:alert(1)"}, "review_url", id="javascript-url"),
        pytest.param({"review_url": "ftp://files.example.com/x"}, "review_url", id="ftp-url"),
        pytest.param({"currency": "ringgit"}, "currency", id="bad-currency"),
    ],
)
def test_invalid_shipment_is_refused_on_the_right_field(
    marketer_client, partnership, shipment, overrides, field
):
    before = Shipment.objects.values().get(pk=shipment.pk)

    added = marketer_client.post(add_url(partnership), shipment_data(**overrides))
    edited = marketer_client.post(edit_url(partnership, shipment), shipment_data(**overrides))

    for response in (added, edited):
        assert response.status_code == 200
        form = response.context["form"]
        assert field in form.errors, form.errors
        assert not form.non_field_errors()  # said once, on the field, not again as a constraint
    assert Shipment.objects.count() == 1
    assert Shipment.objects.values().get(pk=shipment.pk) == before


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"sent_on": DELIVERED, "delivered_on": SENT, "status": "delivered"}, "delivered_on"),
        ({"status": "delivered", "sent_on": SENT}, "delivered_on"),
        ({"status": "sent"}, "sent_on"),
        ({"value": Decimal("-5")}, "value"),
        ({"shipping_cost": Decimal("-5")}, "shipping_cost"),
        ({"review_url": "javascript:alert(document.cookie)"}, "review_url"),
    ],
)
def test_service_refuses_what_the_form_refuses(partnership, marketer, fields, field):
    with pytest.raises(ValidationError) as caught:
        shipment_services.shipment_create(
            partnership=partnership, by=marketer, item="Sampler", **fields
        )
    assert field in caught.value.message_dict
    assert not Shipment.objects.exists()


def test_negative_payment_is_refused(marketer_client, partnership):
    response = marketer_client.post(
        payment_url(partnership),
        {"kind": "commission", "amount": "-10.00", "currency": "MYR", "paid_on": "2027-01-05"},
    )

    assert response.status_code == 200
    assert "amount" in response.context["form"].errors
    assert not Payment.objects.exists()
    with pytest.raises(ValidationError):
        shipment_services.payment_record(
            partnership=partnership, by=partnership.owner, kind="bonus", amount=Decimal("-1")
        )


# --- Cost ------------------------------------------------------------------------------


def test_cost_through_the_forms_counts_every_payment_and_the_parcel_once(
    marketer_client, marketer, partnership
):
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
                    "quantity": 2,
                    "due_on": datetime.date(2026, 12, 15),
                }
            ],
            compensation=[
                {"kind": "cash", "amount": Decimal("1500.00"), "currency": "MYR"},
                {
                    "kind": "product",
                    "description": "Kopi Kita sampler box",
                    "quantity": 3,
                    "cost_of_goods": Decimal("40.00"),
                    "retail_value": Decimal("69.90"),
                    "currency": "MYR",
                },
                {"kind": "commission", "commission_percent": Decimal("10"), "currency": "MYR"},
            ],
            kpis=[],
        ),
    )
    # Through the forms, so the strings typed in are what gets added up.
    marketer_client.post(add_url(partnership), shipment_data(value="120.00", shipping_cost="12.50"))
    for kind, amount in [("commission", "75.25"), ("cash", "1500.00"), ("bonus", "300.00")]:
        marketer_client.post(
            payment_url(partnership),
            {"kind": kind, "amount": amount, "currency": "MYR", "paid_on": "2027-01-05"},
        )
    assert partnership.payments.count() == 3

    cost = costs.partnership_cost(partnership, selectors.terms_state(partnership).current)

    # The shipment is the product line's (same item), sent: its goods count once, as paid.
    parts = {key: (part.committed, part.paid) for key, part in cost.parts.items()}
    assert parts == {
        "cash": (Decimal("1500.00"), Decimal("1500.00")),
        "bonus": (Decimal("300.00"), Decimal("300.00")),
        "commission": (Decimal("75.25"), Decimal("75.25")),
        "product": (Decimal("120.00"), Decimal("120.00")),
        "shipping": (Decimal("12.50"), Decimal("12.50")),
    }
    assert (cost.committed, cost.paid, cost.outstanding) == (
        Decimal("2007.75"),
        Decimal("2007.75"),
        Decimal("0.00"),
    )
    for amount in (cost.committed, cost.paid, cost.outstanding, cost.overpaid):
        assert isinstance(amount, Decimal)
    assert str(cost.committed) == "2007.75"


# --- Access ----------------------------------------------------------------------------


def test_viewer_gets_403_and_nothing_is_written(viewer_client, partnership, shipment):
    before = Shipment.objects.values().get(pk=shipment.pk)

    responses = [
        viewer_client.get(add_url(partnership)),
        viewer_client.post(add_url(partnership), shipment_data()),
        viewer_client.get(edit_url(partnership, shipment)),
        viewer_client.post(edit_url(partnership, shipment), shipment_data(item="Changed")),
        viewer_client.post(
            payment_url(partnership),
            {"kind": "cash", "amount": "10.00", "currency": "MYR", "paid_on": "2027-01-05"},
        ),
    ]

    assert [r.status_code for r in responses] == [403] * 5
    assert Shipment.objects.count() == 1
    assert Shipment.objects.values().get(pk=shipment.pk) == before
    assert not Payment.objects.exists()


def test_the_partnerships_own_influencer_gets_403(influencer_client, partnership, shipment):
    responses = [
        influencer_client.get(add_url(partnership)),
        influencer_client.post(add_url(partnership), shipment_data()),
        influencer_client.post(edit_url(partnership, shipment), shipment_data(item="Changed")),
        influencer_client.post(
            payment_url(partnership),
            {"kind": "cash", "amount": "10.00", "currency": "MYR", "paid_on": "2027-01-05"},
        ),
    ]

    assert [r.status_code for r in responses] == [403] * 4
    shipment.refresh_from_db()
    assert shipment.item == "Kopi Kita sampler box"
    assert Shipment.objects.count() == 1
    assert not Payment.objects.exists()


def test_another_partnerships_shipment_id_gets_404(marketer_client, marketer, partnership):
    other = make_partnership(by=marketer, channel=ChannelFactory())
    theirs = shipment_services.shipment_create(
        partnership=other, by=marketer, item="Someone else's parcel"
    )

    got = marketer_client.get(edit_url(partnership, theirs))
    posted = marketer_client.post(edit_url(partnership, theirs), shipment_data(item="Hijacked"))

    assert (got.status_code, posted.status_code) == (404, 404)
    theirs.refresh_from_db()
    assert (theirs.item, theirs.partnership) == ("Someone else's parcel", other)


def test_unknown_partnership_gets_404(marketer_client, partnership):
    missing = partnership.pk + 1000
    assert marketer_client.get(
        reverse("partnerships:shipment_add", args=[missing])
    ).status_code == (404)
    assert marketer_client.get(reverse("partnerships:payment_add", args=[missing])).status_code == (
        404
    )
