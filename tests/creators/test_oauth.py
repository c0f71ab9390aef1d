"""Connecting from the portal: the authorization-code flow against the fake, and every
way it can fail ending with a clear message and no stored token."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from collectors.creators import flow
from collectors.models import Connection, Provider
from common import crypto
from tests.creators.conftest import connect, consent, start
from tests.factories import ChannelFactory


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_connect_page_says_what_the_brand_will_and_will_not_see(influencer_client, ig_channel):
    response = influencer_client.get(reverse("portal:account_connect", args=[ig_channel.pk]))
    html = response.content.decode()
    assert "The brand will see" in html and "The brand will not see" in html
    assert "reach, views, likes, comments, saves and shares" in html
    # Its form may lead to the platform's sign-in page, and nowhere else.
    policy = response.headers["Content-Security-Policy"]
    assert "form-action 'self' http://127.0.0.1:" in policy


def test_connect_instagram_end_to_end(influencer_client, ig_channel, fake_providers):
    params, url = start(influencer_client, ig_channel)
    assert params["redirect_uri"] == "http://testserver/portal/accounts/callback/instagram/"
    assert params["scope"] == "instagram_business_basic,instagram_business_manage_insights"
    assert params["response_type"] == "code" and len(params["state"]) >= 32
    assert "code_challenge" not in params  # Instagram Login takes no PKCE
    response = influencer_client.get(consent(url), follow=True)
    assert any("Connected" in m for m in messages_of(response))
    connection = Connection.objects.get(channel=ig_channel)
    assert connection.provider == Provider.INSTAGRAM_CREATOR
    assert connection.owner == ig_channel.influencer.user
    token = crypto.decrypt(connection.credential_encrypted).reveal()
    assert token.startswith("IGAAlong")  # the 60-day token, not the 1-hour one
    assert token not in response.content.decode()
    expires_in = connection.token_expires_at - timezone.now()
    assert datetime.timedelta(days=59) < expires_in <= datetime.timedelta(days=60)
    assert connection.account_id and "instagram_business_manage_insights" in connection.scopes
    assert "Connected" in response.content.decode()


def test_connect_tiktok_uses_pkce_and_keeps_the_refresh_token(influencer_client, influencer_user):
    channel = ChannelFactory(platform="tiktok", handle="demo.creator",
                             influencer__user=influencer_user)  # fmt: skip
    params, url = start(influencer_client, channel)
    assert params["code_challenge_method"] == "S256" and params["client_key"]
    influencer_client.get(consent(url), follow=True)
    connection = Connection.objects.get(channel=channel)
    assert connection.provider == Provider.TIKTOK_CREATOR
    assert crypto.decrypt(connection.refresh_encrypted).reveal().startswith("rft")
    assert connection.token_expires_at - timezone.now() <= datetime.timedelta(hours=2)
    assert connection.refresh_expires_at - timezone.now() > datetime.timedelta(days=179)


def assert_nothing_stored():
    assert not Connection.objects.filter(
        provider__in=["instagram_creator", "tiktok_creator", "youtube_creator"]
    ).exists()


def test_a_wrong_state_is_refused(influencer_client, ig_channel):
    _params, url = start(influencer_client, ig_channel)
    back = consent(url)
    forged = back.replace("state=", "state=x")
    response = influencer_client.get(forged, follow=True)
    assert any("not valid any more" in m for m in messages_of(response))
    assert_nothing_stored()


def test_a_state_works_once(influencer_client, ig_channel):
    _params, url = start(influencer_client, ig_channel)
    back = consent(url)
    influencer_client.get(back)
    Connection.objects.all().delete()
    response = influencer_client.get(back, follow=True)
    assert any("not valid any more" in m for m in messages_of(response))
    assert_nothing_stored()


def test_a_state_from_another_session_is_refused(client, influencer_user, ig_channel):
    client.force_login(influencer_user)
    _params, url = start(client, ig_channel)
    back = consent(url)
    client.logout()
    client.force_login(influencer_user)  # a new session
    response = client.get(back, follow=True)
    assert any("not valid any more" in m for m in messages_of(response))
    assert_nothing_stored()


def test_a_missing_pkce_verifier_is_refused(influencer_client, influencer_user):
    channel = ChannelFactory(platform="tiktok", handle="demo.creator",
                             influencer__user=influencer_user)  # fmt: skip
    params, url = start(influencer_client, channel)
    session = influencer_client.session
    pending = session[flow.SESSION_KEY]
    pending[params["state"]]["verifier"] = None
    session[flow.SESSION_KEY] = pending
    session.save()
    response = influencer_client.get(consent(url), follow=True)
    assert any("no PKCE verifier" in m for m in messages_of(response))
    assert_nothing_stored()


def test_another_account_than_the_channel_is_refused(influencer_client, ig_channel, fake_providers):
    response = connect(influencer_client, ig_channel, username="wrong.person")
    assert any(
        "You signed in as someone.else, but your profile lists demo.creator" in m
        for m in messages_of(response)
    )
    assert_nothing_stored()


def test_denied_consent(influencer_client, ig_channel):
    response = connect(influencer_client, ig_channel, decision="deny")
    assert any("You did not allow access" in m for m in messages_of(response))
    assert_nothing_stored()


@pytest.mark.parametrize("mode", ["500", "expired", "429"])
def test_a_failed_token_exchange(influencer_client, ig_channel, fake_providers, mode):
    _params, url = start(influencer_client, ig_channel)
    back = consent(url)
    fake_providers.queue("instagram_creator", mode)
    response = influencer_client.get(back, follow=True)
    assert any("Please" in m for m in messages_of(response))
    assert not any("Connected" in m for m in messages_of(response))
    assert_nothing_stored()


def test_a_permission_left_out_is_refused(influencer_client, ig_channel, fake_providers):
    _params, url = start(influencer_client, ig_channel)
    back = consent(url)
    fake_providers.queue("instagram_creator", "scope")
    response = influencer_client.get(back, follow=True)
    assert any("Some permissions were not granted" in m for m in messages_of(response))
    assert_nothing_stored()


def test_connecting_again_replaces_the_tokens(influencer_client, ig_channel):
    connect(influencer_client, ig_channel)
    first = Connection.objects.get(channel=ig_channel).credential_encrypted
    connect(influencer_client, ig_channel)
    assert Connection.objects.filter(channel=ig_channel).count() == 1
    assert Connection.objects.get(channel=ig_channel).credential_encrypted != first


def test_revoke_deletes_the_tokens_at_once(influencer_client, ig_channel):
    connect(influencer_client, ig_channel)
    connection = Connection.objects.get(channel=ig_channel)
    response = influencer_client.post(reverse("portal:account_revoke", args=[connection.pk]))
    assert response.status_code == 302
    assert not Connection.objects.filter(pk=connection.pk).exists()


def test_only_their_own_channels_and_connections(
    influencer_client, client, ig_channel, other_influencer_user
):
    connect(influencer_client, ig_channel)
    mine = Connection.objects.get(channel=ig_channel)
    theirs = ChannelFactory(platform="instagram", influencer__user=other_influencer_user)
    assert (
        influencer_client.get(reverse("portal:account_connect", args=[theirs.pk])).status_code
        == 404
    )
    client.force_login(other_influencer_user)
    assert client.post(reverse("portal:account_revoke", args=[mine.pk])).status_code == 404
    assert client.post(reverse("portal:account_connect", args=[ig_channel.pk])).status_code == 404
    page = client.get(reverse("portal:accounts")).content.decode()
    assert "demo.creator" not in page
    assert Connection.objects.filter(pk=mine.pk).exists()


def test_marketers_see_the_state_never_the_token(influencer_user, ig_channel, marketer):
    from django.test import Client

    creator, marketer_client = Client(), Client()
    creator.force_login(influencer_user)
    marketer_client.force_login(marketer)
    connect(creator, ig_channel)
    connection = Connection.objects.get(channel=ig_channel)
    token = crypto.decrypt(connection.credential_encrypted).reveal()
    page = marketer_client.get(reverse("collectors:list")).content.decode()
    assert "Instagram (the creator&#x27;s own login)" in page and "Working" in page
    assert token not in page and token[:-4] not in page
    assert marketer_client.get(reverse("collectors:edit", args=[connection.pk])).status_code == 403
    admin = marketer_client.get(
        reverse("admin:collectors_connection_change", args=[connection.pk])
    ).content.decode()
    assert token not in admin
