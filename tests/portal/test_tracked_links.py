"""The influencer sees their own tracked links on the portal, and nobody else's.
(The sweep in test_own_terms_accept_and_discuss.py covers the new URL for 404s too.)"""

import pytest
from django.urls import reverse

from metrics.links.services import tracked_link_create, tracked_link_disable
from partnerships.terms import services as terms_services
from tests.factories import ChannelFactory, make_partnership

pytestmark = pytest.mark.django_db


def proposed(marketer, user, name):
    channel = ChannelFactory(influencer__name=name, influencer__user=user)
    partnership = make_partnership(by=marketer, channel=channel)
    terms_services.terms_propose(version=partnership.versions.get(), by=marketer)
    return partnership


@pytest.fixture
def mine(marketer, influencer_user):
    return proposed(marketer, influencer_user, "Ina Creator")


@pytest.fixture
def theirs(marketer, other_influencer_user):
    return proposed(marketer, other_influencer_user, "Omar Otherperson")


def link_for(partnership, marketer, label):
    return tracked_link_create(
        partnership=partnership,
        destination="https://kopikita.example/",
        label=label,
        by=marketer,
    )


def test_the_influencer_sees_their_live_links_with_a_copy_button(
    influencer_client, marketer, mine, theirs
):
    shared = link_for(mine, marketer, "Bio link")
    gone = link_for(mine, marketer, "Old story link")
    tracked_link_disable(link=gone, by=marketer)
    other = link_for(theirs, marketer, "Omar's link")

    body = influencer_client.get(reverse("portal:links", args=[mine.pk])).content.decode()

    assert f'data-copy="http://testserver/r/{shared.code}"' in body
    assert "Bio link" in body
    assert body.count("data-qr") == 1 and 'class="qr-code"' in body
    for hidden in (gone.code, other.code, "Old story link", "Omar"):
        assert hidden not in body


def test_another_influencers_links_page_is_404(influencer_client, marketer, theirs):
    link_for(theirs, marketer, "Omar's link")
    assert influencer_client.get(reverse("portal:links", args=[theirs.pk])).status_code == 404


def test_a_marketer_gets_403_on_the_portal_page(marketer_client, mine):
    assert marketer_client.get(reverse("portal:links", args=[mine.pk])).status_code == 403


def test_no_link_yet_says_so(influencer_client, mine):
    response = influencer_client.get(reverse("portal:links", args=[mine.pk]))
    assert response.status_code == 200
    assert b"data-copy" not in response.content
