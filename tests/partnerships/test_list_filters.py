"""The partnership list's filters (partnerships/filters.py): each query parameter,
the values it refuses, and a query count that stays put."""

import pytest
from django.urls import reverse

from partnerships.models import Partnership
from tests.factories import CampaignFactory, ChannelFactory, make_partnership

LIST = reverse("partnerships:list")


@pytest.fixture
def campaigns(marketer):
    raya = CampaignFactory(name="Raya")
    merdeka = CampaignFactory(name="Merdeka")
    for campaign, name in [(raya, "Aina Rahman"), (raya, "Bob Tan"), (merdeka, "Aina Rahman")]:
        channel = ChannelFactory(influencer__name=name)
        make_partnership(by=marketer, campaign=campaign, channel=channel)
    bob = Partnership.objects.get(influencer__name="Bob Tan")
    Partnership.objects.filter(pk=bob.pk).update(status=Partnership.Status.CANCELLED)
    return raya, merdeka


def listed(client, **params) -> list[tuple[str, str]]:
    response = client.get(LIST, params)
    assert response.status_code == 200
    return sorted((p.influencer.name, p.campaign.name) for p in response.context["page"])


ALL = [("Aina Rahman", "Merdeka"), ("Aina Rahman", "Raya"), ("Bob Tan", "Raya")]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ALL),
        ({"q": "aina"}, ALL[:2]),
        ({"q": "TAN"}, ALL[2:]),
        ({"q": " "}, ALL),
        ({"status": "cancelled"}, ALL[2:]),
        ({"status": "draft"}, ALL[:2]),
        ({"status": ""}, ALL),
        ({"status": "draft", "q": "aina"}, ALL[:2]),
    ],
)
def test_each_parameter_filters_the_list(marketer_client, campaigns, params, expected):
    assert listed(marketer_client, **params) == expected


def test_campaign_filter_and_the_form_keeping_it(marketer_client, campaigns):
    raya, _merdeka = campaigns

    assert listed(marketer_client, campaign=raya.pk) == ALL[1:]
    assert listed(marketer_client, campaign=raya.pk, q="aina") == [ALL[1]]
    html = marketer_client.get(LIST, {"campaign": raya.pk, "status": "draft"}).content.decode()
    assert f'<option value="{raya.pk}" selected>' in html
    assert '<option value="draft" selected>' in html
    assert '<option value="">Any campaign</option>' in html


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "finished"}, "status"),
        ({"campaign": "999999"}, "campaign"),
        ({"campaign": "raya"}, "campaign"),
        ({"q": "x" * 101}, "q"),
    ],
)
def test_an_invalid_value_is_ignored_and_shown_as_an_error(
    marketer_client, campaigns, params, field
):
    response = marketer_client.get(LIST, params)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert len(response.context["page"]) == 3
    assert f"{response.context['form'].fields[field].label}: " in response.content.decode()


def test_the_valid_filters_still_apply_beside_an_invalid_one(marketer_client, campaigns):
    response = marketer_client.get(LIST, {"status": "cancelled", "campaign": "999999"})

    assert [p.influencer.name for p in response.context["page"]] == ["Bob Tan"]
    assert list(response.context["form"].errors) == ["campaign"]


# Session and user, the campaign asked for, the count, a page of partnerships with
# their campaign, influencer and owner, the campaign choices (the template's {% for %}
# counts them, then reads them), and the session refresh (3).
FILTERED_LIST_QUERIES = 10


@pytest.mark.parametrize("count", [3, 12])
def test_filtered_list_query_count_does_not_grow(
    marketer_client, marketer, django_assert_num_queries, count
):
    campaign = CampaignFactory()
    for _ in range(count):
        make_partnership(by=marketer, campaign=campaign)

    with django_assert_num_queries(FILTERED_LIST_QUERIES):
        response = marketer_client.get(LIST, {"campaign": campaign.pk, "status": "draft", "q": " "})
    assert len(response.context["page"]) == count
