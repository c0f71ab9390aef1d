"""Accepting asks once more naming the version; declining takes an optional reason."""

import pytest
from django.core import mail
from django.urls import reverse

from partnerships.models import Acceptance
from partnerships.terms import services as terms_services
from tests.factories import CampaignFactory, ChannelFactory, make_partnership


@pytest.fixture
def mine(marketer, influencer_user):
    channel = ChannelFactory(influencer__name="Ina Creator", influencer__user=influencer_user)
    campaign = CampaignFactory(name="Kopi Raya")
    partnership = make_partnership(by=marketer, channel=channel, campaign=campaign)
    terms_services.terms_propose(version=partnership.versions.get(), by=marketer)
    return partnership


@pytest.fixture
def theirs(marketer, other_influencer_user):
    channel = ChannelFactory(influencer__user=other_influencer_user)
    partnership = make_partnership(by=marketer, channel=channel)
    terms_services.terms_propose(version=partnership.versions.get(), by=marketer)
    return partnership


def accept_url(partnership, number=1):
    return reverse("portal:accept", args=[partnership.pk]) + f"?version={number}"


def decline_url(partnership, number=1):
    return reverse("portal:decline", args=[partnership.pk, number])


def test_the_partnership_page_offers_accept_before_and_after_the_terms(influencer_client, mine):
    body = influencer_client.get(reverse("portal:partnership", args=[mine.pk])).content.decode()
    confirm = f'href="{accept_url(mine)}"'
    assert body.count(confirm) == 2
    document = body.index('<article class="terms-doc"')
    assert body.index(confirm) < document < body.rindex(confirm)
    assert f'href="{decline_url(mine)}"' in body
    assert 'name="version"' not in body.split("<details")[0]  # nothing accepts in one tap


def test_the_confirm_page_names_the_version_and_accepts_nothing_yet(influencer_client, mine):
    response = influencer_client.get(accept_url(mine))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Accept version 1 of the terms for Kopi Raya?" in body
    assert f'action="{reverse("portal:accept", args=[mine.pk])}"' in body
    assert '<input type="hidden" name="version" value="1">' in body
    assert not Acceptance.objects.exists()


def test_confirming_accepts(influencer_client, mine):
    response = influencer_client.post(
        reverse("portal:accept", args=[mine.pk]), {"version": 1}, follow=True
    )
    assert "You accepted version 1." in response.content.decode()
    assert Acceptance.objects.get().version.number == 1


def test_the_confirm_page_of_an_answered_version_sends_back(influencer_client, mine):
    influencer_client.post(reverse("portal:accept", args=[mine.pk]), {"version": 1})
    response = influencer_client.get(accept_url(mine), follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:partnership", args=[mine.pk])
    assert "Version 1 no longer waits for an answer." in response.content.decode()
    assert influencer_client.get(decline_url(mine)).status_code == 302


def test_another_influencers_ids_are_404(influencer_client, mine, theirs):
    for url in (accept_url(theirs), decline_url(theirs), accept_url(mine, 7)):
        assert influencer_client.get(url).status_code == 404, url
    response = influencer_client.post(decline_url(theirs), {"reason": "x"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "proposed"


def test_a_marketer_gets_403(marketer_client, mine):
    for url in (accept_url(mine), decline_url(mine)):
        assert marketer_client.get(url).status_code == 403
    assert marketer_client.post(decline_url(mine), {"reason": ""}).status_code == 403
    mine.refresh_from_db()
    assert mine.status == "proposed"


def test_declining_with_a_reason(influencer_client, mine, django_capture_on_commit_callbacks):
    page = influencer_client.get(decline_url(mine)).content.decode()
    assert "Decline the offer from" in page and "Why not? (optional)" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = influencer_client.post(
            decline_url(mine), {"reason": "Fully booked in March"}, follow=True
        )
    body = response.content.decode()
    assert "You declined this offer. The brand has been told." in body
    assert "Accept version 1" not in body
    mine.refresh_from_db()
    assert mine.status == "declined"
    assert mine.history.latest().history_change_reason == "Fully booked in March"
    assert [m.to for m in mail.outbox] == [[mine.owner.email]]
    assert "Fully booked in March" in mail.outbox[0].body


def test_declining_without_a_reason_and_twice(influencer_client, mine):
    influencer_client.post(decline_url(mine), {"reason": ""})
    mine.refresh_from_db()
    assert mine.status == "declined"
    response = influencer_client.post(decline_url(mine), {"reason": ""}, follow=True)
    assert "You already declined this offer." in response.content.decode()


def test_a_too_long_reason_is_shown_again(influencer_client, mine):
    response = influencer_client.post(decline_url(mine), {"reason": "x" * 101})
    assert response.status_code == 200
    assert "at most 100 characters" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == "proposed"
