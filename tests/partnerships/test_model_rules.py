"""Single-row rules live on the models: `full_clean` names the field, the database
refuses what `clean()` would (where a constraint can say it), and the admin refuses it
too without writing anything."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import User
from partnerships.models import CompensationLine, KpiTarget, Shipment
from tests.factories import make_partnership

SENT = datetime.date(2026, 12, 1)


@pytest.fixture
def partnership(marketer):
    return make_partnership(by=marketer)


@pytest.fixture
def version(partnership):
    return partnership.versions.get()


@pytest.fixture
def superuser_client(client, db):
    user = User.objects.create_superuser(email="root@brand.test", password="x-pass-123")
    client.force_login(user)
    return client


def assert_refused(row, field: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        row.full_clean()
    assert message in caught.value.message_dict[field]


def assert_database_refuses(row) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(row).objects.bulk_create([row])


# --- Compensation lines ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": "cash"}, "amount", "A cash fee needs an amount."),
        ({"kind": "product", "quantity": 0, "description": "Box"}, "quantity", "How many"),
        ({"kind": "product", "quantity": 2}, "description", "Say what it is."),
        ({"kind": "perk"}, "description", "Say what it is."),
        ({"kind": "commission"}, "commission_percent", "commission percentage or a discount"),
    ],
)
def test_a_compensation_line_that_makes_no_sense_is_refused(version, fields, field, message):
    line = CompensationLine(version=version, currency="MYR", **fields)

    with pytest.raises(ValidationError) as caught:
        line.full_clean()
    assert any(message in text for text in caught.value.message_dict[field])
    assert_database_refuses(line)


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "cash", "amount": Decimal("10.00")},
        {"kind": "product", "quantity": 1, "description": "Gift box"},
        {"kind": "perk", "description": "Shout-out for their book"},
        {"kind": "commission", "commission_percent": Decimal("10")},
        {"kind": "commission", "discount_code": "NURUL10"},
    ],
)
def test_a_sensible_compensation_line_passes(version, fields):
    CompensationLine(version=version, currency="MYR", **fields).full_clean()


# --- KPI bonus tiers -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tiers", "message"),
    [
        ({"threshold": 3000, "amount": "300.00"}, "must be a list"),
        ([{"threshold": 3000}], "must be a list"),
        ([{"threshold": 3000, "amount": 300.0}], "must be a list"),  # a float: never money
        ([{"threshold": 3000, "amount": "300.005"}], "must be a list"),
        ([{"threshold": "3000", "amount": "300.00"}], "must be a list"),
        ([{"threshold": -1, "amount": "300.00"}], "must be a list"),
        ([{"threshold": 3000, "amount": "0.00"}], "must be more than zero"),
        (
            [{"threshold": 3000, "amount": "1.00"}, {"threshold": 3000, "amount": "2.00"}],
            "must go up: 3000 is not above 3000",
        ),
        ([{"threshold": 1500, "amount": "100.00"}], "above the target (2000)"),
    ],
)
def test_badly_shaped_bonus_tiers_are_refused(version, tiers, message):
    kpi = KpiTarget(version=version, metric="sessions", target=2000, bonus_tiers=tiers)

    with pytest.raises(ValidationError) as caught:
        kpi.full_clean()
    assert any(message in text for text in caught.value.message_dict["bonus_tiers"])


def test_rising_bonus_tiers_pass(version):
    KpiTarget(
        version=version,
        metric="sessions",
        target=2000,
        bonus_tiers=[
            {"threshold": 3000, "amount": "300.00"},
            {"threshold": 5000, "amount": "600.5"},
        ],
    ).full_clean()


def test_a_kpi_target_of_zero_is_refused_by_the_database(version):
    assert_database_refuses(KpiTarget(version=version, metric="sessions", target=0))


# --- Shipments -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"status": "sent"}, "sent_on", "Enter the date it was sent."),
        ({"status": "delivered", "sent_on": SENT}, "delivered_on", "Enter the date it arrived."),
        (
            {"sent_on": SENT, "delivered_on": SENT - datetime.timedelta(days=1)},
            "delivered_on",
            "It cannot arrive before it was sent.",
        ),
        (
            {"review_url": "ftp://example.com/review"},
            "review_url",
            "Use a web link starting with http:// or https://.",
        ),
    ],
)
def test_a_shipment_that_contradicts_itself_is_refused(partnership, fields, field, message):
    shipment = Shipment(partnership=partnership, item="Gift box", currency="MYR", **fields)

    assert_refused(shipment, field, message)
    assert_database_refuses(shipment)


def test_the_admin_refuses_a_delivered_shipment_without_dates(partnership, superuser_client):
    response = superuser_client.post(
        reverse("admin:partnerships_shipment_add"),
        {
            "partnership": partnership.pk,
            "item": "Gift box",
            "quantity": "1",
            "value": "0",
            "shipping_cost": "0",
            "currency": "MYR",
            "status": "delivered",
        },
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["sent_on"] == ["Enter the date it was sent."]
    assert errors["delivered_on"] == ["Enter the date it arrived."]
    assert not Shipment.objects.exists()


def test_the_admin_refuses_a_shipment_change_that_breaks_a_rule(partnership, superuser_client):
    shipment = Shipment.objects.create(partnership=partnership, item="Gift box", currency="MYR")

    response = superuser_client.post(
        reverse("admin:partnerships_shipment_change", args=[shipment.pk]),
        {
            "partnership": partnership.pk,
            "item": "Gift box",
            "quantity": "1",
            "value": "0",
            "shipping_cost": "0",
            "currency": "MYR",
            "status": "sent",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["sent_on"] == ["Enter the date it was sent."]
    shipment.refresh_from_db()
    assert shipment.status == Shipment.Status.PREPARING
