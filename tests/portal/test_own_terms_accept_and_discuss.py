"""The portal: an influencer sees, accepts and discusses their own terms, nobody else's."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import get_resolver, reverse

from influencers.models import ResearchItem
from influencers.services import research_update
from partnerships import services
from partnerships.models import Acceptance, ChangeRequest
from partnerships.terms import services as terms_services
from tests.factories import CampaignFactory, ChannelFactory, make_partnership

SECRET_NOTE = "ZZ-internal-note-do-not-show"
SECRET_RESEARCH = "ZZ-research-finding-do-not-show"
SECRET_BUDGET = "98765.43"


@pytest.fixture
def mine(marketer, influencer_user):
    """Ina's partnership, proposed, in a campaign with a distinctive budget."""
    channel = ChannelFactory(
        influencer__name="Ina Creator",
        influencer__user=influencer_user,
        influencer__internal_notes=SECRET_NOTE,
    )
    research_update(
        influencer=channel.influencer,
        by=marketer,
        answers={item: (True, SECRET_RESEARCH) for item in ResearchItem.values},
    )
    campaign = CampaignFactory(name="Kopi Raya", budget=SECRET_BUDGET)
    partnership = make_partnership(by=marketer, channel=channel, campaign=campaign)
    terms_services.terms_propose(version=partnership.versions.get(), by=marketer)
    return partnership


@pytest.fixture
def theirs(marketer, other_influencer_user):
    channel = ChannelFactory(
        influencer__name="Omar Otherperson", influencer__user=other_influencer_user
    )
    partnership = make_partnership(by=marketer, channel=channel)
    terms_services.terms_propose(version=partnership.versions.get(), by=marketer)
    return partnership


CREATOR_TOKEN = "IGAAlong-creator-token-never-shown-5151"


def creator_grant(channel):
    """The influencer's own Instagram connection on this channel (made once)."""
    from collectors.models import Connection
    from common import crypto

    user = channel.influencer.user
    return Connection.objects.get_or_create(
        channel=channel, provider="instagram_creator",
        defaults={"name": "Instagram", "owner": user, "created_by": user, "account_id": "1",
                  "credential_encrypted": crypto.encrypt(CREATOR_TOKEN)},
    )[0]  # fmt: skip


def portal_urls(partnership) -> list[tuple[str, str]]:
    """Every portal URL pattern, filled with the given partnership's ids (and its
    channel's, and the influencer's own connection on it)."""
    deliverable = partnership.versions.get(number=1).deliverables.first()
    channel = deliverable.channel
    urls = []
    for pattern in get_resolver("portal.urls").url_patterns:
        route = str(pattern.pattern)
        kwargs = {}
        if "<int:pk>" in route:
            kwargs["pk"] = partnership.pk
        if "<int:number>" in route:
            kwargs["number"] = 1
        if "<int:deliverable_pk>" in route:
            kwargs["deliverable_pk"] = deliverable.pk
        if "<int:channel_pk>" in route:
            kwargs["channel_pk"] = channel.pk
        if "<int:connection_pk>" in route:
            kwargs["connection_pk"] = creator_grant(channel).pk
        if "<slug:slug>" in route:
            kwargs["slug"] = "instagram"
        urls.append((pattern.name, reverse(f"portal:{pattern.name}", kwargs=kwargs)))
    return urls


def test_every_portal_url_with_another_influencers_ids_is_404(influencer_client, mine, theirs):
    checked = 0
    for name, url in portal_urls(theirs):
        if name in ("home", "accounts", "account_callback"):  # no ids: their own pages
            continue
        method = "post" if name in ("accept", "ask", "hand_in", "account_revoke") else "get"
        data = {"version": 1, "message": "x", "post_url": "https://www.instagram.com/p/x/"}
        response = getattr(influencer_client, method)(url, data)
        assert response.status_code == 404, (name, url, response.status_code)
        checked += 1
    assert checked >= 8
    assert not Acceptance.objects.exists() and not ChangeRequest.objects.exists()
    assert creator_grant(theirs.versions.get(number=1).deliverables.first().channel).pk


def test_the_same_urls_work_for_the_owner(influencer_client, mine):
    for name, url in portal_urls(mine):
        if name in ("accept", "ask", "hand_in", "account_revoke", "account_callback"):
            continue
        assert influencer_client.get(url).status_code == 200, name


def test_a_draft_partnership_is_not_visible_on_the_portal(influencer_client, marketer, mine):
    draft = make_partnership(by=marketer, channel=mine.influencer.channels.get())
    assert influencer_client.get(reverse("portal:partnership", args=[draft.pk])).status_code == 404


def test_rendered_portal_pages_leak_nothing(influencer_client, mine, theirs):
    pages = [
        url
        for name, url in portal_urls(mine)
        if name
        not in ("accept", "ask", "hand_in", "terms_pdf", "account_revoke", "account_callback")
    ]
    for url in pages:
        body = influencer_client.get(url).content.decode()
        for secret in (
            SECRET_NOTE,
            SECRET_RESEARCH,
            SECRET_BUDGET,
            "98,765.43",
            "Omar Otherperson",
            CREATOR_TOKEN,
            CREATOR_TOKEN[:-4],
        ):
            assert secret not in body, (url, secret)
        assert not re.search(r"budget", body, re.IGNORECASE), url


def test_home_lists_only_own_partnerships_with_what_needs_attention(
    influencer_client, mine, theirs
):
    body = influencer_client.get(reverse("portal:home")).content.decode()
    assert "Kopi Raya" in body
    assert "Terms version 1 is waiting for you" in body
    assert theirs.campaign.name not in body


def test_accepting_records_everything_and_tells_the_owner(
    influencer_user, mine, django_capture_on_commit_callbacks
):
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 (iPhone) pytest")
    client.force_login(influencer_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:accept", args=[mine.pk]), {"version": 1}, REMOTE_ADDR="203.0.113.9"
        )
    assert response.status_code == 302
    acceptance = Acceptance.objects.get()
    assert (acceptance.accepted_by, acceptance.version.number) == (influencer_user, 1)
    assert acceptance.sha256 == mine.versions.get().sha256
    assert (acceptance.ip_address, acceptance.user_agent) == (
        "203.0.113.9",
        "Mozilla/5.0 (iPhone) pytest",
    )
    mine.refresh_from_db()
    assert mine.status == "accepted"
    assert len(mail.outbox) == 1
    assert "accepted terms version 1" in mail.outbox[0].subject
    assert mail.outbox[0].to == [mine.owner.email]


def test_accepting_twice_is_refused_with_a_message(influencer_client, mine):
    url = reverse("portal:accept", args=[mine.pk])
    influencer_client.post(url, {"version": 1})
    response = influencer_client.post(url, {"version": 1}, follow=True)
    assert "already accepted version 1" in response.content.decode()
    assert Acceptance.objects.count() == 1


def test_a_superseded_version_offers_the_newer_one(influencer_client, marketer, mine):
    terms_services.terms_open_draft(partnership=mine, by=marketer, based_on=1)
    terms_services.terms_propose(version=mine.versions.get(number=2), by=marketer)

    response = influencer_client.post(
        reverse("portal:accept", args=[mine.pk]), {"version": 1}, follow=True
    )
    body = response.content.decode()
    assert "replaced by version 2" in body
    assert "Accept version 2" in body
    assert not Acceptance.objects.exists()


def test_accept_needs_a_csrf_token(influencer_user, mine):
    client = Client(enforce_csrf_checks=True)
    client.force_login(influencer_user)
    response = client.post(reverse("portal:accept", args=[mine.pk]), {"version": 1})
    assert response.status_code == 403
    assert not Acceptance.objects.exists()


def test_asking_for_changes_reaches_the_owner(
    influencer_client, mine, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        influencer_client.post(
            reverse("portal:ask", args=[mine.pk]),
            {"version": 1, "message": "Could the first reel move to the 22nd?"},
        )
    change = ChangeRequest.objects.get()
    assert change.message == "Could the first reel move to the 22nd?"
    assert len(mail.outbox) == 1
    assert "move to the 22nd" in mail.outbox[0].body
    mine.refresh_from_db()
    assert mine.status == "proposed"


def test_an_empty_change_request_is_refused(influencer_client, mine):
    response = influencer_client.post(
        reverse("portal:ask", args=[mine.pk]), {"version": 1, "message": "  "}, follow=True
    )
    assert "Write what you would like changed" in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_pdf_download_on_the_portal(influencer_client, mine):
    response = influencer_client.get(reverse("portal:terms_pdf", args=[mine.pk, 1]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_portal_shows_the_same_document_as_the_marketer(influencer_client, marketer, mine):
    marketer_client = Client()  # the client fixture is shared: log the marketer in apart
    marketer_client.force_login(marketer)
    marker = re.compile(r'<article class="terms-doc".*?</article>', re.S)
    theirs_doc = marker.search(
        marketer_client.get(
            reverse("partnerships:terms_document", args=[mine.pk, 1])
        ).content.decode()
    )
    ours_doc = marker.search(
        influencer_client.get(reverse("portal:terms", args=[mine.pk, 1])).content.decode()
    )
    assert theirs_doc and ours_doc
    assert theirs_doc.group(0) == ours_doc.group(0)


def test_marketers_cannot_open_the_portal_pages(marketer_client, mine):
    for name, url in portal_urls(mine):
        assert marketer_client.get(url).status_code == 403, name


@pytest.mark.parametrize("count", [1, 5])
def test_portal_home_query_count_is_constant(
    influencer_client, marketer, influencer_user, django_assert_num_queries, count
):
    channel = ChannelFactory(influencer__user=influencer_user)
    for index in range(count):
        p = make_partnership(by=marketer, channel=channel)
        version = terms_services.terms_propose(version=p.versions.get(), by=marketer)
        if index % 2 == 0:  # accepted ones have deliverables still to hand in
            terms_services.terms_accept(version=version, by=influencer_user, ip=None, user_agent="")
    # … and one for posts missing their disclosure, one for lapsing own connections.
    with django_assert_num_queries(15):
        influencer_client.get(reverse("portal:home"))


def test_a_draft_cancelled_before_it_was_offered_never_reaches_the_portal(
    influencer_client, marketer, mine
):
    draft = make_partnership(by=marketer, channel=mine.influencer.channels.get())
    services.partnership_transition(
        partnership=draft, to_status="cancelled", by=marketer, reason="Budget cut"
    )
    assert influencer_client.get(reverse("portal:partnership", args=[draft.pk])).status_code == 404
    assert draft.campaign.name not in influencer_client.get(reverse("portal:home")).content.decode()


def test_a_closed_partnership_offers_nothing_to_accept_or_discuss(
    influencer_client, marketer, mine
):
    services.partnership_transition(
        partnership=mine, to_status="declined", by=marketer, reason="No fit"
    )
    body = influencer_client.get(reverse("portal:partnership", args=[mine.pk])).content.decode()
    assert "Accept version 1" not in body
    response = influencer_client.post(
        reverse("portal:ask", args=[mine.pk]), {"version": 1, "message": "Please?"}, follow=True
    )
    assert "This partnership is closed." in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_the_document_keeps_the_names_it_was_proposed_with(influencer_client, mine):
    campaign = mine.campaign
    campaign.brand = "Renamed Brand Sdn Bhd"
    campaign.save()
    body = influencer_client.get(reverse("portal:terms", args=[mine.pk, 1])).content.decode()
    assert "Renamed Brand" not in body
    assert "Kopi Kita" in body
