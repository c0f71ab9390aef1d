"""Token care: renewed before they lapse the way each provider allows, a token that
cannot be renewed marks the connection, and people are told once per threshold."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import OutgoingEmail
from collectors.creators import services
from collectors.models import Connection, State
from collectors.pulling import Outcome, pull
from common import crypto
from tests.concurrency import race
from tests.creators.conftest import connect
from tests.factories import ChannelFactory, make_partnership


@pytest.fixture
def ig(influencer_client, ig_channel):
    connect(influencer_client, ig_channel)
    return Connection.objects.get(channel=ig_channel)


@pytest.fixture
def tiktok(influencer_client, ig_channel):
    channel = ChannelFactory(
        platform="tiktok", handle="demo.creator", influencer=ig_channel.influencer
    )
    connect(influencer_client, channel)
    return Connection.objects.get(channel=channel)


def expire_in(connection, delta, field="token_expires_at"):
    Connection.objects.filter(pk=connection.pk).update(**{field: timezone.now() + delta})
    connection.refresh_from_db()


def token_of(connection) -> str:
    connection.refresh_from_db()
    return crypto.decrypt(connection.credential_encrypted).reveal()


def test_instagram_is_renewed_ten_days_before_its_60_days(ig):
    before = token_of(ig)
    expire_in(ig, datetime.timedelta(days=20))
    assert services.refresh_due()["refreshed"] == 0  # not yet
    expire_in(ig, datetime.timedelta(days=9))
    assert services.refresh_due()["refreshed"] == 1
    assert token_of(ig) != before
    assert ig.token_expires_at - timezone.now() > datetime.timedelta(days=59)


def test_tiktok_is_renewed_with_its_rotating_refresh_token(tiktok):
    old_refresh = crypto.decrypt(tiktok.refresh_encrypted).reveal()
    expire_in(tiktok, datetime.timedelta(minutes=10))
    assert services.refresh_due()["refreshed"] == 1
    tiktok.refresh_from_db()
    assert crypto.decrypt(tiktok.refresh_encrypted).reveal() != old_refresh
    assert tiktok.token_expires_at - timezone.now() > datetime.timedelta(hours=1)


def test_a_pull_renews_a_token_about_to_lapse_first(ig):
    before = token_of(ig)
    expire_in(ig, datetime.timedelta(days=1))
    assert pull(ig.pk) == Outcome.PULLED
    assert token_of(ig) != before


def test_a_token_that_cannot_be_renewed_needs_reauthorisation(ig, fake_providers, marketer):
    make_partnership(by=marketer, channel=ig.channel)
    expire_in(ig, datetime.timedelta(days=3))
    fake_providers.queue("instagram_creator", "revoked")
    assert services.refresh_due()["failed"] == 1
    ig.refresh_from_db()
    assert ig.state == State.NEEDS_REAUTH
    lapsed = OutgoingEmail.objects.filter(key__startswith=f"creators:lapsed:{ig.pk}:")
    assert sorted(e.recipients[0] for e in lapsed) == ["admin@brand.test", "creator@inbox.test"]
    assert all("has lapsed" in e.subject for e in lapsed)
    assert "/portal/accounts/" in lapsed.get(key__endswith=":creator").body
    # Not tried again until the creator connects again: no second email.
    assert services.refresh_due()["failed"] == 0
    assert lapsed.count() == 2


def test_a_busy_provider_postpones_the_renewal(ig, fake_providers):
    expire_in(ig, datetime.timedelta(days=3))
    fake_providers.queue("instagram_creator", "500")
    assert services.refresh_due() == {"refreshed": 0, "failed": 0, "reminders": 1}
    ig.refresh_from_db()
    assert ig.state == State.OK


def test_reminders_once_per_threshold(tiktok, marketer, ig_channel):
    make_partnership(by=marketer, channel=ig_channel)
    reminders = OutgoingEmail.objects.filter(key__startswith=f"creators:lapse:{tiktok.pk}:")
    expire_in(tiktok, datetime.timedelta(days=30), field="refresh_expires_at")
    services.send_lapse_reminders()
    assert reminders.count() == 0
    expire_in(tiktok, datetime.timedelta(days=6), field="refresh_expires_at")
    services.send_lapse_reminders()
    services.send_lapse_reminders()  # the next hour, or a retry
    assert reminders.count() == 2  # the creator's and the owners'
    assert {e.recipients[0] for e in reminders} == {"creator@inbox.test", "admin@brand.test"}
    assert "lapses on" in reminders.first().subject
    Connection.objects.filter(pk=tiktok.pk).update(
        refresh_expires_at=tiktok.refresh_expires_at - datetime.timedelta(days=5)
    )
    services.send_lapse_reminders()
    assert reminders.all().count() == 4  # the 2-day threshold, once


@pytest.mark.django_db(transaction=True)
def test_two_workers_send_each_reminder_once(influencer_user, marketer, fake_providers):
    channel = ChannelFactory(
        platform="instagram", handle="demo.creator", influencer__user=influencer_user,
        influencer__owner=marketer,
    )  # fmt: skip
    connection = Connection.objects.create(
        provider="instagram_creator", name="Instagram", channel=channel, owner=influencer_user,
        created_by=influencer_user, credential_encrypted=crypto.encrypt("IGAAlong-x-0000000000"),
        account_id="1", token_expires_at=timezone.now() + datetime.timedelta(days=5),
    )  # fmt: skip
    race(services.send_lapse_reminders, services.send_lapse_reminders)
    keys = OutgoingEmail.objects.filter(key__startswith=f"creators:lapse:{connection.pk}:")
    assert keys.count() == 2


def test_key_rotation_reencrypts_the_refresh_token_too(tiktok, settings):
    from cryptography.fernet import Fernet

    from collectors.services import credentials_rotate

    refresh = crypto.decrypt(tiktok.refresh_encrypted).reveal()
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEY = f"{new_key},{settings.FIELD_ENCRYPTION_KEY}"
    assert credentials_rotate() == 1
    settings.FIELD_ENCRYPTION_KEY = new_key  # the old key dropped
    tiktok.refresh_from_db()
    assert crypto.decrypt(tiktok.refresh_encrypted).reveal() == refresh
