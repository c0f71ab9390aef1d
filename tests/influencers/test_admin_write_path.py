"""Admin adds and changes of the roster go through the influencers services."""

import pytest
from django.urls import reverse

from accounts.models import User
from influencers.models import Channel
from tests.factories import ChannelFactory, InfluencerFactory


@pytest.fixture
def superuser_client(client, db):
    user = User.objects.create_superuser(email="root@brand.test", password="x-pass-123")
    client.force_login(user)
    return client


def channel_post(influencer, handle: str) -> dict:
    return {"influencer": influencer.pk, "platform": "instagram", "handle": handle}


def test_a_handle_typed_as_a_link_is_normalised_as_in_the_app(superuser_client):
    influencer = InfluencerFactory()

    response = superuser_client.post(
        reverse("admin:influencers_channel_add"),
        channel_post(influencer, "https://www.instagram.com/Lina.Eats/?igsh=abc"),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    channel = Channel.objects.get(influencer=influencer)
    assert (channel.handle, channel.profile_url) == (
        "lina.eats",
        "https://www.instagram.com/lina.eats/",
    )
    assert channel.is_primary  # channel_add's rule: the first channel is the primary one


def test_another_spelling_of_a_taken_account_is_refused_and_nothing_written(superuser_client):
    taken = ChannelFactory(platform="instagram", handle="lina.eats")
    other = InfluencerFactory()

    response = superuser_client.post(
        reverse("admin:influencers_channel_add"), channel_post(other, "@Lina.Eats")
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["handle"]
    assert errors == [f"This Instagram account already belongs to {taken.influencer}."]
    assert not other.channels.exists()


def test_an_influencer_change_goes_through_the_service(superuser_client):
    influencer = InfluencerFactory(name="Lina")

    response = superuser_client.post(
        reverse("admin:influencers_influencer_change", args=[influencer.pk]),
        {
            "name": "Lina Eats",
            "languages": "Malay, malay , English",
            "niches": "#Food",
            "channels-TOTAL_FORMS": "0",
            "channels-INITIAL_FORMS": "0",
            "research_checks-TOTAL_FORMS": "0",
            "research_checks-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    influencer.refresh_from_db()
    assert influencer.name == "Lina Eats"
    assert influencer.languages == ["Malay", "English"]  # clean_tags, as in the app
    assert influencer.niches == ["food"]


def test_channels_cannot_be_bulk_deleted_around_the_service(superuser_client):
    """channel_remove promotes a new primary channel; a queryset delete would not."""
    primary = ChannelFactory(platform="instagram", handle="lina.eats", is_primary=True)
    ChannelFactory(influencer=primary.influencer, platform="tiktok", handle="lina.tt")
    changelist = reverse("admin:influencers_channel_changelist")

    assert "delete_selected" not in superuser_client.get(changelist).content.decode()
    response = superuser_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [primary.pk]}
    )

    assert response.status_code == 200  # the list again: no such action, nothing ran
    assert Channel.objects.filter(pk=primary.pk).exists()

    superuser_client.post(
        reverse("admin:influencers_channel_delete", args=[primary.pk]), {"post": "yes"}
    )
    assert list(primary.influencer.channels.values_list("handle", "is_primary")) == [
        ("lina.tt", True)
    ]
