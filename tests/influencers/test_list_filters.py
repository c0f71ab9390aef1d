"""The roster list's filters (influencers/filters.py): each query parameter, the
values it refuses, the export sharing them, and a query count that stays put."""

import csv
import io

import pytest
from django.urls import reverse

from influencers import services
from influencers.models import Stage
from tests.factories import ChannelFactory, InfluencerFactory

LIST = reverse("influencers:list")
EXPORT = reverse("influencers:export")


@pytest.fixture
def roster(marketer, manager):
    aina = services.influencer_create(
        by=marketer,
        name="Aina",
        email="aina@kopi.test",
        country="Malaysia",
        niches=["food", "travel"],
        owner=manager,
    )
    services.channel_add(
        influencer=aina, platform="instagram", handle="@aina.eats", followers=12_000
    )
    services.channel_add(influencer=aina, platform="instagram", handle="@aina.cooks")
    services.channel_add(influencer=aina, platform="tiktok", handle="@aina.eats", followers=80_000)
    bob = services.influencer_create(
        by=marketer, name="Bob", country="Singapore", niches=["Tech"], stage=Stage.RESEARCHED
    )
    services.channel_add(influencer=bob, platform="youtube", handle="@bobtech", followers=3_000)
    services.influencer_create(
        by=marketer, name="Chen", country="malaysia", niches=["food"], stage=Stage.DECLINED
    )


def listed(client, **params) -> list[str]:
    response = client.get(LIST, params)
    assert response.status_code == 200
    return [influencer.name for influencer in response.context["page"]]


def exported(client, **params) -> list[str]:
    response = client.get(EXPORT, params)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return [row[0] for row in rows[1:]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Aina", "Bob", "Chen"]),
        ({"q": "aina"}, ["Aina"]),
        ({"q": "KOPI.test"}, ["Aina"]),
        ({"q": "@aina.eats"}, ["Aina"]),  # two channels match, one row
        ({"q": "tech"}, ["Bob"]),
        ({"q": "   "}, ["Aina", "Bob", "Chen"]),
        ({"stage": "researched"}, ["Bob"]),
        ({"stage": ""}, ["Aina", "Bob", "Chen"]),
        ({"platform": "instagram"}, ["Aina"]),  # two Instagram channels, one row
        ({"platform": "youtube"}, ["Bob"]),
        ({"platform": "podcast"}, []),
        ({"niche": "FOOD"}, ["Aina", "Chen"]),
        ({"country": "MALAYSIA"}, ["Aina", "Chen"]),
        ({"country": "malay"}, []),  # the whole name, not a part of it
        ({"min_followers": "10000"}, ["Aina"]),  # the biggest channel counts
        ({"max_followers": "5000"}, ["Bob"]),
        ({"min_followers": "0"}, ["Aina", "Bob"]),  # zero is a bound; no channels is not
        ({"stage": "prospect", "niche": "food"}, ["Aina"]),
        ({"sort": "name"}, ["Aina", "Bob", "Chen"]),
        ({"sort": "-followers"}, ["Chen", "Aina", "Bob"]),  # Postgres: no reach sorts high
        ({"sort": "followers"}, ["Bob", "Aina", "Chen"]),
        ({"sort": "-created"}, ["Chen", "Bob", "Aina"]),
        ({"sort": "stage"}, ["Chen", "Aina", "Bob"]),
    ],
)
def test_each_parameter_filters_the_list_and_the_export(marketer_client, roster, params, expected):
    assert listed(marketer_client, **params) == expected
    assert exported(marketer_client, **params) == expected


def test_owner_filter_and_its_choices(marketer_client, roster, manager, influencer_user):
    response = marketer_client.get(LIST, {"owner": manager.pk})

    assert [i.name for i in response.context["page"]] == ["Aina"]
    owners = [label for _value, label in response.context["form"].fields["owner"].choices]
    assert owners[0] == "Anyone"
    assert str(influencer_user) not in owners  # only marketers own influencers
    assert f'<option value="{manager.pk}" selected>' in response.content.decode()


def test_the_form_keeps_what_was_asked(marketer_client, roster):
    html = marketer_client.get(
        LIST, {"q": "aina", "stage": "researched", "sort": "-created", "niche": "food"}
    ).content.decode()

    assert 'name="q" id="id_q" value="aina"' in html
    assert '<option value="researched" selected>' in html
    assert '<option value="-created" selected>' in html
    assert 'name="niche" id="id_niche" value="food"' in html
    assert '<option value="">Any stage</option>' in html
    assert '<option value="">Any platform</option>' in html


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"stage": "famous"}, "stage"),
        ({"platform": "myspace"}, "platform"),
        ({"owner": "999999"}, "owner"),
        ({"owner": "not-a-number"}, "owner"),
        ({"min_followers": "lots"}, "min_followers"),
        ({"min_followers": "-5"}, "min_followers"),
        ({"max_followers": "1.5"}, "max_followers"),
        ({"sort": "random()"}, "sort"),
        ({"q": "x" * 101}, "q"),
        ({"niche": "x" * 41}, "niche"),
        ({"country": "x" * 61}, "country"),
    ],
)
def test_an_invalid_value_is_ignored_and_shown_as_an_error(marketer_client, roster, params, field):
    response = marketer_client.get(LIST, params)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert [i.name for i in response.context["page"]] == ["Aina", "Bob", "Chen"]
    label = response.context["form"].fields[field].label
    assert f"{label}: " in response.content.decode()
    assert exported(marketer_client, **params) == ["Aina", "Bob", "Chen"]


def test_the_valid_filters_still_apply_beside_an_invalid_one(marketer_client, roster):
    response = marketer_client.get(LIST, {"stage": "researched", "min_followers": "lots"})

    assert [i.name for i in response.context["page"]] == ["Bob"]
    assert list(response.context["form"].errors) == ["min_followers"]


def test_a_page_number_is_not_a_filter(marketer_client, roster):
    response = marketer_client.get(LIST, {"page": "2", "stage": "researched"})

    assert [i.name for i in response.context["page"]] == ["Bob"]
    assert response.context["query"] == "stage=researched"
    assert not response.context["form"].errors


# Session and user, the owner asked for, the count, the owner choices (the template's
# {% for %} counts them, then reads them), a page of influencers, their channels, and
# the session refresh (3).
FILTERED_LIST_QUERIES = 11


@pytest.mark.parametrize("rows", [5, 40])
def test_filtered_list_query_count_does_not_grow_with_rows(
    marketer_client, marketer, django_assert_num_queries, rows
):
    for _ in range(rows):
        ChannelFactory.create_batch(2, influencer=InfluencerFactory(owner=marketer))
    params = {
        "q": "a",
        "platform": "instagram",
        "niche": "food",
        "country": "malaysia",
        "owner": marketer.pk,
        "min_followers": "1",
        "max_followers": "1000000",
        "sort": "-followers",
    }
    with django_assert_num_queries(FILTERED_LIST_QUERIES):
        response = marketer_client.get(LIST, params)
    assert not response.context["form"].errors
    assert response.context["page"].paginator.count > 0
