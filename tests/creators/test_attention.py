"""Nobody is surprised by a lapsed token: the portal banner and "My day"."""

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from collectors.models import Connection, State
from common import crypto
from tests.factories import make_partnership


def grant(channel, user, **fields):
    return Connection.objects.create(
        provider="instagram_creator", name=f"Instagram {channel.handle}", channel=channel,
        owner=user, created_by=user, credential_encrypted=crypto.encrypt("IGAAlong-secret-1234567"),
        account_id="1", **fields,
    )  # fmt: skip


def test_banner_and_my_day(ig_channel, influencer_user, marketer):
    make_partnership(by=marketer, channel=ig_channel)
    connection = grant(
        ig_channel, influencer_user, token_expires_at=timezone.now() + datetime.timedelta(days=3)
    )
    creator, brand = Client(), Client()
    creator.force_login(influencer_user)
    brand.force_login(marketer)
    home = creator.get(reverse("portal:home")).content.decode()
    assert f'data-lapsing="{connection.pk}"' in home and "stops working on" in home
    day = brand.get(reverse("home")).content.decode()
    assert f'data-creator-grant="{connection.pk}"' in day and "lapses" in day
    Connection.objects.filter(pk=connection.pk).update(state=State.NEEDS_REAUTH)
    assert "is no longer connected" in creator.get(reverse("portal:home")).content.decode()
    assert "lapsed: the creator must connect again" in brand.get(reverse("home")).content.decode()
    # Far from lapsing: nothing to say.
    Connection.objects.filter(pk=connection.pk).update(
        state=State.OK, token_expires_at=timezone.now() + datetime.timedelta(days=50)
    )
    assert "data-lapsing" not in creator.get(reverse("portal:home")).content.decode()
    assert "data-creator-grant" not in brand.get(reverse("home")).content.decode()


def test_my_day_shows_only_their_influencers(ig_channel, influencer_user, manager):
    grant(ig_channel, influencer_user, state=State.NEEDS_REAUTH)
    brand = Client()
    brand.force_login(manager)
    assert "data-creator-grant" not in brand.get(reverse("home")).content.decode()
