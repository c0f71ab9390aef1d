"""The campaign list's filters (campaigns/filters.py): each query parameter, the
values it refuses, and a query count that stays put."""

import pytest
from django.urls import reverse

from tests.factories import CampaignFactory, make_partnership

LIST = reverse("campaigns:list")


@pytest.fixture
def campaigns(db):
    CampaignFactory(name="Raya 2026", brand="Kopi Kita", status="live")
    CampaignFactory(name="Merdeka", brand="Teh Tarik Co", status="planning")
    CampaignFactory(name="Old Raya", brand="Teh Tarik Co", status="ended")


def listed(client, **params) -> list[str]:
    response = client.get(LIST, params)
    assert response.status_code == 200
    return sorted(campaign.name for campaign in response.context["page"])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Merdeka", "Old Raya", "Raya 2026"]),
        ({"q": "RAYA"}, ["Old Raya", "Raya 2026"]),  # the name
        ({"q": "teh tarik"}, ["Merdeka", "Old Raya"]),  # the brand
        ({"q": "  "}, ["Merdeka", "Old Raya", "Raya 2026"]),
        ({"status": "live"}, ["Raya 2026"]),
        ({"status": "ended"}, ["Old Raya"]),
        ({"status": ""}, ["Merdeka", "Old Raya", "Raya 2026"]),
        ({"q": "raya", "status": "ended"}, ["Old Raya"]),
    ],
)
def test_each_parameter_filters_the_list(marketer_client, campaigns, params, expected):
    assert listed(marketer_client, **params) == expected


def test_the_form_keeps_what_was_asked(marketer_client, campaigns):
    html = marketer_client.get(LIST, {"q": "raya", "status": "live"}).content.decode()

    assert 'name="q" id="id_q" value="raya"' in html
    assert '<option value="live" selected>' in html
    assert '<option value="">Any status</option>' in html


@pytest.mark.parametrize(
    ("params", "field"),
    [({"status": "finished"}, "status"), ({"q": "x" * 101}, "q")],
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
    response = marketer_client.get(LIST, {"q": "merdeka", "status": "finished"})

    assert [c.name for c in response.context["page"]] == ["Merdeka"]
    assert list(response.context["form"].errors) == ["status"]


# Session and user, the count, the campaigns with their partnership counts, and the
# session refresh (3): filtering adds nothing.
FILTERED_LIST_QUERIES = 7


@pytest.mark.parametrize("count", [3, 12])
def test_filtered_list_query_count_does_not_grow_with_campaigns(
    marketer_client, marketer, django_assert_num_queries, count
):
    for campaign in CampaignFactory.create_batch(count, status="live"):
        make_partnership(by=marketer, campaign=campaign)

    with django_assert_num_queries(FILTERED_LIST_QUERIES):
        response = marketer_client.get(LIST, {"q": "kopi", "status": "live"})
    assert len(response.context["page"]) == count
