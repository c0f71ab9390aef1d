"""The demo: the first completed partnership is settled (Nurul Izzah sees it final on the
portal); the other completed one is left for a marketer to freeze."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from metrics.models import Settlement
from partnerships.models import Partnership

pytestmark = pytest.mark.usefixtures("demo")


def test_one_completed_partnership_is_settled_and_another_is_left_to_freeze():
    completed = Partnership.objects.filter(status=Partnership.Status.COMPLETED).order_by("pk")
    assert completed.count() >= 2
    settlement = Settlement.objects.get()
    assert settlement.partnership == completed.first()
    assert settlement.payee == "Nurul Izzah" and settlement.lines.exists()


def test_the_demo_influencer_sees_the_settlement_final_on_the_portal():
    settlement = Settlement.objects.get()
    client = Client()
    client.force_login(User.objects.get(email="influencer@example.com"))
    url = reverse("portal:partnership", args=[settlement.partnership_id])
    body = client.get(url).content.decode()
    assert "data-settlement-final" in body and settlement.reference in body
