"""The influencer picker on a new partnership: a search endpoint, not a select of everyone."""

import pytest
from django.urls import reverse

from influencers.selectors import PICKER_LIMIT
from partnerships.models import Partnership
from tests.factories import CampaignFactory, ChannelFactory, InfluencerFactory

PICK = reverse("influencers:pick")
CREATE = reverse("partnerships:create")


def test_search_finds_by_name_handle_and_email(marketer_client):
    nurul = InfluencerFactory(name="Nurul Eats", email="nurul@inbox.test")
    ChannelFactory(influencer=nurul, handle="makan.nurul")
    InfluencerFactory(name="Someone Else")
    for text in ("nurul e", "@makan.nur", "NURUL@INBOX"):
        body = marketer_client.get(PICK, {"q": text}).content.decode()
        assert f'data-pick-id="{nurul.pk}"' in body, text
        assert "Someone Else" not in body


def test_search_returns_at_most_twenty_in_constant_queries(
    marketer_client, django_assert_num_queries
):
    for n in range(PICKER_LIMIT + 5):
        ChannelFactory(influencer=InfluencerFactory(name=f"Aina {n:02}"))
    marketer_client.get(PICK, {"q": "ain"})  # warm the session
    # session + user, influencers, their channels (the warm session is not saved again)
    with django_assert_num_queries(4):
        body = marketer_client.get(PICK, {"q": "aina"}).content.decode()
    assert body.count("data-pick-id") == PICKER_LIMIT


def test_search_by_the_input_name_and_says_when_nobody_matches(marketer_client):
    InfluencerFactory(name="Aina")
    body = marketer_client.get(PICK, {"influencer_query": "zzz"}).content.decode()
    assert "Nobody matches" in body
    assert marketer_client.get(PICK, {"q": ""}).content.decode().strip() == ""


def test_influencers_cannot_search_the_roster(influencer_client):
    assert influencer_client.get(PICK, {"q": "a"}).status_code == 403


def test_the_form_has_no_select_of_every_influencer(marketer_client):
    InfluencerFactory(name="Aina Roster")
    body = marketer_client.get(CREATE).content.decode()
    assert "Aina Roster" not in body
    assert f'hx-get="{PICK}"' in body
    assert 'for="id_influencer_query"' in body


def test_a_preselected_influencer_shows_its_name(marketer_client):
    aina = InfluencerFactory(name="Aina Preset")
    body = marketer_client.get(CREATE, {"influencer": aina.pk}).content.decode()
    assert 'value="Aina Preset"' in body


def test_posting_the_chosen_id_creates_the_partnership(marketer_client):
    campaign = CampaignFactory()
    aina = InfluencerFactory(name="Aina")
    response = marketer_client.post(
        CREATE, {"campaign": campaign.pk, "influencer": aina.pk, "influencer_query": "Aina"}
    )
    assert response.status_code == 302
    assert Partnership.objects.get().influencer == aina


@pytest.mark.parametrize("typed", ["aina binti ali", "AINA@INBOX.TEST", "@aina.makan"])
def test_without_javascript_an_exact_name_email_or_handle_is_enough(marketer_client, typed):
    campaign = CampaignFactory()
    aina = InfluencerFactory(name="Aina binti Ali", email="aina@inbox.test")
    ChannelFactory(influencer=aina, handle="aina.makan")
    InfluencerFactory(name="Aina binti Abu")
    response = marketer_client.post(CREATE, {"campaign": campaign.pk, "influencer_query": typed})
    assert response.status_code == 302
    assert Partnership.objects.get().influencer == aina


def test_an_ambiguous_or_unknown_name_is_refused_by_the_text_box(marketer_client):
    campaign = CampaignFactory()
    InfluencerFactory(name="Aina")
    InfluencerFactory(name="aina")
    for typed, message in [("Aina", "Several influencers match"), ("Zed", "No influencer")]:
        response = marketer_client.post(
            CREATE, {"campaign": campaign.pk, "influencer_query": typed}
        )
        assert response.status_code == 200
        assert message in response.content.decode()
    response = marketer_client.post(CREATE, {"campaign": campaign.pk})
    assert "Choose an influencer." in response.content.decode()
    response = marketer_client.post(CREATE, {"campaign": campaign.pk, "influencer": 999999})
    assert "Choose an influencer from the list." in response.content.decode()
    assert not Partnership.objects.exists()
