"""A double click, a retried POST or eight people adding the same influencer at once
create one row, and nobody sees a server error.

These run real concurrent transactions (one database connection per thread), so the
unique index and the submit-token row are what decide, as in production.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import SubmitToken
from influencers.models import Influencer
from partnerships.models import Contact, Payment, Shipment
from tests.concurrency import race
from tests.factories import ChannelFactory, make_partnership

TOKEN = re.compile(r'name="submit_token" value="([^"]+)"')
CREATE = reverse("influencers:create")
NO_CHANNELS = {"channels-TOTAL_FORMS": "0", "channels-INITIAL_FORMS": "0"}


def token_on(client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200
    return TOKEN.search(page.content.decode())[1]


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_adds_with_one_email_make_one_influencer_and_no_500(marketer):
    clients = [logged_in(marketer) for _ in range(8)]
    tokens = [token_on(client, CREATE) for client in clients]  # eight separate forms
    data = NO_CHANNELS | {"name": "Nurul Izzah", "email": "nurul@inbox.test"}

    results = race(
        *[
            lambda c=client, t=token: c.post(CREATE, data | {"submit_token": t})
            for client, token in zip(clients, tokens, strict=True)
        ]
    )

    assert [r for r in results if isinstance(r, Exception)] == []
    statuses = sorted(response.status_code for response in results)
    assert statuses == [200] * 7 + [302]
    assert Influencer.objects.filter(email__iexact="nurul@inbox.test").count() == 1
    for response in results:
        if response.status_code == 200:
            # The page, not response.context: the test client collects contexts through
            # a global signal, so under threads one response can list another's.
            assert 'id="error_1_id_email"' in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_one_form_posted_eight_times_at_once_makes_one_influencer(marketer):
    client = logged_in(marketer)
    token = token_on(client, CREATE)
    clients = [logged_in(marketer) for _ in range(8)]  # a retrying proxy, a double click...
    data = NO_CHANNELS | {"name": "No Email Yet", "submit_token": token}

    results = race(*[lambda c=c: c.post(CREATE, data) for c in clients])

    assert [r for r in results if isinstance(r, Exception)] == []
    influencer = Influencer.objects.get(name="No Email Yet")
    assert {response.status_code for response in results} == {302}
    assert {response["Location"] for response in results} == {influencer.get_absolute_url()}
    assert SubmitToken.objects.get(token=token).result_url == influencer.get_absolute_url()


@pytest.mark.django_db
def test_an_influencer_without_email_posted_twice_is_stored_once(marketer_client):
    token = token_on(marketer_client, CREATE)
    data = NO_CHANNELS | {"name": "Twice Clicked", "submit_token": token}

    first = marketer_client.post(CREATE, data)
    second = marketer_client.post(CREATE, data)

    influencer = Influencer.objects.get(name="Twice Clicked")
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"] == influencer.get_absolute_url()


@pytest.mark.django_db
def test_a_fresh_form_still_adds_another_influencer_of_the_same_name(marketer_client):
    for _ in range(2):
        token = token_on(marketer_client, CREATE)
        marketer_client.post(CREATE, NO_CHANNELS | {"name": "Common Name", "submit_token": token})

    assert Influencer.objects.filter(name="Common Name").count() == 2


@pytest.mark.django_db
def test_a_contact_posted_twice_is_logged_once(marketer_client):
    influencer = ChannelFactory().influencer
    token = token_on(marketer_client, influencer.get_absolute_url())
    url = reverse("partnerships:contact_create", args=[influencer.pk])
    data = {"kind": "call", "summary": "Talked about Raya", "submit_token": token}

    first = marketer_client.post(url, data)
    second = marketer_client.post(url, data)

    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Contact.objects.filter(influencer=influencer).count() == 1


@pytest.mark.django_db
def test_a_shipment_posted_twice_is_stored_once(marketer_client, marketer):
    partnership = make_partnership(by=marketer)
    url = reverse("partnerships:shipment_add", args=[partnership.pk])
    data = {
        "item": "Sampler box",
        "quantity": "1",
        "value": "20.00",
        "shipping_cost": "5.00",
        "currency": "MYR",
        "status": "preparing",
        "submit_token": token_on(marketer_client, url),
    }

    first = marketer_client.post(url, data)
    second = marketer_client.post(url, data)

    assert first.status_code == second.status_code == 302
    assert second["Location"] == partnership.get_absolute_url()
    assert Shipment.objects.filter(partnership=partnership).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_payment_posted_twice_at_once_is_recorded_once(marketer):
    partnership = make_partnership(by=marketer)
    url = reverse("partnerships:payment_add", args=[partnership.pk])
    token = token_on(logged_in(marketer), url)
    data = {
        "kind": "cash",
        "amount": "1,500.00",
        "currency": "MYR",
        "paid_on": timezone.localdate().isoformat(),
        "submit_token": token,
    }
    clients = [logged_in(marketer) for _ in range(4)]

    results = race(*[lambda c=c: c.post(url, data) for c in clients])
    again = clients[0].post(url, data)

    assert [r for r in results if isinstance(r, Exception)] == []
    assert {r.status_code for r in [*results, again]} == {302}
    assert Payment.objects.get(partnership=partnership).amount == Decimal("1500.00")


@pytest.mark.django_db
def test_someone_elses_token_does_not_redirect_to_their_record(marketer_client, manager):
    token = token_on(marketer_client, CREATE)
    marketer_client.post(CREATE, NO_CHANNELS | {"name": "Mine", "submit_token": token})
    other = logged_in(manager)

    response = other.post(CREATE, NO_CHANNELS | {"name": "Theirs", "submit_token": token})

    # The token is taken: nothing is created twice and nothing of the first is revealed.
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not Influencer.objects.filter(name="Theirs").exists()


@pytest.mark.django_db
def test_used_tokens_are_purged_after_a_day(marketer_client, marketer):
    from accounts.submit_once import submit_tokens_purge

    token = token_on(marketer_client, CREATE)
    marketer_client.post(CREATE, NO_CHANNELS | {"name": "Kept", "submit_token": token})

    assert submit_tokens_purge() == 0
    assert submit_tokens_purge(now=timezone.now() + datetime.timedelta(days=2)) == 1
    assert not SubmitToken.objects.exists()


def test_the_purge_is_scheduled_and_runs_as_a_task(marketer):
    from django_celery_beat.models import PeriodicTask

    from accounts.tasks import purge_submit_tokens
    from metrics.schedules import ensure_schedules

    ensure_schedules()
    purge = PeriodicTask.objects.get(task="accounts.purge_submit_tokens")
    assert purge.enabled
    assert (purge.interval.every, purge.interval.period) == (6, "hours")

    old = SubmitToken.objects.create(token="a" * 32, user=marketer)
    SubmitToken.objects.filter(pk=old.pk).update(
        used_at=timezone.now() - datetime.timedelta(days=2)
    )
    SubmitToken.objects.create(token="b" * 32, user=marketer)
    assert purge_submit_tokens.delay().get() == 1
    assert list(SubmitToken.objects.values_list("token", flat=True)) == ["b" * 32]
