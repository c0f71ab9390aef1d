"""Admin writes to partnerships go through the services; terms are read-only there."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import User
from campaigns.models import TERMS_FIELD_NAMES
from partnerships.models import Payment, Shipment
from partnerships.terms import services as terms_services
from tests.factories import make_partnership


@pytest.fixture
def partnership(marketer):
    return make_partnership(by=marketer)


@pytest.fixture
def version(partnership):
    return partnership.versions.get()


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(email="root@brand.test", password="x-pass-123")


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


def test_a_proposed_terms_version_cannot_be_changed_from_the_admin(
    version, marketer, superuser_client
):
    terms_services.terms_propose(version=version, by=marketer)

    response = superuser_client.post(
        reverse("admin:partnerships_termsversion_change", args=[version.pk]),
        {"disclosure_rule": "nothing", "payment_net_days": "1"},
    )

    assert response.status_code == 403
    version.refresh_from_db()
    assert (version.disclosure_rule, version.payment_net_days) == ("#ad", 30)


def test_a_shipment_added_in_the_admin_goes_through_the_service(
    partnership, superuser, superuser_client
):
    response = superuser_client.post(
        reverse("admin:partnerships_shipment_add"),
        {
            "partnership": partnership.pk,
            "item": "Gift box",
            "quantity": "2",
            "value": "80.00",
            "shipping_cost": "12.50",
            "currency": "MYR",
            "status": "sent",
            "sent_on": "2026-12-01",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    shipment = Shipment.objects.get()
    assert shipment.sent_on == datetime.date(2026, 12, 1)
    assert shipment.history.get().history_user == superuser  # as shipment_create records


def test_a_payment_added_in_the_admin_is_recorded_by_the_service(partnership, superuser_client):
    url = reverse("admin:partnerships_payment_add")
    data = {"partnership": partnership.pk, "kind": "cash", "currency": "MYR"}
    data |= {"paid_on": "2026-12-20", "note": ""}

    refused = superuser_client.post(url, data | {"amount": "-1"})
    assert refused.status_code == 200
    assert not Payment.objects.exists()

    response = superuser_client.post(url, data | {"amount": "1500.00"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Payment.objects.get().amount == Decimal("1500.00")


def test_a_partnership_owner_change_goes_through_the_service(
    partnership, marketer, superuser, superuser_client
):
    response = superuser_client.post(
        reverse("admin:partnerships_partnership_change", args=[partnership.pk]),
        {
            "owner": superuser.pk,
            "versions-TOTAL_FORMS": "1",
            "versions-INITIAL_FORMS": "1",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    partnership.refresh_from_db()
    assert partnership.owner == superuser


MANAGEMENT = ("TOTAL_FORMS", "INITIAL_FORMS")


def test_a_draft_is_saved_through_terms_save_and_its_rows_stay(version, superuser_client):
    """The draft's terms fields go through terms_save; its rows are read-only inlines,
    so posted row data is ignored and the rows are kept as they were."""
    line = version.compensation.get()
    fields = {name: getattr(version, name) for name in TERMS_FIELD_NAMES}
    fields |= {"brief_must_haves": ",".join(version.brief_must_haves), "usage_days": "90"}
    fields = {k: v for k, v in fields.items() if v is not False}
    response = superuser_client.post(
        reverse("admin:partnerships_termsversion_change", args=[version.pk]),
        fields
        | {
            "compensation-TOTAL_FORMS": "1",
            "compensation-INITIAL_FORMS": "1",
            "compensation-0-id": line.pk,
            "compensation-0-kind": "cash",
            "compensation-0-amount": "",
        }
        | {f"{inline}-{n}": "0" for inline in ("deliverables", "kpis") for n in MANAGEMENT},
    )

    assert response.status_code == 302, response.context["errors"]
    version.refresh_from_db()
    assert version.usage_days == 90
    assert version.compensation.get().amount == Decimal("1500.00")
    assert version.deliverables.count() == 1 and version.kpis.count() == 1
