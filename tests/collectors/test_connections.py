"""Connections: credentials encrypted at rest, masked everywhere, rotated; one-row rules."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from collectors.models import Connection, Provider, State
from collectors.services import connection_create, connection_update, credentials_rotate
from common import crypto
from tests.factories import CampaignFactory, ChannelFactory

SECRET = "AIzaSy-very-secret-api-key-0042"


@pytest.fixture
def youtube(marketer):
    channel = ChannelFactory(platform="youtube", handle="kopi", account_id="UC_kopi")
    return connection_create(
        by=marketer, provider=Provider.YOUTUBE, credential=SECRET, name="Kopi on YouTube",
        channel=channel,
    )  # fmt: skip


def test_credential_is_stored_encrypted_and_shown_masked(youtube):
    stored = Connection.objects.values_list("credential_encrypted", flat=True).get()
    assert SECRET not in stored
    assert crypto.decrypt(stored).reveal() == SECRET
    assert youtube.credential_masked == "••••0042"
    for text in (
        str(youtube),
        repr(youtube),
        str(crypto.decrypt(stored)),
        repr(crypto.decrypt(stored)),
    ):
        assert SECRET not in text and "0042" not in text.replace("••••0042", "")


def test_a_secret_cannot_be_pickled_into_a_queue(youtube):
    import pickle

    with pytest.raises(TypeError):
        pickle.dumps(crypto.decrypt(youtube.credential_encrypted))


def test_rotation_reencrypts_under_the_first_key_and_old_keys_still_read(youtube, settings):
    old_key = settings.FIELD_ENCRYPTION_KEY
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEY = f"{new_key},{old_key}"
    assert crypto.decrypt(youtube.credential_encrypted).reveal() == SECRET  # old still reads
    assert credentials_rotate() == 1
    settings.FIELD_ENCRYPTION_KEY = new_key  # the old key dropped
    youtube.refresh_from_db()
    assert crypto.decrypt(youtube.credential_encrypted).reveal() == SECRET


def test_unreadable_credential_error_says_nothing_of_it(youtube, settings):
    settings.FIELD_ENCRYPTION_KEY = Fernet.generate_key().decode()
    with pytest.raises(crypto.CredentialUnreadable) as caught:
        crypto.decrypt(youtube.credential_encrypted)
    assert youtube.credential_encrypted not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_new_credential_lifts_needs_reauth(youtube):
    Connection.objects.filter(pk=youtube.pk).update(state=State.NEEDS_REAUTH, failures=3)
    youtube.refresh_from_db()
    youtube = connection_update(connection=youtube, credential="AIzaSy-the-new-key-9999")
    assert (youtube.state, youtube.failures, youtube.credential_masked) == (State.OK, 0, "••••9999")


def test_blank_credential_keeps_the_old_one(youtube):
    before = youtube.credential_encrypted
    youtube = connection_update(connection=youtube, credential="", name="Renamed")
    assert youtube.credential_encrypted == before and youtube.name == "Renamed"


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"provider": Provider.YOUTUBE, "site_id": "example.com"}, "channel"),
        ({"provider": Provider.PLAUSIBLE}, "site_id"),
        ({"provider": Provider.MATOMO, "site_id": "1"}, "base_url"),
        ({"provider": Provider.INSTAGRAM, "channel": True}, "account_id"),
    ],
)
def test_clean_refuses_what_the_provider_cannot_cover(marketer, fields, field):
    if fields.pop("channel", None):
        fields["channel"] = ChannelFactory()
    with pytest.raises(ValidationError) as caught:
        connection_create(by=marketer, credential=SECRET, name="x", **fields)
    assert field in caught.value.message_dict


def test_database_refuses_a_site_connection_on_a_channel(youtube):
    with pytest.raises(IntegrityError), transaction.atomic():
        Connection.objects.filter(pk=youtube.pk).update(provider=Provider.PLAUSIBLE)


def test_database_refuses_quota_state_without_until(youtube):
    with pytest.raises(IntegrityError), transaction.atomic():
        Connection.objects.filter(pk=youtube.pk).update(state=State.QUOTA_EXHAUSTED)


def test_campaign_narrows_only_site_connections(marketer):
    connection = connection_create(
        by=marketer, provider=Provider.PLAUSIBLE, credential=SECRET, name="Site",
        site_id="kopi.example", campaign=CampaignFactory(),
    )  # fmt: skip
    assert connection.campaign is not None


def test_rotate_credentials_reencrypts_every_apps_secrets(youtube, settings):
    """One command for every stored secret: data source credentials and shop webhook
    secrets alike, so dropping the old key afterwards loses neither."""
    from django.core.management import call_command

    from shop.services import connection_create as shop_connection_create
    from shop.services import connection_secret

    shop = shop_connection_create(name="Kopi Kita", provider="shopify", secret="shpss_0123456789")
    old_key = settings.FIELD_ENCRYPTION_KEY
    settings.FIELD_ENCRYPTION_KEY = f"{Fernet.generate_key().decode()},{old_key}"
    call_command("rotate_credentials", stdout=io.StringIO())
    settings.FIELD_ENCRYPTION_KEY = settings.FIELD_ENCRYPTION_KEY.split(",")[0]
    youtube.refresh_from_db()
    shop.refresh_from_db()
    assert crypto.decrypt(youtube.credential_encrypted).reveal() == SECRET
    assert connection_secret(shop) == "shpss_0123456789"
