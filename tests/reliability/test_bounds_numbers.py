"""Every number has bounds a person could mean, in the model (so forms, the admin and
services agree) and, for the important ones, in the database too."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import User
from campaigns.models import Campaign, DefaultTerms
from common.fields import parse_decimal, parse_integer
from common.validators import MAX_DAYS, MAX_FOLLOWERS, MAX_QUANTITY
from influencers.models import Channel
from partnerships.delivery import shipments as shipment_services
from partnerships.delivery.forms import PaymentForm, ShipmentForm
from partnerships.models import CompensationLine, KpiTarget, Partnership, Payment, Shipment
from tests.factories import CampaignFactory, ChannelFactory, make_partnership

pytestmark = pytest.mark.django_db


def campaign_data(**terms) -> dict:
    return {
        "name": "Raya 2026",
        "brand": "Kopi Kita",
        "starts_on": "2026-12-01",
        "ends_on": "2027-01-31",
        "budget": "1000.00",
        "currency": "MYR",
        "utm_campaign": "raya_2026",
        "status": "planning",
        "brief_must_haves": "Say it is Kopi Kita",
        "disclosure_rule": "#ad",
        "payment_net_days": "14",
        "usage_days": "",
        "exclusivity_days": "",
    } | terms


def test_exclusivity_of_ten_to_the_twelve_days_is_refused_and_nothing_is_saved(marketer_client):
    response = marketer_client.post(
        reverse("campaigns:create"), campaign_data(exclusivity_days=str(10**12))
    )

    assert response.status_code == 200
    assert "exclusivity_days" in response.context["terms_form"].errors
    assert not Campaign.objects.exists()


def test_exclusivity_just_over_ten_years_is_refused(marketer_client):
    response = marketer_client.post(
        reverse("campaigns:create"), campaign_data(exclusivity_days=str(MAX_DAYS + 1))
    )

    assert response.status_code == 200
    assert response.context["terms_form"].errors["exclusivity_days"]
    assert not Campaign.objects.exists()


def test_the_longest_exclusivity_allowed_carries_into_a_new_partnership(marketer_client):
    created = marketer_client.post(
        reverse("campaigns:create"), campaign_data(exclusivity_days=str(MAX_DAYS))
    )
    assert created.status_code == 302
    campaign = Campaign.objects.get()
    influencer = ChannelFactory().influencer

    response = marketer_client.post(
        reverse("partnerships:create"),
        {"campaign": campaign.pk, "influencer": influencer.pk},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    partnership = Partnership.objects.get()
    assert partnership.versions.get().exclusivity_days == MAX_DAYS


@pytest.mark.parametrize(
    ("model_row", "field"),
    [
        (lambda c: DefaultTerms(campaign=c, usage_days=MAX_DAYS + 1), "usage_days"),
        (lambda c: DefaultTerms(campaign=c, payment_net_days=366), "payment_net_days"),
        (lambda c: Campaign(**_campaign_fields(budget=Decimal("10000000000"))), "budget"),
    ],
)
def test_model_full_clean_refuses_numbers_out_of_bounds(model_row, field):
    campaign = CampaignFactory()
    with pytest.raises(ValidationError) as caught:
        model_row(campaign).full_clean(exclude=["campaign", "utm_campaign"])
    assert field in caught.value.message_dict


def _campaign_fields(**overrides) -> dict:
    return {
        "name": "N",
        "brand": "B",
        "starts_on": datetime.date(2026, 12, 1),
        "ends_on": datetime.date(2027, 1, 1),
        "utm_campaign": "n_b",
    } | overrides


def test_partnership_rows_refuse_out_of_bounds_numbers(marketer):
    partnership = make_partnership(by=marketer)
    version = partnership.versions.get()
    rows = [
        (
            CompensationLine(
                version=version, kind="product", description="Box", quantity=MAX_QUANTITY + 1
            ),
            "quantity",
        ),  # noqa: E501
        (
            CompensationLine(
                version=version, kind="commission", commission_percent=Decimal("100.01")
            ),
            "commission_percent",
        ),  # noqa: E501
        (KpiTarget(version=version, metric="views", target=2_000_000_000), "target"),
        (Shipment(partnership=partnership, item="Box", quantity=MAX_QUANTITY + 1), "quantity"),
        (Payment(partnership=partnership, kind="cash", amount=Decimal("0")), "amount"),
    ]
    for row, field in rows:
        with pytest.raises(ValidationError) as caught:
            row.full_clean()
        assert field in caught.value.message_dict, (row, caught.value.message_dict)


def test_follower_counts_are_bounded():
    channel = ChannelFactory.build(
        influencer=ChannelFactory().influencer, followers=MAX_FOLLOWERS + 1
    )
    with pytest.raises(ValidationError) as caught:
        channel.full_clean()
    assert "followers" in caught.value.message_dict


@pytest.mark.parametrize(
    ("update", "model"),
    [
        ({"exclusivity_days": MAX_DAYS + 1}, DefaultTerms),
        ({"usage_days": 100_000}, DefaultTerms),
        ({"followers": MAX_FOLLOWERS + 1}, Channel),
        ({"digest_hour": 24}, User),
    ],
)
def test_the_database_refuses_what_skips_validation(update, model, marketer):
    CampaignFactory()
    ChannelFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.update(**update)


def test_the_database_refuses_a_payment_of_nothing_and_a_huge_shipment(marketer):
    partnership = make_partnership(by=marketer)
    payment = shipment_services.payment_record(
        partnership=partnership, by=marketer, kind="cash", amount=Decimal("10")
    )
    shipment = shipment_services.shipment_create(partnership=partnership, by=marketer, item="Box")
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(amount=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Shipment.objects.filter(pk=shipment.pk).update(quantity=MAX_QUANTITY + 1)


@pytest.mark.parametrize(
    "text", ["1e5", "NaN", "Infinity", "-inf", "１２３", "1.2.3", "12,34", "٣"]
)
def test_money_text_that_is_not_a_plain_number_is_refused(text):
    form = PaymentForm(
        data={"kind": "cash", "amount": text, "currency": "MYR", "paid_on": "2026-11-20"}
    )

    assert not form.is_valid()
    assert "amount" in form.errors
    with pytest.raises(ValueError):
        parse_decimal(text)


@pytest.mark.parametrize(
    ("text", "amount"),
    [("1500", Decimal("1500")), ("1,500.50", Decimal("1500.50")), (" 20000.00 ", Decimal("20000"))],
)
def test_plain_money_is_read(text, amount):
    form = PaymentForm(
        data={"kind": "cash", "amount": text, "currency": "MYR", "paid_on": "2026-11-20"}
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == amount


def test_full_width_and_exponent_quantities_are_not_numbers():
    for text in ("１２", "1e2", "12.0"):
        form = ShipmentForm(
            data={
                "item": "Box",
                "quantity": text,
                "value": "0",
                "shipping_cost": "0",
                "currency": "MYR",
                "status": "preparing",
            }
        )  # noqa: E501
        assert "quantity" in form.errors, text
        with pytest.raises(ValueError):
            parse_integer(text)
    assert parse_integer("12,500") == 12500


def test_money_through_the_payment_page_refuses_an_exponent(marketer_client, marketer):
    partnership = make_partnership(by=marketer)

    response = marketer_client.post(
        reverse("partnerships:payment_add", args=[partnership.pk]),
        {"kind": "cash", "amount": "1e5", "currency": "MYR", "paid_on": "2026-11-20"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["amount"]
    assert not Payment.objects.exists()


@pytest.fixture
def superuser_client(client, db):
    user = User.objects.create_superuser(email="root@brand.test", password="x-pass-123")
    client.force_login(user)
    return client


def test_the_admin_refuses_out_of_bounds_default_terms_and_full_width_budgets(superuser_client):
    data = {
        "name": "Raya 2026",
        "brand": "Kopi Kita",
        "starts_on": "2026-12-01",
        "ends_on": "2027-01-15",
        "budget": "1000.00",
        "currency": "MYR",
        "utm_campaign": "raya_2026",
        "status": "planning",
        "default_terms-TOTAL_FORMS": "1",
        "default_terms-INITIAL_FORMS": "0",
        "default_terms-0-disclosure_rule": "#iklan",
        "default_terms-0-payment_net_days": "14",
        "default_terms-0-usage_days": "0",
        "default_terms-0-exclusivity_days": str(10**12),
    }
    url = reverse("admin:campaigns_campaign_add")

    refused_days = superuser_client.post(url, data)
    refused_budget = superuser_client.post(
        url, data | {"default_terms-0-exclusivity_days": "0", "budget": "１０００"}
    )

    assert refused_days.status_code == 200
    assert refused_budget.status_code == 200
    assert "budget" in refused_budget.context["adminform"].form.errors
    assert not Campaign.objects.exists()
    accepted = superuser_client.post(url, data | {"default_terms-0-exclusivity_days": "30"})
    assert accepted.status_code == 302
    assert Campaign.objects.get().default_terms.exclusivity_days == 30


@pytest.mark.parametrize("text", ["１２５００", "1e5", "12,5OO", "٣٠٠", "9999999999999"])
def test_csv_follower_counts_are_read_as_strictly_as_forms(text):
    from influencers.spreadsheet.rows import parse_followers

    with pytest.raises(ValidationError):
        parse_followers(text)


def test_csv_follower_counts_in_the_usual_shapes_still_read():
    from influencers.spreadsheet.rows import parse_followers

    assert [parse_followers(t) for t in ("12500", "12,500", "12.5k", "1.2m")] == [
        12500,
        12500,
        12500,
        1_200_000,
    ]


@pytest.mark.parametrize(
    "tiers",
    [
        [{"threshold": 3000, "amount": "３００"}],
        [{"threshold": 3000, "amount": "300\n"}],
        [{"threshold": 2_000_000_000, "amount": "300"}],
    ],
)
def test_bonus_tiers_take_plain_amounts_and_bounded_thresholds(tiers):
    from partnerships.models.agreements import validate_bonus_tiers

    with pytest.raises(ValidationError):
        validate_bonus_tiers(tiers)


def test_a_channel_with_an_impossible_follower_count_is_a_form_error(marketer_client):
    influencer = ChannelFactory().influencer

    response = marketer_client.post(
        reverse("influencers:channel_add", args=[influencer.pk]),
        {"platform": "tiktok", "handle": "@big_one", "followers": str(MAX_FOLLOWERS + 1)},
    )

    assert response.status_code == 200
    assert not influencer.channels.filter(platform="tiktok").exists()
