"""The influencer sees their own settlement on the portal: a preview labelled not final,
then the frozen one labelled final; never anyone else's. (The portal URL sweep in
test_own_terms_accept_and_discuss.py runs here again with both partnerships settled.)"""

import pytest
from django.urls import reverse

from metrics.settlements.services import settlement_freeze
from tests.metrics.settling import accepted, complete, numbers
from tests.portal.test_own_terms_accept_and_discuss import portal_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(marketer, influencer_user):
    partnership = accepted(marketer, influencer_user, "Ina Creator")
    numbers(partnership, marketer)
    return partnership


@pytest.fixture
def theirs(marketer, other_influencer_user):
    partnership = accepted(marketer, other_influencer_user, "Omar Otherperson")
    return complete(partnership, marketer)


def page(client, partnership) -> str:
    return client.get(reverse("portal:partnership", args=[partnership.pk])).content.decode()


def test_the_influencer_sees_a_preview_marked_not_final(influencer_client, mine):
    body = page(influencer_client, mine)
    assert "data-settlement-preview" in body and "not final" in body
    assert "1,923.46" in body  # 1,500 + 300 bonus + 10% of 1,234.55
    assert "data-settlement-freeze" not in body


def test_the_frozen_settlement_is_marked_final(influencer_client, marketer, mine):
    settlement = settlement_freeze(partnership=complete(mine, marketer), by=marketer)
    body = page(influencer_client, mine)
    assert "data-settlement-final" in body and settlement.reference in body
    assert "data-settlement-preview" not in body and "1,923.46" in body


def test_another_influencers_settlement_is_404_on_every_portal_url(
    influencer_client, marketer, mine, theirs
):
    other = settlement_freeze(partnership=theirs, by=marketer)
    settlement_freeze(partnership=complete(mine, marketer), by=marketer)
    checked = 0
    for name, url in portal_urls(theirs):
        if name in ("home", "accounts", "account_callback"):  # no ids: their own pages
            continue
        method = "post" if name in ("accept", "ask", "hand_in", "account_revoke") else "get"
        response = getattr(influencer_client, method)(url, {"version": 1, "message": "x"})
        assert response.status_code == 404, (name, url, response.status_code)
        checked += 1
    assert checked >= 6
    for name, url in portal_urls(mine):
        if name in ("accept", "ask", "hand_in", "terms_pdf", "account_revoke", "account_callback"):
            continue
        body = influencer_client.get(url).content.decode()
        assert other.reference not in body and "Omar Otherperson" not in body, name
