"""Channels on the new-influencer form, and the platform read from a pasted link."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from influencers import handles, services
from influencers.forms import ChannelForm
from influencers.models import Channel, Influencer
from tests.factories import ChannelFactory

CREATE = reverse("influencers:create")


def _post(client, marketer, rows, **fields):
    data = {
        "name": "Siti Aminah",
        "email": "siti@inbox.test",
        "owner": marketer.pk,
        "channels-TOTAL_FORMS": str(len(rows)),
        "channels-INITIAL_FORMS": "0",
        **fields,
    }
    for index, row in enumerate(rows):
        data.update({f"channels-{index}-{key}": value for key, value in row.items()})
    return client.post(CREATE, data)


@pytest.mark.parametrize(
    ("raw", "platform"),
    [
        ("https://www.instagram.com/Siti.Makan/?igsh=zz", "instagram"),
        ("instagram.com/siti", "instagram"),
        ("https://www.tiktok.com/@siti", "tiktok"),
        ("youtube.com/@siti", "youtube"),
        ("https://twitter.com/siti", "x"),
        ("https://m.facebook.com/siti.makan", "facebook"),
        ("@siti", None),
        ("siti", None),
        ("https://siti.blog/", None),
        ("javascript:alert(1)", None),
    ],
)
def test_platform_is_inferred_from_the_link_host(raw, platform):
    assert handles.infer_platform(raw) == platform


def test_create_page_saves_channel_rows_with_the_influencer(marketer_client, marketer):
    response = _post(
        marketer_client,
        marketer,
        [
            {
                "platform": "auto",
                "handle": "https://www.tiktok.com/@SitiMakan",
                "followers": "9000",
            },
            {"platform": "blog", "handle": "siti.blog"},
            {"platform": "auto", "handle": ""},  # an untouched row
        ],
    )
    siti = Influencer.objects.get(name="Siti Aminah")
    assert response["Location"] == siti.get_absolute_url()
    channels = {c.platform: c for c in siti.channels.all()}
    assert set(channels) == {"tiktok", "blog"}
    assert channels["tiktok"].handle == "sitimakan"
    assert channels["tiktok"].is_primary and channels["tiktok"].followers == 9000


def test_a_bad_channel_row_saves_nothing(marketer_client, marketer):
    taken = ChannelFactory(handle="taken.one")
    response = _post(
        marketer_client,
        marketer,
        [
            {"platform": "instagram", "handle": "fine.one"},
            {"platform": "instagram", "handle": "@taken.one"},
            {"platform": "auto", "handle": "@no_platform"},
        ],
    )
    assert response.status_code == 200
    rows = response.context["channel_rows"]
    assert f"already belongs to {taken.influencer.name}" in str(rows.forms[1].errors["handle"])
    assert "Choose the platform" in str(rows.forms[2].errors["platform"])
    assert not Influencer.objects.filter(name="Siti Aminah").exists()
    assert Channel.objects.count() == 1


def test_the_same_channel_twice_on_the_form_is_refused(marketer_client, marketer):
    response = _post(
        marketer_client,
        marketer,
        [
            {"platform": "auto", "handle": "instagram.com/siti"},
            {"platform": "instagram", "handle": "@Siti"},
        ],
    )
    assert "already listed above" in str(response.context["channel_rows"].forms[1].errors)
    assert not Influencer.objects.exists()


def test_the_create_page_offers_a_channel_row(marketer_client):
    body = marketer_client.get(CREATE).content.decode()
    assert 'name="channels-0-handle"' in body
    assert "data-platform-hosts" in body
    assert 'for="id_channels-0-platform"' in body


def test_service_creates_influencer_and_channels_in_one_transaction(marketer):
    ChannelFactory(platform="tiktok", handle="dupe")
    with pytest.raises(ValidationError, match="already belongs"):
        services.influencer_create(
            by=marketer,
            name="Rolled Back",
            channels=[
                {"platform": "instagram", "handle": "ok.handle"},
                {"platform": "tiktok", "handle": "@dupe"},
            ],
        )
    assert not Influencer.objects.filter(name="Rolled Back").exists()


def test_add_channel_page_infers_the_platform_too(marketer_client, marketer):
    nurul = services.influencer_create(by=marketer, name="Nurul")
    response = marketer_client.post(
        reverse("influencers:channel_add", args=[nurul.pk]),
        {"platform": "", "handle": "https://www.youtube.com/@NurulEats"},
    )
    assert response.status_code == 302
    assert nurul.channels.get().platform == "youtube"


def test_channel_form_keeps_a_chosen_platform(db):
    form = ChannelForm({"platform": "x", "handle": "@nurul"}, influencer=None)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["platform"] == "x"
