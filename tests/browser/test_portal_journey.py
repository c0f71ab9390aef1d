import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from influencers.invite import influencer_invite
from partnerships.models import Acceptance, Submission
from partnerships.terms import services as terms_services
from tests.conftest import browser_login
from tests.factories import ChannelFactory, make_partnership

pytestmark = pytest.mark.browser

POST_URL = "https://www.instagram.com/reel/C9kopiKita01/"
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def test_invited_influencer_accepts_terms_and_hands_in_a_post_from_a_phone(
    phone_page, page, marketer, django_capture_on_commit_callbacks
):
    channel = ChannelFactory(
        influencer__name="Nurul Izzah", influencer__email="nurul@inbox.test", handle="nurul.makan"
    )
    partnership = make_partnership(by=marketer, channel=channel)
    terms_services.terms_propose(version=partnership.versions.get(), by=marketer)
    with django_capture_on_commit_callbacks(execute=True):
        influencer_invite(influencer=channel.influencer, by=marketer)

    # The link from the email, opened on the phone.
    [email] = [m for m in mail.outbox if m.to == ["nurul@inbox.test"]]
    link = re.search(r"https?://\S+/accounts/invite/\S+/", email.body).group(0)
    phone_page.goto(urlsplit(link).path)
    expect(phone_page.get_by_role("heading", name="Welcome, Nurul.")).to_be_visible()
    phone_page.get_by_label(re.compile(r"^\s*New password\W*$")).fill("teh-tarik-at-midnight-42")
    phone_page.get_by_label(re.compile(r"New password confirmation")).fill(
        "teh-tarik-at-midnight-42"
    )
    phone_page.get_by_role("button", name="Set password and continue").click()

    # Portal home: the partnership, with the terms waiting.
    expect(phone_page.get_by_role("heading", name="Hello, Nurul")).to_be_visible()
    assert urlsplit(phone_page.url).path == "/portal/"
    card = phone_page.locator("article.portal-card", has_text=partnership.campaign.name)
    expect(card).to_contain_text("Terms version 1 is waiting for you to read and accept.")
    card.get_by_role("link", name="Kopi Kita").click()

    # The partnership page: the terms document itself, then accept.
    assert urlsplit(phone_page.url).path == f"/portal/partnerships/{partnership.pk}/"
    expect(
        phone_page.get_by_role("heading", name="Version 1 of your terms is waiting for you")
    ).to_be_visible()
    document = phone_page.locator("article.terms-doc")
    expect(document).to_contain_text("Say it is Kopi Kita")
    expect(document).to_contain_text("SHA-256")
    document.get_by_text("Say it is Kopi Kita").scroll_into_view_if_needed()
    expect(document.get_by_text("Say it is Kopi Kita")).to_be_visible()
    assert phone_page.evaluate(NO_SIDEWAYS_SCROLL)

    # The short fingerprint, the full hash one tap away.
    version = partnership.versions.get()
    fingerprint = f"{version.sha256[:4]} {version.sha256[4:8]} {version.sha256[8:12]}"
    expect(document.locator("[data-fingerprint]")).to_have_text(fingerprint)
    full_hash = document.get_by_text(version.sha256)
    expect(full_hash).to_be_hidden()
    document.get_by_text("Show the full SHA-256 hash").click()
    expect(full_hash).to_be_visible()

    # Read to the end, then accept from there: one confirmation naming the version.
    answer = phone_page.get_by_role("region", name="Read it all? Give the brand your answer")
    answer.get_by_role("link", name="Accept version 1").click()
    expect(
        phone_page.get_by_role(
            "heading", name=f"Accept version 1 of the terms for {partnership.campaign.name}?"
        )
    ).to_be_visible()
    assert not Acceptance.objects.exists()
    phone_page.get_by_role("button", name="Accept version 1").click()
    expect(phone_page.get_by_role("alert")).to_contain_text(
        "You accepted version 1. The brand has been told. Thank you!"
    )
    expect(phone_page.get_by_role("heading", name="Your agreed terms")).to_be_visible()
    expect(phone_page.get_by_role("link", name="Accept version 1")).to_have_count(0)

    # Hand in the first piece of the deliverable.
    deliverable = partnership.versions.get().deliverables.get()
    first_piece = phone_page.locator(f"#piece-{deliverable.pk}-1")
    expect(first_piece).to_have_attribute("data-status", "missing")
    first_piece.get_by_label("Link to your post").fill(POST_URL)
    first_piece.get_by_role("button", name="Hand in").click()
    first_piece = phone_page.locator(f"#piece-{deliverable.pk}-1")
    expect(first_piece).to_have_attribute("data-status", "submitted")
    expect(first_piece.get_by_role("status")).to_contain_text(
        "Thank you! The brand has been told about your post."
    )
    expect(first_piece.get_by_text("Submitted", exact=True)).to_be_visible()
    expect(first_piece.get_by_role("link", name=POST_URL)).to_be_visible()
    expect(phone_page.locator(f"#piece-{deliverable.pk}-2")).to_have_attribute(
        "data-status", "missing"
    )
    assert phone_page.evaluate(NO_SIDEWAYS_SCROLL)

    acceptance = Acceptance.objects.get(partnership=partnership)
    assert acceptance.version.number == 1
    assert acceptance.accepted_by.email == "nurul@inbox.test"
    assert acceptance.ip_address
    assert acceptance.user_agent
    submission = Submission.objects.get(partnership=partnership)
    assert (submission.piece, submission.post_url) == (1, POST_URL)
    assert submission.status == Submission.Status.SUBMITTED
    partnership.refresh_from_db()
    assert partnership.status == "accepted"

    # The marketer, at a desk: version 1 in force, the post waiting for review.
    browser_login(page, marketer.email)
    page.goto(partnership.get_absolute_url())
    version_row = page.locator('[data-version="1"]')
    expect(version_row.get_by_text("in force", exact=True)).to_be_visible()
    expect(version_row).to_contain_text("accepted by Nurul Izzah")
    handed_in = page.locator("#deliverables-review [data-piece='1']")
    expect(handed_in).to_have_attribute("data-status", "submitted")
    expect(handed_in.get_by_text("Submitted", exact=True)).to_be_visible()
    expect(handed_in.locator(f'a[href="{POST_URL}"]')).to_contain_text(POST_URL)
    expect(handed_in.get_by_role("button", name="Approve")).to_be_visible()


def test_influencer_declines_an_offer_with_a_reason(
    phone_page, marketer, influencer_user, django_capture_on_commit_callbacks
):
    channel = ChannelFactory(influencer__name="Ina Creator", influencer__user=influencer_user)
    partnership = make_partnership(by=marketer, channel=channel)
    terms_services.terms_propose(version=partnership.versions.get(), by=marketer)

    browser_login(phone_page, influencer_user.email)
    phone_page.goto(f"/portal/partnerships/{partnership.pk}/")
    answer = phone_page.get_by_role("region", name="Read it all? Give the brand your answer")
    answer.get_by_role("link", name="Decline the offer").click()
    expect(
        phone_page.get_by_role("heading", name=re.compile(r"^Decline the offer"))
    ).to_be_visible()
    phone_page.get_by_label("Why not? (optional)").fill("Fully booked in March")
    with django_capture_on_commit_callbacks(execute=True):
        phone_page.get_by_role("button", name="Decline the offer").click()
        expect(phone_page.get_by_role("alert")).to_contain_text("You declined this offer.")
    expect(phone_page.get_by_role("link", name="Accept version 1")).to_have_count(0)

    partnership.refresh_from_db()
    assert partnership.status == "declined"
    assert partnership.history.latest().history_change_reason == "Fully booked in March"
    [told] = [m for m in mail.outbox if m.to == [partnership.owner.email]]
    assert "Fully booked in March" in told.body
