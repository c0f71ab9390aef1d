"""Dates get a plausible window per field: a payment in 2099 or in year 1 is a typo."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from partnerships.delivery import shipments as shipment_services
from partnerships.models import Payment
from partnerships.relationships import services as relationship_services
from tests.factories import ChannelFactory, make_partnership

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("paid_on", [datetime.date(2099, 1, 1), datetime.date(1, 1, 1)])
def test_a_payment_dated_2099_or_year_one_is_refused(marketer, paid_on):
    partnership = make_partnership(by=marketer)

    with pytest.raises(ValidationError) as caught:
        shipment_services.payment_record(
            partnership=partnership, by=marketer, kind="cash", amount=Decimal("10"), paid_on=paid_on
        )

    assert "paid_on" in caught.value.message_dict
    assert not Payment.objects.exists()


def test_the_payment_page_says_which_dates_it_takes(marketer_client, marketer):
    partnership = make_partnership(by=marketer)

    response = marketer_client.post(
        reverse("partnerships:payment_add", args=[partnership.pk]),
        {"kind": "cash", "amount": "10", "currency": "MYR", "paid_on": "2099-01-01"},
    )

    assert response.status_code == 200
    assert "no later than" in " ".join(response.context["form"].errors["paid_on"])
    assert not Payment.objects.exists()


def test_a_payment_today_is_fine(marketer):
    partnership = make_partnership(by=marketer)
    payment = shipment_services.payment_record(
        partnership=partnership, by=marketer, kind="cash", amount=Decimal("10")
    )
    assert payment.paid_on == timezone.localdate()


def test_a_shipment_sent_in_1999_is_refused(marketer):
    partnership = make_partnership(by=marketer)
    with pytest.raises(ValidationError) as caught:
        shipment_services.shipment_create(
            partnership=partnership,
            by=marketer,
            item="Box",
            status="sent",
            sent_on=datetime.date(1999, 12, 31),
        )
    assert "sent_on" in caught.value.message_dict


def test_a_campaign_cannot_start_in_2099_nor_run_for_a_century():
    far = Campaign(
        name="N",
        brand="B",
        utm_campaign="n",
        starts_on=datetime.date(2099, 1, 1),
        ends_on=datetime.date(2099, 2, 1),
    )
    long = Campaign(
        name="N",
        brand="B",
        utm_campaign="n",
        starts_on=datetime.date(2026, 12, 1),
        ends_on=datetime.date(2126, 12, 1),
    )
    with pytest.raises(ValidationError) as far_error:
        far.full_clean()
    with pytest.raises(ValidationError) as long_error:
        long.full_clean()
    assert "starts_on" in far_error.value.message_dict
    assert "ends_on" in long_error.value.message_dict


def test_a_contact_in_the_future_or_long_ago_is_refused_by_the_model(marketer):
    influencer = ChannelFactory().influencer
    for when in (
        timezone.now() + datetime.timedelta(days=30),
        timezone.make_aware(datetime.datetime(1990, 1, 1)),
    ):
        with pytest.raises(ValidationError) as caught:
            relationship_services.contact_log(
                influencer=influencer, by=marketer, kind="call", summary="Hi", happened_at=when
            )
        assert "happened_at" in caught.value.message_dict


def test_a_follow_up_due_in_2099_is_refused(marketer):
    influencer = ChannelFactory().influencer
    with pytest.raises(ValidationError) as caught:
        relationship_services.follow_up_create(
            influencer=influencer,
            by=marketer,
            what="Call back",
            due_on=datetime.date(2099, 1, 1),
            assignee=marketer,
        )
    assert "due_on" in caught.value.message_dict
