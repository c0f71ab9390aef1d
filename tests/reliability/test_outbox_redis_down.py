"""Redis refused or hung while a request commits: the request still answers at once,
its work and its email are committed, and the sweeper delivers the email once Redis is
back."""

import contextlib
import time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts import outbox
from accounts.models import Invitation, OutgoingEmail, User
from influencers.models import Influencer
from partnerships.models import Acceptance
from partnerships.terms import services as terms_services
from tests.factories import ChannelFactory, InfluencerFactory, UserFactory, make_partnership

from ._outbox_support import broker_at, hung_server, refused_address

pytestmark = pytest.mark.django_db(transaction=True)


@contextlib.contextmanager
def refused():
    yield refused_address()


BROKERS = {"refused": refused, "hung": hung_server}


@pytest.fixture
def owner() -> User:
    return UserFactory(email="owner@brand.test", full_name="Ada Admin", role=User.Role.ADMIN)


def _timed_post(client: Client, url: str, data: dict | None = None):
    started = time.monotonic()
    response = client.post(url, data or {})
    return response, time.monotonic() - started


def _sweep_once_redis_is_back() -> None:
    # The test settings deliver nudged tasks in-process once the broker is restored.
    assert outbox.sweep() >= 1
    assert outbox.sweep() == 0


@pytest.mark.parametrize("broker", BROKERS)
def test_accepting_terms_with_redis_down_answers_and_the_email_follows(broker, owner):
    creator = UserFactory(email="obrien@inbox.test", role=User.Role.INFLUENCER)
    channel = ChannelFactory(influencer__user=creator, influencer__name="Siobhan O'Brien")
    partnership = make_partnership(by=owner, channel=channel)
    terms_services.terms_propose(version=partnership.versions.get(), by=owner)
    mail.outbox.clear()
    client = Client()
    client.force_login(creator)

    with BROKERS[broker]() as url, broker_at(url):
        response, took = _timed_post(
            client, reverse("portal:accept", args=[partnership.pk]), {"version": 1}
        )

    assert response.status_code == 302
    assert took < 2, f"the request took {took:.1f}s"
    acceptance = Acceptance.objects.get(partnership=partnership)
    email = OutgoingEmail.objects.get(key=f"acceptance:{acceptance.pk}")
    assert email.sent_at is None and email.recipients == [owner.email]
    assert mail.outbox == []

    _sweep_once_redis_is_back()

    [message] = [m for m in mail.outbox if m.to == [owner.email]]
    assert "Siobhan O'Brien accepted" in message.subject
    assert "&#x27;" not in message.body
    email.refresh_from_db()
    assert email.sent_at is not None


@pytest.mark.parametrize("broker", BROKERS)
def test_inviting_with_redis_down_answers_and_the_invitation_follows(broker, owner):
    influencer = InfluencerFactory(name="Ina Creator", email="ina@inbox.test", owner=owner)
    client = Client()
    client.force_login(owner)

    with BROKERS[broker]() as url, broker_at(url):
        response, took = _timed_post(client, reverse("influencers:invite", args=[influencer.pk]))

    assert response.status_code == 302
    assert took < 2, f"the request took {took:.1f}s"
    invitation = Invitation.objects.get(user__email="ina@inbox.test")
    assert Influencer.objects.get(pk=influencer.pk).user_id == invitation.user_id
    assert OutgoingEmail.objects.get(key=f"invitation:{invitation.pk}").sent_at is None
    assert mail.outbox == []

    _sweep_once_redis_is_back()

    assert [m.to for m in mail.outbox] == [["ina@inbox.test"]]
    assert "/invite/" in mail.outbox[0].body
