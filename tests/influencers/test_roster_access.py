"""Viewers read but never write; influencer users see none of the roster."""

import pytest
from django.urls import get_resolver, reverse

from influencers.models import Influencer
from tests.factories import ChannelFactory


@pytest.fixture
def channel(db):
    return ChannelFactory()


def every_influencer_url(channel) -> list[str]:
    """Every URL pattern of the influencers app, filled with real ids."""
    urls = []
    for pattern in get_resolver("influencers.urls").url_patterns:
        kwargs = {}
        route = str(pattern.pattern)
        if "<int:pk>" in route:
            kwargs["pk"] = channel.influencer.pk
        if "<int:channel_pk>" in route:
            kwargs["channel_pk"] = channel.pk
        urls.append(reverse(f"influencers:{pattern.name}", kwargs=kwargs))
    return urls


def test_the_url_list_covers_the_whole_app(channel):
    assert len(every_influencer_url(channel)) >= 14


def test_influencer_users_get_403_on_every_page_of_this_app(influencer_client, channel):
    # The roster is a marketer page: an influencer is refused outright (403), before any
    # lookup, so the answer is the same whether the ids are theirs, someone else's or absent.
    for url in every_influencer_url(channel):
        assert influencer_client.get(url).status_code == 403, url
        assert influencer_client.post(url, {"name": "x"}).status_code == 403, url


def test_anonymous_visitors_are_sent_to_login(client, channel):
    for url in every_influencer_url(channel):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_viewer_can_read_the_roster(viewer_client, channel):
    assert viewer_client.get(reverse("influencers:list")).status_code == 200
    assert viewer_client.get(channel.influencer.get_absolute_url()).status_code == 200
    assert viewer_client.get(reverse("influencers:board")).status_code == 200


def test_viewer_sees_no_edit_buttons(viewer_client, channel):
    body = viewer_client.get(channel.influencer.get_absolute_url()).content.decode()
    assert "Edit profile" not in body and "Add channel" not in body


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("create", {"name": "New Person"}),
        ("edit", {"name": "Renamed"}),
        ("move", {"stage": "declined"}),
        ("research", {"audience_fit_done": "on", "audience_fit_note": "x"}),
        ("channel_add", {"platform": "x", "handle": "@someone"}),
        ("channel_delete", {}),
        ("import", {}),
    ],
)
def test_viewer_cannot_change_anything(viewer_client, channel, name, data):
    influencer = channel.influencer
    kwargs = {}
    if name in ("edit", "move", "research", "channel_add", "channel_delete"):
        kwargs["pk"] = influencer.pk
    if name == "channel_delete":
        kwargs["channel_pk"] = channel.pk
    before = (Influencer.objects.count(), influencer.channels.count())

    response = viewer_client.post(reverse(f"influencers:{name}", kwargs=kwargs), data)

    assert response.status_code == 403
    influencer.refresh_from_db()
    assert influencer.name != "Renamed" and influencer.stage == "prospect"
    assert (Influencer.objects.count(), influencer.channels.count()) == before
    assert not influencer.research_checks.exists()


def test_missing_influencer_is_404(marketer_client, db):
    assert marketer_client.get(reverse("influencers:detail", args=[999999])).status_code == 404


def test_channel_of_another_influencer_is_404(marketer_client, channel):
    other = ChannelFactory()
    url = reverse("influencers:channel_edit", args=[channel.influencer.pk, other.pk])
    assert marketer_client.get(url).status_code == 404
